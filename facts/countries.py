"""ISO 3166-1 alpha-2 country codes, checked against the data list in `rulesets/data/countries/`.

Why a list and not just "two capital letters": `XX` or `UK` (the code is `GB`) would otherwise be read
as some foreign country and the work period silently not counted.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from cec_rules.engine.pydantic_problems import suggest

COUNTRIES_FILE = "data/countries/iso3166-1-alpha2.csv"
_ALIASES = {"UK": "GB", "EL": "GR"}  # codes people write that ISO assigns otherwise


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """{code: name} from the bundled list."""
    with resources.files("cec_rules.rulesets").joinpath(COUNTRIES_FILE).open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def check_country(value: str) -> str:
    """`value` when it is an assigned code; otherwise a ValueError with a "did you mean".

    Examples:
        >>> check_country("CA")
        'CA'
        >>> check_country("UK")
        Traceback (most recent call last):
        ...
        ValueError: unknown country code 'UK' (did you mean 'GB'?); expected an ISO 3166-1 alpha-2 code such as CA, US, FR, IN
    """
    names = country_names()
    if value in names:
        return value
    raise ValueError(
        f"unknown country code {value!r}{_hint(value, names)}; expected an ISO 3166-1 alpha-2 code such as CA, US, FR, IN"
    )


def _hint(value: str, names: dict[str, str]) -> str:
    text = value.strip()
    if text.upper() in names:
        return f" (did you mean {text.upper()!r}?)"
    if text.upper() in _ALIASES:
        return f" (did you mean {_ALIASES[text.upper()]!r}?)"
    by_name = {name.casefold(): code for code, name in names.items()}
    if text.casefold() in by_name:
        return f" (did you mean {by_name[text.casefold()]!r}?)"
    return suggest(text, list(names)) if len(text) == 2 else ""
