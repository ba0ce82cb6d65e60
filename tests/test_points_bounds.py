"""The bounds of an undetermined factor (`possible_points`, engine/possible_points.py): the least and the most
points the readings the input leaves open can give, instead of 0 and the factor's maximum; on the test-only `pts`
program (tests/points_program.py), whose `age_unknown` rule each test gives a `possible_points`, and on the
computation itself (decision tables, the widest of several firings, caps)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cec_rules.cli.render import decision_text
from cec_rules.engine.cases import Expectation, compare
from cec_rules.engine.chaining import decision_facts, score_of
from cec_rules.engine.decision_tables import TableError, table_range
from cec_rules.engine.errors import EngineError
from cec_rules.engine.gains import point_gains
from cec_rules.engine.model import Score, Table
from cec_rules.engine.score import PointsUnknown, compute_score
from points_program import RULESET, PointsApplicant, copy_fixture
from support import edit
from test_points import PASSING, evaluator_for

AGE_RULE = "      undetermined_points: age\n"
UNKNOWN_AGE = PointsApplicant(age=None, **PASSING)  # 57 certain: every factor but the age (12 at most)


def bounded(tmp_path, possible: str, parameter: str = ""):
    """The `pts` evaluator with `possible_points: POSSIBLE` on its `age_unknown` rule (and `parameter` declared)."""
    root = copy_fixture(tmp_path)
    edit(root, RULESET, AGE_RULE, AGE_RULE + f"      possible_points: {possible}\n")
    if parameter:
        edit(root, RULESET, "parameters:\n", "parameters:\n" + parameter)
    return evaluator_for(root), evaluator_for(root, cache=False)


def test_a_table_range_bounds_the_factor_and_both_totals(tmp_path):
    pts, _ = bounded(tmp_path, "{table: age_points, inputs: {age: {from: 36, to: 40}}}")
    decision = pts.evaluate(UNKNOWN_AGE)
    age = decision.score.factors[0]
    assert (age.points, age.between, age.needs[0]["field"]) == (None, (7, 11), "date_of_birth")
    assert (decision.score.total, decision.score.possible_total) == (57 + 7, 57 + 11)
    assert decision.criteria[0].reason == "between 64 and 68 points; 67 needed"
    assert decision.score.fact()["age"] == 7  # the score fact holds an open factor's least points, as `total` does
    shown = json.loads(decision.to_json_line())["score"]["factors"][0]
    assert list(shown) == ["id", "points", "max", "between", "reason", "citation", "needs"] and shown["between"] == [
        7,
        11,
    ]
    assert "age                              7-11 / 12   [UNDETERMINED] no date of birth" in decision_text(decision)


def test_bounds_that_reach_the_pass_mark_in_every_reading_meet_it(tmp_path):
    pts, _ = bounded(tmp_path, "{table: age_points, inputs: {age: {from: 18, to: 36}}}")
    decision = pts.evaluate(UNKNOWN_AGE)
    assert (decision.score.factors[0].between, decision.score.total, decision.score.possible_total) == (
        (11, 12),
        68,
        69,
    )
    assert (decision.eligible, decision.criteria[0].reason) == (True, "68 points; 67 needed")
    assert decision.score.factors[0].points is None  # the factor itself stays open: its input is still missing


def test_without_possible_points_an_open_factor_is_0_to_its_max_and_shows_no_between():
    decision = evaluator_for().evaluate(UNKNOWN_AGE)
    assert (decision.score.factors[0].between, decision.score.total, decision.score.possible_total) == ((0, 12), 57, 69)
    assert "between" not in json.loads(decision.to_json_line())["score"]["factors"][0]
    assert "age                                 ? / 12" in decision_text(decision)


BONUS = """  age_bonus:
    description: The most the age can give while it is unknown (a dated value, to test the day in force).
    citation: x
    values:
      "2026-01-01": 12
      "2026-06-01": 0
