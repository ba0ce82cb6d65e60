"""Documentation examples are run: every YAML block in README.md and docs/ parses with the strict loader,
and the blocks that show rules, parameters, criteria or an applicant validate against the real models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cec_rules.engine.model import Criterion, Parameter, Rule, Score, Table
from cec_rules.engine.yaml_source import load_yaml
from cec_rules.facts.applicant import Applicant

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def _yaml_blocks():
    for path in DOCS:
        for index, block in enumerate(re.findall(r"```yaml\n(.*?)```", path.read_text(), flags=re.S)):
            yield pytest.param(path, block, id=f"{path.name}-{index}")


@pytest.mark.parametrize(("path", "block"), list(_yaml_blocks()))
def test_yaml_examples_parse_and_validate(path, block):
    data, _ = load_yaml(block, str(path))
    if not isinstance(data, dict):
        return
    for rule in data.get("rules", []):
        Rule.model_validate(rule)
    for parameter in data.get("parameters", {}).values():
        Parameter.model_validate(parameter)
    for criterion in data.get("criteria", {}).values():
        Criterion.model_validate(criterion)
    for table in data.get("tables", {}).values():
        Table.model_validate(table)
    if "score" in data:
        Score.model_validate(data["score"])
    if "application_date" in data:
        Applicant.model_validate(data)


def test_docs_have_yaml_examples():
    assert len(list(_yaml_blocks())) >= 5
