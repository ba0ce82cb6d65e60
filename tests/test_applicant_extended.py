"""The optional applicant fields of the other Express Entry programs (DESIGN.md input contract):
accepted in the documented shapes, refused with the field named, and bounded like the CEC lists."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import example, given, strategies as st

from cec_rules.engine.errors import InputError
from cec_rules.facts.applicant import _ISO_DATE, _iso_date_only
from cec_rules.facts.reading import applicant_from_data

BASE = {"id": "X-1", "application_date": "2026-11-01", "intended_province": "ON"}
FULL = {
    **BASE,
    "date_of_birth": "1994-05-02",
    "education": [
        {
            "level": "post_secondary",
            "years": 3,
            "country": "IN",
            "completed": "2016-06-30",
            "eca": {"organization": "WES", "issued": "2024-02-01"},
        }
    ],
    "spouse": {
        "accompanying": True,
        "date_of_birth": "1995-01-10",
        "language_tests": [
            {
                "test": "ielts_general",
                "date": "2025-03-01",
                "listening": 6.0,
                "reading": 6.0,
                "writing": 6.0,
                "speaking": 6.0,
            }
        ],
        "work_history": [
            {
                "noc_code": "21231",
                "noc_version": 2021,
                "country": "CA",
                "start": "2023-01-01",
                "hours_per_week": 30,
                "paid": True,
                "self_employed": False,
                "authorized": True,
            }
        ],
    },
    "job_offer": {"noc_code": "21231", "noc_version": 2021, "lmia": True, "full_time": True, "duration_months": None},
    "provincial_nomination": {"province": "ON", "date": "2026-05-01"},
    "certificates_of_qualification": [
        {"noc_code": "72200", "noc_version": 2021, "province": "ON", "issued": "2024-01-01"}
    ],
    "settlement_funds": 15000,
    "family_size": 2,
    "relatives_in_canada": [
        {"relation": "sibling", "of": "applicant", "citizen_or_pr": True, "lives_in_canada": True, "age_18_plus": True}
    ],
    "profile_submitted": "2026-05-01T14:03:00Z",
}


def test_every_optional_field_is_read():
    applicant = applicant_from_data(FULL, "full.json")
    assert applicant.date_of_birth == dt.date(1994, 5, 2)
    assert applicant.education[0].eca.organization == "WES"
    assert applicant.spouse.work_history[0].noc_code == "21231"
    assert applicant.job_offer.duration_months is None
    assert applicant.certificates_of_qualification[0].province == "ON"
    assert applicant.relatives_in_canada[0].relation == "sibling"
    assert applicant.profile_submitted == dt.datetime(2026, 5, 1, 14, 3, tzinfo=dt.timezone.utc)


def test_a_cec_file_stays_valid_without_them():
    applicant = applicant_from_data(BASE, "cec.json")
    assert applicant.spouse is None and applicant.education == [] and applicant.family_size is None


@pytest.mark.parametrize(
    "path, value, field, words",
    [
        (("education", 0, "level"), "bachelor", "education[0].level", "post_secondary"),
        (("job_offer", "noc_code"), "2123", "job_offer.noc_code", "4 digits"),
        (("spouse", "work_history", 0, "paid"), "yes", "spouse.work_history[0].paid", "bool"),
        (("relatives_in_canada", 0, "of"), "cousin", "relatives_in_canada[0].of", "applicant"),
        (("profile_submitted",), "2026-05-01T14:03:00", "profile_submitted", "offset"),
        (("family_size",), 0, "family_size", "1"),
        (("settlement_funds",), -5, "settlement_funds", "0"),
    ],
)
def test_a_bad_value_names_its_field(path, value, field, words):
    data = copy.deepcopy(FULL)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InputError) as caught:
        applicant_from_data(data, "bad.json")
    message = str(caught.value)
    assert field in message and words in message


def test_a_misspelt_optional_field_is_refused_with_a_suggestion():
    with pytest.raises(InputError) as caught:
        applicant_from_data({**BASE, "job_ofer": None}, "typo.json")
    assert "job_offer" in str(caught.value)


def test_spouse_lists_are_bounded_like_the_applicants(monkeypatch):
    monkeypatch.setenv("CEC_MAX_WORK_PERIODS", "1")
    from cec_rules.facts.limits import Limits

    data = copy.deepcopy(FULL)
    data["spouse"]["work_history"] *= 2
    with pytest.raises(InputError) as caught:
        applicant_from_data(data, "many.json", limits=Limits.from_env())
    assert "spouse.work_history" in str(caught.value) and "CEC_MAX_WORK_PERIODS" in str(caught.value)


def _part(size: int):
    """About `size` characters: digits (some not ASCII), dashes and others."""
    return st.text(alphabet="0123456789-\u0663\uff11x ", min_size=size - 1, max_size=size + 1)


@given(st.tuples(_part(4), st.sampled_from("-x"), _part(2), st.sampled_from("-x"), _part(2)).map("".join) | st.text())
@example("2026-11-01")
@example(
    "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0660\u0661"
)  # Arabic-Indic digits: `\d` accepts them, as the date reader then decides
@example("\uff12\uff10\uff12\uff16-\uff11\uff11-\uff10\uff11")  # full-width digits
@example("\u00b2026-11-01")  # a superscript two: a digit, not a decimal one
@example("20-6-11-01")
@example("2026-1-101")
@example("2026-11-0x")
@example("2026-11-011")
def test_a_date_is_text_in_the_shape_of_the_regular_expression_exactly(text):
    """`_iso_date_only` tests the shape without the regular expression first: the same texts pass."""
    try:
        accepted = _iso_date_only(text) is text
    except ValueError:
        accepted = False
    assert accepted is bool(_ISO_DATE.fullmatch(text))
