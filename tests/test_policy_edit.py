"""A policy edit is a data edit (DESIGN.md: thresholds are ruleset data): change two numbers in a copy of
the rulesets and the decisions change through `cec evaluate --rulesets`, with no code change.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from support import EXAMPLES, NEW_EDITION, copy_rulesets, edit


@pytest.fixture(scope="module")
def edited_rulesets(tmp_path_factory):
    root = copy_rulesets(tmp_path_factory.mktemp("policy"))
    edit(root, NEW_EDITION, "    value: 1560", "    value: 1200")
    edit(root, NEW_EDITION, '{"0": 7, "1": 7, "2": 5, "3": 5}', '{"0": 7, "1": 7, "2": 6, "3": 6}')
    return root


def decide(example: str, *options: str) -> dict:
    result = CliRunner().invoke(cli, ["evaluate", str(EXAMPLES / example), "--format", "json", *options])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def unmet(decision: dict) -> list[str]:
    return [c["id"] for c in decision["criteria"] if not c["met"]]


def test_edited_rulesets_are_valid(edited_rulesets):
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(edited_rulesets)])
    assert result.exit_code == 0, result.stderr


def test_lower_hours_minimum_makes_1217_hours_enough(edited_rulesets):
    before = decide("ineligible-work-experience.yaml")
    after = decide("ineligible-work-experience.yaml", "--rulesets", str(edited_rulesets))
    assert before["derived"]["qualifying_hours"] == after["derived"]["qualifying_hours"] == 1217.14
    assert unmet(before) == ["skilled_work_experience"]
    assert after["eligible"] is True
    assert after["ruleset"]["sha256"] != before["ruleset"]["sha256"]


def test_higher_teer3_language_level_makes_clb5_not_enough(edited_rulesets):
    before = decide("eligible-teer3-clb5.yaml")
    after = decide("eligible-teer3-clb5.yaml", "--rulesets", str(edited_rulesets))
    assert before["eligible"] is True
    assert unmet(after) == ["language_proficiency"]
    assert after["derived"]["language_requirement"]["level"] == 6


def test_other_decisions_do_not_change(edited_rulesets):
    for example in ("eligible.yaml", "ineligible-language.yaml", "ineligible-quebec.yaml"):
        before, after = decide(example), decide(example, "--rulesets", str(edited_rulesets))
        assert unmet(after) == unmet(before), example
