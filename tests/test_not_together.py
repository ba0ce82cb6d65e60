"""`not_together: [A, B, ...]` (docs/ruleset-language.md): a rule says that in every reading of the input at least
one of those criteria is unmet, so each may stay undetermined while the decision is not eligible. Checked here:
validation (file:line, key path), the decision (eligible, unmet, JSON only when one fired), the runtime check
that its criteria are not all met, replay by the pattern cache, the static conflict analysis, and every place
that shows a decision (text, French, CSV, batch summary, explanations, a consumed decision's facts)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cec_rules.cli.explain import explanation_text
from cec_rules.cli.main import cli
from cec_rules.engine import pattern_cache
from cec_rules.engine.batch.summary import count_outcome, new_counts
from cec_rules.engine.batch.tabular import csv_row
from cec_rules.engine.cases import applicant_data, load_cases
from cec_rules.engine.chaining import decision_facts, summary
from cec_rules.engine.conflicts import contradiction_problems, verdict
from cec_rules.engine.decision import CriterionResult, Decision, NotTogether
from cec_rules.engine.errors import EngineError
from cec_rules.engine.evaluator import Evaluator, _not_together, load_bundled_or
from cec_rules.engine.runtime import RunResult
from cec_rules.facts.fst.plugin import PROGRAM
from support import REPO, copy_rulesets, edit

FST = "fst/2022-11-16/ruleset.yaml"
TOGETHER_LINE = "      not_together: [skilled_trade_experience, settlement_funds]\n"
CASES = sorted(REPO.glob("rulesets/fst/*/tests/*.yaml"))
OTHER_TRADE = {  # self-employed as 72200 (five years), an LMIA offer as 72201, 1,000 CAD: each criterion open, never together
    "id": "NT-1",
    "application_date": "2026-11-01",
    "intended_province": "ON",
    "language_tests": [
        {
            "test": "ielts_general",
            "date": "2025-06-01",
            "listening": 5.0,
            "reading": 3.5,
            "writing": 4.0,
            "speaking": 5.0,
        }
    ],
    "work_history": [
        {
            "noc_code": "72200",
            "noc_version": 2021,
            "country": "CA",
            "start": "2021-11-01",
            "end": None,
            "hours_per_week": 30,
            "paid": True,
            "self_employed": True,
            "authorized": True,
        }
    ],
    "job_offer": {"noc_code": "72201", "noc_version": 2021, "lmia": True, "full_time": True, "duration_months": None},
    "settlement_funds": 1000,
    "family_size": 2,
}


def _decision(mets: list, together: list[tuple[str, ...]]) -> Decision:
    criteria = [CriterionResult(f"c{i}", met, "r", "IRPR") for i, met in enumerate(mets)]
    records = [NotTogether(criteria, "never both", "IRPR 1", "rule_x") for criteria in together]
    return Decision("A-1", "fst", "fst", "2022-11-16", "sha", "2026-11-01", criteria, {}, not_together=records)


@pytest.fixture(scope="module")
def applicant_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("not_together") / "other-trade.json"
    path.write_text(json.dumps(OTHER_TRADE))
    return path


# --- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "listed, words, at",
    [
        (
            "[skilled_trade_experience, settlement_fund]",
            ("unknown criterion 'settlement_fund'", "did you mean 'settlement_funds'"),
            "not_together[1]",
        ),
        ("[settlement_funds, settlement_funds]", ("criterion 'settlement_funds' is named twice",), "not_together[1]"),
        ("[settlement_funds]", ("names 1 criterion; it needs at least two",), "not_together"),
    ],
)
def test_a_bad_not_together_is_reported_with_file_line_and_key_path(tmp_path, listed, words, at):
    root = copy_rulesets(tmp_path, ("fst",))
    line = edit(root, FST, TOGETHER_LINE, f"      not_together: {listed}\n")
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2
    problem = next(text for text in result.stderr.splitlines() if words[0] in text)
    assert f"rulesets/{FST}:{line}:" in problem and f".then.{at}" in problem and all(word in problem for word in words)


def test_a_misspelt_not_together_is_an_unknown_key_with_did_you_mean(tmp_path):
    root = copy_rulesets(tmp_path, ("fst",))
    line = edit(root, FST, TOGETHER_LINE, TOGETHER_LINE.replace("not_together", "not_togeter"))
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2
    assert (
        f"rulesets/{FST}:{line}:7:" in result.stderr
        and "unknown key 'not_togeter' (did you mean 'not_together'?)" in result.stderr
    )


def test_a_not_together_needs_a_reason(tmp_path):
    root = copy_rulesets(tmp_path, ("fst",))
    text = (root / FST).read_text(encoding="utf-8")
    start = text.index(TOGETHER_LINE) + len(TOGETHER_LINE)
    end = text.index("  - id:", start)
    (root / FST).write_text(text[:start] + text[end:], encoding="utf-8")
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2 and "a not_together conclusion needs a reason" in result.stderr


def test_a_not_together_rule_concludes_no_criterion_for_the_conflict_analysis():
    """The analysis compares meet/fail/undetermined rules of one criterion; a not_together rule is none of them,
    and FST's rules (with three of them) have no conflict."""
    edition = load_bundled_or(None).edition_for("fst", dt.date(2026, 11, 1))
    rules = [rule for rule in edition.ruleset.rules if rule.then.not_together]
    assert len(rules) == 3 and all(verdict(rule) is None and rule.then.criterion is None for rule in rules)
    assert contradiction_problems(edition.ruleset, "fst.yaml", _NoPositions(), PROGRAM.field_relations) == []


