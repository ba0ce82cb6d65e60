"""Points in the ruleset language (issue 9, item 2): decision tables, awards, factor and group caps, the total,
undetermined factors, the final-phase pass mark, the decision's score (JSON and text) and the decision-pattern
cache, on the test-only `pts` program (tests/points_program.py, tests/fixtures/points)."""

from __future__ import annotations

import json

import pytest

from cec_rules.cli.explain import explanation_text
from cec_rules.cli.render import decision_text
from cec_rules.engine.cases import Expectation, compare
from cec_rules.engine.errors import EngineError
from cec_rules.engine.evaluator import Evaluator
from cec_rules.engine.explanation import scored_explanation
from cec_rules.engine.gains import point_gains
from cec_rules.engine.library import load_library
from cec_rules.engine.pattern_cache import PatternCache
from points_program import FIXTURE, PROGRAM, RULESET, PointsApplicant, copy_fixture
from support import edit

PASSING = dict(spouse_clb=5, canadian_study=True, relative=True)  # 12 + 24 + 23 + 10 = 69


def evaluator_for(root=FIXTURE, cache: bool = True) -> Evaluator:
    evaluator = Evaluator(load_library(root, {"pts": PROGRAM}), "pts")
    evaluator.runtime.patterns = PatternCache() if cache else None
    return evaluator


@pytest.fixture(scope="module")
def pts():
    return evaluator_for()


def points(decision) -> dict:
    return {f.id: f.points for f in decision.score.factors}


def test_each_factor_sums_its_awards(pts):
    decision = pts.evaluate(
        PointsApplicant(age=40, first=(9, 8, 7, 6), second=(7, 7, 7, 7), education="post_secondary")
    )
    assert points(decision) == {
        "age": 7,
        "language_first": 6 + 5 + 4 + 0,
        "language_second": 4,
        "education": 15,
        "adaptability_spouse_language": 0,
        "adaptability_canadian_study": 0,
        "adaptability_relative": 0,
    }
    assert decision.score.total == decision.score.possible_total == 7 + 15 + 4 + 15
    age = decision.score.factors[0]
    assert (age.reason, age.max, age.citation) == ("age 40: 7 points", 12, "IRPR 81")


def test_the_age_table_gives_each_age_its_row(pts):
    expected = {17: 0, 18: 12, 35: 12, 36: 11, 41: 6, 46: 1, 47: 0, 130: 0}
    assert {age: points(pts.evaluate(PointsApplicant(age=age)))["age"] for age in expected} == expected


def test_a_group_cap_limits_its_factors_together(pts):
    score = pts.evaluate(PointsApplicant(**PASSING)).score
    assert [f.points for f in score.factors[-3:]] == [5, 5, 5]
    [cap] = score.caps
    assert (cap.id, cap.points, cap.max, cap.uncapped) == ("adaptability", 10, 10, 15)
    assert score.total == 12 + 24 + 23 + 10


def test_a_factor_is_capped_at_its_max(tmp_path):
    root = copy_fixture(tmp_path)
    edit(root, RULESET, "language_first: {max: 24,", "language_first: {max: 20,")
    score = evaluator_for(root).evaluate(PointsApplicant()).score
    assert points_of(score)["language_first"] == 20
    assert score.total == 12 + 20 + 23


def test_the_total_is_capped_at_the_score_max(tmp_path):
    root = copy_fixture(tmp_path)
    edit(root, RULESET, "score:\n  max: 100", "score:\n  max: 50")
    score = evaluator_for(root).evaluate(PointsApplicant(**PASSING)).score
    assert (score.total, score.possible_total, score.max) == (50, 50, 50)


def points_of(score) -> dict:
    return {f.id: f.points for f in score.factors}


def test_an_undetermined_factor_counts_zero_in_total_and_its_max_in_possible_total(pts):
    decision = pts.evaluate(PointsApplicant(age=None, **PASSING))
    age = decision.score.factors[0]
    assert (age.points, age.reason) == (None, "no date of birth")
    assert age.needs == [{"field": "date_of_birth", "why": "the age on the application date gives up to 12 points"}]
    assert (decision.score.total, decision.score.possible_total) == (57, 69)
    assert decision.to_json()["score"]["factors"][0]["needs"] == age.needs


