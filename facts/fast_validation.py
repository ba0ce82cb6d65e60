"""A fast yes for reading an applicant: one native validation that also keeps every size limit.

Why: reading a batch record checked the limits in Python (facts/limits.py), then validated the applicant with
pydantic, whose schema calls back into Python for every date, country, NOC version and period end (the walk
and the callbacks were about half of a record's reading). Nearly every record is within the limits and valid, so it is first validated by a
second validator built from the applicant's own core schema, with those callbacks replaced by native checks
that accept a subset of what they accept and give the same values, and with the limits as constraints:

- a date is text of the form `YYYY-MM-DD` in ASCII digits (`_iso_date_only` also takes other decimal digits
  and date objects), then pydantic's own date parsing, as before;
- a country is one of the assigned codes (`check_country`'s list); a NOC version the whole number 2016 or
  2021 (`_whole_number`: not a bool, not 2016.0); a timestamp is refused (the usual way reads it);
- the checks across fields (a NOC code's length agrees with its version, a period does not end before it
  starts) run once the applicant is built (`consistent`);
- every text at most `string_chars` long, each bounded list (facts/limits.py LISTS) at most its limit, every
  number below 10**18 in size; the keys are the model's field names (no extra key is allowed), so when one
  of them or of the literal choices is longer than `string_chars`, there is no fast yes at all.

So what this yes accepts, the limits and the model accept too, as the same applicant (tests/test_fast_validation.py
checks it on generated records, valid, malformed and just over every limit). Anything else, including every
record with a problem, goes the usual way (`check_limits`, then `Applicant.model_validate`), which names the
problem as before: the fast yes never produces an error message of its own.
"""

from __future__ import annotations

from pydantic_core import SchemaValidator, ValidationError, core_schema

from .applicant import (
    Applicant,
    _code_matches_version,
    _end_not_before_start,
    _iso_date_only,
    _iso_timestamp_only,
    _whole_number,
)
from .countries import check_country, country_names
from .limits import LISTS, Limits

_LARGE = 10**18  # a whole number's limit (facts/limits.py `_leaf_problem`)
_DIGITS = {2016: 4, 2021: 5}  # `_code_matches_version`'s lengths
_ACROSS_FIELDS = (_code_matches_version, _end_not_before_start)  # checked by `consistent` once the applicant is built


class _NoFastPath(Exception):
    """The limits (or a schema node this module does not know) leave no fast yes."""


def fast_validator(limits: Limits) -> SchemaValidator | None:
    """The validator of the fast yes under `limits` (built once per limits), or None when there is none. The
    last limits asked for are found by identity (a batch worker asks with one object for every record; a
    frozen dataclass hashes all its fields)."""
    last = _LAST[0]
    if last[0] is limits:
        return last[1]
    if limits not in _VALIDATORS:
        try:
            # (not the models' own validators, which pydantic-core would reuse for each model node of the schema)
            _VALIDATORS[limits] = SchemaValidator(_fast(_applicant_schema(), limits, None), _use_prebuilt=False)
        except (_NoFastPath, TypeError):  # TypeError: a pydantic-core without `_use_prebuilt` (then no fast yes)
            _VALIDATORS[limits] = None
    _LAST[0] = (limits, _VALIDATORS[limits])
    return _VALIDATORS[limits]


_VALIDATORS: dict[Limits, SchemaValidator | None] = {}
_LAST: list[tuple] = [(object(), None)]  # the last (limits, validator) given


def validated(data: dict, limits: Limits) -> Applicant | None:
    """The applicant when `data` is within every limit and valid by the fast yes; None: take the usual way."""
    validator = fast_validator(limits)
    if validator is None:
        return None
    try:
        applicant = validator.validate_python(data)
    except ValidationError:
        return None
    return applicant if consistent(applicant) else None


def consistent(applicant: Applicant) -> bool:
    """The checks across fields that the model's field validators make: each NOC code's length agrees with its
    version, and no work or study period ends before it starts (the applicant's own and the spouse's)."""
    people = (applicant,) if applicant.spouse is None else (applicant, applicant.spouse)
    for person in people:
        for work in person.work_history:
            if len(work.noc_code) != _DIGITS[work.noc_version] or (work.end is not None and work.end < work.start):
                return False
        for study in person.study_history:
            if study.end is not None and study.end < study.start:
                return False
    offers = applicant.job_offer.employers if applicant.job_offer is not None else ()
    return all(
        len(entry.noc_code) == _DIGITS[entry.noc_version]
        for group in (offers, applicant.certificates_of_qualification)
        for entry in group
    )


def _applicant_schema() -> dict:
    """The applicant's core schema (built on first use: the models defer it)."""
    Applicant.model_rebuild()
    return Applicant.__pydantic_core_schema__


def _fast(node, limits: Limits, field: str | None):
    """A copy of the core schema `node` with the fast yes's checks (`field`: the model field it is the schema of)."""
    if isinstance(node, list):
        return [_fast(item, limits, field) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if kind in ("function-before", "function-after"):
        return _native(node, limits, field)
    if kind == "model-fields":
        if any(len(name) > limits.string_chars for name in node["fields"]):
            raise _NoFastPath
        fields = {name: _fast(value, limits, name) for name, value in node["fields"].items()}
        return {**node, "fields": fields}
    result = {
        key: (value if key in ("cls", "metadata", "serialization") else _fast(value, limits, field))
        for key, value in node.items()
    }
    if kind == "str":
        result["max_length"] = min(node.get("max_length", limits.string_chars), limits.string_chars)
    elif kind == "literal":
        if any(isinstance(value, str) and len(value) > limits.string_chars for value in node["expected"]):
            raise _NoFastPath
    elif kind in ("int", "float"):
        _bounded(result)
    elif kind == "list" and field in LISTS:
        limit = getattr(limits, LISTS[field])
        result["max_length"] = min(node.get("max_length", limit), limit)
    elif kind not in _KNOWN:
        raise _NoFastPath
    return result


# The other kinds of node the applicant's schema holds, copied as they are (with their parts made fast).
_KNOWN = ("bool", "date", "default", "definition-ref", "definitions", "model", "model-field", "nullable", None)


def _native(node: dict, limits: Limits, field: str | None) -> dict:
    """A native check for one of the applicant's Python validators (see the module's docstring)."""
    function = node["function"]["function"]
    if function is _iso_timestamp_only:
        return core_schema.none_schema()  # (only where None is allowed anyway: the usual way reads a timestamp)
    inner = _fast(node["schema"], limits, field)
    if function is _iso_date_only:
        text = core_schema.str_schema(
            strict=True, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", max_length=limits.string_chars
        )
        return core_schema.chain_schema([text, inner])
    if function is check_country:
        return core_schema.chain_schema([inner, core_schema.literal_schema(sorted(country_names()))])
    if function is _whole_number:
        return core_schema.chain_schema([core_schema.int_schema(strict=True), inner])
    if function in _ACROSS_FIELDS:
        return inner
    raise _NoFastPath


def _bounded(schema: dict) -> None:
    """Every number the fast yes accepts is below 10**18 in size (an int's limit; a float far beyond any field's)."""
    if schema.get("le", _LARGE) >= _LARGE and schema.get("lt", _LARGE) > _LARGE - 1:
        schema["lt"] = _LARGE
    if schema.get("ge", -_LARGE) <= -_LARGE and schema.get("gt", -_LARGE) < -_LARGE + 1:
        schema["gt"] = -_LARGE
