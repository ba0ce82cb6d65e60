"""Canadian and foreign skilled work experience in whole full-time-equivalent years, for the CRS.

Reuses CEC's exact hours code (facts/derive.py `experience`: each period classified for the edition,
its days in the window outside full-time study, hours with the weekly cap across concurrent jobs) with the
CRS edition's own window (10 years), cap and countries. Canadian work (MI s. 15(7)) counts every skilled
Canadian period, less days of full-time study. Foreign work is every other country; full-time study does
not exclude it, and (the CRS tool's wording) only one occupation counts: the unit group with the most
hours. A year is `hours_per_year` hours. A split NOC code is never guessed: the years are given as a lower
and an upper bound, settled when both give the same whole number of years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from types import SimpleNamespace

from cec_rules.engine.errors import InputError
from cec_rules.facts.derive import experience
from cec_rules.facts.readings import Countable, hours_by_group
from cec_rules.facts.vocabulary import COUNTRIES


@dataclass(frozen=True)
class Years:
    """Whole years of experience, with the hours behind them, and what leaves them open."""

    years: int
    hours: Fraction
    settled: bool = True
    field: str = ""
    why: str = ""
    notes: tuple[str, ...] = ()


def canadian_years(person, day: dt.date, noc, params: dict, source: str, prefix: str = "") -> Years:
    """Skilled Canadian work in the window, less full-time study, in years of `hours_per_year`."""
    state = _experience(person, day, noc, params, source, prefix)
    certain = state.total()
    possible = state.total(state.possible) if any(p.unsettled for p in state.possible) else certain
    return _years(certain, possible, state, params, prefix, "Canadian work experience")


def foreign_years(person, day: dt.date, noc, params: dict, source: str, prefix: str = "") -> Years:
    """Skilled work outside Canada in the window, in the one unit group with the most hours."""
    abroad = [c for c in COUNTRIES if c not in params["qualifying_work_countries"]]
    view = SimpleNamespace(work_history=person.work_history, study_history=[])  # study does not exclude foreign work
    state = _experience(view, day, noc, {**params, "qualifying_work_countries": abroad}, source, prefix)
    known = [p for p in state.counted if not p.status.split]
    groups = hours_by_group([Countable(p.index, tuple(p.intervals), p.rate, (), False) for p in known],
                            [p.status.candidates[0] for p in known], state.cap)
    certain = max(groups.values(), default=Fraction(0))
    unsettled = any(p.status.split for p in state.possible)
    possible = state.total(state.possible) if unsettled else certain
    return _years(certain, possible, state, params, prefix, "foreign work experience")


def _experience(person, day, noc, params, source, prefix):
    try:
        return experience(person, day, noc, params, source)
    except InputError as exc:  # name the spouse's field when it is the spouse's work
        raise InputError(source, prefix + exc.field, exc.detail, exc.line) from None


def _years(certain: Fraction, possible: Fraction, state, params: dict, prefix: str, what: str) -> Years:
    per_year = params["hours_per_year"]
    low, high = int(certain // per_year), int(possible // per_year)
    notes = tuple(f"{prefix}{note}" for note in state.findings)
    if low == high:
        return Years(low, certain, notes=notes)
    split = next(p for p in state.possible if p.status.split)
    field = f"{prefix}work_history[{split.index}].noc_code"
    return Years(low, certain, False, field, f"{what} is {low} to {high} years depending on the unit group of {field}", notes)
