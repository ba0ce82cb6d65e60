"""The fast yes of reading an applicant (facts/fast_validation.py): what it accepts, the limits and the model accept
too, as the same applicant; anything else is read the usual way, with the same messages."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from pydantic import BaseModel

from cec_rules.engine.errors import InputError
from cec_rules.facts import reading as reading_module
from cec_rules.facts.applicant import Applicant
from cec_rules.facts.fast_validation import fast_validator, validated
from cec_rules.facts.limits import Limits, check_limits
from cec_rules.facts.reading import applicant_from_data
from strategies import applicants
from test_applicant_extended import FULL


def test_there_is_a_fast_yes_unless_a_field_name_is_over_the_limit_on_text():
    assert fast_validator(Limits()) is not None
    assert fast_validator(Limits(string_chars=29)) is not None  # certificates_of_qualification: 29 characters
    assert fast_validator(Limits(string_chars=28)) is None


def _same(fast, slow) -> bool:
    """The same values, types and fields given, all the way down (pydantic's == does not compare fields_set)."""
    if isinstance(slow, BaseModel):
        return (
            type(fast) is type(slow)
            and fast.__pydantic_fields_set__ == slow.__pydantic_fields_set__
            and fast.__dict__.keys() == slow.__dict__.keys()
            and all(_same(fast.__dict__[k], v) for k, v in slow.__dict__.items())
        )
    if isinstance(slow, list):
        return type(fast) is list and len(fast) == len(slow) and all(map(_same, fast, slow))
    return type(fast) is type(slow) and fast == slow


def _usual(record, limits: Limits):
    """What reading `record` gives without the fast yes: the applicant, or the message."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading_module, "validated", lambda data, limits: None)
        return _read(record, limits)


def _read(record, limits: Limits):
    try:
        return applicant_from_data(record, "r.json", limits=limits)
    except InputError as exc:
        return str(exc)


# Values that often sit on an edge of a check: the shape of a date, a country, a whole number, a text's length.
_EDGES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([2016, 2021, 2016.0, 10**18 - 1, 10**18, -(10**18), 10**19]),
    st.floats(allow_nan=False),
    st.sampled_from([1e18, 1e300, 168, 168.5, -0.0, 37.5]),
    st.sampled_from(
        [
            "2026-02-30",
            "2026-2-01",
            "2026-11-01T00:00:00",
            "20261101",
            "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0660\u0661",
            "2026-11-01\n",
            " 2026-11-01",
            "2026-11-01",
            "CA",
            "UK",
            "ca",
            "XX",
            "21231",
            "2123",
            "0423",
            "ON",
            "QC",
            "yes",
            "2026-05-01T14:03:00Z",
        ]
    ),
    st.text(max_size=3),
    st.text(min_size=28, max_size=31),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
)


def _paths(value, prefix=()):
    """Every path to a value inside a record (keys of mappings, indexes of lists)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _changed(record: dict, path: tuple, value) -> dict:
    record = copy.deepcopy(record)
    if not path:
        record["extra"] = value
        return record
    parent = record
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return record


_LIMITS = st.builds(
    Limits,
    string_chars=st.sampled_from([29, 30, 256]),
    work_periods=st.integers(1, 5),
    study_periods=st.integers(1, 3),
    language_tests=st.integers(1, 4),
    other_entries=st.integers(1, 3),
)  # (29: the longest field name)
_RECORDS = st.one_of(applicants(), st.just(FULL), st.just({**FULL, "profile_submitted": None}))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_RECORDS, st.data(), _LIMITS)
@example(FULL, None, Limits())
def test_the_fast_yes_reads_what_the_usual_way_reads_and_nothing_else(record, data, limits):
    if data is not None and data.draw(st.integers(0, 3)):  # (a quarter of the records as generated)
        path = data.draw(st.sampled_from(list(_paths(record))))
        record = _changed(record, path, data.draw(_EDGES))
    usual = _usual(record, limits)
    fast = validated(record, limits)
    if fast is not None:
        check_limits(record, "r.json", limits)  # within every limit
        assert not isinstance(usual, str) and _same(fast, usual)
    read = _read(record, limits)  # with the fast yes: the same applicant, or the same message
    assert read == usual if isinstance(usual, str) else _same(read, usual)


@settings(max_examples=100)
@given(applicants())
def test_generated_records_within_the_limits_take_the_fast_yes(record):
    usual = _usual(record, Limits())
    assert isinstance(usual, str) or _same(validated(record, Limits()), usual)


def test_a_timestamp_and_date_objects_go_the_usual_way():
    assert validated(FULL, Limits()) is None and not isinstance(_read(FULL, Limits()), str)
    with_dates = {
        **FULL,
        "profile_submitted": None,
        "application_date": Applicant.model_validate(FULL).application_date,
    }
    assert validated(with_dates, Limits()) is None and not isinstance(_read(with_dates, Limits()), str)
    assert validated({**FULL, "profile_submitted": None}, Limits()) is not None
