"""Canadian and foreign skilled work experience in whole full-time-equivalent years, for the CRS.

Reuses CEC's exact hours code (facts/derive.py `experience`: each period classified for the edition, the
screen's exclusions applied, hours with the weekly cap across concurrent jobs) with the CRS edition's own
window (10 years) and cap. Which periods count is decided by the edition's `phase: screen` rules
(rulesets/crs/*/ruleset.yaml), over the applicant's periods and, when the spouse counts, the spouse's
(numbered after the applicant's: `screen_groups`). Canadian work is the periods in
`qualifying_work_countries`; foreign work every other period, of which (the CRS tool's wording) only one
occupation counts: the unit group with the most hours. A year is `hours_per_year` hours. A split NOC code
is never guessed: the years are given as a lower and an upper bound (`years`, `possible_years`), settled
when both give the same whole number of years; the rules bound the points of an unsettled count by them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from types import SimpleNamespace

from cec_rules.engine.errors import InputError
from cec_rules.facts.derive import Experience, experience, screen_facts
from cec_rules.facts.readings import Countable, hours_by_group

from .words import WHAT


@dataclass(frozen=True)
class Years:
    """Whole years of experience, with the hours behind them, and what leaves them open: `years` counts only
    the work every reading of split codes counts, `possible_years` all that some reading counts."""

    years: int
    hours: Fraction
    settled: bool = True
    field: str = ""
    why: str = ""
    notes: tuple[str, ...] = ()
    why_fr: str = ""
    possible_years: int | None = None  # None: `years` (settled)

    @property
    def most(self) -> int:
        """The most whole years any reading gives."""
        return self.years if self.possible_years is None else self.possible_years


def screen_groups(applicant, spouse, day: dt.date, noc, params: dict, source: str) -> list[list[dict]]:
    """The screen's groups (facts/derive.py `screen_facts`, CEC's): the applicant's work periods, then those
    of `spouse` (None: not counted), whose items are numbered after the applicant's (`of_spouse` reads them back)."""
    groups = screen_facts(applicant, day, noc, params, source)
    if spouse is not None:
        view = SimpleNamespace(
            work_history=spouse.work_history,
            study_history=spouse.study_history,
            intended_province=applicant.intended_province,
        )
        offset = len(applicant.work_history)
        for group in _prefixed("spouse.", screen_facts, view, day, noc, params, source):
            groups.append([{**group[0], "item": group[0]["item"] + offset}, *group[1:]])
    return groups


def of_applicant(exclusions: list, applicant) -> list:
    """The exclusions of the applicant's own work periods."""
    return [e for e in exclusions if e.item < len(applicant.work_history)]


def of_spouse(exclusions: list, applicant) -> list:
    """The exclusions of the spouse's work periods, numbered again from 0 in the spouse's work_history."""
    offset = len(applicant.work_history)
    return [dataclasses.replace(e, item=e.item - offset) for e in exclusions if e.item >= offset]


def canadian_years(
    person, day: dt.date, noc, params: dict, source: str, prefix: str = "", exclusions: list = ()
) -> Years:
    """Skilled Canadian work in the window that the screen did not exclude, in years of `hours_per_year`."""
    return _canadian(_experience(person, day, noc, params, source, prefix, exclusions), params, prefix)


def work_years(person, day: dt.date, noc, params: dict, source: str, exclusions: list = ()) -> tuple[Years, Years]:
    """The Canadian years (`canadian_years`) and the foreign years (`_foreign`), from one reading of the work history."""
    state = _experience(person, day, noc, params, source, "", exclusions)
    return _canadian(state, params, ""), _foreign(state, params, "")


def _canadian(state: Experience, params: dict, prefix: str) -> Years:
    state = _part(state, params, canadian=True)
    certain = state.total()
    possible = state.total(state.possible) if any(p.unsettled for p in state.possible) else certain
    return _years(certain, possible, state, params, prefix, "Canadian work experience")


def _foreign(state: Experience, params: dict, prefix: str) -> Years:
    """Skilled work outside Canada in the window that the screen did not exclude, in the one unit group with the most hours."""
    state = _part(state, params, canadian=False)
    known = [p for p in state.counted if not p.status.split]
    groups = hours_by_group(
        [Countable(p.index, tuple(p.intervals), p.rate, (), False) for p in known],
        [p.status.candidates[0] for p in known],
        state.cap,
    )
    certain = max(groups.values(), default=Fraction(0))
    unsettled = any(p.status.split for p in state.possible)
    possible = state.total(state.possible) if unsettled else certain
    return _years(certain, possible, state, params, prefix, "foreign work experience")


def _experience(person, day, noc, params, source, prefix, exclusions):
    return _prefixed(prefix, experience, person, day, noc, params, source, list(exclusions))


def _prefixed(prefix: str, function, *args):
    """`function(*args)`, naming the spouse's field in its input error when it is the spouse's work."""
    try:
        return function(*args)
    except InputError as exc:
        raise InputError(exc.source, prefix + exc.field, exc.detail, exc.line) from None


def _part(state: Experience, params: dict, canadian: bool) -> Experience:
    """The Canadian periods (in `qualifying_work_countries`) or the foreign ones, with their findings."""
    periods = [p for p in state.periods if (p.period.country in params["qualifying_work_countries"]) == canadian]
    heads = tuple(f"work_history[{p.index}]:" for p in periods)
    return dataclasses.replace(state, periods=periods, findings=[f for f in state.findings if f.startswith(heads)])


def _years(certain: Fraction, possible: Fraction, state, params: dict, prefix: str, what: str) -> Years:
    per_year = params["hours_per_year"]
    low, high = int(certain // per_year), int(possible // per_year)
    notes = tuple(f"{prefix}{note}" for note in state.findings)
    if low == high:
        return Years(low, certain, notes=notes)
    split = next(p for p in state.possible if p.status.split)
    field = f"{prefix}work_history[{split.index}].noc_code"
    return Years(
        low,
        certain,
        False,
        field,
        f"{what} is {low} to {high} years depending on the unit group of {field}",
        notes,
        f"{WHAT[what]} compte de {low} à {high} année(s) selon le groupe de base de {field}",
        high,
    )
