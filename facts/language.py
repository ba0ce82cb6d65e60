"""Language results to CLB/NCLC levels with the ruleset's score tables, and the best valid result.

Each ability converts on its own with the table for that test and (for TEF Canada) its test date.
A score below every minimum of the table converts to level 0 ("below the table"). The best result
is the one whose lowest ability is highest (the program threshold applies to all four abilities).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import lru_cache
from dataclasses import dataclass

from cec_rules.engine.errors import InputError
from .tables import ABILITIES, LanguageTest, ScoreTable


@dataclass(frozen=True)
class ConvertedResult:
    """One test result with its levels per ability."""

    index: int
    test: LanguageTest
    date: dt.date
    levels: dict[str, int]

    @property
    def lowest(self) -> int:
        return min(self.levels.values())

    @property
    def lowest_ability(self) -> str:
        return min(ABILITIES, key=lambda a: self.levels[a])


def level_for(table: ScoreTable, ability: str, score: float) -> int:
    """The highest level whose minimum score `score` reaches, or 0.

    Examples:
        >>> from cec_rules.facts.tables import ScoreTable
        >>> t = ScoreTable(name="x", score_range={a: {"min": 0, "max": 9, "step": 0.5} for a in ABILITIES},
        ...                minimum_score={a: {7: 6.0, 8: 6.5} for a in ABILITIES})
        >>> level_for(t, "reading", 6.0), level_for(t, "reading", 9), level_for(t, "reading", 5.5)
        (7, 8, 0)
    """
    reached = [level for level, minimum in table.minimum_score[ability].items() if score >= minimum]
    return max(reached, default=0)


def convert(index: int, result, tests: dict[str, LanguageTest], source: str) -> ConvertedResult:
    """Check a result against its test's table and convert it; bad input raises `InputError`."""
    where = f"language_tests[{index}]"
    test = tests.get(result.test)
    if test is None:
        raise InputError(source, f"{where}.test", f"unknown test {result.test!r}; designated tests: {', '.join(sorted(tests))}")
    table = test.table_for(result.date)
    if table is None:
        raise InputError(source, f"{where}.date", f"no {test.title} score table covers tests dated {result.date}")
    levels = {}
    for ability in ABILITIES:
        score = getattr(result, ability)
        _check_score(table, ability, score, source, f"{where}.{ability}", test.title)
        levels[ability] = level_for(table, ability, score)
    return ConvertedResult(index, test, result.date, levels)


def _on_step(score: float, minimum, step) -> bool:
    """Whether `score` is exactly min + k*step. The float test settles the usual case (a result that is a
    whole number of steps); anything else is checked exactly on the decimal text, so 6.4999999999 is refused."""
    steps = (score - minimum) / step
    if steps == int(steps):
        return True
    exact = (_exact(score) - _exact(minimum)) / _exact(step)
    return exact.denominator == 1


@lru_cache(maxsize=4096)
def _exact(number) -> Fraction:
    return Fraction(str(number))


def _check_score(table: ScoreTable, ability: str, score: float, source: str, field: str, title: str) -> None:
    scale = table.score_range[ability]
    if not scale.min <= score <= scale.max or not _on_step(score, scale.min, scale.step):
        raise InputError(source, field, f"{score!r} is not a {title} {ability} score for this test date ({table.name}): expected {scale.min} to {scale.max} in steps of {scale.step}")
