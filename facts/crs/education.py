"""Education levels as the CRS reads them: each recognised credential's level, the highest one, and
"two or more credentials, one of 3 years or more".

The levels and their order are the edition's `education_ranking` parameter (lowest first), so the
Python only knows what each credential *is*; the points per level are the edition's decision tables.
A post-secondary credential without `years` is read both as 1 year and as 3 years: when the two
readings give the same level it is settled, otherwise the level is unsettled and names the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cec_rules.facts.credentials import is_canadian, recognized
from cec_rules.facts.findings import finding

from .words import EDUCATION

SHORTEST, LONGEST = 1, 3  # the years a post-secondary credential without `years` could have, for the CRS tiers
BY_YEARS = {1: "one_year", 2: "two_year"}
NONE = "none"


@dataclass(frozen=True)
class Level:
    """A level and whether the input settles it (if not: the field that would, and why, in English and French)."""

    level: str
    settled: bool = True
    field: str = ""
    why: str = ""
    why_fr: str = ""


def credential_level(credential, years: int | None) -> str | None:
    """One credential's CRS level (None: a post-secondary program of less than a year, which scores nothing)."""
    if credential.level in ("masters", "professional_degree"):
        return "masters"
    if credential.level in ("secondary", "doctoral"):
        return credential.level
    if years is None or years < 1:
        return None
    return BY_YEARS.get(years, "three_year")


def highest(credentials: list, ranking: list[str], years_of, combined: bool) -> str:
    """The highest level in `ranking` of `credentials` ((index, credential) pairs; `years_of(credential)` gives
    their length); `combined` adds the two-or-more level (two post-secondary credentials, one of 3+ years)."""
    levels = [credential_level(c, years_of(c)) for _, c in credentials]
    found = [level for level in levels if level is not None]
    post_secondary = [level for level in found if level not in ("secondary",)]
    if combined and len(post_secondary) >= 2 and "three_year" in post_secondary:
        found.append("two_or_more")
    return max(found, key=ranking.index, default=NONE)


def level_of(credentials: list, ranking: list[str], field: str, combined: bool = True) -> Level:
    """The highest level of (index, credential) pairs, settled when reading every credential without `years` as short or long agrees."""
    low = highest(credentials, ranking, lambda c: c.years if c.years is not None else SHORTEST, combined)
    high = highest(credentials, ranking, lambda c: c.years if c.years is not None else LONGEST, combined)
    if low == high:
        return Level(low)
    index = next(i for i, c in credentials if c.level == "post_secondary" and c.years is None)
    return Level(
        low,
        False,
        f"{field}[{index}].years",
        f"the length of the post-secondary program of {field}[{index}] decides the education level ({low} or {high})",
        f"la durée du programme postsecondaire de {field}[{index}] détermine le niveau de scolarité "
        f"({EDUCATION[low]} ou {EDUCATION[high]})",
    )


def recognized_credentials(credentials: list, day: dt.date, eca_years: int) -> tuple[list, list[str]]:
    """The credentials that count (Canadian, or foreign with an ECA less than `eca_years` old) and a note on each that does not."""
    counted, notes = [], []
    for index, credential in enumerate(credentials):
        if recognized(credential, day, eca_years):
            counted.append((index, credential))
        elif credential.completed > day:
            notes.append(finding("completed_late", where=f"education[{index}]", day=day))
        else:
            notes.append(finding("eca_too_old", where=f"education[{index}]", years=eca_years))
    return counted, notes


def canadian_only(counted: list) -> list:
    return [(i, c) for i, c in counted if is_canadian(c)]
