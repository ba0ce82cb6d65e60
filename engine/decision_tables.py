"""Evaluating decision tables (`tables:` in a ruleset): the one row whose conditions hold gives the value.

A table is a value expression (`{table: NAME, inputs: {...}}`) computed when a rule fires, from that
applicant's facts. The validator (engine/table_coverage.py) proves, over the declared input domains, that
exactly one row matches every combination of inputs; here an input outside its declared domain is an
error (the proof says nothing about it), never a guess. `table_range` gives the least and the greatest
value over ranges of inputs: the bounds of a factor whose input the applicant's file leaves open.
"""

from __future__ import annotations

import itertools
import math
import operator

from .model import FactRef, ParamRef, Table, TableInput

ORDERING = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
ROW_OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in")


class TableError(ValueError):
    """A table cannot give a value for these inputs (outside the domain, or no single row)."""


def resolved(operand, parameters: dict):
    """A row operand with `{param: NAME}` replaced by the parameter's value."""
    return parameters[operand.param] if isinstance(operand, ParamRef) else operand


def operand_value(operand, facts: dict, parameters: dict):
    """A table input's value for one firing: a field of a matched fact (`facts`: by alias), a parameter's
    value, or the literal itself."""
    if isinstance(operand, FactRef):
        return facts[operand.alias][operand.field]
    return resolved(operand, parameters)


def holds(op: str, value, operand) -> bool:
    """Whether `value op operand` holds, with the comparison vocabulary of `where`.

    Examples:
        >>> holds("gte", 18, 18), holds("in", "masters", ["masters", "doctoral"]), holds("ne", True, False)
        (True, True, True)
    """
    if op in ORDERING:
        return ORDERING[op](value, operand)
    if op in ("in", "not_in"):
        found = any(_same(value, member) for member in operand)
        return found if op == "in" else not found
    return _same(value, operand) if op == "eq" else not _same(value, operand)


def _same(value, operand) -> bool:
    """Equality that never confuses a boolean with the number 0 or 1."""
    return isinstance(value, bool) == isinstance(operand, bool) and value == operand


def row_matches(row, values: dict, parameters: dict) -> bool:
    """Whether every condition of `row` holds for the input `values`."""
    return all(
        holds(op, values[name], resolved(operand, parameters))
        for name, comparison in row.when.items()
        for op, operand in comparison.operators()
    )


def in_domain(domain: TableInput, value) -> bool:
    """Whether `value` belongs to an input's declared domain (the part the validator proved covered)."""
    if domain.type == "boolean":
        return isinstance(value, bool)
    if domain.type == "enum":
        return isinstance(value, str) and value in domain.values
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value) and value == int(value) and domain.min <= value <= domain.max


def table_value(name: str, table: Table, values: dict, parameters: dict):
    """The value of table `name` for the input `values`: its one matching row's value (remembered per table,
    parameters and inputs: a population asks the same few combinations again and again)."""
    memo = _memo_of(table, parameters)
    key = tuple([(input_name, type(value), value) for input_name, value in values.items()])  # (True and 1 stay apart)
    if key in memo:
        return memo[key]
    for input_name, domain in table.inputs.items():
        if not in_domain(domain, values.get(input_name)):
            raise TableError(
                f"table {name!r}: input {input_name}={values.get(input_name)!r} is outside its declared domain ({describe_domain(domain)})"
            )
    matching = [row for row in table.rows if row_matches(row, values, parameters)]
    if len(matching) != 1:  # the validator proves this cannot happen; a parameter changed on a date it did not check?
        raise TableError(f"table {name!r}: {len(matching)} rows match {values!r}; exactly one must")
    if len(memo) < _MEMO_SIZE:
        memo[key] = matching[0].value
    return matching[0].value


def table_range(name: str, table: Table, values: dict, parameters: dict) -> tuple:
    """The least and the greatest value of table `name` when each input whose value is a pair `(first, last)`
    takes any integer from first to last (the others as in `table_value`). The rows are constant within each
    segment of an input (`input_segments`), so one value per segment meeting the range is all it can give.

    Examples:
        >>> from cec_rules.engine.model import Table
        >>> years = Table.model_validate({"description": "d", "citation": "c", "output": {"type": "integer"},
        ...     "inputs": {"years": {"type": "integer", "min": 0, "max": 50}},
        ...     "rows": [{"when": {"years": {"lt": 1}}, "value": 0}, {"when": {"years": {"gte": 1, "lte": 3}}, "value": 11},
        ...              {"when": {"years": {"gte": 4}}, "value": 13}]})
        >>> table_range("years", years, {"years": (3, 5)}, {}), table_range("years", years, {"years": (2, 3)}, {})
        ((11, 13), (11, 11))
    """
    choices = []
    for input_name, domain in table.inputs.items():
        value = values.get(input_name)
        if not isinstance(value, tuple):
            choices.append([value])
            continue
        first, last = value
        for end in value:
            if domain.type != "integer" or not in_domain(domain, end):
                raise TableError(
                    f"table {name!r}: input {input_name} from {first!r} to {last!r} is outside its declared domain ({describe_domain(domain)})"
                )
        if first > last:
            raise TableError(f"table {name!r}: input {input_name} from {first!r} to {last!r}: the range is reversed")
        choices.append(
            [
                max(low, first)
                for low, high in input_segments(input_name, domain, table.rows, parameters)
                if low <= last and high >= first
            ]
        )
    found = [
        table_value(name, table, dict(zip(table.inputs, combination)), parameters)
        for combination in itertools.product(*choices)
    ]
    return min(found), max(found)


def input_segments(name: str, domain: TableInput, rows, parameters: dict) -> list[tuple]:
    """The elementary segments of one input: (first value, last value), within which every row condition
    on the input is constant."""
    if domain.type == "boolean":
        return [(False, False), (True, True)]
    if domain.type == "enum":
        return [(value, value) for value in domain.values]
    cuts = {domain.min, domain.max + 1}
    for row in rows:
        comparison = row.when.get(name)
        for _, operand in comparison.operators() if comparison else []:
            value = resolved(operand, parameters)
            for number in value if isinstance(value, list) else [value]:
                cuts |= {math.ceil(number), math.floor(number) + 1}  # both sides of any integer boundary
    ordered = sorted(c for c in cuts if domain.min <= c <= domain.max + 1)
    return [(low, high - 1) for low, high in zip(ordered, ordered[1:])]


_MEMO_SIZE = 4096  # input combinations remembered per table and parameters (a table's domain is usually smaller)
_memos: dict[tuple[int, int], tuple[Table, dict, dict]] = {}


def _memo_of(table: Table, parameters: dict) -> dict:
    """The remembered values of `table` under `parameters` (the very objects: a memo holds them, so their
    ids cannot be reused by others while it lives). A value depends on nothing else: rows compare the
    inputs with literals and those parameters."""
    slot = _memos.get((id(table), id(parameters)))
    if slot is None or slot[0] is not table or slot[1] is not parameters:
        if len(_memos) >= _MEMO_SIZE:
            _memos.clear()
        slot = _memos[(id(table), id(parameters))] = (table, parameters, {})
    return slot[2]


def describe_domain(domain: TableInput) -> str:
    """A domain for people: `integer 0 to 130`, `one of secondary, masters`, `true or false`."""
    if domain.type == "integer":
        return f"integer {domain.min} to {domain.max}"
    if domain.type == "enum":
        return "one of " + ", ".join(domain.values)
    return "true or false"
