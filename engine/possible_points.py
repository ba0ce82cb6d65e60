"""The bounds of an undetermined factor: what `possible_points` says its points can be, for one firing.

A rule that concludes `undetermined_points: FACTOR` leaves the factor open; by default the score counts it
at 0 in `total` and at its maximum in `possible_total` (engine/score.py). With `possible_points` the rule
says which points the readings the input leaves open can give, and the score counts the least and the
most of them instead (each capped at the factor's maximum, as awards are):

- `{table: NAME, inputs: {INPUT: VALUE or {from: VALUE, to: VALUE}}}`: every value the decision table
  gives while each ranged input takes any integer of its range (`decision_tables.table_range`), so a
  table that does not rise with its input still gives honest bounds;
- `{one_of: [VALUE, ...]}`: one of these numbers, parameters in force on the assessment day, fields of
  the matched facts or table ranges.

The engine computes the least and the most; the rule only says what the open input can be.
"""

from __future__ import annotations

from typing import Callable

from .decision_tables import operand_value, table_range
from .model import InputRange, PossiblePoints, TableRange

Bounds = Callable[[dict, dict], tuple]  # (matched facts by alias, parameters) -> (least, most)


def bounds_of(possible: PossiblePoints, tables: dict) -> Bounds:
    """`possible_points` as a function of (matched facts, parameters) giving (least, most) points: the widest
    of its members' (the table range, or each `one_of` value).

    Examples:
        >>> from cec_rules.engine.model import PossiblePoints
        >>> senior_or_other = PossiblePoints.model_validate({"one_of": [0, {"param": "senior"}, {"param": "other"}]})
        >>> bounds_of(senior_or_other, {})({}, {"senior": 200, "other": 50}), bounds_of(senior_or_other, {})({}, {"senior": 0, "other": 0})
        ((0, 200), (0, 0))
    """
    members = [
        _table_bounds(member, tables) if isinstance(member, TableRange) else _single(member)
        for _, member in possible.members()
    ]
    return lambda matched, parameters: _widest([member(matched, parameters) for member in members])


def _table_bounds(expression: TableRange, tables: dict) -> Bounds:
    name, table = expression.table, tables[expression.table]

    def bounds(matched: dict, parameters: dict) -> tuple:
        values = {
            input_name: (
                operand_value(operand.from_, matched, parameters),
                operand_value(operand.to, matched, parameters),
            )
            if isinstance(operand, InputRange)
            else operand_value(operand, matched, parameters)
            for input_name, operand in expression.inputs.items()
        }
        return _numbers(table_range(name, table, values, parameters))

    return bounds


def _single(operand) -> Bounds:
    return lambda matched, parameters: _numbers((operand_value(operand, matched, parameters),) * 2)


def _widest(pairs: list[tuple]) -> tuple:
    return min(low for low, _ in pairs), max(high for _, high in pairs)


def _numbers(pair: tuple) -> tuple:
    """`pair` when both are numbers of points; a TypeError (the firing's error) otherwise."""
    for value in pair:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"possible_points gave {value!r}, not a number of points")
    return pair
