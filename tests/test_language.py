"""Language proficiency (DESIGN.md "CEC semantics"): the threshold from the main occupation, score
conversion per test and ability at the CLB 7 boundaries, validity, PTE Core acceptance, best result.

Score minimums below are transcribed from rulesets/data/language/*.yaml (CLB/NCLC 7 column).
"""

from __future__ import annotations

import datetime as dt

import pytest

from cec_rules.engine.errors import InputError
from support import applicant, criterion, day, job, lang

ABILITIES = ("listening", "reading", "writing", "speaking")
CLB6_IELTS = lang("ielts_general", "2025-06-01", 5.5, 5.0, 5.5, 5.5)  # CLB 6 in all four
CLB7_IELTS = lang("ielts_general", "2025-06-01", 6.0, 6.0, 6.0, 6.0)  # CLB 7 in all four
CLB5_IELTS = lang("ielts_general", "2025-06-01", 5.0, 4.0, 5.0, 5.0)  # CLB 5 in all four
CLB4_IELTS = lang("ielts_general", "2025-06-01", 4.5, 3.5, 4.0, 4.0)  # CLB 4 in all four
TEER1_FULL_TIME = job("21231", "2024-01-01", None, 40)  # well over 1,560 h, TEER 1


def language(decision):
    return criterion(decision, "language_proficiency")


def weeks_from(first: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    return first, first + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)


# --- which threshold -----------------------------------------------------------------------------


def _three_jobs(a_weeks: int, b_weeks: int, c_weeks: int) -> list[dict]:
    """Consecutive 30 h/week jobs from Monday 2023-11-06: A 21231 (TEER 1), B 73300 and C 33102 (TEER 3)."""
    jobs, start = [], day("2023-11-06")
    for code, weeks in (("21231", a_weeks), ("73300", b_weeks), ("33102", c_weeks)):
        first, last = weeks_from(start, weeks)
        jobs.append(job(code, first, last, 30))
        start = last + dt.timedelta(days=1)
    return jobs


def test_threshold_follows_the_single_occupation_with_most_hours_not_the_teer_group(evaluator):
    # A: 35 weeks = 1,050 h (TEER 1); B and C: 24 weeks = 720 h each (TEER 3, together 1,440 h).
    decision = evaluator.evaluate(applicant(work_history=_three_jobs(35, 24, 24), language_tests=[CLB6_IELTS]))
    hours = {o["noc_code"]: o["hours"] for o in decision.derived["occupations"]}
    assert hours == {"21231": 1050.0, "73300": 720.0, "33102": 720.0}
    assert decision.derived["language_requirement"]["level"] == 7
    assert not language(decision).met
    assert decision.unmet == ["language_proficiency"]


def test_threshold_is_5_when_a_teer3_occupation_has_most_hours(evaluator):
    decision = evaluator.evaluate(applicant(work_history=_three_jobs(24, 35, 24), language_tests=[CLB6_IELTS]))
    assert decision.derived["language_requirement"]["level"] == 5
    assert language(decision).met
    assert decision.eligible


@pytest.mark.parametrize(
    "codes", [("21231", "73300"), ("31301", "13100")], ids=["teer1-code-first", "teer3-code-first"]
)
@pytest.mark.parametrize(("result", "met"), [(CLB6_IELTS, False), (CLB7_IELTS, True)], ids=["clb6", "clb7"])
def test_tie_between_occupations_takes_the_higher_threshold(evaluator, result, met, codes):
    first, last = weeks_from(day("2024-01-01"), 104)
    jobs = [job(code, first, last, 15) for code in codes]  # TEER 1 and TEER 3, 1,560 h each
    decision = evaluator.evaluate(applicant(work_history=jobs, language_tests=[result]))
    assert [o["hours"] for o in decision.derived["occupations"]] == [1560.0, 1560.0]
    assert language(decision).met is met


@pytest.mark.parametrize(
    "codes", [("21231", "73300"), ("31301", "13100")], ids=["teer1-code-first", "teer3-code-first"]
)
def test_tie_shows_the_threshold_applied_in_derived(evaluator, codes):
    # The decision uses the higher level; derived.language_requirement must show that level, whatever
    # the order in which the tied occupations were derived.
    first, last = weeks_from(day("2024-01-01"), 104)
    decision = evaluator.evaluate(
        applicant(work_history=[job(code, first, last, 15) for code in codes], language_tests=[CLB6_IELTS])
    )
    assert decision.derived["language_requirement"]["level"] == 7


@pytest.mark.parametrize(("result", "met"), [(CLB5_IELTS, True), (CLB4_IELTS, False)], ids=["clb5", "clb4"])
def test_no_qualifying_hours_uses_the_lowest_threshold(evaluator, result, met):
    decision = evaluator.evaluate(
        applicant(work_history=[job("64100", "2024-01-01", None, 40)], language_tests=[result])
    )
    assert decision.derived["qualifying_hours"] == 0
    assert decision.derived["language_requirement"]["level"] == 5
    assert language(decision).met is met


