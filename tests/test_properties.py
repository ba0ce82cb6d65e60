"""Metamorphic properties of CEC decisions, checked on generated applicants (hypothesis).

Each property changes an applicant in a way whose effect the law fixes in advance (add a period, raise a
score, move out of Quebec, reorder the lists, decide again) and checks the decision moves only as the law
allows. The reasoning behind each one is in its docstring: several plausible-looking properties are false
in law (adding work can raise the language threshold, IRPR 87.1(2)(e)), so each is stated exactly as
narrowly as it is true.

Outcomes are compared in the order false < undetermined (None) < true: "never hurts" means no criterion
and not `eligible` moves down that order, which holds both for two-valued decisions and for three-valued
ones (`met: null` when the input does not settle the law's answer; `eligible` is Kleene: false if any
criterion is unmet, else null if any is undetermined, else true).

Decisions go through the library as `cec evaluate` and `cec batch` do: the record is validated as input
(`applicant_from_data`) and decided by one Evaluator for the module. The examples are fixed (the "ci"
settings profile in conftest.py is derandomized); `pytest --hypothesis-profile=thorough` searches more.

When a property finds a bug: keep the property as it is, add the minimal example as a plain regression
test marked `xfail(strict=True, reason=...)`, and let the owner of the code fix it (strict, so the fix
turns the mark into a failure that asks for its removal). The two regression tests below came this way;
both bugs are fixed, so they are plain tests now.
"""

from __future__ import annotations

import copy
import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from cec_rules.facts.tables import ABILITIES
from cec_rules.facts.reading import applicant_from_data

import strategies as gen

pytestmark = pytest.mark.slow

SOURCE = "<generated>"
RANK = {False: 0, None: 1, True: 2}  # false < undetermined < true


def decide(evaluator, record: dict):
    return evaluator.evaluate(applicant_from_data(record, SOURCE), source=SOURCE)


def outcome(decision) -> dict:
    """`eligible` and every criterion's `met`, the part of a decision the properties compare."""
    return {"eligible": decision.eligible, **{c.id: c.met for c in decision.criteria}}


def qualifying_hours(decision) -> Fraction:
    """The exact qualifying hours (the rounded figure would hide a change below 0.01 h)."""
    return Fraction(decision.derived["qualifying_hours_exact"])


def only(values: dict, *keys: str) -> dict:
    return {key: values[key] for key in keys}


def assert_never_lower(before: dict, after: dict, record: dict) -> None:
    """No key of the outcome moves down false < None < true."""
    lowered = {key: (before[key], after[key]) for key in before if RANK[after[key]] < RANK[before[key]]}
    assert not lowered, f"moved down (before, after): {lowered}\nchanged record: {record}"


def label(before: dict, key: str) -> None:
    """Record in hypothesis' statistics how often the interesting side of a property was reached."""
    event(f"{key} before: {before[key]}")


def celpip(date: str, score: int) -> dict:
    """A CELPIP-General result with the same score (= CLB level) in all four abilities."""
    return {"test": "celpip_general", "date": date, **{ability: score for ability in ABILITIES}}


def with_item(record: dict, field: str, item: dict, position: int) -> dict:
    changed = copy.deepcopy(record)
    items = changed[field]
    items.insert(position % (len(items) + 1), item)
    return changed


# --- adding work ------------------------------------------------------------------------------------


