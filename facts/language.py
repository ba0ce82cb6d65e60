"""Language results to CLB/NCLC levels with the ruleset's score tables, and the best valid result.

Each ability converts on its own with the table for that test and (for TEF Canada) its test date.
A score below every minimum of the table converts to level 0 ("below the table"). The best result
is the one whose lowest ability is highest (the program threshold applies to all four abilities).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from cec_rules.engine.errors import InputError
from .dates import years_before
from .tables import ABILITIES, LanguageTest, ScoreTable


class ConvertedResult(NamedTuple):
    """One test result with its levels per ability; `lowest` and `lowest_ability` (the first ability, in
    ABILITIES' order, at that level) are worked out once per score combination, not at each use. A named
    tuple: immutable, and built in a fifth of a frozen dataclass's time (one or more a record)."""

    index: int
    test: LanguageTest
    date: dt.date
    levels: dict[str, int]
    lowest: int
    lowest_ability: str


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


def convert(
    index: int, result, tests: dict[str, LanguageTest], source: str, field: str = "language_tests"
) -> ConvertedResult:
    """Check a result against its test's table and convert it; bad input raises `InputError` naming
    `field[index]` (the applicant's `language_tests`, or e.g. the spouse's)."""
    test = tests.get(result.test)
    if test is None:
        raise InputError(
            source,
            f"{field}[{index}].test",
            f"unknown test {result.test!r}; designated tests: {', '.join(sorted(tests))}",
        )
    table = test.table_for(result.date)
    if table is None:
        raise InputError(
            source, f"{field}[{index}].date", f"no {test.title} score table covers tests dated {result.date}"
        )
    scores = (result.listening, result.reading, result.writing, result.speaking)  # ABILITIES' order
    known = _LEVELS.get(id(table))
    if known is None or known[0] is not table:
        if len(_LEVELS) >= _TABLES_KEPT:
            _LEVELS.clear()
        known = _LEVELS[id(table)] = (table, {}, {ability: {} for ability in ABILITIES})
    levels = known[1].get(scores)
    if levels is None:
        levels = _levels(table, scores, known[2], source, f"{field}[{index}]", test.title)
        if len(known[1]) < _COMBINATIONS_KEPT:
            key, levels = _kept(scores, levels)
            known[1][key] = levels
    return ConvertedResult(index, test, result.date, dict(levels[0]), levels[1], levels[2])


def _levels(
    table: ScoreTable, scores: tuple, seen: dict[str, dict], source: str, where: str, title: str
) -> tuple[dict[str, int], int, str]:
    """Each ability's level (the abilities checked in order: the first score off the table raises; `seen`: each
    ability's scores already checked and converted), the lowest level and the first ability at it."""
    levels = {}
    for ability, score in zip(ABILITIES, scores):
        level = seen[ability].get(score)
        if level is None:
            _check_score(table, ability, score, source, f"{where}.{ability}", title)
            level = level_for(table, ability, score)
            if len(seen[ability]) < _SCORES_KEPT:
                seen[ability][score] = level
        levels[ability] = level
    lowest_ability = min(ABILITIES, key=levels.__getitem__)
    return levels, levels[lowest_ability], lowest_ability


# id(table) -> (table, the four scores -> (levels, lowest, lowest ability), ability -> score -> level) of scores
# already checked and converted: a population repeats the same few scores, and many of their combinations. The
# table is kept beside its id, so an id reused by another table never matches.
_LEVELS: dict[int, tuple] = {}
_TABLES_KEPT = 256
_COMBINATIONS_KEPT = 1 << 13
_SCORES_KEPT = 1 << 12
# The four levels -> (levels, lowest, lowest ability), as kept for a combination of scores, and each score
# (a float, or an int past 256, is an object of its own in every record) -> the equal one kept: many
# combinations have the same levels and share their scores, so a combination kept costs about 140 bytes, not
# 470. A large population's combinations (up to 8,192 per table) are a worker's largest store after start-up.
_SAME_LEVELS: dict[tuple, tuple] = {}
_SAME_SCORES: dict = {}
_SAME_LEVELS_KEPT = 1 << 14


def _kept(scores: tuple, levels: tuple) -> tuple[tuple, tuple]:
    """The scores and `levels` (as `_levels` gives them) to keep, made of the equal ones kept before: a value
    kept is never changed (each converted result has its own copy of the levels), and the lowest level and
    its ability follow from the four levels."""
    if len(_SAME_LEVELS) >= _SAME_LEVELS_KEPT or len(_SAME_SCORES) >= _SAME_LEVELS_KEPT:
        _SAME_LEVELS.clear()
        _SAME_SCORES.clear()
    same = _SAME_SCORES.setdefault
    return tuple([same(score, score) for score in scores]), _SAME_LEVELS.setdefault(tuple(levels[0].values()), levels)


def assess_results(
    results,
    as_of: dt.date,
    tests: dict[str, LanguageTest],
    params: dict,
    source: str,
    field: str = "language_tests",
    summaries: bool = True,
) -> tuple[list[dict], list[ConvertedResult]]:
    """Every result converted, with a note on why each invalid one does not count, and the valid ones.
    Without `summaries` the list of notes is empty (a caller that only decides: the checks and errors are the same).

    Valid = from a test accepted on `as_of` (`accepted_language_tests`), dated on or after the test's
    first accepted date (`language_results_accepted_from`), less than `language_validity_years` old
    (dated after the same day that many years earlier) and not after `as_of`: the parameters every
    program that reads language results defines.
    """
    oldest = _years_before(as_of, params["language_validity_years"])
    accepted = params["accepted_language_tests"]
    accepted_from = _dates(params["language_results_accepted_from"])
    shown, valid = [], []
    for index, result in enumerate(results):
        converted = convert(index, result, tests, source, field)
        note = _invalid_because(converted, result, as_of, oldest, accepted, accepted_from, params)
        if note is None:
            valid.append(converted)
        if summaries:
            test = converted.test
            shown.append(
                {
                    "index": index,
                    "test": test.test,
                    "date": result.date.isoformat(),
                    "level_name": test.level_name,
                    "levels": dict(converted.levels),
                    "lowest": converted.lowest,
                    "valid": note is None,
                    "note": note,
                }
            )
    return shown, valid


_years_before = lru_cache(maxsize=4096)(years_before)  # once per day and validity: a population has a few thousand days


def _invalid_because(converted, result, as_of, oldest, accepted, accepted_from, params) -> str | None:
    if result.test not in accepted:
        return f"{converted.test.title} is not accepted for assessments on {as_of}"
    if result.date < accepted_from.get(result.test, result.date):
        return f"{converted.test.title} results count only when dated on or after {accepted_from[result.test]}"
    if result.date <= oldest:
        return f"expired: a result must be less than {params['language_validity_years']} years old, so dated after {oldest}"
    if result.date > as_of:
        return f"dated after the assessment date {as_of}"
    return None


def best_result(valid: list[ConvertedResult]) -> ConvertedResult | None:
    """The result whose lowest ability is highest (a threshold applies to all four), the later on a tie."""
    return max(valid, key=lambda r: (r.lowest, r.date), default=None)


def best_per_language(valid: list[ConvertedResult], worth=None) -> dict[str, ConvertedResult]:
    """The best valid result in each official language (the test's `language`): by `best_result`, or the one
    `worth` (a key) rates highest, the later on a tie. Which language is "first" is a program's rule (FSW
    points, CRS), so it is decided there."""
    best: dict[str, ConvertedResult] = {}
    for language in sorted({r.test.language for r in valid}):
        results = [r for r in valid if r.test.language == language]
        best[language] = best_result(results) if worth is None else max(results, key=worth)
    return best


def result_summary(result: ConvertedResult) -> dict:
    """A result as the decision shows it."""
    return {
        "index": result.index,
        "test": result.test.test,
        "date": result.date.isoformat(),
        "level_name": result.test.level_name,
        "levels": dict(result.levels),
        "lowest": result.lowest,
    }


# id(table) -> (table, its dates): the table is kept beside its id, so an id reused by another table never matches.
_DATES: dict[int, tuple[dict, dict[str, dt.date]]] = {}


def _dates(table: dict) -> dict[str, dt.date]:
    """A table of test -> ISO date parameter, as dates (parsed once per table: an edition's parameters)."""
    known = _DATES.get(id(table))
    if known is None or known[0] is not table:
        if len(_DATES) >= _TABLES_KEPT:
            _DATES.clear()
        known = _DATES[id(table)] = (table, {test: dt.date.fromisoformat(str(day)) for test, day in table.items()})
    return known[1]


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
        raise InputError(
            source,
            field,
            f"{score!r} is not a {title} {ability} score for this test date ({table.name}): expected {scale.min} to {scale.max} in steps of {scale.step}",
        )