@pytest.mark.parametrize(
    "applicant, met, reason",
    [
        (PointsApplicant(**PASSING), True, "69 points; 67 needed"),
        (PointsApplicant(), False, "at most 59 points; 67 needed"),
        (PointsApplicant(age=None, **PASSING), None, "between 57 and 69 points; 67 needed"),
        (PointsApplicant(age=None), False, "at most 59 points; 67 needed"),
    ],
)
def test_the_pass_mark_is_met_failed_or_undetermined_by_final_phase_rules(pts, applicant, met, reason):
    decision = pts.evaluate(applicant)
    [criterion] = decision.criteria
    assert (criterion.met, criterion.reason, decision.eligible) == (met, reason, met)
    assert decision.trace[-1]["rule"] in ("pass_mark_reached", "pass_mark_missed", "pass_mark_unsettled")
    shown = decision.trace[-1]["facts"]["score"]
    settled = {"settled"} if decision.score.total == decision.score.possible_total else set()
    assert set(shown) == {"t", "total", "possible_total", "adaptability", *points(decision), *settled}


def test_the_score_fact_says_settled_only_when_its_totals_are_equal(pts):
    """`settled: true` lets a final rule tell a score nothing undetermined can move (durable-rules cannot compare
    total with possible_total); it is absent, not false, while the totals differ."""
    open_score = pts.evaluate(PointsApplicant(age=None, **PASSING)).score.fact()
    assert "settled" not in open_score and (open_score["total"], open_score["possible_total"]) == (57, 69)
    assert pts.evaluate(PointsApplicant(**PASSING)).score.fact()["settled"] is True


def test_the_score_in_the_json_output(pts):
    data = json.loads(pts.evaluate(PointsApplicant(**PASSING)).to_json_line())
    assert list(data) == [
        "applicant_id",
        "program",
        "ruleset",
        "as_of",
        "eligible",
        "criteria",
        "score",
        "derived",
        "trace",
    ]
    score = data["score"]
    assert list(score) == ["total", "possible_total", "max", "factors", "caps"]
    assert (score["total"], score["possible_total"], score["max"]) == (69, 69, 100)
    assert [f["id"] for f in score["factors"]] == [
        "age",
        "language_first",
        "language_second",
        "education",
        "adaptability_spouse_language",
        "adaptability_canadian_study",
        "adaptability_relative",
    ]
    assert score["factors"][0] == {
        "id": "age",
        "points": 12,
        "max": 12,
        "reason": "age 30: 12 points",
        "citation": "IRPR 81",
    }
    assert score["caps"] == [{"id": "adaptability", "points": 10, "max": 10, "uncapped": 15}]


def test_a_decision_without_a_score_section_has_no_score_key(evaluator):
    from support import applicant

    assert "score" not in evaluator.evaluate(applicant()).to_json()


def test_the_text_output_prints_the_grid(pts):
    text = decision_text(pts.evaluate(PointsApplicant(age=None, **PASSING)))
    lines = text.splitlines()
    assert lines[1] == "  [UNDETERMINED] points_grid: between 57 and 69 points; 67 needed  (IRPR 76(1)(a))"
    assert "  points: 57-69 / 100" in lines
    assert any(
        line.split() == ["age", "?", "/", "12", "[UNDETERMINED]", "no", "date", "of", "birth", "(IRPR", "81)"]
        for line in lines
    )
    assert "        needs date_of_birth: the age on the application date gives up to 12 points" in lines
    assert any(line.split()[:5] == ["education", "23", "/", "25", "masters:"] for line in lines)
    assert any(
        line.split() == ["cap", "adaptability", "10", "/", "10", "(15", "before", "the", "cap)"] for line in lines
    )


def test_the_explanation_shows_the_grid(pts):
    decision = pts.evaluate(PointsApplicant(**PASSING))
    doc = {
        "applicant_id": "P-1",
        "program": "pts",
        "edition": "2026-01-01",
        "as_of": "2026-06-01",
        "eligible": True,
        "language": "fr",
        "criteria": [],
        "score": decision.score.to_json(),
    }
    lines = explanation_text(doc).splitlines()
    assert "points: 69 / 100" in lines
    assert any(
        line.split() == ["plafond", "adaptability", "10", "/", "10", "(15", "avant", "le", "plafond)"] for line in lines
    )


