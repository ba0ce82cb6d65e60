"""Reading applicant records from JSON or YAML, with errors that name the file, line and field.

JSON files go through the strict YAML reader too (JSON is YAML), which gives line numbers; batch
input (JSON Lines) uses `applicant_from_data` on already-parsed records.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from cec_rules.engine.errors import InputError
from cec_rules.engine.allowed_keys import allowed_keys
from cec_rules.engine.pydantic_problems import suggest
from cec_rules.engine.shown import literal
from cec_rules.engine.yaml_source import Positions, YamlProblem, format_key_path, load_yaml, parse_key_path

from .applicant import Applicant


def read_applicant_file(path: Path) -> Applicant:
    """Parse and check one applicant file; raise `InputError` naming the file, line and field."""
    return read_applicant_with_positions(path)[0]


def read_applicant_with_positions(path: Path) -> tuple[Applicant, Positions]:
    """The applicant and where each of its fields is in the file (for errors found later)."""
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(display, "", f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(display, "", f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    try:
        data, positions = load_yaml(text, display)
    except YamlProblem as exc:
        raise InputError(display, exc.problem.key_path, exc.problem.message, line=exc.problem.line) from None
    return applicant_from_data(data, display, positions), positions


def applicant_from_data(data: object, source: str, positions: Positions | None = None) -> Applicant:
    """Validate parsed data as an applicant; the first problem becomes an `InputError` with its field path."""
    if not isinstance(data, dict):
        raise InputError(source, "", f"an applicant must be a mapping of fields, not {type(data).__name__}")
    try:
        return Applicant.model_validate(data)
    except ValidationError as exc:
        # A misspelt key also shows up as a missing one: name the misspelling first.
        error = min(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
        loc = tuple(error["loc"])
        line = positions.find(loc)[0] if positions else None
        raise InputError(source, format_key_path(loc), _message(error, data), line=line) from None


def locate(error: InputError, positions: Positions | None) -> InputError:
    """Add the line of the error's field when the check that found it did not know it."""
    if error.line is not None or positions is None or not error.field:
        return error
    line = positions.find(parse_key_path(error.field))[0]
    return InputError(error.source, error.field, error.detail, line=line)


def _message(error: dict, data) -> str:
    if error["type"] == "extra_forbidden":
        allowed = allowed_keys(Applicant, tuple(error["loc"][:-1]), data) or []
        return f"unknown field {error['loc'][-1]!r}{suggest(str(error['loc'][-1]), allowed)}; allowed: {', '.join(allowed)}"
    if error["type"] == "missing":
        return "required field is missing"
    text = error["msg"].replace("Value error, ", "")
    value = error.get("input")
    if not isinstance(value, (dict, list)) and error["type"] != "value_error":
        text += f" (got {literal(value)})"
    return text
