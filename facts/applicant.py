"""The applicant input contract (DESIGN.md "Input contract"): shape and types only.

Checks that need the ruleset's data (is the NOC code known? is the test designated?) happen in the
derivation, which reports them with the same field paths. Strict types on purpose: `paid: "yes"` or
`noc_code: 21231` (a number, which loses leading zeros) are errors, not guesses.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from cec_rules.engine.shown import literal
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr, ValidationInfo, field_validator

from .countries import check_country


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # compiled once: every date of every record goes through it


def _iso_date_only(value):
    """Dates are "YYYY-MM-DD" text (or date objects from code): no datetimes, no epoch seconds."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError(f"expected a date as YYYY-MM-DD, got {literal(value)}")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


def _whole_number(value):
    """`2021.0` or `"2021"` are not a NOC version: only the integer."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected 2016 or 2021 as a whole number, got {literal(value)}")
    return value
Hours = Annotated[float, Field(strict=True, ge=0, le=168)]
Score = Annotated[float, Field(strict=True, ge=0)]
# ISO 3166-1 alpha-2, checked against the data list (the schema keeps the shape, for editors)
CountryCode = Annotated[StrictStr, AfterValidator(check_country), Field(json_schema_extra={"pattern": "^[A-Z]{2}$"})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LanguageTestResult(Strict):
    test: StrictStr
    date: IsoDate
    listening: Score
    reading: Score
    writing: Score
    speaking: Score


def _end_not_before_start(end: dt.date | None, info: ValidationInfo) -> dt.date | None:
    start = info.data.get("start")
    if end is not None and start is not None and end < start:
        raise ValueError(f"end {end} is before start {start}")
    return end


class WorkPeriod(Strict):
    # noc_version is declared first so that the noc_code check can see it (fields validate in order).
    noc_version: Annotated[Literal[2016, 2021], BeforeValidator(_whole_number)]
    noc_code: Annotated[StrictStr, Field(pattern=r"^[0-9]{4,5}$")]
    country: CountryCode
    start: IsoDate
    end: IsoDate | None = None
    hours_per_week: Hours
    paid: StrictBool
    self_employed: StrictBool
    authorized: StrictBool

    _end_check = field_validator("end")(_end_not_before_start)

    @field_validator("noc_code")
    @classmethod
    def _length_matches_version(cls, code: str, info: ValidationInfo) -> str:
        version = info.data.get("noc_version")
        expected = {2016: 4, 2021: 5}.get(version)
        if expected is not None and len(code) != expected:
            raise ValueError(f"{code!r} has {len(code)} digits but NOC {version} codes have {expected} (noc_version: {version})")
        return code


class StudyPeriod(Strict):
    start: IsoDate
    end: IsoDate | None = None
    full_time: StrictBool
    country: CountryCode

    _end_check = field_validator("end")(_end_not_before_start)


class Applicant(Strict):
    id: Annotated[StrictStr, Field(min_length=1)]
    application_date: IsoDate
    intended_province: Annotated[StrictStr, Field(pattern=r"^[A-Z]{2}$")]
    language_tests: list[LanguageTestResult] = []
    work_history: list[WorkPeriod] = []
    study_history: list[StudyPeriod] = []
    admissible: StrictBool = True
