"""A rule that matches a fact kind and says `not:` of it (engine/negations.py): what durable-rules does with
it, and the validator's refusal of the shape it gets wrong."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.evaluator import load_bundled_or
from cec_rules.engine.model import FactPattern
from cec_rules.facts.reading import applicant_from_data

from support import REPO

RULE = "experience_and_language_never_together"
SOURCE = "<test>"
# 5232 -> 53121 (TEER 3) or 55109 (TEER 5); 0112 -> TEER 0, 1, 3 or 2. At CLB 6 one reading passes the language
# with 2,262.85 h (eligible in it), others pass it with 790 h: undetermined, never "never together"
# (rulesets/cec/2022-11-16/tests/never-together.yaml, the third case).
BOTH = {
    "id": "NT22-both",
    "application_date": "2023-03-25",
    "intended_province": "ON",
    "language_tests": [
        {"test": "celpip_general", "date": "2023-02-21", "listening": 7, "reading": 6, "writing": 6, "speaking": 6}
    ],
    "work_history": [
        {
            "noc_code": "5232",
            "noc_version": 2016,
            "country": "CA",
            "start": "2021-07-21",
            "end": "2023-03-24",
            "hours_per_week": 20,
            "paid": True,
            "self_employed": False,
            "authorized": True,
        },
        {
            "noc_code": "0112",
            "noc_version": 2016,
            "country": "CA",
            "start": "2021-04-28",
            "end": "2021-10-26",
            "hours_per_week": 40,
            "paid": True,
            "self_employed": False,
            "authorized": True,
        },
    ],
    "study_history": [],
}


def with_plain_positive(edition):
    """The edition with the rule's positive `language_reading_passed` pattern left without its `where`: the
    shape the validator refuses (it is built here from the validated model, past the validator)."""
    rules = []
    for rule in edition.ruleset.rules:
        if rule.id == RULE:
            when = [
                FactPattern.model_validate({"fact": p.fact})
                if isinstance(p, FactPattern) and p.fact == "language_reading_passed"
                else p
                for p in rule.when
            ]
            rule = rule.model_copy(update={"when": when})
        rules.append(rule)
    return dataclasses.replace(edition, ruleset=edition.ruleset.model_copy(update={"rules": rules}), sha256="0" * 64)


def test_durable_rules_misses_a_negated_fact_the_rules_other_pattern_matches(evaluator):
    """Why the validator refuses the shape: durable-rules fires the rule although a passed reading that may reach
    the hours exists. If this starts to fail, durable-rules decides the shape right and the refusal can go."""
    applicant = applicant_from_data(BOTH, SOURCE)
    edition = evaluator.edition_for(dt.date(2023, 3, 25), SOURCE)
    assert evaluator.evaluate(applicant, source=SOURCE).eligible is None
    wrong = evaluator.evaluate(applicant, source=SOURCE, edition=with_plain_positive(edition))
    assert [sorted(record.criteria) for record in wrong.not_together] == [
        ["language_proficiency", "skilled_work_experience"]
    ]
    assert wrong.eligible is False


def problems_after(tmp_path, old: str, new: str) -> list[str]:
    """`cec rulesets validate`'s problem lines for the bundled rulesets with one edit in CEC 2022."""
    target = tmp_path / "rulesets"
    shutil.copytree(REPO / "rulesets", target)
    path = target / "cec" / "2022-11-16" / "ruleset.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(target)])
    assert result.exit_code == 2, result.output
    return [row for row in result.output.splitlines() if row.startswith(str(path))]


SHORT = "      - fact: language_reading_passed  # (short of the hours"


def test_the_validator_refuses_a_negation_the_rules_other_pattern_overlaps(tmp_path):
    text = (REPO / "rulesets/cec/2022-11-16/ruleset.yaml").read_text(encoding="utf-8")
    start = text.index(SHORT)
    end = text.index("      - not:", start)
    problems = problems_after(tmp_path, text[start:end], "      - fact: language_reading_passed\n")
    assert len(problems) == 1, problems
    line = text[:start].count("\n") + 2  # the `- not:` after the edited pattern
    assert (
        f"ruleset.yaml:{line}:9: rules[{_index(RULE)}].when[3].not: rule {RULE!r} matches fact 'language_reading_passed' and says `not:` of it"
        in problems[0]
    )


def test_an_overlapping_comparison_is_refused_too(tmp_path):
    """`lte` beside the `not:`'s `gte`: a reading with exactly the minimum meets both patterns."""
    problems = problems_after(
        tmp_path,
        "          most_hours: {lt: {param: min_qualifying_hours}}",
        "          most_hours: {lte: {param: min_qualifying_hours}}",
    )
    assert len(problems) == 1 and f": rules[{_index(RULE)}].when[3].not: " in problems[0], problems


def test_exclusive_patterns_and_joins_are_accepted():
    """The bundled rules: exclusive comparisons (this rule, FST, FSW, the pool) and joins only (CEC's
    `not: language_requirement` with `level: {gt: {ref: required.level}}`)."""
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(REPO / "rulesets")])
    assert result.exit_code == 0 and result.output.startswith("ok: "), result.output


def _index(rule_id: str) -> int:
    edition = load_bundled_or(None).edition_for("cec", dt.date(2023, 3, 25))
    return next(i for i, rule in enumerate(edition.ruleset.rules) if rule.id == rule_id)
