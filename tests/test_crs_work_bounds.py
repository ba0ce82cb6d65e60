"""CRS work points of split NOC codes: every reading of the codes lies within the bounds (hypothesis).

A period whose code is of the classification the edition does not use, with several counterparts, is read
as each counterpart in turn (a code of the edition's own classification, which settles it). Every such
reading decides a settled score; its work factors and its total must lie within the bounds the open
decision gives (possible_points over the CRS grid, the `*_bounded` rules of rulesets/crs/*). A bound
narrower than some reading is the error this looks for: a confident wrong bound is worse than 0 to the
factor's maximum. The applicant's other inputs are settled (a date of birth, `education: []`), so only the
codes leave the score open.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st

from cec_rules.engine.evaluator import Evaluator
from cec_rules.facts.reading import applicant_from_data

import strategies as gen

pytestmark = pytest.mark.slow

SOURCE = "<generated>"
WORK = (
    "canadian_work",
    "spouse_canadian_work",
    "education_canadian_work",
    "foreign_work_language",
    "foreign_canadian_work",
)
MOST_READINGS = 64


@pytest.fixture(scope="module")
def crs():
    return Evaluator(gen.library(), "crs")


def _parameter(day: dt.date, name: str):
    return gen.library().edition_for("crs", day).ruleset.parameters[name].value_on(day)


@functools.lru_cache(maxsize=4)
def _skilled_or_not(version: int, skilled: tuple) -> list[tuple[int, str]]:
    """Codes of the other classification than `version` whose counterparts are skilled in one reading and not in another."""
    other = 2016 if version == 2021 else 2021
    return [
        (other, code)
        for code in sorted(gen.noc().units[other])
        if len({o.level in skilled for o in gen.noc().counterparts(other, code)}) > 1
    ]


def _codes(day: dt.date) -> st.SearchStrategy[dict]:
    """Mostly a code whose readings are skilled or not under the CRS edition, else one of the other
    classification with counterparts (often split), else any code."""
    skilled = tuple(str(level) for level in _parameter(day, "skilled_levels"))
    disputed = st.sampled_from(_skilled_or_not(_parameter(day, "noc_version"), skilled)).map(gen.period_code)
    return st.one_of(disputed, disputed, gen.other_classification_codes(day).map(gen.period_code), gen.noc_codes())


@st.composite
def _periods(draw, day: dt.date, most: int) -> list[dict]:
    """Work periods in Canada or abroad, half a year to 4 years long, mostly full time, ending before `day`."""
    periods = []
    for _ in range(draw(st.integers(1, most))):
        period = draw(gen.work_periods(day, _codes(day)))
        length, gap = draw(st.integers(180, 4 * 366)), draw(st.integers(1, 5 * 366))
        end = day - dt.timedelta(days=gap)
        period.update(
            country=draw(st.sampled_from(["CA", "CA", "IN", "PH"])),
            start=(end - dt.timedelta(days=length)).isoformat(),
            end=end.isoformat(),
            hours_per_week=draw(st.one_of(st.sampled_from([30, 37.5, 40]), gen.hours_per_week())),
        )
        periods.append(period)
    return periods


@st.composite
def crs_applicants(draw) -> dict:
    """A generated applicant (tests/strategies.py) on a day a CRS edition is in force, with its age and
    credentials given, split codes in its work and sometimes an accompanying spouse's."""
    record = draw(gen.applicants(max_work=0, min_tests=1))
    day = gen.day_of(record["application_date"])
    assume(gen.library().edition_for("crs", day) is not None)
    record.update(
        date_of_birth=f"{day.year - draw(st.integers(20, 40))}-01-01", education=[], work_history=draw(_periods(day, 3))
    )
    if draw(st.booleans()):
        record["spouse"] = {"accompanying": True, "education": [], "work_history": draw(_periods(day, 2))}
    return record


def _split(record: dict, day: dt.date) -> list[tuple[list[dict], list[dict]]]:
    """(period, its readings) for each period whose code has several counterparts in the edition's classification."""
    version = _parameter(day, "noc_version")
    periods = record["work_history"] + (record.get("spouse") or {}).get("work_history", [])
    return [
        (p, gen.counterpart_codes((p["noc_version"], p["noc_code"])))
        for p in periods
        if p["noc_version"] != version and len(gen.counterpart_codes((p["noc_version"], p["noc_code"]))) > 1
    ]


def _readings(record: dict, day: dt.date):
    """Each reading of the split codes: a copy of `record` with every such period in one of its counterparts."""
    split = _split(record, day)
    assume(split)
    choices = list(itertools.product(*(codes for _, codes in split)))
    assume(len(choices) <= MOST_READINGS)
    for choice in choices:
        for (period, _), code in zip(split, choice):
            period.update(gen.period_code(code))
        yield copy.deepcopy(record)


def _decide(crs, record: dict):
    return crs.evaluate(applicant_from_data(record, SOURCE), source=SOURCE).score


@given(crs_applicants())
def test_every_reading_of_split_codes_lies_within_the_work_bounds(crs, record):
    day = gen.day_of(record["application_date"])
    open_score = _decide(crs, copy.deepcopy(record))
    bounds = {f.id: f.bounds for f in open_score.factors}
    open_work = [f for f in open_score.factors if f.id in WORK and f.points is None]
    event(
        f"open work factors: {len(open_work)}, bounded: {sum(f.between not in (None, (0, f.max)) for f in open_work)}"
    )
    for reading in _readings(record, day):
        score = _decide(crs, reading)
        assert score.total == score.possible_total, "a reading of every split code settles the score"
        assert open_score.total <= score.total <= open_score.possible_total, reading
        for factor in score.factors:
            if factor.id in WORK:
                least, most = bounds[factor.id]
                assert least <= factor.points <= most, (factor.id, reading)
