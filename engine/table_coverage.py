"""Gap/overlap analysis of decision tables: each table gives exactly one value for every combination of
its inputs' declared domains (DMN's hit policy "unique", as Drools and DMN tools check it).

Each input's domain is split into elementary segments at every boundary a row condition draws (an
integer range at each constant `c` of `eq`/`gt`/`lte`/`in`..., an enum into its values, a boolean into
true and false), so that every row condition is constant within a segment. Every cell of the product of
the segments is then tested against every row: a cell no row covers is a gap, a cell two rows cover is
an overlap. The first of each is reported with the file:line of the table or of both rows. Before that,
each row is checked on its own: inputs it names are declared, operators suit the input's type, operands
are of that type (enum values from the enum), `{param: ...}` names a parameter (rows are checked on each
date such a parameter changes), and the row's value has the output type.
"""

from __future__ import annotations

import itertools
import math

from .decision_tables import ROW_OPERATORS, input_segments, row_matches
from .errors import Problem
from .model import ParamRef, Ruleset, Table, TableInput
from .pydantic_problems import suggest
from .shown import a, literal
from .yaml_source import Positions, format_key_path

MAX_CELLS = 200_000  # combinations of segments checked per table; beyond, the table is too large to prove
_OUTPUT_TYPES = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
}
_EQUALITY = ("eq", "ne", "in", "not_in")


def table_problems(ruleset: Ruleset, path: str, positions: Positions) -> list[Problem]:
    """Every problem of the ruleset's decision tables: malformed rows first, then gaps and overlaps."""
    problems: list[Problem] = []
    for name, table in ruleset.tables.items():
        _TableChecker(ruleset, name, table, path, positions, problems).check()
    return problems