# --- conversion: every test, every ability, at and just below the CLB/NCLC 7 minimum ------------

# (test, test date, CLB 7 minimum per ability (L, R, W, S), score step)
CLB7_MINIMUMS = [
    ("ielts_general", "2025-06-01", (6.0, 6.0, 6.0, 6.0), 0.5),
    ("celpip_general", "2025-06-01", (7, 7, 7, 7), 1),
    ("pte_core", "2025-06-01", (60, 60, 69, 68), 1),
    ("tef_canada", "2019-09-30", (249, 207, 310, 310), 1),  # old scales: last day of table 1
    ("tef_canada", "2019-10-01", (450, 450, 450, 450), 1),  # /699: first day of table 2
    ("tef_canada", "2023-12-10", (450, 450, 450, 450), 1),  # /699: last day of table 2
    ("tef_canada", "2023-12-11", (434, 434, 428, 456), 1),  # /699: first day of table 3
    ("tcf_canada", "2025-06-01", (458, 453, 10, 10), 1),
]
TABLE_IDS = [f"{test}-{date}" for test, date, _, _ in CLB7_MINIMUMS]


def _teer1_applicant(test: str, date: str, scores) -> object:
    """A TEER 1 (or NOC 2016 skill level A) worker assessed 60 days after the test, so CLB 7 is needed."""
    application = day(date) + dt.timedelta(days=60)
    code = "21231" if application >= day("2022-11-16") else "2173"
    work = job(code, application - dt.timedelta(days=730), None, 40)
    return applicant(application_date=application, work_history=[work], language_tests=[lang(test, date, *scores)])


@pytest.mark.parametrize(("test", "date", "minimums", "step"), CLB7_MINIMUMS, ids=TABLE_IDS)
def test_scores_at_the_clb7_minimum_meet_clb7(evaluator, test, date, minimums, step):
    decision = evaluator.evaluate(_teer1_applicant(test, date, minimums))
    assert decision.derived["language_results"][0]["levels"] == dict.fromkeys(ABILITIES, 7)
    assert decision.derived["language_requirement"]["level"] == 7
    assert language(decision).met


@pytest.mark.parametrize("ability", ABILITIES)
@pytest.mark.parametrize(("test", "date", "minimums", "step"), CLB7_MINIMUMS, ids=TABLE_IDS)
def test_one_step_below_the_clb7_minimum_in_one_ability_fails(evaluator, test, date, minimums, step, ability):
    position = ABILITIES.index(ability)
    scores = [m - step if i == position else m for i, m in enumerate(minimums)]
    decision = evaluator.evaluate(_teer1_applicant(test, date, scores))
    levels = decision.derived["language_results"][0]["levels"]
    assert levels == {a: 6 if a == ability else 7 for a in ABILITIES}
    assert not language(decision).met
    assert decision.unmet == ["language_proficiency"]


def test_tef_table_is_chosen_by_test_date(evaluator):
    scores = (440, 440, 440, 460)
    old_table = evaluator.evaluate(_teer1_applicant("tef_canada", "2023-12-10", scores))
    new_table = evaluator.evaluate(_teer1_applicant("tef_canada", "2023-12-11", scores))
    assert old_table.derived["language_results"][0]["levels"] == {
        "listening": 6,
        "reading": 6,
        "writing": 6,
        "speaking": 7,
    }
    assert new_table.derived["language_results"][0]["levels"] == dict.fromkeys(ABILITIES, 7)
    assert not language(old_table).met
    assert language(new_table).met


def test_tef_old_scale_range_applies_to_tests_before_2019_10_01(evaluator):
    # Reading is out of 300 on the old scale: 450 is not a possible score there.
    with pytest.raises(InputError) as caught:
        evaluator.evaluate(_teer1_applicant("tef_canada", "2019-09-30", (300, 450, 400, 400)), source="t.yaml")
    assert caught.value.field == "language_tests[0].reading"
    assert "450" in str(caught.value)


# --- validity ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("date", "valid"), [("2024-11-02", True), ("2024-11-01", False), ("2024-10-31", False)])
def test_result_must_be_less_than_two_years_old(evaluator, date, valid):
    result = lang("ielts_general", date, 8.0, 7.0, 7.0, 7.0)
    decision = evaluator.evaluate(applicant(work_history=[TEER1_FULL_TIME], language_tests=[result]))
    assert decision.derived["language_results"][0]["valid"] is valid
    assert language(decision).met is valid


def test_result_dated_after_the_assessment_date_is_not_valid(evaluator):
    result = lang("ielts_general", "2026-11-02", 8.0, 7.0, 7.0, 7.0)
    decision = evaluator.evaluate(applicant(work_history=[TEER1_FULL_TIME], language_tests=[result]))
    assert decision.derived["language_results"][0]["valid"] is False
    assert not language(decision).met


