"""Messages speak the user's language (YAML/JSON), never Python's: no None, True, NoneType or "a integer"."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from cec_rules.cli.main import cli
from support import NEW_EDITION, applicant_data, copy_rulesets, edit

PYTHON_WORDS = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|NoneType|\ba integer\b|admissible=True")


def test_bad_applicant_values_are_shown_as_written(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(applicant_data(admissible=None, application_date=None)))
    result = CliRunner().invoke(cli, ["evaluate", str(path)])
    assert result.exit_code == 2
    assert "null" in result.stderr and not PYTHON_WORDS.search(result.stderr), result.stderr


def test_a_parameter_of_the_wrong_type_says_an_integer(tmp_path):
    root = copy_rulesets(tmp_path)
    edit(root, NEW_EDITION, "    value: 2021\n", "    value: null\n")
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2
    assert not PYTHON_WORDS.search(result.stderr), result.stderr


def test_explanation_text_has_no_python_words():
    from support import EXAMPLES

    for language in ("en", "fr"):
        result = CliRunner().invoke(
            cli, ["explain", str(EXAMPLES / "ineligible-admissibility.yaml"), "--lang", language]
        )
        assert result.exit_code == 0 and not PYTHON_WORDS.search(result.output), result.output