def population() -> list[PointsApplicant]:
    """Applicants that share decision patterns but not points: ages on both sides of the pass mark, one
    language level more or less, undetermined ages, adaptability above its cap."""
    applicants = []
    for index, age in enumerate([30, 44, 30, 36, None, 44, 30, 47, None, 38]):
        for first in [(9, 9, 9, 9), (9, 9, 9, 8), (8, 7, 9, 6)]:
            applicants.append(PointsApplicant(id=f"P-{index}-{sum(first)}", age=age, first=first, **PASSING))
            applicants.append(
                PointsApplicant(id=f"Q-{index}-{sum(first)}", age=age, first=first, education="doctoral", relative=True)
            )
    return applicants


def test_cache_on_and_off_decide_byte_identically():
    cached, uncached = evaluator_for(cache=True), evaluator_for(cache=False)
    with_cache = [cached.evaluate(a).to_json_line() for a in population()]
    without = [uncached.evaluate(a).to_json_line() for a in population()]
    assert with_cache == without
    assert cached.runtime.patterns.stats.hits > 0
    outcomes = {json.loads(line)["eligible"] for line in without}
    assert outcomes == {True, False, None}


def test_one_pattern_on_either_side_of_the_pass_mark_is_decided_by_durable_rules_when_its_score_differs():
    """Ages 30 and 44 share a decision pattern (the age table's rows are not in the key), but 30 reaches the
    pass mark and 44 does not: replay checks the score against the pass mark and refuses, so durable-rules
    decides the second; the pattern keeps its latest recording, which the next 44 replays and the next 30 does not."""
    cached, uncached = evaluator_for(cache=True), evaluator_for(cache=False)
    people = [PointsApplicant(id=f"P-{n}", age=age, **PASSING) for n, age in enumerate([30, 44, 44, 30])]
    keys = {
        cached.runtime.patterns.key(
            cached.context(p)[1], cached.plugin.derive(p, p.application_date, None, {}, "t").facts
        )
        for p in people
    }
    decisions = [cached.evaluate(p) for p in people]
    assert len(keys) == 1 and [d.eligible for d in decisions] == [True, False, False, True]
    assert (cached.runtime.patterns.stats.misses, cached.runtime.patterns.stats.hits) == (3, 1)
    assert [d.to_json_line() for d in decisions] == [uncached.evaluate(p).to_json_line() for p in people]


def test_replayed_awards_are_recomputed_from_this_applicants_facts(tmp_path):
    """Where no rule compares the score, applicants of different ages share a decision pattern: the replayed
    award actions compute the table value and the reason from each one's own age."""
    root = copy_fixture(tmp_path)
    text = (root / RULESET).read_text(encoding="utf-8")
    final_rules = text[text.index("  - id: pass_mark_reached") :]
    edit(root, RULESET, final_rules, PERSON_MEETS)
    cached, uncached = evaluator_for(root), evaluator_for(root, cache=False)
    ages = [30, 44, 18, 35]
    decisions = [cached.evaluate(PointsApplicant(age=age)) for age in ages]
    assert cached.runtime.patterns.stats.hits == 3
    assert [d.score.factors[0].reason for d in decisions] == [
        "age 30: 12 points",
        "age 44: 3 points",
        "age 18: 12 points",
        "age 35: 12 points",
    ]
    assert [d.score.total for d in decisions] == [59, 50, 59, 59]
    assert [d.to_json_line() for d in decisions] == [
        uncached.evaluate(PointsApplicant(age=age)).to_json_line() for age in ages
    ]


PERSON_MEETS = """  - id: person_given
    description: Any applicant.
    when:
      - fact: person
    then:
      meet: points_grid
      reason: given
"""


def test_an_input_outside_the_tables_domain_is_an_error_not_a_guess(pts):
    with pytest.raises(
        EngineError, match=r"table 'age_points': input age=200 is outside its declared domain \(integer 0 to 130\)"
    ):
        pts.evaluate(PointsApplicant(age=200))