@pytest.mark.parametrize(
    ("application_date", "result_date", "accepted"),
    [
        ("2024-01-29", "2024-01-15", False),  # not yet designated on the assessment date
        ("2024-01-30", "2024-01-15", False),  # designated, but a result dated before 2024-01-30 never counts
        ("2024-03-01", "2024-01-29", False),
        ("2024-03-01", "2024-01-30", True),
    ],
)
def test_pte_core_accepted_from_2024_01_30_by_assessment_and_result_date(
    evaluator, application_date, result_date, accepted
):
    result = lang("pte_core", result_date, 82, 78, 88, 84)  # CLB 9 in all four
    person = applicant(
        application_date=application_date, work_history=[job("21231", "2022-01-03", None, 40)], language_tests=[result]
    )
    decision = evaluator.evaluate(person)
    assert decision.derived["language_results"][0]["valid"] is accepted
    assert language(decision).met is accepted
    assert decision.eligible is accepted


def test_pte_core_not_accepted_with_as_of_before_2024_01_30(evaluator):
    result = lang("pte_core", "2024-01-15", 82, 78, 88, 84)
    person = applicant(
        application_date="2024-01-30", work_history=[job("21231", "2022-01-03", None, 40)], language_tests=[result]
    )
    decision = evaluator.evaluate(person, as_of=day("2024-01-29"))
    assert decision.as_of == "2024-01-29"
    assert not language(decision).met


# --- best of several -----------------------------------------------------------------------------------


def test_best_of_several_results_is_used(evaluator):
    strong = lang("celpip_general", "2025-01-10", 9, 9, 9, 10)
    decision = evaluator.evaluate(applicant(work_history=[TEER1_FULL_TIME], language_tests=[CLB6_IELTS, strong]))
    assert decision.derived["best_language_result"]["index"] == 1
    assert decision.derived["best_language_result"]["lowest"] == 9
    assert language(decision).met


def test_best_result_may_be_in_french(evaluator):
    french = lang("tcf_canada", "2025-01-10", 503, 499, 12, 12)  # NCLC 8 in all four
    decision = evaluator.evaluate(applicant(work_history=[TEER1_FULL_TIME], language_tests=[CLB6_IELTS, french]))
    assert decision.derived["best_language_result"]["test"] == "tcf_canada"
    assert language(decision).met


def test_an_expired_strong_result_does_not_count(evaluator):
    expired = lang("celpip_general", "2024-10-31", 10, 10, 10, 10)
    decision = evaluator.evaluate(applicant(work_history=[TEER1_FULL_TIME], language_tests=[expired, CLB6_IELTS]))
    assert decision.derived["best_language_result"]["index"] == 1
    assert not language(decision).met


def test_no_result_at_all_fails_language(evaluator):
    decision = evaluator.evaluate(applicant(work_history=[TEER1_FULL_TIME], language_tests=[]))
    assert decision.derived["best_language_result"] is None
    assert decision.unmet == ["language_proficiency"]


# --- the conversions kept for a population's next applicants (facts/language.py) ------------------


def test_kept_conversions_share_their_levels_and_scores_and_convert_as_before(evaluator, monkeypatch):
    """Combinations of scores with the same four levels keep one value, equal scores one number; a kept
    combination converts as a new one does, also after the shared copies are forgotten."""
    from cec_rules.facts import language as module

    monkeypatch.setattr(module, "_LEVELS", {})
    monkeypatch.setattr(module, "_SAME_LEVELS", {})
    monkeypatch.setattr(module, "_SAME_SCORES", {})
    people = [
        applicant(language_tests=[lang("ielts_general", "2025-06-01", *scores)])
        for scores in ((6.0, 6.0, 6.0, 6.0), (6.5, 6.0, 6.0, 6.0), (5.5, 5.0, 5.5, 5.5), (6.0, 6.0, 6.0, 6.0))
    ]
    tests = evaluator.edition_for(people[0].application_date, "<test>").tables.language_tests
    first = [module.convert(0, p.language_tests[0], tests, "<test>") for p in people]
    ((table, kept, _),) = module._LEVELS.values()
    assert len(kept) == 3 and len({id(v) for v in kept.values()}) == 2  # 6.0 and 6.5 in listening: both CLB 7
    assert len({id(score) for scores in kept for score in scores if score == 6.0}) == 1
    monkeypatch.setattr(module, "_SAME_LEVELS_KEPT", 1)  # forgotten at every store
    kept.clear()
    again = [module.convert(0, p.language_tests[0], tests, "<test>") for p in people * 2]
    assert again == first * 2
    assert [(c.levels, c.lowest, c.lowest_ability) for c in first] == [
        (dict(zip(ABILITIES, (7, 7, 7, 7))), 7, "listening"),
        (dict(zip(ABILITIES, (7, 7, 7, 7))), 7, "listening"),
        (dict(zip(ABILITIES, (6, 6, 6, 6))), 6, "listening"),
        (dict(zip(ABILITIES, (7, 7, 7, 7))), 7, "listening"),
    ]
