"""`cec schema`: the schemas are current, accept every bundled file, and reject typical mistakes."""

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.cli.schema import SCHEMAS, schema_for
from cec_rules.engine.yaml_source import load_yaml

REPO = Path(__file__).resolve().parent.parent
FILES = {
    "rulesets": sorted(REPO.glob("rulesets/*/*/ruleset.yaml")),
    "applicant": sorted(REPO.glob("examples/*.yaml")),
    "cases": sorted(REPO.glob("rulesets/*/*/tests/*.yaml")),
    "language-test": sorted(REPO.glob("rulesets/data/language/*.yaml")),
}


def _validator(kind: str):
    return jsonschema.Draft202012Validator(schema_for(kind), format_checker=jsonschema.FormatChecker())


def _data(path: Path):
    return load_yaml(path.read_text(), str(path))[0]


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_committed_schema_matches_the_command(kind):
    result = CliRunner().invoke(cli, ["schema", kind])
    assert result.exit_code == 0
    committed = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text())
    assert json.loads(result.stdout) == committed, f"regenerate: cec schema {kind} > schemas/{kind}.schema.json"


@pytest.mark.parametrize(
    ("kind", "path"), [(k, p) for k, paths in FILES.items() for p in paths], ids=lambda v: getattr(v, "name", v)
)
def test_every_bundled_file_validates(kind, path):
    errors = [e.message for e in _validator(kind).iter_errors(_data(path))]
    assert errors == []


def test_there_are_files_of_each_kind():
    assert all(FILES[k] for k in ("rulesets", "applicant", "language-test"))


def test_schema_rejects_a_misspelt_ruleset_key():
    data = _data(FILES["rulesets"][0])
    data["parameters"]["min_qualifying_hours"]["citaton"] = data["parameters"]["min_qualifying_hours"].pop("citation")
    messages = " ".join(e.message for e in _validator("rulesets").iter_errors(data))
    assert "citaton" in messages


def test_schema_rejects_an_applicant_with_a_string_for_hours():
    data = _data(FILES["applicant"][0])
    data["work_history"][0]["hours_per_week"] = "forty"
    assert list(_validator("applicant").iter_errors(data))
