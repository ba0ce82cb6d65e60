"""`cec schema`: JSON Schema for ruleset, applicant and test-case files, from the pydantic models,
so that an editor with the YAML language server completes and checks them as they are typed."""

from __future__ import annotations

import json

import click

from cec_rules.engine.cases import Case
from cec_rules.engine.model import Ruleset
from cec_rules.facts.tables import LanguageTest
from cec_rules.facts.applicant import Applicant

SCHEMAS = {
    "rulesets": (Ruleset, "A cec-rules ruleset edition (rulesets/<program>/<edition>/ruleset.yaml)"),
    "applicant": (Applicant, "An applicant record for cec-rules (input contract)"),
    "cases": (Case, "A list of cec-rules test cases (rulesets/<program>/<edition>/tests/*.yaml)"),
    "language-test": (LanguageTest, "A language test's score tables (rulesets/data/language/*.yaml)"),
}


def schema_for(kind: str) -> dict:
    """The JSON Schema document for one kind of file."""
    model, title = SCHEMAS[kind]
    schema = model.model_json_schema(by_alias=True)
    if kind == "cases":
        schema = {
            "type": "array",
            "items": {"$ref": "#/$defs/Case"},
            "$defs": {**schema.pop("$defs", {}), "Case": schema},
        }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}


@click.command(name="schema")
@click.argument("kind", type=click.Choice(sorted(SCHEMAS)))
def schema_command(kind: str) -> None:
    """Print the JSON Schema for KIND of file (see docs/editor-setup.md)."""
    click.echo(json.dumps(schema_for(kind), indent=2, sort_keys=True))
