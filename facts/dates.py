"""Calendar arithmetic for windows and validity limits (DESIGN.md: calendar years, 29 Feb -> 28 Feb)."""

from __future__ import annotations

import calendar
import datetime as dt


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier; from 29 February, 28 February.

    Examples:
        >>> years_before(dt.date(2024, 2, 29), 3), years_before(dt.date(2026, 11, 1), 2)
        (datetime.date(2021, 2, 28), datetime.date(2024, 11, 1))
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later; past the end of a shorter month, its last day.

    Examples:
        >>> months_after(dt.date(2025, 5, 1), 12), months_after(dt.date(2024, 2, 29), 12), months_after(dt.date(2025, 3, 31), 11)
        (datetime.date(2026, 5, 1), datetime.date(2025, 2, 28), datetime.date(2026, 2, 28))
    """
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def as_int(day: dt.date) -> int:
    """Dates travel as integers YYYYMMDD inside durable-rules, which has no date type."""
    return day.year * 10000 + day.month * 100 + day.day


def as_date(day: int) -> dt.date:
    """The date of an integer YYYYMMDD (the inverse of `as_int`).

    Examples:
        >>> as_date(20261101)
        datetime.date(2026, 11, 1)
    """
    return dt.date(day // 10000, day // 100 % 100, day % 100)
