"""Checking parameter *values*, not only their shapes: numbers in a sane range, names from their vocabulary.

A typo in a value changes decisions silently (`[ielts_generl]` rejects every IELTS result, `[QB]` lets
Quebec through) and an absurd number (`.inf`, `10**30`, a 3,000-year window) makes every decision fail.
The program declares what each parameter may hold (a `ValueSpec` beside its required parameters, see
facts/derive.py); this module checks a loaded edition against those declarations, generically, and
reports each problem at the value's own line with a "did you mean".
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Callable

from .errors import Problem
from .model import Ruleset
from .pydantic_problems import suggest
from .yaml_source import Positions, format_key_path

# Largest magnitude of any number in a ruleset: durable-rules keeps numbers as 64-bit integers or
# doubles, and 2**53 is where doubles stop holding every integer. Specs narrow this per parameter.
NUMBER_LIMIT = 2**53


@dataclass(frozen=True)
class ValueSpec:
    """What a parameter's values may be; None means "not constrained".

    `minimum`/`maximum` bound every number (a scalar, list items, table values); `items` is the vocabulary of a
    scalar, of list items and of table keys: a tuple, or a function of the edition (`EditionData`) giving one;
    `non_empty` refuses an empty list or table; `complete` asks for the whole vocabulary (a fixed list such as
    Canada's provinces); `covers` names a list parameter whose every item must be a key of this table;
    `dates` asks for ISO dates as values.
    """

    minimum: float | None = None
    maximum: float | None = None
    items: tuple | Callable | None = None
    non_empty: bool = False
    complete: bool = False
    covers: str | None = None
    dates: bool = False  # table values (or list items) are ISO dates, YYYY-MM-DD


@dataclass(frozen=True)
class EditionData:
    """What dynamic vocabularies are computed from: the parameters on one date and the edition's tables."""

    parameters: dict
    tables: object  # what the program's plugin loaded for the edition


def parameter_value_problems(
    ruleset: Ruleset, path: str, positions: Positions, specs: dict[str, ValueSpec], tables: object
) -> list[Problem]:
    """Every out-of-range number and out-of-vocabulary name in the parameters of `ruleset`."""
    checker = _ValueChecker(ruleset, path, positions, tables)
    for name, parameter in ruleset.parameters.items():
        for key_path, day, value in _dated_values(ruleset, name, parameter):
            checker.check(key_path, day, value, specs.get(name, ValueSpec()))
    return checker.problems


def _dated_values(ruleset: Ruleset, name: str, parameter) -> list[tuple[tuple, object, object]]:
    """(key path, the day it takes effect, value) for each value of a parameter."""
    if parameter.values is None:
        return [(("parameters", name, "value"), ruleset.effective_from, parameter.value)]
    return [(("parameters", name, "values", day.isoformat()), day, value) for day, value in parameter.values.items()]


def number_problem(value) -> str | None:
    """Why a number cannot be used by the engine (infinite, not a number, beyond 2**53), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value!r} is not a finite number"
    if abs(value) > NUMBER_LIMIT:
        return f"{value!r} is beyond the largest number a ruleset may hold (2**53 = {NUMBER_LIMIT:,})"
    return None


class _ValueChecker:
    def __init__(self, ruleset: Ruleset, path: str, positions: Positions, tables: object):
        self.ruleset = ruleset
        self.path = path
        self.positions = positions
        self.tables = tables
        self.problems: list[Problem] = []

    def add(self, key_path: tuple, message: str) -> None:
        line, column = self.positions.find(key_path)
        self.problems.append(Problem(self.path, line, column, format_key_path(key_path), message))

    def check(self, key_path: tuple, day, value, spec: ValueSpec) -> None:
        vocabulary = self._vocabulary(day, spec)
        if isinstance(value, list):
            self._check_collection(key_path, value, list(enumerate(value)), value, spec, vocabulary)
        elif isinstance(value, dict):
            self._check_collection(key_path, value, [(k, v) for k, v in value.items()], list(value), spec, vocabulary)
            self._check_covers(key_path, day, value, spec)
        else:
            self._check_number(key_path, value, spec)
            self._check_name(key_path, value, vocabulary)

    def _check_collection(self, key_path, value, entries, names, spec, vocabulary) -> None:
        if spec.non_empty and not value:
            self.add(key_path, f"must not be empty{_listing(vocabulary)}")
        for key, item in entries:
            self._check_number(key_path + (key,), item, spec)
            if spec.dates and not _is_date(item):
                self.add(key_path + (key,), f"{item!r} is not a date (YYYY-MM-DD)")
        for index, name in enumerate(names):
            self._check_name(key_path + ((name,) if isinstance(value, dict) else (index,)), name, vocabulary)
        if spec.complete and vocabulary is not None and value:
            missing = [v for v in vocabulary if v not in names]
            if missing:
                self.add(key_path, f"must list every code; missing {', '.join(map(str, missing))}")

    def _check_number(self, key_path: tuple, value, spec: ValueSpec) -> None:
        problem = number_problem(value)
        if problem is None and isinstance(value, (int, float)) and not isinstance(value, bool):
            low, high = spec.minimum, spec.maximum
            if (low is not None and value < low) or (high is not None and value > high):
                problem = f"{value!r} is outside the sane range {_bound(low)} to {_bound(high)} for this parameter"
        if problem:
            self.add(key_path, problem)

    def _check_name(self, key_path: tuple, value, vocabulary) -> None:
        if vocabulary is None or value in vocabulary:
            return
        shown = str(value)
        hint = suggest(shown, [str(v) for v in vocabulary]) if isinstance(value, str) else ""
        kind = (
            ""
            if isinstance(value, str)
            else f" ({type(value).__name__}; the vocabulary is text)"
            if all(isinstance(v, str) for v in vocabulary)
            else ""
        )
        self.add(key_path, f"unknown value {value!r}{kind}{hint}{_listing(vocabulary)}")

    def _check_covers(self, key_path: tuple, day, table: dict, spec: ValueSpec) -> None:
        if spec.covers is None or spec.covers not in self.ruleset.parameters:
            return
        needed = self.ruleset.parameters[spec.covers].value_on(day)
        missing = [item for item in needed if isinstance(needed, list) and item not in table and str(item) not in table]
        if missing:
            self.add(
                key_path,
                f"no entry for {', '.join(map(repr, missing))}, which {spec.covers!r} lists: every one needs a value",
            )

    def _vocabulary(self, day, spec: ValueSpec) -> tuple | None:
        if not callable(spec.items):
            return spec.items
        parameters = {name: p.value_on(day) for name, p in self.ruleset.parameters.items()}
        try:
            return tuple(spec.items(EditionData(parameters, self.tables)))
        except (KeyError, TypeError, ValueError):
            return None  # the vocabulary depends on a parameter that is itself wrong: reported there


def _is_date(value) -> bool:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return isinstance(value, str) and len(value) == 10


def _bound(value) -> str:
    return "any" if value is None else f"{value:,}"


def _listing(vocabulary, shown: int = 20) -> str:
    """`; known: a, b, c` (the first `shown` of a long vocabulary, such as the world's countries)."""
    if not vocabulary:
        return ""
    more = f", ... ({len(vocabulary)} in all)" if len(vocabulary) > shown else ""
    return f"; known: {', '.join(map(str, vocabulary[:shown]))}{more}"
