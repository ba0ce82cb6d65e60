"""The occupation with the most qualifying hours (IRPR 87.1(2)(e)), under every reading of split codes.

Occupations are compared as unit groups of the edition's classification, whatever classification the
input used: a NOC 2016 code with a single NOC 2021 counterpart is that unit group, so the same job
reported once in each classification is one occupation. Each occupation's hours are its own periods'
hours with the weekly cap applied within that occupation.

A period whose code splits into several unit groups could be any of them (and, when some candidates are
not skilled, might not count at all). A *reading* picks one candidate for every such period; the rules
then decide the language threshold in every reading and conclude it only when all readings agree
(DESIGN.md). Readings are told apart by their set of predominant occupations, so many assignments
usually collapse into a few readings. Each reading also keeps the most qualifying hours (every job, with the
weekly cap across them) that any of its assignments gives, so the rules can tell a reading in which the
hours are never reached (87.1(2)(a)) from one in which they may be. When there are too many assignments to
enumerate, each occupation that could be predominant becomes a reading of its own, with the hours of every
period that may count: a superset of the true readings' thresholds and an upper bound of their hours, so a
conclusion drawn from it still holds in every true reading (it can only say "undetermined" more often).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from .tables import Occupation

from .hours import capped_hours

MAX_ASSIGNMENTS = 4096


@dataclass(frozen=True)
class Countable:
    """A period that counts in at least one reading: its intervals, weekly rate and candidate unit groups."""

    index: int
    intervals: tuple
    rate: Fraction
    candidates: tuple[Occupation, ...]  # the unit groups it can be in, skilled ones only (it counts there)
    may_not_count: bool  # some candidates are not skilled: in those readings it does not count


@dataclass(frozen=True)
class Reading:
    """One way the split codes can be read, as far as 87.1(2)(e) cares: the predominant occupations."""

    primaries: tuple[tuple[Occupation, Fraction], ...]  # (unit group, its hours), tied at the top
    most_hours: (
        Fraction | int
    )  # the most qualifying hours (all unit groups together) of any assignment with these primaries


def readings(periods: list[Countable], cap: Fraction) -> list[Reading]:
    """The distinct readings of `periods` (in a stable order); one reading when no code splits."""
    choices = [_choices(p) for p in periods]
    total = 1
    for options in choices:
        total *= len(options)
        if total > MAX_ASSIGNMENTS:
            return _candidate_readings(periods, cap)
    found: dict[tuple, Reading] = {}
    totals: dict[tuple, Fraction] = {}  # which periods count -> their hours together (capped across them)
    for assignment in itertools.product(*choices):
        counting = tuple(occupation is not None for occupation in assignment)
        total = totals.get(counting)
        if total is None:
            total = totals[counting] = _hours([p for p, counts in zip(periods, counting) if counts], cap)
        reading = reading_of(hours_by_group(periods, assignment, cap), total)
        key = tuple(o.code for o, _ in reading.primaries)
        kept = found.get(key)
        if kept is None or total > kept.most_hours:  # the first assignment's primaries, the most hours of any
            found[key] = reading if kept is None else Reading(kept.primaries, total)
    return list(found.values())


def hours_by_group(periods: list[Countable], assignment, cap: Fraction) -> dict[Occupation, Fraction]:
    """Each unit group's hours under one assignment (None = the period does not count), capped per group."""
    groups: dict[Occupation, list[Countable]] = {}
    for period, occupation in zip(periods, assignment):
        if occupation is not None:
            groups.setdefault(occupation, []).append(period)
    return {occupation: _hours(members, cap) for occupation, members in groups.items()}


def _choices(period: Countable) -> tuple:
    return period.candidates + ((None,) if period.may_not_count else ())


def _hours(members: list[Countable], cap: Fraction) -> Fraction:
    return capped_hours([(interval, p.rate) for p in members for interval in p.intervals], cap)


def reading_of(hours: dict[Occupation, Fraction | int], total: Fraction | int) -> Reading:
    """The reading whose unit groups have these hours (exact: Fractions, or integers in one unit), the ones
    with the most, tied at the top; `total`: the hours of all of them together, capped across them."""
    if len(hours) == 1:  # the usual case: one unit group
        ((occupation, top),) = hours.items()
        return Reading(((occupation, top),), total) if top > 0 else Reading((), total)
    top = max(hours.values(), default=0)
    if top <= 0:
        return Reading((), total)
    return Reading(tuple(sorted(((o, h) for o, h in hours.items() if h == top), key=lambda item: item[0].code)), total)


def _candidate_readings(periods: list[Countable], cap: Fraction) -> list[Reading]:
    """Too many assignments: one reading per unit group that could be predominant (a sound superset), each
    with the hours of every period that may count (an upper bound of any assignment's)."""
    certain = {
        o: h
        for o, h in hours_by_group(
            [p for p in periods if len(_choices(p)) == 1],
            [p.candidates[0] for p in periods if len(_choices(p)) == 1],
            cap,
        ).items()
    }
    floor = max(certain.values(), default=Fraction(0))
    candidates = sorted({o for p in periods for o in p.candidates}, key=lambda o: o.code)
    every = _hours(periods, cap)
    found = []
    for occupation in candidates:
        most = _hours([p for p in periods if occupation in p.candidates], cap)
        if most > 0 and most >= floor:
            found.append(Reading(((occupation, most),), every))
    if floor == 0:
        found.append(Reading((), every))
    return found