@given(record=gen.applicants(), more=st.data())
def test_adding_a_work_period_never_lowers_experience(evaluator, record, more):
    """Adding any work period never lowers the qualifying hours nor moves `skilled_work_experience` down.

    Why it is true: the hours are a sum over qualifying days, capped per ISO week (DESIGN.md "Hours");
    a new period only adds days and hours to some weeks and takes none away from the others (full-time
    study, the window and the other periods are unchanged), and min(cap, x) never falls when x grows.
    This holds for any period, qualifying or not: one that does not qualify adds nothing. For a code
    whose NOC counterparts disagree, every reading of the new history has at least the hours of the
    same reading of the old one, so "met under every reading" stays met.

    What it does not say: that the whole decision never gets worse. A period in another occupation can
    become the one with the most hours and raise the language threshold (IRPR 87.1(2)(e)); see
    `test_more_work_in_a_more_demanding_occupation_can_raise_the_threshold`.
    """
    day = gen.application_day(record)
    changed = with_item(
        record,
        "work_history",
        more.draw(gen.work_periods(day), label="added period"),
        more.draw(st.integers(0, 9), label="position"),
    )
    before, after = decide(evaluator, record), decide(evaluator, changed)
    label(outcome(before), "skilled_work_experience")
    assert qualifying_hours(after) >= qualifying_hours(before), changed
    assert_never_lower(
        only(outcome(before), "skilled_work_experience"), only(outcome(after), "skilled_work_experience"), changed
    )
    assert only(outcome(after), "outside_quebec", "admissibility") == only(
        outcome(before), "outside_quebec", "admissibility"
    )


@given(record=gen.applicants(), more=st.data())
def test_adding_work_at_the_lowest_threshold_never_hurts(evaluator, record, more):
    """Adding a period whose occupation has the edition's lowest language threshold under every reading
    (TEER 2/3 from 2022-11-16, skill level B before; or a code of the other classification whose every
    counterpart is so) never moves any criterion, nor `eligible`, down.

    Why it is true: experience, as above. Language (IRPR 87.1(2)(e)): the threshold is that of the
    occupation with the most qualifying hours, the higher one on a tie, and the lowest of the edition
    with no qualifying hours. The new period adds hours to its own occupation X only. If X now has
    the most hours alone, the threshold becomes X's, the lowest there is; if X ties the leaders, the
    tie keeps the higher of theirs and X's, i.e. theirs; otherwise nothing changes. So the threshold
    never rises, the results are the same, and `language_proficiency` cannot get worse. Province and
    admissibility do not look at work. Any flags and dates are allowed: a period that does not
    qualify changes nothing at all.
    """
    day = gen.application_day(record)
    codes = st.sampled_from(gen.lowest_threshold_codes(gen.edition_on(day).ruleset.effective_from)).map(gen.period_code)
    changed = with_item(
        record,
        "work_history",
        more.draw(gen.work_periods(day, codes), label="added period"),
        more.draw(st.integers(0, 9), label="position"),
    )
    before = outcome(decide(evaluator, record))
    label(before, "eligible")
    assert_never_lower(before, outcome(decide(evaluator, changed)), changed)


def test_more_work_in_a_more_demanding_occupation_can_raise_the_threshold(evaluator):
    """Why the property above is restricted: an applicant eligible with CLB 5 from TEER 3 work stops
    being eligible when more hours in a TEER 1 occupation make it the predominant one (CLB 7 needed,
    IRPR 87.1(2)(e)). Adding work is not monotone in law, only the hours are."""
    record = {
        "id": "P-1",
        "application_date": "2026-11-01",
        "intended_province": "ON",
        "language_tests": [celpip("2026-01-10", 5)],
        "work_history": [
            {
                "noc_code": "73300",
                "noc_version": 2021,
                "country": "CA",
                "start": "2024-06-01",
                "end": None,
                "hours_per_week": 30,
                "paid": True,
                "self_employed": False,
                "authorized": True,
            }
        ],
        "study_history": [],
    }
    software = {**record["work_history"][0], "noc_code": "21231", "start": "2023-11-01", "hours_per_week": 40}
    changed = with_item(record, "work_history", software, 1)
    before, after = outcome(decide(evaluator, record)), outcome(decide(evaluator, changed))
    assert (before["eligible"], before["language_proficiency"]) == (True, True)
    assert (after["eligible"], after["language_proficiency"], after["skilled_work_experience"]) == (False, False, True)


