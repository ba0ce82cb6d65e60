"""Age in completed years, as the points grids and the CRS read it (FSW IRPR 81, CRS core factors)."""

from __future__ import annotations

import datetime as dt


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years on `day`: the age goes up on the birthday itself. Someone born on 29 February
    turns a year older on 1 March in a common year (interpretation: the anniversary of the birth date
    has not begun until then; Interpretation Act, R.S.C. 1985, c. I-21, s. 30).

    Examples:
        >>> age_on(dt.date(1990, 5, 2), dt.date(2026, 5, 1)), age_on(dt.date(1990, 5, 2), dt.date(2026, 5, 2))
        (35, 36)
        >>> age_on(dt.date(2000, 2, 29), dt.date(2025, 2, 28)), age_on(dt.date(2000, 2, 29), dt.date(2025, 3, 1))
        (24, 25)
    """
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)