class _NoPositions:
    def find(self, key_path):
        return 0, 0


# --- the decision ----------------------------------------------------------------------------------


def test_a_fired_not_together_makes_the_decision_not_eligible_and_says_why():
    decision = _decision([True, None, None], [("c1", "c2")])
    assert decision.eligible is False
    assert decision.unmet == ["not_together:c1+c2"] and decision.undetermined == ["c1", "c2"]
    assert decision.verdict() == (False, ("not_together:c1+c2",), ("c1", "c2"))
    data = decision.to_json()
    assert list(data)[:7] == ["applicant_id", "program", "ruleset", "as_of", "eligible", "criteria", "not_together"]
    assert data["not_together"] == [{"criteria": ["c1", "c2"], "reason": "never both", "citation": "IRPR 1"}]


def test_without_a_not_together_the_json_has_no_such_key():
    decision = _decision([True, None], [])
    assert decision.eligible is None and "not_together" not in decision.to_json()


def test_a_not_together_whose_criteria_are_all_met_is_an_engine_error_naming_the_rule():
    criteria = [
        CriterionResult("a", True, "r", "IRPR"),
        CriterionResult("b", True, "r", "IRPR"),
        CriterionResult("c", False, "r", "IRPR"),
    ]
    result = RunResult(
        not_together=[NotTogether(("a", "c"), "x", None, "fine"), NotTogether(("a", "b"), "y", None, "wrong_rule")]
    )
    with pytest.raises(EngineError, match="rule 'wrong_rule' concluded not_together for a, b, which are all met"):
        _not_together(result, criteria)


def test_the_same_record_from_several_firings_is_shown_once():
    record = NotTogether(("a", "b"), "x", None, "rule")
    result = RunResult(
        not_together=[record, NotTogether(("a", "b"), "x", None, "rule"), NotTogether(("a", "b"), "z", None, "rule")]
    )
    assert [
        r.reason
        for r in _not_together(
            result, [CriterionResult("a", None, "r", "IRPR"), CriterionResult("b", None, "r", "IRPR")]
        )
    ] == ["x", "z"]


# --- replay --------------------------------------------------------------------------------------


def test_fst_cases_decide_byte_for_byte_the_same_with_the_pattern_cache_on_and_off(monkeypatch):
    """Each FST case decided twice (the second time replayed), cache on and off: the same lines, with the
    not_together records among them."""
    library = load_bundled_or(None)
    cases = [c for path in CASES for c in load_cases(path)[0]]
    runs = {}
    for setting in ("0", "1"):
        monkeypatch.setenv(pattern_cache.CACHE_ENV, setting)
        evaluator = Evaluator(library, "fst")
        runs[setting] = [
            evaluator.evaluate(PROGRAM.read_applicant(*applicant_data(c), None), c.case.as_of).to_json_line()
            for _ in range(2)
            for c in cases
        ]
    assert evaluator.runtime.patterns.stats.hits > len(cases) // 2
    assert sum('"not_together"' in line for line in runs["1"]) >= 16
    assert runs["0"] == runs["1"]


# --- what shows a decision ------------------------------------------------------------------------