@given(record=gen.applicants(), more=st.data())
def test_naming_a_unit_group_in_either_classification_gives_the_same_outcome(evaluator, record, more):
    """A period reported with a NOC 2016 code, or with the NOC 2021 code that corresponds to it and to it
    only (a 1:1 row both ways in StatCan's correspondence), gives the same outcome and the same hours.

    Why it is true: it is the same unit group under two names. DESIGN.md "Editions": a code in the other
    classification goes through the correspondence, and when its only target settles the edition's
    result it is used; occupations are compared as unit groups of the edition's classification, whatever
    classification the input used, so the period's hours join those of any other period in that unit
    group for the predominant occupation (IRPR 87.1(2)(e)) and its weekly cap, whichever name it has.
    """
    day = gen.application_day(record)
    pairs, present = gen.one_to_one_codes(), {p["noc_code"] for p in record["work_history"]}
    shared = [pair for pair in pairs if present & set(pair)]  # the unit group of a period already there
    codes = st.one_of(st.sampled_from(shared), st.sampled_from(pairs)) if shared else st.sampled_from(pairs)
    old_code, new_code = more.draw(codes, label="codes (2016, 2021)")
    period = more.draw(gen.work_periods(day), label="period")
    position = more.draw(st.integers(0, 9), label="position")
    as_2016 = with_item(record, "work_history", {**period, "noc_version": 2016, "noc_code": old_code}, position)
    as_2021 = with_item(record, "work_history", {**period, "noc_version": 2021, "noc_code": new_code}, position)
    before, after = decide(evaluator, as_2016), decide(evaluator, as_2021)
    assert outcome(after) == outcome(before), as_2021
    assert qualifying_hours(after) == qualifying_hours(before), as_2021


def test_one_unit_group_under_two_names_is_one_occupation(evaluator):
    """Regression: found by the property above, minimised by hand (fixed by the law corrections, which
    compare occupations as unit groups of the edition). Registered nurses, 3012 (NOC 2016) = 31301
    (NOC 2021, TEER 1), 1:1 in the correspondence: 52 weeks at 30 h reported as 3012 and 52 weeks as
    31301 are 3,120 h of TEER 1 nursing, more than the 2,730 h (91 weeks) as a truck driver (73300,
    TEER 3). So nursing is the predominant occupation (IRPR 87.1(2)(e)), CLB 7 is needed and CLB 5 is
    short. Grouping by the code as reported saw 1,560 h + 1,560 h in two "occupations" against 2,730 h,
    asked CLB 5 and found the applicant eligible."""
    work = {"country": "CA", "hours_per_week": 30, "paid": True, "self_employed": False, "authorized": True}
    record = {
        "id": "P-1",
        "application_date": "2026-11-01",
        "intended_province": "ON",
        "study_history": [],
        "language_tests": [celpip("2026-01-10", 5)],
        "work_history": [
            {**work, "noc_version": 2021, "noc_code": "31301", "start": "2024-01-01", "end": "2024-12-29"},
            {**work, "noc_version": 2016, "noc_code": "3012", "start": "2024-12-30", "end": "2025-12-28"},
            {**work, "noc_version": 2021, "noc_code": "73300", "start": "2024-01-01", "end": "2025-09-28"},
        ],
    }
    same_names = copy.deepcopy(record)
    same_names["work_history"][1].update(noc_version=2021, noc_code="31301")
    assert outcome(decide(evaluator, same_names))["language_proficiency"] is False
    assert outcome(decide(evaluator, record))["language_proficiency"] is False


