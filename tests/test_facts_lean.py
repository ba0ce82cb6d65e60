"""The short cuts of CEC's screen facts and derivation (docs/performance.md, branch facts-lean) against the plain
definitions they replace: the usual case is answered without the general formula, never differently."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cec_rules.facts import derive as derive_module
from cec_rules.facts.derive import experience, screen_facts
from cec_rules.facts.hours import clip
from cec_rules.facts.language import assess_results, level_for
from cec_rules.facts.reading import applicant_from_data
from cec_rules.facts.readings import Reading, reading_of
from cec_rules.facts.tables import ABILITIES, Occupation

import strategies as gen

SOURCE = "<generated>"
OCCUPATIONS = [
    Occupation("21231", 2021, "Software engineers", "1"),
    Occupation("62200", 2021, "Chefs", "2"),
    Occupation("0423", 2016, "Managers", "0"),
]
HOURS = st.integers(-3, 5) | st.fractions(min_value=-1, max_value=5, max_denominator=7)


@given(st.dictionaries(st.sampled_from(OCCUPATIONS), HOURS, max_size=3))
def test_a_reading_is_the_unit_groups_with_the_most_hours(hours):
    top = max(hours.values(), default=0)
    plain = (
        Reading((), 9)
        if top <= 0
        else Reading(tuple(sorted(((o, h) for o, h in hours.items() if h == top), key=lambda item: item[0].code)), 9)
    )
    assert reading_of(hours, 9) == plain


@st.composite
def read_applicants(draw):
    record = draw(st.one_of(gen.applicants(max_study=3), _with_open_study(), _with_split_codes()))
    try:
        applicant = applicant_from_data(record, SOURCE)
    except Exception:  # (a record the contract refuses has no facts)
        return None
    return applicant


@st.composite
def _with_split_codes(draw):
    """More periods in codes of the other classification, most of which split (tests/test_exact_units.py)."""
    record = draw(gen.applicants(max_work=2))
    day = gen.application_day(record)
    more = st.lists(gen.qualifying_work_periods(day, gen.other_classification_codes(day)), min_size=1, max_size=3)
    return {**record, "work_history": record["work_history"] + draw(more)}


@st.composite
def _with_open_study(draw):
    """Study periods that end with the window, some starting after it (their open end is then before their start)."""
    record = draw(gen.applicants(max_study=0))
    day = gen.application_day(record)
    starts = st.sampled_from(
        [day - dt.timedelta(days=400), day - dt.timedelta(days=1), day, day + dt.timedelta(days=30)]
    )
    studies = draw(
        st.lists(
            st.builds(
                lambda start, full: {"start": start.isoformat(), "end": None, "full_time": full, "country": "CA"},
                starts,
                st.booleans(),
            ),
            min_size=1,
            max_size=2,
        )
    )
    return {**record, "study_history": studies}


@given(read_applicants())
def test_each_work_period_is_screened_with_the_study_periods_over_its_days_in_the_window(evaluator, applicant):
    if applicant is None:
        return
    edition, compiled = evaluator.context(applicant, None, SOURCE)
    day, params = applicant.application_date, compiled.parameters
    try:
        groups = screen_facts(applicant, day, edition.tables.noc, params, SOURCE)
    except Exception as error:
        assert type(error).__name__ == "InputError", error
        return
    window, window_days = derive_module._window(day, params["experience_window_years"])[:2]
    for work, group in zip(applicant.work_history, groups, strict=True):
        inside = derive_module._inside(work, day, window_days)
        plain = [
            number
            for number, study in enumerate(applicant.study_history)
            if inside and clip(inside, (study.start.toordinal(), (study.end or window[1]).toordinal()))
        ]
        assert [fact["study"] for fact in group[1:]] == plain
        assert group[0]["end"] == int((work.end or window[1]).strftime("%Y%m%d")) and group[0]["in_window"] is (
            inside is not None
        )


@given(read_applicants())
def test_periods_are_excluded_and_noted_as_the_rules_for_every_period_say(evaluator, applicant):
    """`_classify_periods` applies the screen's exclusions, the timing and the findings only where they can apply."""
    if applicant is None:
        return
    edition, compiled = evaluator.context(applicant, None, SOURCE)
    day = applicant.application_date
    try:
        exclusions = evaluator.screen(applicant, day, edition, SOURCE).exclusions
        state = experience(applicant, day, edition.tables.noc, compiled.parameters, SOURCE, exclusions)
    except Exception as error:
        assert type(error).__name__ == "InputError", error
        return
    findings = []
    for period in state.periods:
        mine = [e for e in exclusions if e.item == period.index]
        inside = derive_module._inside(
            period.period, day, derive_module._window(day, compiled.parameters["experience_window_years"])[1]
        )
        again = derive_module.PeriodStatus(
            period.index, period.period, period.status, [inside] if inside else [], None, period.rate
        )
        again.excluded = (derive_module._screened(again, mine) if mine else None) or derive_module._timing(
            period.period, day, inside
        )
        assert (period.excluded, period.intervals) == (again.excluded, again.intervals)
        finding = derive_module._finding(again, day, mine)
        if finding:
            findings.append(finding)
    assert state.findings == findings


@given(read_applicants())
def test_a_result_converts_ability_by_ability(evaluator, applicant):
    """Each ability's level from its own table, the lowest level and the first ability at it (in ABILITIES' order)."""
    if applicant is None:
        return
    edition, compiled = evaluator.context(applicant, None, SOURCE)
    tests = edition.tables.language_tests
    try:
        summaries, valid = assess_results(
            applicant.language_tests, applicant.application_date, tests, compiled.parameters, SOURCE
        )
    except Exception as error:
        assert type(error).__name__ == "InputError", error
        return
    for result, summary in zip(applicant.language_tests, summaries, strict=True):
        table = tests[result.test].table_for(result.date)
        levels = {ability: level_for(table, ability, getattr(result, ability)) for ability in ABILITIES}
        assert summary["levels"] == levels and summary["lowest"] == min(levels.values())
    for converted in valid:
        assert converted.lowest == min(converted.levels.values())
        assert converted.lowest_ability == min(ABILITIES, key=converted.levels.__getitem__)