def test_the_text_shows_each_not_together_in_english_and_french(applicant_file):
    english = CliRunner().invoke(cli, ["evaluate", str(applicant_file), "--program", "fst"])
    french = CliRunner().invoke(cli, ["evaluate", str(applicant_file), "--program", "fst", "--lang", "fr"])
    assert english.exit_code == 0 and french.exit_code == 0
    assert "NOT ELIGIBLE" in english.output
    assert (
        "[NEVER MET TOGETHER] skilled_trade_experience + offer_or_certificate: a qualifying job offer as 72201"
        in english.output
    )
    assert "[JAMAIS REMPLIS ENSEMBLE] skilled_trade_experience + settlement_funds: seulement 1" in french.output
    assert "ne dispense que si aucun métier n'a les heures" in french.output
    assert "(RIPR 87.2(5)" in french.output


def test_the_json_line_lists_the_records(applicant_file):
    result = CliRunner().invoke(cli, ["evaluate", str(applicant_file), "--program", "fst", "--format", "json"])
    data = json.loads(result.output)
    assert data["eligible"] is False and not [c for c in data["criteria"] if c["met"] is False]
    assert [r["criteria"] for r in data["not_together"]] == [
        ["skilled_trade_experience", "offer_or_certificate"],
        ["skilled_trade_experience", "settlement_funds"],
    ]


def test_csv_summary_and_consumed_facts_name_the_group_as_unmet():
    decision = _decision([True, None, None], [("c1", "c2")])
    row = csv_row(decision, PROGRAM)
    assert row.split(",")[1:4] == ["false", "not_together:c1+c2", "c1;c2"] and "| not_together:c1+c2: never both" in row
    counts = new_counts()
    eligible, unmet, undetermined = decision.verdict()
    count_outcome(counts, (eligible, unmet, decision.edition, undetermined, ()))
    assert counts["ineligible"] == 1 and counts["unmet_by_criterion"] == {"not_together:c1+c2": 1}
    fact = decision_facts("fst", decision, None)[0]
    assert (fact["outcome"], fact["unmet"]) == ("ineligible", "not_together:c1+c2")
    assert summary(decision, None)["unmet"] == ["not_together:c1+c2"]


def test_an_explanation_shows_each_not_together():
    doc = {
        "applicant_id": "A-1",
        "program": "fst",
        "edition": "2022-11-16",
        "as_of": "2026-11-01",
        "eligible": False,
        "language": "en",
        "criteria": [],
        "not_together": [{"criteria": ["c1", "c2"], "reason": "never both", "citation": "IRPR 1"}],
    }
    assert "[NEVER MET TOGETHER] c1 + c2 (IRPR 1)\n  Why: never both" in explanation_text(doc)


def test_cec_explain_shows_a_not_together_in_english_and_french(tmp_path):
    """A rule added to a copy of CEC's rulesets, for an applicant intending to live in Quebec (so the claim
    holds: outside_quebec is unmet): `cec explain` says it, with the reason in each language."""
    root = copy_rulesets(tmp_path, ("cec",))
    anchor = "  - id: not_found_inadmissible\n"
    edit(
        root,
        "cec/2022-11-16/ruleset.yaml",
        anchor,
        """  - id: quebec_and_admissibility_never_together
    description: A test rule.
    citation: IRPR 87.1(1)
    when:
      - fact: applicant
        where:
          intended_province: {in: {param: excluded_provinces}}
    then:
      not_together: [outside_quebec, admissibility]
      reason: {en: "intends to live in {applicant.intended_province}", fr: "résidence prévue : {applicant.intended_province}"}
"""
        + anchor,
    )
    quebec = tmp_path / "quebec.yaml"
    quebec.write_text(
        (REPO / "examples" / "eligible.yaml").read_text().replace('intended_province: "ON"', 'intended_province: "QC"')
    )
    for lang, words in (
        ("en", "[NEVER MET TOGETHER] outside_quebec + admissibility (IRPR 87.1(1))\n  Why: intends to live in QC"),
        (
            "fr",
            "[JAMAIS REMPLIS ENSEMBLE] outside_quebec + admissibility (RIPR 87.1(1))\n  Motif: résidence prévue : QC",
        ),
    ):
        result = CliRunner().invoke(cli, ["explain", "--rulesets", str(root), "--lang", lang, str(quebec)])
        assert result.exit_code == 0, result.output
        assert words in result.output