@given(record=gen.applicants(), more=st.data())
def test_settling_a_split_code_never_contradicts_a_determined_answer(evaluator, record, more):
    """Replacing a period's code from the other classification by one of its counterparts in the edition's
    classification (the applicant says which unit group they meant) never turns a met criterion unmet or
    an unmet one met, nor `eligible`; only undetermined answers may become determined.

    Why it is true: DESIGN.md "Editions": where a code splits, the decision is what every reading of it
    agrees on, and undetermined where the readings disagree. The counterpart names one reading, so any
    answer that held in every reading holds in that one. Codes that do not split are the degenerate case
    (one reading): there the answer must not change at all, which this checks too.
    """
    day = gen.application_day(record)
    pair = more.draw(gen.other_classification_codes(day), label="reported code")
    chosen = more.draw(st.sampled_from(gen.counterpart_codes(pair)), label="meant code")
    period = more.draw(st.one_of(gen.qualifying_work_periods(day), gen.work_periods(day)), label="period")
    position = more.draw(st.integers(0, 9), label="position")
    reported = with_item(record, "work_history", {**period, **gen.period_code(pair)}, position)
    settled = with_item(record, "work_history", {**period, **gen.period_code(chosen)}, position)
    before, after = outcome(decide(evaluator, reported)), outcome(decide(evaluator, settled))
    event(f"undetermined before: {sorted(key for key, met in before.items() if met is None)}")
    contradicted = {
        key: (before[key], after[key]) for key in before if before[key] is not None and after[key] != before[key]
    }
    assert not contradicted, (
        f"determined answers changed (reported, settled): {contradicted}\nsettled record: {settled}"
    )


@st.composite
def split_point(draw, record: dict) -> tuple[int, dt.date] | None:
    """(index of a period of at least two days, the last day of its first part), or None."""
    spans = [
        (
            i,
            gen.day_of(p["start"]),
            gen.day_of(p["end"]) if p["end"] else gen.application_day(record) - dt.timedelta(days=1),
        )
        for i, p in enumerate(record["work_history"])
    ]
    spans = [(i, start, end) for i, start, end in spans if end > start]
    if not spans:
        return None
    index, start, end = draw(st.sampled_from(spans))
    return index, start + dt.timedelta(days=draw(st.integers(0, (end - start).days - 1)))


@given(record=gen.applicants(), more=st.data())
def test_splitting_a_period_in_two_changes_nothing(evaluator, record, more):
    """Cutting a work period in two back-to-back periods, identical otherwise, gives the same outcome and
    the same hours.

    Why it is true: it is the same work. Each day contributes hours_per_week / 7 and the cap applies per
    ISO week across everything in force that week (DESIGN.md "Hours"), so the days and their hours are
    the same whichever way they are grouped into periods; the occupation, and so the threshold, too.
    """
    cut = more.draw(split_point(record), label="cut after")
    assume(cut is not None)
    index, last = cut
    changed = copy.deepcopy(record)
    period = changed["work_history"][index]
    second = {**period, "start": (last + dt.timedelta(days=1)).isoformat()}
    period["end"] = last.isoformat()
    changed["work_history"].insert(index + 1, second)
    before, after = decide(evaluator, record), decide(evaluator, changed)
    assert outcome(after) == outcome(before), changed
    assert qualifying_hours(after) == qualifying_hours(before), changed


# --- study ----------------------------------------------------------------------------------------


@given(record=gen.applicants(), more=st.data())
def test_part_time_study_changes_nothing(evaluator, record, more):
    """Adding a part-time study period changes no outcome and no hours: IRPR 87.1(3)(a) excludes only
    work done while a full-time student."""
    day = gen.application_day(record)
    study = {**more.draw(gen.study_periods(day), label="study"), "full_time": False}
    changed = with_item(record, "study_history", study, more.draw(st.integers(0, 9), label="position"))
    before, after = decide(evaluator, record), decide(evaluator, changed)
    assert outcome(after) == outcome(before), changed
    assert qualifying_hours(after) == qualifying_hours(before), changed


