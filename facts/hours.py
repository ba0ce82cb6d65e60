"""Qualifying hours with exact arithmetic and a weekly cap across concurrent jobs (DESIGN.md).

Each day of a period contributes hours_per_week / 7; the hours credited in one ISO week (Monday to
Sunday), summed over all periods, are capped at the weekly cap. Everything is integer arithmetic in
units of 1/(7·D) hour, where D is the common denominator of the weekly hours, so 364 days at
30 h/week is exactly 1,560 h and 363 days is not. The sweep works on segments of constant total
rate, so the cost grows with the number of periods, not with the number of days.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Iterable

Interval = tuple[int, int]  # inclusive day ordinals


def clip(interval: Interval, window: Interval) -> Interval | None:
    """The part of `interval` inside `window`, or None."""
    start, end = max(interval[0], window[0]), min(interval[1], window[1])
    return (start, end) if start <= end else None


def subtract(interval: Interval, removals: Iterable[Interval]) -> list[Interval]:
    """`interval` minus every removal (e.g. days of full-time study).

    Examples:
        >>> subtract((1, 10), [(3, 4), (8, 20)])
        [(1, 2), (5, 7)]
    """
    pieces = [interval]
    for r_start, r_end in removals:
        next_pieces = []
        for start, end in pieces:
            if r_end < start or r_start > end:
                next_pieces.append((start, end))
                continue
            if start < r_start:
                next_pieces.append((start, r_start - 1))
            if r_end < end:
                next_pieces.append((r_end + 1, end))
        pieces = next_pieces
    return pieces


def capped_hours(periods: list[tuple[Interval, Fraction]], weekly_cap: Fraction) -> Fraction:
    """Exact hours of `periods` (interval, hours per week), at most `weekly_cap` per ISO week.

    Examples:
        >>> import datetime as dt
        >>> day = dt.date(2024, 1, 1).toordinal()
        >>> capped_hours([((day, day + 363), Fraction(30))], Fraction(30))
        Fraction(1560, 1)
        >>> capped_hours([((day, day + 6), Fraction(20)), ((day, day + 6), Fraction(20))], Fraction(30))
        Fraction(30, 1)
    """
    if not periods:
        return Fraction(0)
    denominator = math.lcm(weekly_cap.denominator, *(rate.denominator for _, rate in periods))
    week_cap_units = weekly_cap.numerator * 7 * (denominator // weekly_cap.denominator)
    # (rate/7) h a day = rate·D units of 1/(7·D) h
    pieces = [(interval, rate.numerator * (denominator // rate.denominator)) for interval, rate in periods]
    return Fraction(capped_units(pieces, week_cap_units), 7 * denominator)


def capped_units(pieces: list[tuple[Interval, int]], week_cap: int) -> int:
    """`capped_hours` in integers: the units of `pieces` (interval, units a day), at most `week_cap` units per
    ISO week (day ordinal 1 is a Monday). A caller that counts every hours of an applicant in one unit (1/(7·D)
    hour, D a common denominator of the weekly hours and the cap) compares and adds them without Fractions.

    Examples:
        >>> capped_units([((1, 14), 5)], 30), capped_units([((1, 7), 3), ((4, 10), 4)], 25)
        (60, 37)
    """
    if len(pieces) == 1:  # the usual case: one interval at one rate
        return interval_units(*pieces[0], week_cap)
    full_weeks_units = 0
    partial: dict[int, int] = {}
    for (start, end), daily_units in _constant_rate_segments(pieces):
        first_week, last_week = (start - 1) // 7, (end - 1) // 7
        if first_week == last_week:
            partial[first_week] = partial.get(first_week, 0) + (end - start + 1) * daily_units
            continue
        partial[first_week] = partial.get(first_week, 0) + (7 * first_week + 7 - start + 1) * daily_units
        partial[last_week] = partial.get(last_week, 0) + (end - 7 * last_week) * daily_units
        full_weeks_units += (last_week - first_week - 1) * min(week_cap, 7 * daily_units)
    return full_weeks_units + sum(min(week_cap, units) for units in partial.values())


def interval_units(interval: Interval, daily_units: int, week_cap: int) -> int:
    """`capped_units` of one interval at one rate: its first and last weeks (partial or not) and the weeks between."""
    start, end = interval
    first_week, last_week = (start - 1) // 7, (end - 1) // 7
    if first_week == last_week:
        return min(week_cap, (end - start + 1) * daily_units)
    return (
        min(week_cap, (7 * first_week + 7 - start + 1) * daily_units)
        + min(week_cap, (end - 7 * last_week) * daily_units)
        + (last_week - first_week - 1) * min(week_cap, 7 * daily_units)
    )


def _constant_rate_segments(pieces: list[tuple[Interval, int]]) -> list[tuple[Interval, int]]:
    """Split the union of pieces into (interval, units a day) segments where the total rate is constant (and not 0)."""
    changes: dict[int, int] = {}
    for (start, end), units in pieces:
        changes[start] = changes.get(start, 0) + units
        changes[end + 1] = changes.get(end + 1, 0) - units
    days = sorted(changes)
    segments = []
    running = 0
    for day, next_day in zip(days, days[1:]):
        running += changes[day]
        if running:
            segments.append(((day, next_day - 1), running))
    return segments
