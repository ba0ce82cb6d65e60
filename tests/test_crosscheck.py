"""The engine and the independent plain-Python baseline (bench/baseline.py, written from DESIGN.md alone) decide
alike: on hand-made boundary applicants, each with the answer DESIGN.md gives worked out by hand
(bench/edge_cases.py), and on a seeded generated population. Both are compared three-valued: eligible, each
criterion's `met` (True, False or None = undetermined) and the exact qualifying hours."""

from __future__ import annotations

import io
import json
import random
import sys
from fractions import Fraction

import pytest

from support import REPO

sys.path.insert(0, str(REPO / "bench"))

import baseline  # noqa: E402  (bench/ is a folder of scripts, not a package)
import crosscheck  # noqa: E402
import edge_cases  # noqa: E402
import generate  # noqa: E402

CASES = edge_cases.cases()
POPULATION = 2500
SEED = 20261202


@pytest.fixture(scope="module")
def sides(evaluator):
    return crosscheck.Sides(evaluator)


@pytest.mark.parametrize(("record", "expected"), CASES, ids=[record["id"] for record, _ in CASES])
def test_both_sides_give_the_hand_worked_answer(sides, record, expected):
    base, engine = edge_cases.outcome(sides.baseline(record)), edge_cases.outcome(sides.engine(record))
    assert edge_cases.matches(expected, base), f"baseline: expected {expected}, got {base}"
    assert edge_cases.matches(expected, engine), f"engine: expected {expected}, got {engine}"


def test_the_edge_cases_reach_every_outcome():
    """Undetermined experience, undetermined language, and an unmet criterion beside an undetermined one."""
    decided = [expected for _, expected in CASES if "unmet" in expected]
    assert any(e["undetermined"] == [edge_cases.SKILL] for e in decided)
    assert any(e["undetermined"] == [edge_cases.LANG] and not e["unmet"] for e in decided)
    assert any(e["undetermined"] and e["unmet"] for e in decided)
    assert any(e.get("rejected") for _, e in CASES)


@pytest.fixture(scope="module")
def population() -> tuple[list[str], dict]:
    out = io.StringIO()
    stats = generate.generate(POPULATION, SEED, 0.01, out)
    return out.getvalue().splitlines(), stats.c


def test_the_population_reaches_the_delicate_places(population):
    _, mix = population
    assert mix["split_codes_by_edition"]["2016"] and mix["split_codes_by_edition"]["2021"]
    assert mix["same_unit_group_in_both_classifications"]["True"]
    assert mix["pte_core_around_acceptance"]["before"] and mix["pte_core_around_acceptance"]["from"]
    assert mix["test_date"]["2 years old: expired"] and mix["test_date"]["a day under 2 years old"]


def test_engine_and_baseline_agree_on_a_generated_population(sides, population):
    lines, _ = population
    report = io.StringIO()
    tally = crosscheck.check(lines, sides, report)
    disagreements = [json.loads(line) for line in report.getvalue().splitlines()]
    assert not disagreements, json.dumps(disagreements[:3], indent=1)
    assert tally["decided_by_both"] and tally["rejected_by_both"]
    assert tally["undetermined:skilled_work_experience"] and tally["undetermined:language_proficiency"]
    assert tally["baseline_eligible:True"] and tally["baseline_eligible:False"] and tally["baseline_eligible:None"]


def _random_periods(rng: random.Random) -> list:
    """A few periods, each meaning one to three unit groups of a small pool (some not skilled), over a few weeks."""
    pool = [((2021, f"g{n}"), level) for n, level in enumerate([7, 7, 5, 5, 5, None])]
    periods = []
    for _ in range(rng.randint(1, 6)):
        start = 738000 + rng.randint(0, 60)
        items = (((start, start + rng.randint(0, 80)), Fraction(rng.choice([5, 10, 15, 20, 25, 30, 40]))),)
        periods.append(baseline.Counted(tuple(rng.sample(pool, rng.choice([1, 1, 2, 3]))), items))
    return [p for p in periods if p.sometimes]


def test_the_search_for_many_split_codes_finds_the_levels_that_enumeration_finds():
    """The baseline enumerates readings up to MAX_READINGS and searches beyond; both must give the same levels."""
    rng = random.Random(SEED)
    for _ in range(400):
        periods = _random_periods(rng)
        assert baseline.reachable_thresholds(periods, baseline.EDITION_2021) == baseline.enumerated_thresholds(
            periods, baseline.EDITION_2021
        ), periods
