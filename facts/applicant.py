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
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationInfo,
    field_validator,
)

from .countries import check_country


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # compiled once: every date of every record goes through it


def _iso_date_only(value):
    """Dates are "YYYY-MM-DD" text (or date objects from code): no datetimes, no epoch seconds."""
    if (
        type(value) is str
        and len(value) == 10
        and value[4] == value[7] == "-"
        and value.replace("-", "", 2).isdecimal()
    ):
        return value  # _ISO_DATE's test (`\d` is a character str.isdecimal accepts) at half its cost, 6 times a record
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError(f"expected a date as YYYY-MM-DD, got {literal(value)}")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]
_ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")


def _iso_timestamp_only(value):
    """Timestamps are ISO 8601 text with a UTC offset (`2026-05-01T14:03:00Z`): ranking compares them, and a
    time without an offset could be any of 24 instants."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str) and _ISO_TIMESTAMP.fullmatch(value):
        return value
    raise ValueError(
        f"expected a timestamp as YYYY-MM-DDTHH:MM[:SS]Z or with an offset such as -05:00, got {literal(value)}"
    )


IsoTimestamp = Annotated[dt.datetime, BeforeValidator(_iso_timestamp_only)]


def _whole_number(value):
    """`2021.0` or `"2021"` are not a NOC version: only the integer."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected 2016 or 2021 as a whole number, got {literal(value)}")
    return value


Hours = Annotated[float, Field(strict=True, ge=0, le=168)]
Score = Annotated[float, Field(strict=True, ge=0)]
# ISO 3166-1 alpha-2, checked against the data list (the schema keeps the shape, for editors)
CountryCode = Annotated[StrictStr, AfterValidator(check_country), Field(json_schema_extra={"pattern": "^[A-Z]{2}$"})]


# An empty list when the field is absent, made fresh by a factory: a default of `[]` is deep-copied for each record
# by pydantic (three times a record, ~2 us); the schema still says `"default": []`.
EMPTY = Field(default_factory=list, json_schema_extra={"default": []})


class Strict(BaseModel):
    # built on first validation: the applicant's schema then builds the models it holds in one go (building
    # each of them on its own at import cost a cold `cec evaluate` about 25 ms)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class LanguageTestResult(Strict):
    test: StrictStr
    date: IsoDate
    listening: Score
    reading: Score
    writing: Score
    speaking: Score


def _end_not_before_start(end: dt.date | None, info: ValidationInfo) -> dt.date | None:
    if end is None:
        return end
    start = info.data.get("start")
    if start is not None and end < start:
        raise ValueError(f"end {end} is before start {start}")
    return end


ProvinceCode = Annotated[StrictStr, Field(pattern=r"^[A-Z]{2}$")]
NocVersion = Annotated[Literal[2016, 2021], BeforeValidator(_whole_number)]
NocCode = Annotated[StrictStr, Field(pattern=r"^[0-9]{4,5}$")]


_CODE_DIGITS = {2016: 4, 2021: 5}


def _code_matches_version(code: str, info: ValidationInfo) -> str:
    """A 4-digit code is NOC 2016 and a 5-digit one NOC 2021: the two must agree (noc_version is declared first)."""
    version = info.data.get("noc_version")
    expected = _CODE_DIGITS.get(version)
    if expected is not None and len(code) != expected:
        raise ValueError(
            f"{code!r} has {len(code)} digits but NOC {version} codes have {expected} (noc_version: {version})"
        )
    return code


class WorkPeriod(Strict):
    # noc_version is declared first so that the noc_code check can see it (fields validate in order).
    noc_version: NocVersion
    noc_code: NocCode
    country: CountryCode
    start: IsoDate
    end: IsoDate | None = None
    hours_per_week: Hours
    paid: StrictBool
    self_employed: StrictBool
    authorized: StrictBool

    _end_check = field_validator("end")(_end_not_before_start)
    _code_check = field_validator("noc_code")(_code_matches_version)


class StudyPeriod(Strict):
    start: IsoDate
    end: IsoDate | None = None
    full_time: StrictBool
    country: CountryCode

    _end_check = field_validator("end")(_end_not_before_start)