class _TableChecker:
    def __init__(
        self, ruleset: Ruleset, name: str, table: Table, path: str, positions: Positions, problems: list[Problem]
    ):
        self.ruleset, self.name, self.table = ruleset, name, table
        self.path, self.positions, self.problems = path, positions, problems
        self.base = ("tables", name)

    def add(self, key_path: tuple, message: str) -> None:
        line, column = self.positions.find(self.base + key_path)
        self.problems.append(Problem(self.path, line, column, format_key_path(self.base + key_path), message))

    def line(self, index: int) -> int | None:
        return self.positions.find(self.base + ("rows", index))[0]

    def check(self) -> None:
        before = len(self.problems)
        for index, row in enumerate(self.table.rows):
            self._check_row(index, row)
        if len(self.problems) == before:  # coverage only means something for well-formed rows
            for day in self._days():
                if self._check_coverage(day):
                    return

    # --- each row on its own -------------------------------------------------------------------

    def _check_row(self, index: int, row) -> None:
        output = self.table.output.type
        if not _OUTPUT_TYPES[output](row.value):
            self.add(
                ("rows", index, "value"),
                f"{literal(row.value)} is not {a(output)}: table {self.name!r} gives {output} values (output.type)",
            )
        for input_name, comparison in row.when.items():
            domain = self.table.inputs.get(input_name)
            where = ("rows", index, "when", input_name)
            if domain is None:
                self.add(
                    where,
                    f"unknown input {input_name!r}{suggest(input_name, self.table.inputs)}; inputs of table {self.name!r}: {', '.join(self.table.inputs)}",
                )
                continue
            for op, operand in comparison.operators():
                self._check_operand(where + (op,), domain, op, operand)

    def _check_operand(self, where: tuple, domain: TableInput, op: str, operand) -> None:
        if op not in ROW_OPERATORS:
            self.add(where, f"{op} is not a row condition; use one of {', '.join(ROW_OPERATORS)}")
            return
        if domain.type != "integer" and op not in _EQUALITY:
            self.add(where, f"{op} compares numbers, but this input is {domain.type}; use eq, ne, in or not_in")
            return
        if isinstance(operand, ParamRef):
            parameter = self.ruleset.parameters.get(operand.param)
            if parameter is None:
                self.add(
                    where + ("param",),
                    f"unknown parameter {operand.param!r}{suggest(operand.param, self.ruleset.parameters)}",
                )
                return
            values = [parameter.value] if parameter.values is None else list(parameter.values.values())
            for value in values:
                if self._operand_problem(where, domain, op, value, f"parameter {operand.param!r} holds "):
                    return
            return
        self._operand_problem(where, domain, op, operand, "")

    def _operand_problem(self, where: tuple, domain: TableInput, op: str, operand, holds: str) -> bool:
        """Report (once) an operand that does not suit the input's domain; True when one was reported."""
        listed = op in ("in", "not_in")
        if listed != isinstance(operand, list):
            self.add(
                where, f"{holds}{literal(operand)}, but {op} needs {'a list' if listed else 'one value, not a list'}"
            )
            return True
        for member in operand if listed else [operand]:
            problem = _member_problem(domain, member)
            if problem:
                self.add(where, f"{holds}{problem}")
                return True
        return False

    # --- coverage ------------------------------------------------------------------------------

    def _days(self) -> list:
        """The dates the rows must be proved on: the edition's start and each change of a parameter they use."""
        used = {
            operand.param
            for row in self.table.rows
            for comparison in row.when.values()
            for _, operand in comparison.operators()
            if isinstance(operand, ParamRef)
        }
        start, end = self.ruleset.effective_from, self.ruleset.effective_to
        changes = {
            day
            for name in used
            for day in (self.ruleset.parameters[name].values or {})
            if start < day and (end is None or day <= end)
        }
        return sorted({start} | changes)

    def _check_coverage(self, day) -> bool:
        """Report the first gap and the first overlap on `day`; True when one was found."""
        parameters = {name: p.value_on(day) for name, p in self.ruleset.parameters.items()}
        segments = {
            name: input_segments(name, domain, self.table.rows, parameters)
            for name, domain in self.table.inputs.items()
        }
        cells = math.prod(len(s) for s in segments.values())
        if cells > MAX_CELLS:
            self.add(
                ("inputs",),
                f"{cells:,} combinations of input segments; a table may have at most {MAX_CELLS:,} to be proved complete (split it)",
            )
            return True
        dated = f" (on {day})" if day != self.ruleset.effective_from else ""
        gap = overlap = None
        for cell in itertools.product(*segments.values()):
            values = {name: segment[0] for name, segment in zip(segments, cell)}
            matching = [i for i, row in enumerate(self.table.rows) if row_matches(row, values, parameters)]
            if not matching and gap is None:
                gap = cell
                self.add(
                    (),
                    f"{_cell(segments, cell)} is covered by no row{dated}: table {self.name!r} must give a value for every input of its domain",
                )
            if len(matching) > 1 and overlap is None:
                overlap = cell
                first, second = matching[:2]
                self.add(
                    ("rows", second),
                    f"{_cell(segments, cell)} is covered by rows[{first}] (line {self.line(first)}) and rows[{second}] "
                    f"(line {self.line(second)}){dated}: table {self.name!r} needs exactly one row for each input",
                )
            if gap is not None and overlap is not None:
                break
        return gap is not None or overlap is not None


def _member_problem(domain: TableInput, value) -> str | None:
    """Why `value` cannot be compared with an input of `domain`, or None."""
    if domain.type == "integer":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return f"{literal(value)} is not a number; this input is an integer"
        return None
    if domain.type == "boolean":
        return None if isinstance(value, bool) else f"{literal(value)} is not true or false; this input is a boolean"
    if not isinstance(value, str) or value not in domain.values:
        hint = suggest(value, domain.values) if isinstance(value, str) else ""
        return f"unknown value {literal(value)}{hint}; values of this input: {', '.join(domain.values)}"
    return None


def _cell(segments: dict, cell: tuple) -> str:
    """`age 40`, `age 40 to 44, with_spouse true`: one cell of the product, for people."""
    shown = []
    for name, (first, last) in zip(segments, cell):
        text = _value(first) if first == last else f"{_value(first)} to {_value(last)}"
        shown.append(f"{name} {text}")
    return ", ".join(shown)


def _value(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
