"""Validator checks of a ruleset's points grid (`score:`) and of the rules that award points.

Awards name declared factors; caps name declared factors and nest (an inner group listed before the
group containing it, or groups with no factor in common), since that is what makes "apply every cap"
one well-defined sum (engine/score.py); the `score` fact exists only in the final phase, and awards
only before it; points, and an undetermined factor's `possible_points`, are numbers.
"""

from __future__ import annotations

from .errors import Problem
from .model import Absent, ParamRef, Ruleset, TableRange, TableValue, Text
from .pydantic_problems import suggest
from .score import SCORE_FACT, SCORE_FIELDS
from .shown import literal
from .yaml_source import Positions, format_key_path


def score_problems(ruleset: Ruleset, path: str, positions: Positions, program_kinds: set[str]) -> list[Problem]:
    """Every problem of the `score:` section and of award/undetermined_points rules."""
    problems: list[Problem] = []

    def add(key_path: tuple, message: str) -> None:
        line, column = positions.find(key_path)
        problems.append(Problem(path, line, column, format_key_path(key_path), message))

    if ruleset.score is not None:
        _check_grid(ruleset, program_kinds, add)
    for index, rule in enumerate(ruleset.rules):
        _check_rule(ruleset, index, rule, add)
    return problems


def _check_grid(ruleset: Ruleset, program_kinds: set[str], add) -> None:
    score = ruleset.score
    derived = {rule.then.derive.fact for rule in ruleset.rules if rule.then.derive is not None}
    if SCORE_FACT in program_kinds | derived:
        add(
            ("score",),
            f"fact kind {SCORE_FACT!r} is the sum of the awards in a ruleset with a score: section; the program or a rule also defines it",
        )
    for name in score.factors:
        if name in SCORE_FIELDS:
            add(
                ("score", "factors", name), f"factor {name!r} would hide the score fact's {name!r}; choose another name"
            )
    seen = set(score.factors) | set(SCORE_FIELDS)
    for index, cap in enumerate(score.caps):
        if cap.id in seen:
            add(
                ("score", "caps", index, "id"),
                f"cap id {cap.id!r} is already the name of a factor, a total or another cap; the score fact has one field per name",
            )
        seen.add(cap.id)
        for position, factor in enumerate(cap.factors):
            if factor not in score.factors:
                add(
                    ("score", "caps", index, "factors", position),
                    f"unknown factor {factor!r}{suggest(factor, score.factors)}; factors: {', '.join(score.factors)}",
                )
    _check_nesting(score.caps, add)


def _check_nesting(caps, add) -> None:
    """Caps nest or are disjoint, inner ones first: each later cap contains an earlier one whole or not at all."""
    for later_index, later in enumerate(caps):
        for earlier_index, earlier in enumerate(caps[:later_index]):
            inner, outer = set(earlier.factors), set(later.factors)
            if not inner & outer or inner <= outer:
                continue
            if outer < inner:
                add(
                    ("score", "caps", later_index),
                    f"cap {later.id!r} lies inside cap {earlier.id!r} (caps[{earlier_index}]), which is listed before it: list inner caps first",
                )
            else:
                shared = ", ".join(sorted(inner & outer))
                add(
                    ("score", "caps", later_index),
                    f"caps {earlier.id!r} and {later.id!r} share {shared} but neither contains the other: caps must nest or be disjoint",
                )


def _check_rule(ruleset: Ruleset, index: int, rule, add) -> None:
    where = ("rules", index, "then")
    conclusion = rule.then
    factor, key = (
        (conclusion.award.factor, ("award", "factor"))
        if conclusion.award is not None
        else (conclusion.undetermined_points, ("undetermined_points",))
    )
    for p_index, pattern in enumerate(rule.when):
        fact = (pattern.not_ if isinstance(pattern, Absent) else pattern).fact
        if fact == SCORE_FACT and ruleset.score is not None and rule.phase != "final":
            add(
                ("rules", index, "when", p_index, "fact"),
                f"the {SCORE_FACT!r} fact is summed after the conclude phase: a rule matching it needs `phase: final`",
            )
    if factor is None:
        return
    if ruleset.score is None:
        add(
            where + key,
            f"rule {rule.id!r} gives points to {factor!r}, but the ruleset has no score: section declaring factors",
        )
        return
    if factor not in ruleset.score.factors:
        add(
            where + key,
            f"unknown factor {factor!r}{suggest(factor, ruleset.score.factors)}; factors: {', '.join(ruleset.score.factors)}",
        )
    if rule.phase == "final":
        add(
            ("rules", index, "phase"),
            "points are summed when the conclude phase ends: a final-phase rule cannot award them (use phase conclude)",
        )
    if conclusion.award is not None:
        _check_points(ruleset, where + ("award", "points"), conclusion.award.points, add)
    if conclusion.possible_points is not None:
        for at, value in conclusion.possible_points.members():
            _check_points(ruleset, where + ("possible_points", *at), value, add)


def _check_points(ruleset: Ruleset, where: tuple, points, add) -> None:
    """Points are numbers: a literal, a parameter holding numbers, or a table (a table range) of integer or
    number values."""
    if isinstance(points, (TableValue, TableRange)):
        table = ruleset.tables.get(points.table)
        if table is not None and table.output.type not in ("integer", "number"):
            add(
                where + ("table",),
                f"table {points.table!r} gives {table.output.type} values, not points (output.type integer or number)",
            )
        return
    if isinstance(points, ParamRef):
        parameter = ruleset.parameters.get(points.param)
        values = (
            []
            if parameter is None
            else [parameter.value]
            if parameter.values is None
            else list(parameter.values.values())
        )
        bad = [v for v in values if isinstance(v, bool) or not isinstance(v, (int, float))]
        if bad:
            add(where + ("param",), f"parameter {points.param!r} holds {literal(bad[0])}, not a number of points")
        return
    if isinstance(points, (bool, str, Text)):
        shown = "a text" if isinstance(points, Text) else literal(points)
        add(where, f"{shown} is not a number of points")
