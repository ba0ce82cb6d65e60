"""The Comprehensive Ranking System as a scoring program (issue 10, item 2): the plugin, its derivation,
and its decision tables as data. The per-factor expectations are the YAML cases beside each edition
(rulesets/crs/<edition>/tests); these tests cover what a case file cannot: editing a copy of the
rulesets, the validator's gap/overlap check on the bundled tables, and the derivation's helpers."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from cec_rules.engine.errors import InputError
from cec_rules.engine.evaluator import Evaluator
from cec_rules.engine.library import load_library
from cec_rules.engine.program import installed_programs
from cec_rules.facts.applicant import Applicant
from cec_rules.facts.crs.education import level_of
from cec_rules.facts.crs.languages import ordered
from cec_rules.facts.crs.plugin import PROGRAM
from support import copy_rulesets, edit, line_of

NEW = "crs/2022-11-16/ruleset.yaml"
RANKING = ["none", "secondary", "one_year", "two_year", "three_year", "two_or_more", "masters", "doctoral"]
CELPIP_7 = {"test": "celpip_general", "date": "2025-01-15", "listening": 7, "reading": 7, "writing": 7, "speaking": 7}


def profile(day: str = "2026-11-01", **fields) -> Applicant:
    """Age 28, no spouse, no credential, CELPIP 7 in all four: 110 + 68 = 178 points."""
    data = {
        "id": "CRS-1",
        "application_date": day,
        "intended_province": "ON",
        "date_of_birth": f"{int(day[:4]) - 28}-01-01",
        "education": [],
        "language_tests": [CELPIP_7],
    }
    data.update(fields)
    return Applicant.model_validate(data)


@pytest.fixture(scope="module")
def crs(library):
    return Evaluator(library, "crs")


def test_crs_is_an_installed_program_with_three_editions(library):
    assert installed_programs()["crs"] is PROGRAM
    assert [e.ruleset.edition for e in library.programs["crs"]] == ["2015-01-01", "2016-11-19", "2022-11-16"]


@pytest.mark.parametrize("day", ["2025-03-24", "2025-03-25"])
@pytest.mark.parametrize("code", ["00012", "21231"])
def test_the_day_arranged_employment_ends_changes_the_total_by_exactly_its_points(crs, day, code):
    """2025-03-24 against 2025-03-25, the same offer: the totals differ by the offer's points on the 24th."""
    offer = {"noc_code": code, "noc_version": 2021, "lmia": True, "full_time": True, "duration_months": None}
    with_offer = crs.evaluate(profile(day, job_offer=offer)).score
    without = crs.evaluate(profile(day)).score
    points = next(f.points for f in with_offer.factors if f.id == "arranged_employment")
    assert with_offer.total - without.total == points
    assert points == ({"00012": 200, "21231": 50}[code] if day == "2025-03-24" else 0)


def test_a_crs_decision_is_json_with_its_score(crs):
    data = json.loads(crs.evaluate(profile()).to_json_line())
    assert data["program"] == "crs" and data["eligible"] is True
    assert data["score"]["total"] == 178 and data["score"]["max"] == 1200
    assert [c["id"] for c in data["score"]["caps"]] == [
        "education_transferability",
        "foreign_work_transferability",
        "skill_transferability",
        "additional_points",
    ]


def test_editing_a_table_row_in_a_copy_changes_the_score_without_python(tmp_path):
    root = copy_rulesets(tmp_path, ("cec", "crs"))
    edit(
        root,
        NEW,
        "{when: {age: {gte: 20, lte: 29}, with_spouse: {eq: false}}, value: 110}",
        "{when: {age: {gte: 20, lte: 29}, with_spouse: {eq: false}}, value: 100}",
    )
    decision = Evaluator(load_library(root, installed_programs()), "crs").evaluate(profile())
    assert decision.score.total == 168


def test_a_gap_in_a_bundled_table_is_reported_with_file_and_line(tmp_path):
    root = copy_rulesets(tmp_path, ("cec", "crs"))
    edit(root, NEW, "      - {when: {age: {eq: 36}, with_spouse: {eq: true}}, value: 65}\n", "")
    library = load_library(root, installed_programs())
    assert "cec" in library.programs and "crs" not in library.programs  # one program's problem never stops another
    table_line = line_of(root, NEW, "  age_points:")
    problems = library.unavailable["crs"]
    assert any(
        p.path.endswith(NEW) and p.line == table_line and "age 36" in p.message and "covered by no row" in p.message
        for p in problems
    ), problems


def test_an_overlap_in_a_bundled_table_names_both_rows(tmp_path):
    root = copy_rulesets(tmp_path, ("cec", "crs"))
    edit(
        root,
        NEW,
        "{when: {clb: {gte: 5, lte: 6}}, value: 1}\n      - {when: {clb: {gte: 7, lte: 8}}, value: 3}\n      - {when: {clb: {gte: 9}}, value: 6}",
        "{when: {clb: {gte: 5, lte: 7}}, value: 1}\n      - {when: {clb: {gte: 7, lte: 8}}, value: 3}\n      - {when: {clb: {gte: 9}}, value: 6}",
    )
    problems = load_library(root, installed_programs()).unavailable["crs"]
    assert any("clb 7" in p.message and "rows[1]" in p.message and "rows[2]" in p.message for p in problems), problems


def test_a_date_of_birth_after_the_assessment_date_is_an_input_error(crs):
    with pytest.raises(InputError) as caught:
        crs.evaluate(profile(date_of_birth="2027-01-01"))
    assert caught.value.field == "date_of_birth"