# --- the optional fields of the other Express Entry programs (FSW grid, FST, CRS) ------------------
# DESIGN.md "Input contract": a CEC file stays valid without them; a program that needs one that is
# missing concludes `undetermined` naming it, it does not guess.

EDUCATION_LEVELS = ("secondary", "post_secondary", "masters", "professional_degree", "doctoral")
RELATIONS = ("parent", "grandparent", "child", "grandchild", "sibling", "aunt_uncle", "niece_nephew")


class CredentialAssessment(Strict):
    """An educational credential assessment (ECA) of a foreign credential; valid 5 years (IRPR 75(4))."""

    organization: Annotated[StrictStr, Field(min_length=1)]
    issued: IsoDate


class Credential(Strict):
    """One completed educational credential. `years`: the program's full-time length (post-secondary: 1, 2, 3 or more)."""

    level: Literal[EDUCATION_LEVELS]
    years: Annotated[int, Field(strict=True, ge=0, le=20)] | None = None
    country: CountryCode
    completed: IsoDate
    eca: CredentialAssessment | None = None


class EmployerOffer(Strict):
    """One employer's offer of employment; `duration_months: null` means no end date."""

    noc_version: NocVersion
    noc_code: NocCode
    lmia: StrictBool
    full_time: StrictBool
    duration_months: Annotated[int, Field(strict=True, ge=0, le=1200)] | None = None

    _code_check = field_validator("noc_code")(_code_matches_version)


class JobOffer(EmployerOffer):
    """An offer of arranged employment. FST accepts an offer from up to two employers (IRPR 87.2(3)(d)): the
    other employers' offers, if any, are `other_employers`; every other program reads the first alone."""

    other_employers: list[EmployerOffer] = EMPTY

    @property
    def employers(self) -> list[EmployerOffer]:
        """Every employer's offer, the first (this one's own fields) first."""
        return [self, *self.other_employers]


class Nomination(Strict):
    province: ProvinceCode
    date: IsoDate


class CertificateOfQualification(Strict):
    """A certificate of qualification in a trade, from a Canadian provincial, territorial or federal authority."""

    noc_version: NocVersion
    noc_code: NocCode
    province: ProvinceCode
    issued: IsoDate

    _code_check = field_validator("noc_code")(_code_matches_version)


class Relative(Strict):
    """A relative in Canada, of the applicant or of the spouse."""

    relation: Literal[RELATIONS]
    of: Literal["applicant", "spouse"]
    citizen_or_pr: StrictBool
    lives_in_canada: StrictBool
    age_18_plus: StrictBool


class Spouse(Strict):
    """The spouse or common-law partner (absent or null: none)."""

    accompanying: StrictBool
    canadian_citizen_or_pr: StrictBool = False
    date_of_birth: IsoDate | None = None
    language_tests: list[LanguageTestResult] = EMPTY
    education: list[Credential] = EMPTY
    work_history: list[WorkPeriod] = EMPTY
    study_history: list[StudyPeriod] = EMPTY


class Applicant(Strict):
    id: Annotated[StrictStr, Field(min_length=1)]
    application_date: IsoDate
    intended_province: ProvinceCode
    language_tests: list[LanguageTestResult] = EMPTY
    work_history: list[WorkPeriod] = EMPTY
    study_history: list[StudyPeriod] = EMPTY
    admissible: StrictBool = True
    # optional: the other Express Entry programs
    date_of_birth: IsoDate | None = None
    education: list[Credential] = EMPTY
    spouse: Spouse | None = None
    job_offer: JobOffer | None = None
    provincial_nomination: Nomination | None = None
    certificates_of_qualification: list[CertificateOfQualification] = EMPTY
    settlement_funds: Annotated[float, Field(strict=True, ge=0)] | None = None
    family_size: Annotated[int, Field(strict=True, ge=1, le=50)] | None = None
    relatives_in_canada: list[Relative] = EMPTY
    profile_submitted: IsoTimestamp | None = None  # Express Entry profile submission (CRS tie-break), ISO 8601
