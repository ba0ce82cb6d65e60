"""Size limits on applicant input, checked before any parser or the engine sees the data.

Why: a 50 MB `id` crashes the C engine, 300,000 work periods take minutes, and a deeply nested
record overflows Python's stack. Every limit is generous for a real applicant, documented in
docs/applicant-input.md, and can be changed with an environment variable (read at each check,
so a batch's workers use the limits of the command that started them).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cec_rules.engine.errors import InputError
from cec_rules.engine.yaml_source import MAX_DEPTH, format_key_path


@dataclass(frozen=True)
class Limits:
    record_bytes: int = 1 << 20  # CEC_MAX_RECORD_BYTES: one applicant file or batch record
    string_chars: int = 256  # CEC_MAX_STRING_CHARS: any text value or key (id, codes, dates)
    work_periods: int = 200  # CEC_MAX_WORK_PERIODS
    study_periods: int = 200  # CEC_MAX_STUDY_PERIODS
    language_tests: int = 50  # CEC_MAX_LANGUAGE_TESTS
    other_entries: int = 50  # CEC_MAX_OTHER_ENTRIES: education, certificates, relatives

    @classmethod
    def from_env(cls) -> "Limits":
        """The defaults, each overridden by its environment variable (a positive whole number)."""
        values = {}
        for name, variable in ENV.items():
            text = os.environ.get(variable)
            if text is not None:
                if not text.isdigit() or int(text) < 1:
                    raise InputError(variable, "", f"must be a positive whole number, got {text!r}")
                values[name] = int(text)
        return cls(**values)


ENV = {
    "record_bytes": "CEC_MAX_RECORD_BYTES",
    "string_chars": "CEC_MAX_STRING_CHARS",
    "work_periods": "CEC_MAX_WORK_PERIODS",
    "study_periods": "CEC_MAX_STUDY_PERIODS",
    "language_tests": "CEC_MAX_LANGUAGE_TESTS",
    "other_entries": "CEC_MAX_OTHER_ENTRIES",
}
# The applicant's lists, and the lists of the same name in the mappings of NESTED, each bounded by one limit.
LISTS = {
    "work_history": "work_periods",
    "study_history": "study_periods",
    "language_tests": "language_tests",
    "education": "other_entries",
    "certificates_of_qualification": "other_entries",
    "relatives_in_canada": "other_entries",
    "other_employers": "other_entries",
}
NESTED = ("spouse", "job_offer")


def size_problem(size: int, limits: Limits) -> str | None:
    """The message for a file or record of `size` bytes, or None when it is within the limit."""
    if size <= limits.record_bytes:
        return None
    return (
        f"{size:,} bytes is larger than the limit of {limits.record_bytes:,} bytes per applicant (CEC_MAX_RECORD_BYTES)"
    )


def check_limits(data: object, source: str, limits: Limits, line_of=None) -> None:
    """Raise `InputError` for the first value over a limit; `line_of(key_path)` gives the line of a field when
    positions are known. This runs on every batch record, so a record within every limit (nearly all) is
    first recognised by `_mapping_within`, which builds no key path at all; `walk_limits` names the problem."""
    if isinstance(data, dict) and _mapping_within(
        data, 0, True, limits, _KEYS_WITHIN.setdefault(limits.string_chars, set())
    ):
        return
    walk_limits(data, source, limits, line_of)


def walk_limits(data: object, source: str, limits: Limits, line_of=None) -> None:
    """`check_limits` without its fast yes: walks the data without recursion, so no nesting overflows the stack.
    Leaves are checked in place (a key path is built only for containers)."""
    stack = [((), data)]
    while stack:
        key_path, container = stack.pop()
        problem = _container_problem(key_path, container, limits)
        if problem:
            _fail(source, key_path, problem, limits, line_of)
        for key, item in container.items() if isinstance(container, dict) else enumerate(container):
            if isinstance(item, (dict, list)):
                stack.append((key_path + (key,), item))
                continue
            problem = _leaf_problem(key, item, limits)
            if problem:
                _fail(source, key_path + (key,), problem, limits, line_of)


# The fast yes of `check_limits`: True only when `walk_limits` would find nothing (the checks of `_container_problem`
# and `_leaf_problem`); False sends the record to the walk, which finds the problem and its message, or none. So
# anything unusual (a subclass, a key that is not text, a value that is neither JSON nor YAML's plain types) is a
# False: only the types JSON gives are judged here, by their exact type, which is what makes this walk cheap.
_LARGE = 10**18  # a whole number's limit (`_leaf_problem`)
_KEYS_WITHIN: dict[int, set] = {}  # per limit on text: keys seen within it (records repeat the same few dozen keys)
_KEYS_KEPT = 1000  # at most this many each: a batch of random keys must not grow it without end


def _mapping_within(mapping: dict, depth: int, bounded: bool, limits: Limits, known: set) -> bool:
    """`mapping` (at `depth`; its lists named in LISTS bounded when `bounded`) is within every limit; `known`:
    keys seen within the limit on text."""
    if depth > MAX_DEPTH:
        return False
    chars = limits.string_chars
    if not known.issuperset(mapping):
        for key in mapping:
            if type(key) is not str or len(key) > chars:
                return False
        if len(known) < _KEYS_KEPT:
            known.update(mapping)
    for key, item in mapping.items():
        kind = type(item)
        if kind is str:
            if len(item) > chars:
                return False
        elif kind is list:
            if bounded and key in LISTS and len(item) > getattr(limits, LISTS[key]):
                return False
            if not _list_within(item, depth + 1, limits, known):
                return False
        elif kind is dict:
            if not _mapping_within(item, depth + 1, depth == 0 and key in NESTED, limits, known):
                return False
        elif kind is int:
            if not -_LARGE < item < _LARGE:
                return False
        elif kind is not bool and kind is not float and item is not None:
            return False
    return True


def _list_within(items: list, depth: int, limits: Limits, known: set) -> bool:
    """`items` (at `depth`) is within every limit: no list inside a list is one of the bounded lists."""
    if depth > MAX_DEPTH:
        return False
    chars = limits.string_chars
    for item in items:
        kind = type(item)
        if kind is dict:
            if not _mapping_within(item, depth + 1, False, limits, known):
                return False
        elif kind is str:
            if len(item) > chars:
                return False
        elif kind is list:
            if not _list_within(item, depth + 1, limits, known):
                return False
        elif kind is int:
            if not -_LARGE < item < _LARGE:
                return False
        elif kind is not bool and kind is not float and item is not None:
            return False
    return True


def _fail(source: str, key_path: tuple, problem: str, limits: Limits, line_of) -> None:
    key_path = _field(key_path, limits)
    raise InputError(source, format_key_path(key_path), problem, line=line_of(key_path) if line_of else None)


def _field(key_path: tuple, limits: Limits) -> tuple:
    """The path to name in the message: never an oversized key, and no hundred `[0]`s for deep nesting."""
    if key_path and isinstance(key_path[-1], str) and len(key_path[-1]) > limits.string_chars:
        key_path = key_path[:-1]
    if len(key_path) > MAX_DEPTH:
        named = [i for i, part in enumerate(key_path) if isinstance(part, str)]
        key_path = key_path[: named[-1] + 1] if named else ()
    return key_path


def _container_problem(key_path: tuple, value: dict | list, limits: Limits) -> str | None:
    if len(key_path) > MAX_DEPTH:
        return f"nested deeper than {MAX_DEPTH} levels of mappings and lists"
    if key_path and isinstance(key_path[-1], str) and len(key_path[-1]) > limits.string_chars:
        return _long_key(key_path[-1], limits)
    if _is_bounded_list(key_path) and isinstance(value, list):
        name = LISTS[key_path[-1]]
        limit = getattr(limits, name)
        if len(value) > limit:
            return f"{len(value):,} entries is more than the limit of {limit:,} (CEC_MAX_{name.upper()})"
    return None


def _is_bounded_list(key_path: tuple) -> bool:
    """One of the applicant's own lists, or one in the spouse or the job offer."""
    return (
        bool(key_path)
        and key_path[-1] in LISTS
        and (len(key_path) == 1 or (len(key_path) == 2 and key_path[0] in NESTED))
    )


def _leaf_problem(key, value: object, limits: Limits) -> str | None:
    if isinstance(key, str) and len(key) > limits.string_chars:
        return _long_key(key, limits)
    if isinstance(value, str) and len(value) > limits.string_chars:
        return f"text of {len(value):,} characters is longer than the limit of {limits.string_chars:,} (CEC_MAX_STRING_CHARS)"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        return "a whole number of more than 18 digits is out of range"
    return None


def _long_key(key: str, limits: Limits) -> str:
    return (
        f"a key of {len(key):,} characters is longer than the limit of {limits.string_chars:,} (CEC_MAX_STRING_CHARS)"
    )
