"""The derivation's integer hours against independent formulas (docs/performance.md, branch derive-lean).

CEC's derivation counts an applicant's hours as integers in units of 1/(7·D) hour (facts/hours.py
`capped_units`, facts/derive.py `Experience.unit`) and rounds, compares and prints them without building
Fractions. These tests hold that arithmetic to two references it does not share code with: the weekly cap
summed day by day over Fractions, and the Fraction arithmetic the derivation did before (`capped_hours` on
each set of periods, `hours_by_group` and `readings` per unit group, `float_not_above` and `round_down` on
Fractions), over generated applicants that reach split codes, exclusions, study and concurrent jobs.
"""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from cec_rules.facts.derive import _countable, derive, exact_text, experience, float_not_above, round_down
from cec_rules.facts.hours import capped_hours, capped_units
from cec_rules.facts.reading import applicant_from_data
from cec_rules.facts.readings import hours_by_group, reading_of, readings

import strategies as gen

SOURCE = "<generated>"

# --- the weekly cap, against a day-by-day sum ------------------------------------------------------

RATES = st.one_of(
    st.integers(0, 1680).map(lambda tenths: Fraction(tenths, 10)),
    st.fractions(min_value=0, max_value=168, max_denominator=400),
)
INTERVALS = st.tuples(st.integers(700_000, 700_060), st.integers(0, 40)).map(lambda pair: (pair[0], pair[0] + pair[1]))
PERIODS = st.lists(st.tuples(INTERVALS, RATES), max_size=5)
CAPS = st.one_of(
    st.sampled_from([Fraction(30), Fraction(75, 2)]), st.fractions(min_value=1, max_value=168, max_denominator=40)
)