def test_an_unknown_job_offer_code_names_its_field(crs):
    offer = {"noc_code": "99999", "noc_version": 2021, "lmia": True, "full_time": True}
    with pytest.raises(InputError) as caught:
        crs.evaluate(profile(job_offer=offer))
    assert caught.value.field == "job_offer.noc_code"


def test_an_unknown_code_in_the_spouses_work_names_the_spouses_field(crs):
    work = {
        "noc_code": "99999",
        "noc_version": 2021,
        "country": "CA",
        "start": "2025-01-06",
        "end": "2026-01-04",
        "hours_per_week": 30,
        "paid": True,
        "self_employed": False,
        "authorized": True,
    }
    with pytest.raises(InputError) as caught:
        crs.evaluate(profile(spouse={"accompanying": True, "education": [], "work_history": [work]}))
    assert caught.value.field == "spouse.work_history[0].noc_code"


def credential(level: str, years: int | None = None):
    return SimpleNamespace(level=level, years=years)


@pytest.mark.parametrize(
    "credentials, level",
    [
        ([], "none"),
        ([credential("secondary")], "secondary"),
        ([credential("post_secondary", 2), credential("post_secondary", 1)], "two_year"),
        ([credential("post_secondary", 3), credential("post_secondary", 1)], "two_or_more"),
        ([credential("post_secondary", 3), credential("masters")], "masters"),
        ([credential("professional_degree")], "masters"),
        ([credential("post_secondary", 0)], "none"),
    ],
)
def test_the_highest_education_level(credentials, level):
    found = level_of(list(enumerate(credentials)), RANKING, "education")
    assert (found.level, found.settled) == (level, True)


def test_a_program_length_that_decides_the_level_is_asked_for_not_guessed():
    found = level_of(list(enumerate([credential("secondary"), credential("post_secondary")])), RANKING, "education")
    assert (found.settled, found.field) == (False, "education[1].years")
    assert "one_year or three_year" in found.why


def result(language: str, levels: tuple[int, int, int, int], day: int = 1):
    names = ("listening", "reading", "writing", "speaking")
    return SimpleNamespace(
        test=SimpleNamespace(language=language), levels=dict(zip(names, levels)), lowest=min(levels), date=day
    )


@pytest.mark.parametrize(
    "english, french, on_tie, first",
    [
        ((7, 7, 7, 7), (8, 8, 8, 8), "english", "french"),  # higher sum
        ((9, 9, 7, 7), (8, 8, 8, 8), "english", "french"),  # equal sums: higher lowest
        ((8, 8, 8, 8), (8, 8, 8, 8), "english", "english"),  # full tie: the parameter
        ((8, 8, 8, 8), (8, 8, 8, 8), "french", "french"),
    ],
)
def test_the_first_official_language(english, french, on_tie, first):
    assert ordered([result("english", english), result("french", french)], on_tie)[0].test.language == first


def test_of_several_results_in_one_language_the_one_worth_more_counts():
    """The candidate enters one result per language: the one the grid pays more for, not the one with the
    higher lowest ability (branch crs-grid); on equal points the higher lowest ability, then the later."""
    worth = lambda first, others: (
        sum(first.levels.values()) + sum(min(level, 6) for r in others for level in r.levels.values())
    )
    even, uneven = result("english", (8, 8, 8, 8), 2), result("english", (10, 10, 10, 6), 1)
    assert ordered([even, uneven], "english", worth) == [uneven]
    assert ordered([even, uneven], "english") == [even]  # no points to tell them apart: the higher lowest ability
    french = result("french", (9, 9, 9, 4))
    assert ordered([even, french, uneven], "english", worth) == [uneven, french]
    later = result("english", (8, 8, 8, 8), 3)
    assert ordered([even, later], "english", lambda first, others: 1) == [later]


def test_every_crs_case_is_decided_the_same_with_the_pattern_cache_on_and_off(library, monkeypatch):
    """Replayed firings recompute the table values from each applicant's own facts: the score must not
    come from the first applicant of a pattern (every case twice, so the second round replays)."""
    from cec_rules.engine import pattern_cache
    from cec_rules.engine.cases import applicant_data, load_cases
    from support import REPO

    cases = [c for path in sorted(REPO.glob("rulesets/crs/*/tests/*.yaml")) for c in load_cases(path)[0]]
    runs = {}
    for setting in ("0", "1"):
        monkeypatch.setenv(pattern_cache.CACHE_ENV, setting)
        evaluator = Evaluator(library, "crs")
        runs[setting] = [
            evaluator.evaluate(PROGRAM.read_applicant(*applicant_data(c), None), c.case.as_of).to_json_line()
            for _ in range(2)
            for c in cases
        ]
    assert evaluator.runtime.patterns.stats.hits > 0
    assert runs["0"] == runs["1"]


def test_explain_names_the_language_levels_that_would_gain_points():
    """`cec explain --program crs`: the grid's language tables mark the CLB level improvable, so the
    explanation proposes the next level per ability, named by the CRS's own wording."""
    from click.testing import CliRunner

    from cec_rules.cli.main import cli

    example = Path(__file__).resolve().parent.parent / "examples" / "eligible.yaml"
    result = CliRunner().invoke(cli, ["explain", "--program", "crs", str(example)])
    assert result.exit_code == 0, result.output
    assert "Cheapest ways to gain points:" in result.output
    assert "CLB 10 in listening (first official language)" in result.output