@given(record=gen.applicants(), more=st.data())
def test_full_time_study_never_adds_experience(evaluator, record, more):
    """Adding a full-time study period never raises the qualifying hours nor moves `skilled_work_experience`
    up, and leaves province and admissibility alone.

    Why it is true: work during full-time study does not count (IRPR 87.1(3)(a)), so the new period can
    only take days away. (Language can move either way: removing days can change which occupation has the
    most hours, IRPR 87.1(2)(e), so it is not compared.)
    """
    day = gen.application_day(record)
    study = {**more.draw(gen.study_periods(day), label="study"), "full_time": True}
    changed = with_item(record, "study_history", study, more.draw(st.integers(0, 9), label="position"))
    before, after = decide(evaluator, record), decide(evaluator, changed)
    assert qualifying_hours(after) <= qualifying_hours(before), changed
    assert_never_lower(
        only(outcome(after), "skilled_work_experience"), only(outcome(before), "skilled_work_experience"), changed
    )
    assert only(outcome(after), "outside_quebec", "admissibility") == only(
        outcome(before), "outside_quebec", "admissibility"
    )


# --- language results -------------------------------------------------------------------------------


@st.composite
def raised_score(draw, record: dict) -> tuple[int, str, object]:
    """(result index, ability, a higher score on the same table) for one of the record's results."""
    index = draw(st.integers(0, len(record["language_tests"]) - 1))
    result = record["language_tests"][index]
    table = gen.editions()[-1].tables.language_tests[result["test"]].table_for(gen.day_of(result["date"]))
    ability = draw(st.sampled_from(ABILITIES))
    scale = table.score_range[ability]
    current = round((result[ability] - scale.min) / scale.step)
    top = gen.score_steps(table, ability)
    if current >= top:
        return index, ability, result[ability]  # already the top score: nothing to raise (kept, checked as unchanged)
    return index, ability, gen.score_at(table, ability, draw(st.integers(current + 1, top)))


@given(record=gen.applicants(min_tests=1), more=st.data())
def test_raising_a_score_never_lowers_a_level_or_the_outcome(evaluator, record, more):
    """Raising one ability's score on one result never lowers any CLB/NCLC level, and never moves any
    criterion (nor `eligible`) down.

    Why it is true: each ability converts on its own with the table for that test and test date (DESIGN.md
    "language_proficiency"); the level is the highest whose minimum the score reaches, which cannot fall
    when the score rises, and the other abilities do not move. The best valid result is the one whose
    lowest ability is highest, so its lowest level cannot fall either; the threshold depends on work only.
    Validity depends on the test and date, not the scores. Nothing else reads the scores.
    """
    index, ability, score = more.draw(raised_score(record), label="raised")
    changed = copy.deepcopy(record)
    changed["language_tests"][index][ability] = score
    before, after = decide(evaluator, record), decide(evaluator, changed)
    old, new = (d.derived["language_results"][index]["levels"] for d in (before, after))
    assert new[ability] >= old[ability], changed
    assert {a: new[a] for a in ABILITIES if a != ability} == {a: old[a] for a in ABILITIES if a != ability}, changed
    label(outcome(before), "language_proficiency")
    assert_never_lower(outcome(before), outcome(after), changed)


@given(record=gen.applicants(), more=st.data())
def test_adding_a_valid_language_result_never_hurts(evaluator, record, more):
    """Adding a valid result (an accepted test, dated less than 2 years before the application and not
    after it) never moves any criterion, nor `eligible`, down.

    Why it is true: `language_proficiency` is met when the best valid result reaches the threshold in all
    four abilities (IRPR 87.1(2)(d)-(e)); one more candidate can only raise the best, and the threshold
    depends on work only. IRCC takes one result per language and never combines sittings, so the new
    result cannot spoil another. No other criterion reads language results.
    """
    day = gen.application_day(record)
    changed = with_item(
        record,
        "language_tests",
        more.draw(gen.language_results(day, "valid"), label="added result"),
        more.draw(st.integers(0, 9), label="position"),
    )
    before = outcome(decide(evaluator, record))
    label(before, "language_proficiency")
    assert_never_lower(before, outcome(decide(evaluator, changed)), changed)


