"""Qualifying hours (DESIGN.md "CEC semantics"): window edges, the ISO-week cap, study, exclusions, exact sums.

Unless a test says otherwise the application date is 2026-11-01 (a Sunday), so the counting window is
2023-11-01 (Wednesday) <= d < 2026-11-01 and the last counted day is 2026-10-31.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from cec_rules.facts.hours import capped_hours, clip, subtract
from support import applicant, criterion, day, job, lang, study

MONDAY = day("2024-01-01")


def decide(evaluator, *jobs, **fields):
    return evaluator.evaluate(applicant(work_history=list(jobs), **fields), source="test")


def experience(decision) -> bool:
    return criterion(decision, "skilled_work_experience").met


# --- the 1,560-hour boundary -------------------------------------------------------------------


@pytest.mark.parametrize("start", ["2024-01-01", "2024-01-03"], ids=["monday", "wednesday"])
def test_364_days_at_30_hours_is_exactly_1560_and_met(evaluator, start):
    first = day(start)
    decision = decide(evaluator, job(start=first, end=first + dt.timedelta(days=363), hours=30))
    assert decision.derived["qualifying_hours_exact"] == "1560"
    assert decision.derived["qualifying_hours"] == 1560.0
    assert decision.derived["periods"][0]["days_counted"] == 364
    assert experience(decision)
    assert decision.eligible


def test_363_days_at_30_hours_falls_short(evaluator):
    decision = decide(evaluator, job(start=MONDAY, end=MONDAY + dt.timedelta(days=362), hours=30))
    assert Fraction(decision.derived["qualifying_hours_exact"]) == Fraction(363 * 30, 7)
    assert decision.derived["qualifying_hours"] == 1555.71
    assert not experience(decision)
    assert decision.unmet == ["skilled_work_experience"]


# --- the weekly cap across concurrent jobs -----------------------------------------------------


def test_two_concurrent_20_hour_jobs_are_capped_at_30_per_week(evaluator):
    end = MONDAY + dt.timedelta(weeks=52) - dt.timedelta(days=1)  # 52 whole Monday-Sunday weeks
    assert end.weekday() == 6
    decision = decide(evaluator, job("21231", MONDAY, end, 20), job("21232", MONDAY, end, 20))
    assert decision.derived["qualifying_hours_exact"] == "1560"  # not 2,080
    assert experience(decision)


def test_37_5_hours_over_one_week_is_capped_at_30(evaluator):
    decision = decide(evaluator, job(start=MONDAY, end=MONDAY + dt.timedelta(days=6), hours=37.5))
    assert decision.derived["qualifying_hours_exact"] == "30"


def test_cap_applies_per_iso_week_not_per_seven_days(evaluator):
    # Thursday to Wednesday at 70 h/week: 4 days (40 h) in one ISO week and 3 days (30 h) in the next.
    thursday = day("2024-01-04")
    decision = decide(evaluator, job(start=thursday, end=thursday + dt.timedelta(days=6), hours=70))
    assert decision.derived["qualifying_hours_exact"] == "60"


def test_an_excluded_period_neither_adds_hours_nor_uses_the_cap(evaluator):
    end = MONDAY + dt.timedelta(days=6)
    decision = decide(evaluator, job("21231", MONDAY, end, 20), job("21232", MONDAY, end, 20, paid=False))
    assert decision.derived["qualifying_hours_exact"] == "20"


# --- the counting window ------------------------------------------------------------------------


def test_job_straddling_the_window_start_counts_only_days_inside(evaluator):
    # 2023-06-01 .. 2024-01-07 at 21 h/week (3 h a day, under the cap); 2023-11-01 .. 2024-01-07 is 68 days.
    decision = decide(evaluator, job(start="2023-06-01", end="2024-01-07", hours=21))
    assert decision.derived["window"] == {"start": "2023-11-01", "end": "2026-10-31"}
    assert decision.derived["periods"][0]["days_counted"] == 68
    assert decision.derived["qualifying_hours_exact"] == str(68 * 3)


def test_window_start_is_inclusive(evaluator):
    decision = decide(evaluator, job(start="2023-10-01", end="2023-11-01", hours=7))
    assert decision.derived["periods"][0]["days_counted"] == 1
    assert decision.derived["qualifying_hours_exact"] == "1"


def test_work_ending_the_day_before_the_window_does_not_count(evaluator):
    decision = decide(evaluator, job(start="2023-10-01", end="2023-10-31", hours=7))
    period = decision.derived["periods"][0]
    assert period["counted"] is False
    assert period["excluded"]
    assert decision.derived["qualifying_hours_exact"] == "0"


def test_open_ended_job_counts_up_to_the_day_before_the_application_date(evaluator):
    # Monday 2026-10-26 .. null: 6 days (to Saturday 2026-10-31) at 7 h/week.
    decision = decide(evaluator, job(start="2026-10-26", end=None, hours=7))
    assert decision.derived["periods"][0]["days_counted"] == 6
    assert decision.derived["qualifying_hours_exact"] == "6"


def test_the_application_date_itself_is_outside_the_window(evaluator):
    decision = decide(evaluator, job(start="2026-10-26", end="2026-11-01", hours=7))
    assert decision.derived["qualifying_hours_exact"] == "6"


def test_29_february_application_date_starts_the_window_on_28_february(evaluator):
    decision = decide(
        evaluator,
        job(start="2021-02-26", end="2021-02-28", hours=7),
        application_date="2024-02-29",
        language_tests=[lang("ielts_general", "2023-06-01", 8.0, 7.0, 7.0, 7.0)],
    )
    assert decision.derived["window"] == {"start": "2021-02-28", "end": "2024-02-28"}
    assert decision.derived["periods"][0]["days_counted"] == 1
    assert decision.derived["qualifying_hours_exact"] == "1"


# --- study ---------------------------------------------------------------------------------------


def test_full_time_study_removes_overlapping_days(evaluator):
    work = job(start=MONDAY, end=MONDAY + dt.timedelta(days=363), hours=30)
    decision = decide(evaluator, work, study_history=[study(MONDAY, MONDAY + dt.timedelta(days=6), full_time=True)])
    assert decision.derived["periods"][0]["days_counted"] == 357
    assert decision.derived["qualifying_hours_exact"] == "1530"
    assert not experience(decision)


def test_part_time_study_does_not_remove_days(evaluator):
    work = job(start=MONDAY, end=MONDAY + dt.timedelta(days=363), hours=30)
    decision = decide(evaluator, work, study_history=[study(MONDAY, MONDAY + dt.timedelta(days=6), full_time=False)])
    assert decision.derived["qualifying_hours_exact"] == "1560"
    assert experience(decision)


def test_open_ended_full_time_study_removes_every_later_day(evaluator):
    work = job(start=MONDAY, end=None, hours=30)
    decision = decide(evaluator, work, study_history=[study(MONDAY + dt.timedelta(days=7), None)])
    assert decision.derived["qualifying_hours_exact"] == "30"


# --- periods that do not qualify -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "word"),
    [
        ({"paid": False}, "unpaid"),
        ({"self_employed": True}, "self-employ"),
        ({"authorized": False}, "authoriz"),
        ({"country": "US"}, "US"),
        ({"noc_code": "64100"}, "skilled"),  # TEER 4: retail salespersons
        ({"noc_code": "65202"}, "skilled"),  # TEER 5: meat cutters and fishmongers
    ],
    ids=["unpaid", "self-employed", "unauthorized", "outside-canada", "teer4", "teer5"],
)
def test_non_qualifying_period_is_excluded_with_a_reason(evaluator, overrides, word):
    decision = decide(evaluator, job(start="2024-01-01", end=None, hours=40, **overrides))
    period = decision.derived["periods"][0]
    assert period["counted"] is False
    assert word.lower() in period["excluded"].lower()
    assert period["hours"] == 0
    assert decision.derived["qualifying_hours_exact"] == "0"
    assert decision.unmet == ["skilled_work_experience"]


# --- exact arithmetic ---------------------------------------------------------------------------


def test_seven_days_at_10_hours_is_exactly_10(evaluator):
    wednesday = day("2024-01-03")
    decision = decide(evaluator, job(start=wednesday, end=wednesday + dt.timedelta(days=6), hours=10))
    assert decision.derived["qualifying_hours_exact"] == "10"
    assert decision.derived["qualifying_hours"] == 10.0


def test_one_day_at_10_hours_is_ten_sevenths(evaluator):
    decision = decide(evaluator, job(start=MONDAY, end=MONDAY, hours=10))
    assert decision.derived["qualifying_hours_exact"] == "10/7"
    assert decision.derived["qualifying_hours"] == 1.42  # shown rounded down: never above the exact sum


# --- the arithmetic functions directly -----------------------------------------------------------


def _span(first: dt.date, days: int) -> tuple[int, int]:
    return (first.toordinal(), first.toordinal() + days - 1)


def test_capped_hours_exact_boundary():
    cap = Fraction(30)
    assert capped_hours([(_span(MONDAY, 364), Fraction(30))], cap) == 1560
    assert capped_hours([(_span(MONDAY, 363), Fraction(30))], cap) == Fraction(10890, 7)
    assert capped_hours([(_span(MONDAY, 364), Fraction(20))] * 2, cap) == 1560
    assert capped_hours([(_span(MONDAY, 7), Fraction(75, 2))], cap) == 30
    assert capped_hours([(_span(day("2024-01-03"), 7), Fraction(10))], cap) == 10
    assert capped_hours([], cap) == 0


def test_capped_hours_with_a_fractional_cap():
    assert capped_hours([(_span(MONDAY, 7), Fraction(40))], Fraction(75, 2)) == Fraction(75, 2)


def test_subtract_and_clip():
    assert subtract((1, 10), [(3, 4), (8, 20)]) == [(1, 2), (5, 7)]
    assert subtract((1, 10), [(1, 10)]) == []
    assert subtract((5, 6), [(1, 2)]) == [(5, 6)]
    assert clip((1, 10), (5, 20)) == (5, 10)
    assert clip((1, 4), (5, 20)) is None
