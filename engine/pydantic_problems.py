"""Turning pydantic's validation errors into `Problem`s that point at the YAML line and key path."""

from __future__ import annotations

from difflib import get_close_matches

from pydantic import ValidationError

from .errors import Problem
from .yaml_source import Positions, format_key_path


def problems_from_validation(exc: ValidationError, path: str, positions: Positions) -> list[Problem]:
    """One problem per pydantic error, located by its key path; union noise is collapsed."""
    problems: dict[tuple, Problem] = {}
    for error in exc.errors(include_url=False):
        key_path = _data_path(error["loc"])
        line, column = positions.find(key_path)
        message = _message(error)
        problems.setdefault((key_path, message), Problem(path, line, column, format_key_path(key_path), message))
    return _drop_union_duplicates(list(problems.values()))


def _data_path(loc: tuple) -> tuple:
    """pydantic locations include union branch names ('function-after[...]', 'str'); keep real keys only."""
    keep = []
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and "[" not in part and part not in _TYPE_NAMES):
            keep.append(part)
    return tuple(keep)


_TYPE_NAMES = {"str", "int", "float", "bool", "list", "dict", "date", "ParamRef", "FactRef", "Lookup", "Absent",
               "FactPattern", "Comparison", "Scalar"}


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key {error['loc'][-1]!r}"
    if kind == "missing":
        return f"missing required key {error['loc'][-1]!r}"
    text = error["msg"]
    if "input" in error and kind not in ("value_error",) and not isinstance(error["input"], (dict, list)):
        text += f" (got {error['input']!r})"
    return text.replace("Value error, ", "")


def _drop_union_duplicates(problems: list[Problem]) -> list[Problem]:
    """When one key has an 'unknown key' problem, the other union branches' complaints about it are noise."""
    extra_parents = {p.key_path.rsplit(".", 1)[0] for p in problems if p.message.startswith("unknown key")}
    return [p for p in problems if p.message.startswith("unknown key") or p.key_path not in extra_parents or p.message.startswith("missing")]


def suggest(word: str, choices) -> str:
    """A ' (did you mean ...?)' suffix, or ''."""
    match = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