def day_by_day(periods: list, cap: Fraction) -> Fraction:
    """Each day's hours (rate/7 of every period covering it) summed per ISO week (day ordinal 1 is a Monday), each week capped."""
    weeks: dict[int, Fraction] = {}
    for (start, end), rate in periods:
        for day in range(start, end + 1):
            weeks[(day - 1) // 7] = weeks.get((day - 1) // 7, Fraction(0)) + rate / 7
    return sum((min(cap, hours) for hours in weeks.values()), Fraction(0))


@given(periods=PERIODS, cap=CAPS)
def test_capped_hours_is_the_day_by_day_sum(periods, cap):
    assert capped_hours(periods, cap) == day_by_day(periods, cap)


@given(periods=PERIODS, cap=CAPS)
def test_capped_units_are_the_hours_in_units_of_one_7d_th(periods, cap):
    """The units a caller gets for (interval, rate·D) pieces are 7·D times the hours, for any common denominator D."""
    denominator = math.lcm(cap.denominator, *(rate.denominator for _, rate in periods)) * 3
    pieces = [(interval, int(rate * denominator)) for interval, rate in periods]
    assert Fraction(capped_units(pieces, int(cap * 7 * denominator)), 7 * denominator) == day_by_day(periods, cap)


# --- rounding and printing units, against the Fraction formulas -------------------------------------

UNITS = st.one_of(st.integers(0, 10**7), st.integers(0, 10**30))
PER = st.one_of(st.integers(1, 10**4).map(lambda d: 7 * d), st.integers(1, 10**25))


@given(units=UNITS, per=PER)
def test_float_not_above_units_is_the_largest_float_not_above(units, per):
    exact = Fraction(units, per)
    result = float_not_above(units, per)
    assert result == float_not_above(exact)
    assert Fraction(result) <= exact < Fraction(math.nextafter(result, math.inf))


@given(units=UNITS, per=PER)
def test_round_down_units_is_the_floor_of_hundredths(units, per):
    assert round_down(units, per) == math.floor(Fraction(units, per) * 100) / 100 == round_down(Fraction(units, per))


@given(units=UNITS, per=PER)
def test_exact_text_is_the_fraction_text(units, per):
    assert exact_text(units, per) == str(Fraction(units, per))


# --- a whole derivation, against the Fraction arithmetic it replaced --------------------------------


def derived_with_exclusions(evaluator, record: dict):
    applicant = applicant_from_data(record, SOURCE)
    edition, compiled = evaluator.context(applicant, None, SOURCE)
    day = applicant.application_date
    exclusions = evaluator.screen(applicant, day, edition, SOURCE).exclusions
    tables, params = edition.tables, compiled.parameters
    state = experience(applicant, day, tables.noc, params, SOURCE, exclusions)
    return state, derive(applicant, day, tables.noc, tables.language_tests, params, SOURCE, exclusions=exclusions)


def fraction_readings(state) -> list[tuple]:
    """Each reading's predominant unit groups and hours, as the derivation worked them out in Fractions."""
    possible = state.possible
    if any(p.status.split for p in possible):
        found = readings([_countable(p) for p in possible], state.cap)
    else:
        known = [p for p in state.counted if len(p.status.candidates) == 1]
        found = [
            reading_of(
                hours_by_group([_countable(p) for p in known], [p.status.candidates[0] for p in known], state.cap),
                state.total(),
            )
        ]
    return [
        [(o.code, float_not_above(hours)) for o, hours in reading.primaries]
        + [("most", float_not_above(reading.most_hours))]
        for reading in found
    ]


@st.composite
def with_split_codes(draw) -> dict:
    """An applicant with one to three more periods in codes of the other classification, most of which
    split (several readings, hours that count only in some of them)."""
    record = draw(gen.applicants(max_work=2))
    day = gen.application_day(record)
    more = st.lists(gen.qualifying_work_periods(day, gen.other_classification_codes(day)), min_size=1, max_size=3)
    return {**record, "work_history": record["work_history"] + draw(more)}


@given(record=st.one_of(gen.applicants(), with_split_codes()))
def test_the_derived_hours_are_the_fraction_sums(evaluator, record):
    """Hours per period, in total, possibly, per unit group and per reading, shown, rounded and as facts."""
    try:
        state, derivation = derived_with_exclusions(evaluator, record)
    except Exception as error:  # a record the input contract refuses says so before any hours are counted
        assert type(error).__name__ in ("InputError", "ValidationError"), error
        return
    cap = state.cap
    hours = lambda periods: capped_hours([(i, p.rate) for p in periods for i in p.intervals], cap)
    for period, shown in zip(state.periods, derivation.derived["periods"]):
        own = hours([period]) if period.excluded is None else Fraction(0)
        assert Fraction(period.units, state.unit) == own
        assert shown["hours"] == (round_down(own) if shown["counted"] else 0.0)
    total, possible = hours(state.counted), hours(state.possible)
    assert derivation.derived["qualifying_hours_exact"] == str(total) == str(state.total())
    assert derivation.derived["qualifying_hours"] == round_down(total)
    assert derivation.derived.get("possible_qualifying_hours", round_down(total)) == round_down(possible)
    experience_fact = next(f for f in derivation.facts if f["t"] == "work_experience")
    assert (experience_fact["qualifying_hours"], experience_fact["possible_hours"]) == (
        float_not_above(total),
        float_not_above(possible),
    )
    known = [p for p in state.counted if len(p.status.candidates) == 1]
    by_group = hours_by_group([_countable(p) for p in known], [p.status.candidates[0] for p in known], cap)
    assert [(o["noc_code"], o["hours"]) for o in derivation.derived["occupations"]] == [
        (o.code, round_down(h)) for o, h in sorted(by_group.items(), key=lambda kv: (-kv[1], kv[0].code))
    ]
    primaries = [f for f in derivation.facts if f["t"] == "primary_occupation"]
    most = {f["reading"]: f["most_hours"] for f in derivation.facts if f["t"] == "occupation_reading"}
    assert [
        [(f["noc_code"], f["hours"]) for f in primaries if f["reading"] == n] + [("most", most[n])]
        for n in range(len(fraction_readings(state)))
    ] == fraction_readings(state)