@given(record=gen.applicants(), more=st.data())
def test_a_result_that_is_not_valid_changes_no_criterion(evaluator, record, more):
    """Adding a result that does not count on the application date changes no criterion: one dated 2
    years or more before it (a result must be *less than* 2 years old, DESIGN.md "Counting window"), one
    dated after it, one from a test not accepted on that day, or one dated before its test was
    designated (PTE Core results before 2024-01-30). The law gives such a result no weight at all.
    """
    day = gen.application_day(record)
    result = more.draw(gen.language_results(day, "not valid"), label="added result")
    changed = with_item(record, "language_tests", result, more.draw(st.integers(0, 9), label="position"))
    event(f"invalid because: {gen.why_not_valid(result, day)}")
    assert outcome(decide(evaluator, changed)) == outcome(decide(evaluator, record)), changed


def test_a_result_dated_exactly_two_years_before_the_application_is_expired(evaluator):
    """Regression: found by the property above (its minimal example; fixed by the law corrections).
    Applying on 2015-01-01 with one CELPIP result of 2013-01-01 (CLB 5 everywhere, the threshold with
    no work): the result is exactly 2 years old, not less, so it is expired and language is unmet. The
    derivation used to take it as valid (`result.date < oldest` was the expiry test)."""
    record = {
        "id": "P-1",
        "application_date": "2015-01-01",
        "intended_province": "ON",
        "work_history": [],
        "study_history": [],
        "language_tests": [celpip("2013-01-01", 5)],
    }
    decision = decide(evaluator, record)
    assert decision.derived["language_results"][0]["valid"] is False
    assert outcome(decision)["language_proficiency"] is False


# --- province -----------------------------------------------------------------------------------------


@given(record=gen.applicants(), more=st.data())
def test_moving_the_intended_province_off_quebec_never_hurts(evaluator, record, more):
    """Intending to live anywhere but Quebec meets `outside_quebec` and changes no other criterion.

    Why it is true: IRPR 87.1(1) asks only that the applicant intend to live outside Quebec; work done
    in Quebec still counts (87.1(2)(a) asks for work in Canada), and neither the hours nor the language
    threshold depend on the province. So from any province, QC included, the move never hurts.
    """
    day = gen.application_day(record)
    changed = {**record, "intended_province": more.draw(gen.provinces(day, quebec=False), label="new province")}
    before, after = outcome(decide(evaluator, record)), outcome(decide(evaluator, changed))
    label(before, "outside_quebec")
    assert after["outside_quebec"] is True, changed
    assert_never_lower(before, after, changed)
    assert only(after, *(k for k in after if k not in ("outside_quebec", "eligible"))) == only(
        before, *(k for k in before if k not in ("outside_quebec", "eligible"))
    ), changed


# --- order and determinism ------------------------------------------------------------------------


@given(record=gen.applicants(), more=st.data())
def test_the_order_of_the_lists_does_not_matter(evaluator, record, more):
    """Reordering work periods, study periods and language results gives the same `eligible`, the same
    `met` for every criterion and the same qualifying hours.

    Why it is true: the law reads a history as a set of facts (hours in a window, the occupation with
    the most hours, the best result); no provision depends on the order an application lists them in.
    Reasons may name a different one of two equally good results, so only outcomes are compared.
    """
    changed = {
        **record,
        **{
            field: more.draw(st.permutations(record[field]), label=field)
            for field in ("work_history", "study_history", "language_tests")
        },
    }
    before, after = decide(evaluator, record), decide(evaluator, changed)
    assert outcome(after) == outcome(before), changed
    assert qualifying_hours(after) == qualifying_hours(before), changed


@given(record=gen.applicants(), other=gen.applicants())
def test_deciding_twice_gives_the_same_bytes(evaluator, record, other):
    """The same applicant decided twice, with another applicant decided in between, gives byte-identical
    JSON: no state of one decision (durable-rules sessions, caches) leaks into the next, and nothing in
    the output depends on time, hashing or memory addresses."""
    first = decide(evaluator, record).to_json_line()
    decide(evaluator, other)
    assert decide(evaluator, record).to_json_line() == first