def test_test_cases_can_expect_points(pts):
    decision = pts.evaluate(PointsApplicant(age=None, **PASSING))
    right = Expectation(score={"total": 57, "possible_total": 69, "age": None, "education": 23, "adaptability": 10})
    assert compare(right, decision) == []
    wrong = Expectation(score={"total": 58, "age": 12, "educaton": 23})
    assert compare(wrong, decision) == [
        "score.total: expected 58, got 57",
        "score.age: expected 12, got None",
        "score.educaton: no such total, factor or cap; known: total, possible_total, age, language_first, "
        "language_second, education, adaptability_spouse_language, adaptability_canadian_study, "
        "adaptability_relative, adaptability",
    ]


def test_the_rules_diff_names_changed_tables_factors_caps_and_total(tmp_path):
    from cec_rules.engine.impact.rules_diff import _compare

    root = copy_fixture(tmp_path)
    edit(root, RULESET, "{when: {age: {eq: 36}}, value: 11}", "{when: {age: {eq: 36}}, value: 10}")
    edit(root, RULESET, "language_first: {max: 24,", "language_first: {max: 20,")
    edit(root, RULESET, "adaptability_relative], max: 10,", "adaptability_relative], max: 8,")
    edit(root, RULESET, "score:\n  max: 100", "score:\n  max: 90")
    old, new = (load_library(r, {"pts": PROGRAM}).programs["pts"][0] for r in (FIXTURE, root))
    changes = {(c["kind"], c["name"]): c["change"] for c in _compare(old, new)}
    assert changes == {
        ("table", "age_points"): "modified (rows)",
        ("factor", "language_first"): "modified (max)",
        ("cap", "adaptability"): "modified (max)",
        ("score", "max"): "100 -> 90",
    }


def test_nested_caps_apply_inner_groups_first():
    """CRS-like skill transferability: C1+C2 <= 50, C3+C4 <= 50, C5 <= 50, all five <= 100."""
    from cec_rules.engine.model import Score
    from cec_rules.engine.score import capped_total

    factor = {"max": 50, "description": "x", "citation": "x"}
    grid = Score.model_validate(
        {
            "max": 1200,
            "factors": {name: factor for name in ("c1", "c2", "c3", "c4", "c5", "core")},
            "caps": [
                {"id": "education", "factors": ["c1", "c2"], "max": 50},
                {"id": "foreign", "factors": ["c3", "c4"], "max": 50},
                {"id": "certificate", "factors": ["c5"], "max": 50},
                {"id": "transferability", "factors": ["c1", "c2", "c3", "c4", "c5"], "max": 100},
            ],
        }
    )
    total, caps = capped_total(grid, {"c1": 50, "c2": 25, "c3": 25, "c4": 13, "c5": 0, "core": 40})
    assert {c.id: (c.points, c.uncapped) for c in caps} == {
        "education": (50, 75),
        "foreign": (38, 38),
        "certificate": (0, 0),
        "transferability": (88, 88),
    }
    assert total == 40 + 88
    total, caps = capped_total(grid, {"c1": 50, "c2": 50, "c3": 50, "c4": 50, "c5": 50, "core": 0})
    assert (total, caps[-1].uncapped) == (100, 150)


def test_the_score_reasons_in_french(pts):
    from cec_rules.engine.score import score_in_lang

    applicant = PointsApplicant(**PASSING)
    decision = pts.evaluate(applicant)
    _, compiled = pts.context(applicant)
    rules = {rule.id: rule for rule in compiled.rules.values()}
    french = score_in_lang(decision.score, rules, PROGRAM.field_types, compiled.units, compiled.parameters, "fr")
    assert [f.reason for f in french.factors[:3]] == [
        "âge 30 : 12 points",
        decision.score.factors[1].reason,
        "aucun point attribué",
    ]
    assert decision.score.factors[0].reason == "age 30: 12 points"


