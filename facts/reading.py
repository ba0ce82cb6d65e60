"""Reading applicant records from JSON or YAML, with errors that name the file, line and field.

JSON files are read by the strict JSON reader and YAML files by the strict YAML reader, both of which
give line numbers; batch input (JSON Lines) uses `applicant_from_data` on already-parsed records. Size
limits (facts/limits.py) are checked before parsing (file size) and before validation (everything else).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from cec_rules.engine.errors import InputError
from cec_rules.engine.allowed_keys import allowed_keys
from cec_rules.engine.pydantic_problems import suggest
from cec_rules.engine.json_source import load_json
from cec_rules.engine.shown import literal
from cec_rules.engine.yaml_source import Positions, YamlProblem, format_key_path, load_yaml

from .applicant import Applicant
from .fast_validation import validated
from .limits import Limits, check_limits, size_problem


def read_applicant_file(path: Path) -> Applicant:
    """Parse and check one applicant file; raise `InputError` naming the file, line and field."""
    return read_applicant_with_positions(path)[0]


def read_applicant_with_positions(path: Path) -> tuple[Applicant, Positions]:
    """The applicant and where each of its fields is in the file (for errors found later)."""
    data, positions = read_data_with_positions(path)
    return applicant_from_data(data, str(path), positions, Limits.from_env()), positions


def read_data_with_positions(path: Path) -> tuple[object, Positions]:
    """The parsed file (JSON or YAML, within the size limit) and where each of its fields is: what each
    program's own reader (`Program.read_applicant`) then makes its applicant from."""
    display = str(path)
    text = _read_text(path, display, Limits.from_env())
    parse = load_json if path.suffix.lower() == ".json" else load_yaml
    try:
        return parse(text, display)
    except YamlProblem as exc:
        raise InputError(display, exc.problem.key_path, exc.problem.message, line=exc.problem.line) from None


def _read_text(path: Path, display: str, limits: Limits) -> str:
    """The file as text: refused before reading when too large, and with the line of a non-UTF-8 byte."""
    try:
        too_large = size_problem(path.stat().st_size, limits)
        if too_large:
            raise InputError(display, "", too_large)
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(display, "", f"cannot read: {exc.strerror or exc}") from None
    return decode_utf8(raw, display)


def decode_utf8(raw: bytes, source: str, first_line: int = 1) -> str:
    """UTF-8 text, or an `InputError` naming the line and the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")  # a byte order mark (Windows editors) is not content
    except UnicodeDecodeError as exc:
        line = first_line + raw.count(b"\n", 0, exc.start)
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            source,
            "",
            f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at column {column} (save the file as UTF-8)",
            line=line,
        ) from None


def applicant_from_data(
    data: object, source: str, positions: Positions | None = None, limits: Limits | None = None
) -> Applicant:
    """Validate parsed data as an applicant; the first problem becomes an `InputError` with its field path.
    The size limits are checked first, so no oversized value reaches the model or the engine."""
    if not isinstance(data, dict):
        raise InputError(source, "", f"an applicant must be a mapping of fields, not {type(data).__name__}")
    limits = limits or Limits.from_env()
    applicant = validated(
        data, limits
    )  # the fast yes (facts/fast_validation.py); None: the checks below name the problem
    if applicant is not None:
        return applicant
    check_limits(data, source, limits, (lambda key_path: positions.find(key_path)[0]) if positions else None)
    try:
        return Applicant.model_validate(data)
    except ValidationError as exc:
        # A misspelt key also shows up as a missing one: name the misspelling first.
        error = min(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
        loc = tuple(error["loc"])
        line = positions.find(loc)[0] if positions else None
        raise InputError(source, format_key_path(loc), _message(error, data), line=line) from None


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