"""


def test_one_of_reads_the_parameters_in_force_on_the_assessment_day(tmp_path):
    pts, _ = bounded(tmp_path, "{one_of: [0, {param: age_bonus}]}", BONUS)
    before = pts.evaluate(PointsApplicant(age=None, application_date=dt.date(2026, 5, 31), **PASSING))
    after = pts.evaluate(PointsApplicant(age=None, application_date=dt.date(2026, 6, 1), **PASSING))
    assert (before.score.total, before.score.possible_total, before.eligible) == (57, 69, None)
    assert "between" not in json.loads(before.to_json_line())["score"]["factors"][0]
    assert (after.score.total, after.score.possible_total, after.score.fact()["settled"]) == (57, 57, True)
    assert (after.eligible, after.criteria[0].reason) == (False, "at most 57 points; 67 needed")
    assert json.loads(after.to_json_line())["score"]["factors"][0]["between"] == [0, 0]


def test_bounds_above_the_factor_max_are_capped_at_it(tmp_path):
    pts, _ = bounded(tmp_path, "{one_of: [5, 50]}")
    assert pts.evaluate(UNKNOWN_AGE).score.factors[0].between == (5, 12)


def test_replayed_firings_compute_the_bounds_from_this_applicants_facts(tmp_path):
    """Spouses at CLB 5, 6 and 7 share a decision pattern (the rules compare the level with 4 only); each
    applicant's bounds come from its own level, and the cache decides as durable-rules does."""
    cached, uncached = bounded(tmp_path, "{one_of: [0, {ref: person.spouse_clb}]}")
    people = [PointsApplicant(id=f"P-{clb}", age=None, spouse_clb=clb, first=(7, 7, 7, 7)) for clb in (5, 6, 7, 5)]
    decisions = [cached.evaluate(p) for p in people]
    assert [d.score.factors[0].between for d in decisions] == [(0, 5), (0, 6), (0, 7), (0, 5)]
    assert cached.runtime.patterns.stats.hits > 0
    assert [d.to_json_line() for d in decisions] == [uncached.evaluate(p).to_json_line() for p in people]


def test_a_reversed_range_is_an_engine_error_not_a_guess(tmp_path):
    pts, _ = bounded(tmp_path, "{table: age_points, inputs: {age: {from: 40, to: {ref: person.spouse_clb}}}}")
    with pytest.raises(EngineError, match="input age from 40 to 5: the range is reversed"):
        pts.evaluate(PointsApplicant(age=None, spouse_clb=5))


def test_a_range_outside_the_tables_domain_is_an_engine_error_not_a_guess(tmp_path):
    pts, _ = bounded(tmp_path, "{table: age_points, inputs: {age: {from: 36, to: {ref: person.spouse_clb}}}}")
    with pytest.raises(
        EngineError, match=r"input age from 36 to 200 is outside its declared domain \(integer 0 to 130\)"
    ):
        pts.evaluate(PointsApplicant(age=None, spouse_clb=200))


def test_gains_count_an_open_factor_at_its_least_points_as_the_total_does(tmp_path):
    pts, _ = bounded(tmp_path, "{table: age_points, inputs: {age: {from: 36, to: 40}}}")
    applicant = PointsApplicant(age=None, first=(9, 9, 9, 8))  # 7 (age, at least) + 23 + 23 = 53
    edition, compiled = pts.context(applicant)
    score = pts.evaluate(applicant).score
    gains = {(g.factor, g.gain, g.total) for g in point_gains(edition.ruleset, compiled.parameters, score)}
    assert score.total == 53 and ("language_first", 1, 54) in gains