def test_the_library_cache_keeps_tables_and_scores(tmp_path, monkeypatch):
    from cec_rules.engine import library_cache

    monkeypatch.setenv(library_cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(library_cache.CACHE_ENV, raising=False)
    fresh = library_cache.load_library_cached(FIXTURE, {"pts": PROGRAM})
    monkeypatch.setattr(
        library_cache, "load_library", lambda *_: pytest.fail("the second load must come from the cache")
    )
    cached = library_cache.load_library_cached(FIXTURE, {"pts": PROGRAM})
    edition = cached.programs["pts"][0]
    assert (
        edition.ruleset.tables == fresh.programs["pts"][0].ruleset.tables
        and edition.ruleset.score.caps[0].id == "adaptability"
    )
    decision = Evaluator(cached, "pts").evaluate(PointsApplicant(**PASSING))
    assert (decision.score.total, decision.eligible) == (69, True)


# --- `cec explain`: the cheapest ways to gain points (engine/gains.py, engine/explanation.py) -------------------


def gains_of(evaluator, applicant) -> set:
    edition, compiled = evaluator.context(applicant)
    score = evaluator.evaluate(applicant).score
    return {
        (g.factor, f"{g.alias}.{g.field}", g.current, g.proposed, g.gain, g.total, g.passes)
        for g in point_gains(edition.ruleset, compiled.parameters, score)
    }


def test_gains_walk_each_improvable_input_to_its_nearest_better_value(pts):
    # age 40: 7 points, but age is not improvable; writing 7 -> 8 (+1), speaking 6 -> 7 (+4), secondary -> post_secondary (+10)
    applicant = PointsApplicant(age=40, first=(9, 9, 7, 6), education="secondary")
    total = 7 + (6 + 6 + 4 + 0) + 5
    assert gains_of(pts, applicant) == {
        ("language_first", "ability.clb", 7, 8, 1, total + 1, False),
        ("language_first", "ability.clb", 6, 7, 4, total + 4, False),
        ("education", "person.education", "secondary", "post_secondary", 10, total + 10, False),
    }


def test_gains_say_whether_the_new_total_reaches_the_pass_mark(pts):
    applicant = PointsApplicant(first=(9, 9, 8, 7), spouse_clb=5, canadian_study=True)  # 12 + 21 + 23 + 10 = 66
    assert gains_of(pts, applicant) == {
        ("language_first", "ability.clb", 8, 9, 1, 67, True),
        ("language_first", "ability.clb", 7, 8, 1, 67, True),
        ("education", "person.education", "masters", "doctoral", 2, 68, True),
    }


def test_a_factor_in_a_full_cap_group_gains_nothing(tmp_path):
    root = copy_fixture(tmp_path)
    edit(
        root,
        RULESET,
        "  caps:\n",
        "  caps:\n    - {id: languages, factors: [language_first, language_second], max: 24, description: Languages, citation: x}\n",
    )
    applicant = PointsApplicant(first=(9, 9, 9, 8), second=(7, 7, 7, 7))  # 23 + 4 = 27, capped at 24
    assert {g[1] for g in gains_of(evaluator_for(root), applicant)} == {"person.education"}
    assert "ability.clb" in {
        g[1] for g in gains_of(evaluator_for(), applicant)
    }  # without the cap, speaking 8 -> 9 gains


def test_the_explanation_lists_the_gains_in_english_and_french(pts):
    applicant = PointsApplicant(first=(9, 9, 8, 7), spouse_clb=5, canadian_study=True)
    english = scored_explanation(pts, applicant, None, "en", "x")
    assert english["score"]["pass_mark"] == 67
    assert (
        english["score"]["gains"][0]["text"]
        == "+2 point(s) for Education: person.education from masters to doctoral (total 68, reaches the pass mark of 67)"
    )
    text = explanation_text({**english, "language": "en"})
    assert "Cheapest ways to gain points:\n  +2 point(s) for Education" in text
    assert (
        "+1 point(s) for First official language: ability.clb from 8 to 9 (total 67, reaches the pass mark of 67)"
        in text
    )
    french = explanation_text({**scored_explanation(pts, applicant, None, "fr", "x"), "language": "fr"})
    assert (
        "+2 point(s) pour Études : person.education de masters à doctoral (total 68, atteint la note de passage de 67)"
        in french
    )


def test_no_gain_is_proposed_when_every_improvable_input_is_at_its_best(pts):
    applicant = PointsApplicant(age=50, education="doctoral")
    assert gains_of(pts, applicant) == set()
    assert "no single change of a level raises the total" in explanation_text(
        {**scored_explanation(pts, applicant, None, "en", "x"), "language": "en"}
    )
