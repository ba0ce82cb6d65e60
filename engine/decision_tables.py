"""Evaluating decision tables (`tables:` in a ruleset): the one row whose conditions hold gives the value.

A table is a value expression (`{table: NAME, inputs: {...}}`) computed when a rule fires, from that
applicant's facts. The validator (engine/table_coverage.py) proves, over the declared input domains, that
exactly one row matches every combination of inputs; here an input outside its declared domain is an
error (the proof says nothing about it), never a guess.
"""

from __future__ import annotations

import math
import operator

from .model import ParamRef, Table, TableInput

ORDERING = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
ROW_OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in")


class TableError(ValueError):
    """A table cannot give a value for these inputs (outside the domain, or no single row)."""


def resolved(operand, parameters: dict):
    """A row operand with `{param: NAME}` replaced by the parameter's value."""
    return parameters[operand.param] if isinstance(operand, ParamRef) else operand


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
    return all(holds(op, values[name], resolved(operand, parameters))
               for name, comparison in row.when.items() for op, operand in comparison.operators())


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
            raise TableError(f"table {name!r}: input {input_name}={values.get(input_name)!r} is outside its declared domain ({describe_domain(domain)})")
    matching = [row for row in table.rows if row_matches(row, values, parameters)]
    if len(matching) != 1:  # the validator proves this cannot happen; a parameter changed on a date it did not check?
        raise TableError(f"table {name!r}: {len(matching)} rows match {values!r}; exactly one must")
    if len(memo) < _MEMO_SIZE:
        memo[key] = matching[0].value
    return matching[0].value


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