def test_test_cases_can_expect_the_bounds_of_an_open_factor(tmp_path):
    pts, _ = bounded(tmp_path, "{table: age_points, inputs: {age: {from: 36, to: 40}}}")
    decision = pts.evaluate(UNKNOWN_AGE)
    assert compare(Expectation(score={"age": [7, 11], "total": 64, "possible_total": 68}), decision) == []
    assert compare(Expectation(score={"age": [0, 12], "education": [0, 25]}), decision) == [
        "score.age: expected undetermined between 0 and 12, got [7, 11]",
        "score.education: expected undetermined between 0 and 25, got 23",
    ]


def test_a_consumed_decision_gives_an_open_factor_at_its_least_points(tmp_path):
    pts, _ = bounded(tmp_path, "{table: age_points, inputs: {age: {from: 36, to: 40}}}")
    decision = pts.evaluate(UNKNOWN_AGE)
    [age] = [f for f in decision_facts("pts", decision, score_of(decision)) if f.get("factor") == "age"]
    assert (age["points"], age["undetermined"]) == (7, True)


# --- the computation ------------------------------------------------------------------------------

STEPS = Table.model_validate(
    {
        "description": "d",
        "citation": "c",
        "output": {"type": "integer"},
        "inputs": {"years": {"type": "integer", "min": 0, "max": 50}, "bonus": {"type": "boolean"}},
        "rows": [
            {"when": {"years": {"lt": 2}}, "value": 5},
            {"when": {"years": {"gte": 2, "lte": 3}}, "value": 20},
            {"when": {"years": {"gte": 4}, "bonus": {"eq": False}}, "value": 10},
            {"when": {"years": {"gte": 4}, "bonus": {"eq": True}}, "value": 12},
        ],
    }
)


@pytest.mark.parametrize(
    "years, bonus, expected",
    [
        ((1, 4), False, (5, 20)),  # a table that does not rise with its input: not its values at the ends (5, 10)
        ((2, 3), False, (20, 20)),  # one segment: one value
        ((4, 50), True, (12, 12)),
        ((0, 0), False, (5, 5)),
        (3, False, (20, 20)),  # no range: the one value
    ],
)
def test_a_table_range_is_every_value_the_table_gives_over_the_range(years, bonus, expected):
    assert table_range("steps", STEPS, {"years": years, "bonus": bonus}, {}) == expected


@pytest.mark.parametrize(
    "years, message",
    [
        ((4, 1), "table 'steps': input years from 4 to 1: the range is reversed"),
        ((0, 51), r"table 'steps': input years from 0 to 51 is outside its declared domain \(integer 0 to 50\)"),
    ],
)
def test_a_table_range_out_of_order_or_of_domain_is_an_error(years, message):
    with pytest.raises(TableError, match=message):
        table_range("steps", STEPS, {"years": years, "bonus": False}, {})


GRID = Score.model_validate(
    {
        "max": 100,
        "factors": {name: {"max": 10, "description": name, "citation": "x"} for name in "abc"},
        "caps": [{"id": "ab", "factors": ["a", "b"], "max": 12}],
    }
)


def unknown(factor: str, between=None) -> PointsUnknown:
    return PointsUnknown(factor, "open", "rule", [{"field": factor, "why": "x"}], {}, between)


def test_several_rules_leaving_one_factor_open_give_the_widest_of_their_bounds():
    score = compute_score(GRID, [], [unknown("c", (3, 5)), unknown("c", (4, 8))])
    assert (score.factors[2].between, score.total, score.possible_total) == ((3, 8), 3, 8)
    assert compute_score(GRID, [], [unknown("c", (3, 5)), unknown("c")]).factors[2].between == (0, 10)


def test_caps_bound_both_totals_alike():
    """`a` open between 3 and 5 beside `b` at 9, under a cap of 12: 12 either way, so the score is settled."""
    from cec_rules.engine.score import Award

    score = compute_score(GRID, [Award("b", 9, "nine", "rule")], [unknown("a", (3, 5))])
    assert (score.total, score.possible_total, score.fact().get("settled")) == (12, 12, True)
    assert [(c.id, c.points, c.uncapped) for c in score.caps] == [("ab", 12, 12)]
