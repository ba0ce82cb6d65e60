"""Which work counts is rules (issue 9, item 3): the screen phase.

`phase: screen` rules run first, in a session of their own, over the plugin's item facts (for CEC one
`work_period` per period, the study periods and their overlaps), and `exclude` what does not count. These
tests change only YAML (a private copy of the rulesets) and show the decision follow, with no Python
change; and they check that the validator refuses a misused `exclude` with file, line and key path.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.errors import RulesetErrors
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from support import NEW_EDITION, OLD_EDITION, applicant, copy_rulesets, criterion, day, edit, job, line_of, study

REPO = Path(__file__).resolve().parent.parent
STUDY_EXAMPLE = REPO / "examples" / "ineligible-full-time-study.yaml"
STUDY_RULE = "work_during_full_time_study_excluded"
EDITIONS = (NEW_EDITION, OLD_EDITION)


def delete_rule(root: Path, relative: str, rule_id: str) -> None:
    """Remove one rule (from its `- id:` line to the next rule or comment block) from a ruleset file."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"  - id: {rule_id}\n.*?(?=\n  - id: |\n  # |\n\n)", re.S)
    assert len(pattern.findall(text)) == 1, f"{relative}: rule {rule_id} not found once"
    path.write_text(pattern.sub("", text).replace("\n\n\n", "\n\n"), encoding="utf-8")


def evaluate(*args: str):
    result = CliRunner().invoke(cli, ["evaluate", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout)


# --- the acceptance test: deleting a rule changes who is eligible, with no Python change ----------


def test_without_the_full_time_study_rule_the_study_example_is_eligible(tmp_path):
    root = copy_rulesets(tmp_path)
    for relative in EDITIONS:
        delete_rule(root, relative, STUDY_RULE)
    validate = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert validate.exit_code == 0, validate.output

    bundled = evaluate(str(STUDY_EXAMPLE))
    edited = evaluate(str(STUDY_EXAMPLE), "--rulesets", str(root))
    assert bundled["eligible"] is False and edited["eligible"] is True
    assert STUDY_RULE in [firing["rule"] for firing in bundled["trace"]]
    assert STUDY_RULE not in [firing["rule"] for firing in edited["trace"]]
    assert edited["derived"]["periods"][0]["days_counted"] == 1096  # every day of the window counts now


def test_without_the_rule_in_the_2015_edition_work_during_study_counts_there_too(tmp_path):
    root = copy_rulesets(tmp_path)
    delete_rule(root, OLD_EDITION, STUDY_RULE)
    edited = Evaluator(load_bundled_or(root), "cec")
    bundled = Evaluator(load_bundled_or(None), "cec")
    person = applicant(
        application_date="2022-11-01",
        work_history=[job("2174", start="2020-11-02", hours=20)],
        study_history=[study("2019-09-01", "2021-06-30")],
    )
    before, after = bundled.evaluate(person, source="t"), edited.evaluate(person, source="t")
    assert before.edition == after.edition == "2015-01-01"
    all_days = (day("2022-10-31") - day("2020-11-02")).days + 1  # the period's days in the window, to its day before
    assert before.derived["periods"][0]["days_counted"] == all_days - (day("2021-06-30") - day("2020-11-02")).days - 1
    assert after.derived["periods"][0]["days_counted"] == all_days


# --- reasons come from the rules ----------------------------------------------------------------


def test_an_exclusion_reason_is_the_rule_s_text(tmp_path):
    root = copy_rulesets(tmp_path)
    edit(
        root,
        NEW_EDITION,
        "        en: unpaid work is not work\n",
        "        en: volunteering earns no wages, so it is not work\n",
    )
    person = applicant(work_history=[job(start="2024-01-01", paid=False), job(start="2024-01-01", hours=30)])
    bundled = Evaluator(load_bundled_or(None), "cec").evaluate(person, source="t")
    edited = Evaluator(load_bundled_or(root), "cec").evaluate(person, source="t")
    assert bundled.derived["periods"][0]["excluded"] == "unpaid work is not work"
    assert edited.derived["periods"][0]["excluded"] == "volunteering earns no wages, so it is not work"
    assert edited.derived["periods"][1]["excluded"] is None
    assert {k: v for k, v in edited.derived.items() if k != "periods"} == {
        k: v for k, v in bundled.derived.items() if k != "periods"
    }


def test_screen_firings_open_the_trace_with_the_facts_they_matched(evaluator):
    decision = evaluator.evaluate(
        applicant(work_history=[job(start="2024-01-01", self_employed=True, country="US")]), source="t"
    )
    screen = decision.trace[:2]
    assert [f["rule"] for f in screen] == ["self_employment_excluded", "work_outside_qualifying_countries_excluded"]
    assert screen[0]["facts"]["work"]["item"] == 0 and screen[0]["facts"]["work"]["country"] == "US"
    assert (
        decision.derived["periods"][0]["excluded"] == "self-employment does not count"
    )  # the first rule in the file's order
    assert decision.trace[2]["rule"] not in {f["rule"] for f in screen}


def test_study_removes_only_its_own_days(evaluator):
    work = job(start="2024-01-01", end="2024-12-29", hours=30)  # 364 days, 1,560 h
    decision = evaluator.evaluate(
        applicant(
            work_history=[work],
            study_history=[study("2024-01-01", "2024-01-07"), study("2024-06-03", "2024-06-09", full_time=False)],
        ),
        source="t",
    )
    assert decision.derived["periods"][0]["days_counted"] == 357 and decision.derived["qualifying_hours"] == 1530.0
    assert [f["rule"] for f in decision.trace].count(STUDY_RULE) == 1  # the part-time study excludes nothing
    assert criterion(decision, "skilled_work_experience").met is False


def test_a_split_code_is_not_taken_for_an_unskilled_one(evaluator):
    """skilled is null for a code whose counterparts disagree (NOC 2016 6331: 63201 TEER 3 or 65202 TEER 5):
    `skilled: {eq: false}` must not match it; the readings of the code decide (undetermined here)."""
    decision = evaluator.evaluate(
        applicant(work_history=[job("6331", start="2024-01-01", end="2024-12-29", hours=30)]), source="t"
    )
    assert not any(f["rule"].startswith("unskilled") for f in decision.trace)
    assert decision.derived["periods"][0]["counted"] is None


def test_a_code_without_counterpart_is_excluded_by_its_rule_with_a_finding(tmp_path):
    """The bundled correspondence gives every code a counterpart; without one, the rule says why it does not count."""
    root = copy_rulesets(tmp_path)
    table = root / "data" / "noc" / "noc2016_to_2021.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    table.write_text("".join(line for line in lines if not line.startswith("2174,")), encoding="utf-8")
    decision = Evaluator(load_bundled_or(root), "cec").evaluate(
        applicant(work_history=[job("2174", start="2024-01-01", hours=30)]), source="t"
    )
    assert "occupation_without_counterpart_excluded" in [f["rule"] for f in decision.trace]
    assert (
        decision.derived["periods"][0]["excluded"] == "the NOC code has no counterpart in the edition's classification"
    )
    assert any("has no counterpart in the correspondence" in finding for finding in decision.derived["findings"])


def test_the_screen_session_is_decided_once_per_pattern(evaluator, monkeypatch):
    from cec_rules.engine import pattern_cache

    cache = pattern_cache.PatternCache()
    monkeypatch.setattr(evaluator.runtime, "patterns", cache)
    for hours in (20, 25, 35):  # the same patterns: one per work period for the screen, one for the main rules
        evaluator.evaluate(
            applicant(
                work_history=[job(start="2025-01-01", hours=hours), job(start="2024-02-01", paid=False)],
                study_history=[study("2025-03-01", "2025-04-30")],
            ),
            source="t",
        )
    assert (cache.stats.misses, cache.stats.hits) == (2 + 1, 2 * (2 + 1))


# --- validation: the exclude conclusion and the screen phase, with file:line and key path ---------

UNPAID_THEN = "      exclude: {item: work}\n      reason:\n        en: unpaid work is not work\n"
STUDY_THEN = "      exclude: {item: work, during: study}\n"


def unknown_item_alias(root: Path):
    line = edit(root, NEW_EDITION, UNPAID_THEN, UNPAID_THEN.replace("{item: work}", "{item: wrok}"))
    return line, r"rules\[\d+\]\.then\.exclude\.item", ("'wrok'", "did you mean 'work'")


def unknown_during_alias(root: Path):
    line = edit(root, NEW_EDITION, STUDY_THEN, STUDY_THEN.replace("during: study", "during: studies"))
    return line, r"rules\[\d+\]\.then\.exclude\.during", ("'studies'",)


def exclude_outside_the_screen(root: Path):
    edit(root, NEW_EDITION, "    citation: IRPR 73(2)\n    phase: screen\n", "    citation: IRPR 73(2)\n")
    return line_of(root, NEW_EDITION, UNPAID_THEN.splitlines()[0]), r"rules\[\d+\]\.then\.exclude", ("phase: screen",)


def verdict_in_the_screen(root: Path):
    line = (
        edit(
            root,
            NEW_EDITION,
            UNPAID_THEN,
            "      fail: skilled_work_experience\n      reason:\n        en: unpaid work is not work\n",
        )
        - 1
    )
    return line, r"rules\[\d+\]\.then", ("screen concludes only `exclude`",)


def negation_in_the_screen(root: Path):
    old = "      - fact: work_period\n        as: work\n        where:\n          paid: {eq: false}\n"
    line = edit(root, NEW_EDITION, old, old + "      - not: {fact: study_period}\n") + 4
    return line, r"rules\[\d+\]\.when\[1\]\.not", ("cannot use `not`",)


def main_fact_in_the_screen(root: Path):
    old = "      - fact: work_period\n        as: work\n        where:\n          paid: {eq: false}\n"
    line = edit(root, NEW_EDITION, old, old + "      - fact: applicant\n") + 4
    return line, r"rules\[\d+\]\.when\[1\]\.fact", ("'applicant' is not a screen fact",)


def screen_fact_in_the_main_phase(root: Path):
    old = "    when:\n      - fact: applicant\n        where:\n          admissible: {eq: true}\n"
    line = edit(root, NEW_EDITION, old, old + "      - fact: work_period\n") + 4
    return line, r"rules\[\d+\]\.when\[1\]\.fact", ("'work_period' exists only in the screen phase",)


def two_conclusions(root: Path):
    line = edit(root, NEW_EDITION, UNPAID_THEN, "      derive: {fact: x, set: {a: 1}}\n" + UNPAID_THEN)
    return line - 1, r"rules\[\d+\]\.then", ("exactly one of meet, fail, undetermined, derive", "exclude")


BROKEN = [
    unknown_item_alias,
    unknown_during_alias,
    exclude_outside_the_screen,
    verdict_in_the_screen,
    negation_in_the_screen,
    main_fact_in_the_screen,
    screen_fact_in_the_main_phase,
    two_conclusions,
]


@pytest.mark.parametrize("fixture", BROKEN, ids=lambda f: f.__name__)
def test_a_misused_exclude_is_reported_with_file_line_and_key_path(tmp_path, fixture):
    root = copy_rulesets(tmp_path)
    line, key_path, words = fixture(root)
    with pytest.raises(RulesetErrors) as caught:
        load_bundled_or(root)
    problems = [p for p in caught.value.problems if p.path == f"rulesets/{NEW_EDITION}"]
    assert any(
        p.line == line and re.fullmatch(key_path, p.key_path) and all(w in p.message for w in words) for p in problems
    ), "\n".join(str(p) for p in problems)
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2 and f"rulesets/{NEW_EDITION}:{line}:" in result.output


def test_during_needs_a_fact_with_start_and_end(library):
    """A program whose `during` fact had no `end` field: reported at the rule's `during`, with its line."""
    from cec_rules.engine.validator import RulesetChecker
    from cec_rules.facts.cec_program import PROGRAM

    edition = next(e for e in library.programs["cec"] if e.ruleset.edition == "2022-11-16")
    kinds = {
        **PROGRAM.fact_kinds,
        "study_period": {k: v for k, v in PROGRAM.fact_kinds["study_period"].items() if k != "end"},
    }
    problems = RulesetChecker(
        edition.ruleset, "r.yaml", edition.positions, kinds, {}, screen_kinds=PROGRAM.screen_kinds
    ).check()
    (problem,) = [p for p in problems if p.key_path.endswith("exclude.during")]
    assert problem.path == "r.yaml" and problem.line > 0 and "'study_period' has no end" in problem.message


def test_the_bundled_screen_rules_are_valid_and_the_editions_have_the_same_ones(library):
    old, new = (sorted(r.id for r in e.ruleset.rules if r.phase == "screen") for e in library.programs["cec"])
    assert old == new and len(new) == 8
