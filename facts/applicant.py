"""The applicant input contract (DESIGN.md "Input contract"): shape and types only.

Checks that need the ruleset's data (is the NOC code known? is the test designated?) happen in the
derivation, which reports them with the same field paths. Strict types on purpose: `paid: "yes"` or
`noc_code: 21231` (a number, which loses leading zeros) are errors, not guesses.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, model_validator

Hours = Annotated[float, Field(strict=True, ge=0, le=168)]
Score = Annotated[float, Field(strict=True, ge=0)]
CountryCode = Annotated[StrictStr, Field(pattern=r"^[A-Z]{2}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LanguageTestResult(Strict):
    test: StrictStr
    date: dt.date
    listening: Score
    reading: Score
    writing: Score
    speaking: Score


class WorkPeriod(Strict):
    noc_code: Annotated[StrictStr, Field(pattern=r"^[0-9]{4,5}$")]
    noc_version: Literal[2016, 2021]
    country: CountryCode
    start: dt.date
    end: dt.date | None = None
    hours_per_week: Hours
    paid: StrictBool
    self_employed: StrictBool
    authorized: StrictBool

    @model_validator(mode="after")
    def _consistent(self) -> "WorkPeriod":
        expected = {2016: 4, 2021: 5}[self.noc_version]
        if len(self.noc_code) != expected:
            raise ValueError(f"noc_code {self.noc_code!r} has {len(self.noc_code)} digits but noc_version {self.noc_version} codes have {expected}")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class StudyPeriod(Strict):
    start: dt.date
    end: dt.date | None = None
    full_time: StrictBool
    country: CountryCode

    @model_validator(mode="after")
    def _ordered(self) -> "StudyPeriod":
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Applicant(Strict):
    id: Annotated[StrictStr, Field(min_length=1)]
    application_date: dt.date
    intended_province: Annotated[StrictStr, Field(pattern=r"^[A-Z]{2}$")]
    language_tests: list[LanguageTestResult] = []
    work_history: list[WorkPeriod] = []
    study_history: list[StudyPeriod] = []
    admissible: StrictBool = True
