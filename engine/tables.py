"""Reading the data tables a ruleset refers to: StatCan's NOC files and the language score tables.

Why here and not in Python constants: policy staff replace a table by replacing a file. Each row
problem is reported with file:line, all of them, so a bad edit is found in one validation run.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .errors import Problem
from .model import LanguageTest
from .pydantic_problems import problems_from_validation, suggest
from .yaml_source import YamlProblem, load_yaml


@dataclass(frozen=True)
class Occupation:
    """A NOC unit group: its code, version, title and level (TEER digit, or 0/A/B/C/D for NOC 2016)."""

    code: str
    version: int
    title: str
    level: str


@dataclass
class NocTables:
    """Both classifications and StatCan's correspondence, indexed both ways."""

    units: dict[int, dict[str, Occupation]] = field(default_factory=lambda: {2016: {}, 2021: {}})
    correspondence: dict[tuple[int, str], list[str]] = field(default_factory=dict)

    def find(self, version: int, code: str) -> Occupation | None:
        return self.units.get(version, {}).get(code)

    def counterparts(self, version: int, code: str) -> list[Occupation]:
        """The unit groups of the other classification that `code` corresponds to."""
        other = 2021 if version == 2016 else 2016
        return [self.units[other][c] for c in self.correspondence.get((version, code), [])]


_NOC_COLUMNS = {2021: ("code", "title", "teer"), 2016: ("code", "title", "skill_level_derived")}
_CODE_LENGTH = {2021: 5, 2016: 4}
# The levels each classification defines: NOC 2021 TEER categories 0-5; NOC 2016 skill type 0 and levels A-D.
NOC_LEVELS = {2021: ("0", "1", "2", "3", "4", "5"), 2016: ("0", "A", "B", "C", "D")}


def read_csv_rows(path: Path, display: str, columns: tuple[str, ...], problems: list[Problem]) -> list[tuple[int, dict]]:
    """Rows of a CSV file with their line numbers; a missing column is one problem for the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problems.append(Problem(display, None, None, "", f"cannot read: {exc.strerror}"))
        return []
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(Problem(display, 1, 1, "", f"missing column(s) {', '.join(missing)}; header is {reader.fieldnames}"))
        return []
    rows = []
    for row in reader:
        if None in row or None in row.values():  # DictReader's marks for too many / too few fields
            problems.append(Problem(display, reader.line_num, None, "", f"row has {len(_fields(row))} field(s) but the header has {len(reader.fieldnames)}"))
            continue
        rows.append((reader.line_num, row))
    return rows


def _fields(row: dict) -> list:
    """The fields a short or long CSV row really had (DictReader pads with None, collects extras under None)."""
    return [v for k, v in row.items() if k is not None and v is not None] + list(row.get(None) or [])


def load_noc(paths: dict[int, tuple[Path, str]], correspondence: tuple[Path, str], problems: list[Problem]) -> NocTables:
    """Read both classifications, then the correspondence, checking every code against them."""
    tables = NocTables()
    for version, (path, display) in paths.items():
        first_line: dict[str, int] = {}
        for line, row in read_csv_rows(path, display, _NOC_COLUMNS[version], problems):
            code, title, level = (row[c].strip() for c in _NOC_COLUMNS[version])
            problem = _unit_problem(version, code, title, level, first_line)
            if problem:
                problems.append(Problem(display, line, None, problem[0], problem[1]))
                continue
            first_line[code] = line
            tables.units[version][code] = Occupation(code, version, title, level)
    path, display = correspondence
    for line, row in read_csv_rows(path, display, ("noc2016", "noc2021"), problems):
        old, new = row["noc2016"].strip(), row["noc2021"].strip()
        unknown = [f"NOC {v} code {c!r}" for v, c in ((2016, old), (2021, new)) if c not in tables.units[v]]
        if unknown:
            problems.append(Problem(display, line, None, "", f"unknown {' and '.join(unknown)}"))
            continue
        tables.correspondence.setdefault((2016, old), []).append(new)
        tables.correspondence.setdefault((2021, new), []).append(old)
    return tables


def _unit_problem(version: int, code: str, title: str, level: str, first_line: dict[str, int]) -> tuple[str, str] | None:
    """(column, message) when a NOC row is unusable: a malformed or repeated code, no title, an unknown level."""
    if len(code) != _CODE_LENGTH[version] or not code.isdigit():
        return "code", f"{code!r} is not a {_CODE_LENGTH[version]}-digit NOC {version} code"
    if code in first_line:
        return "code", f"duplicate NOC {version} code {code!r} (first on line {first_line[code]})"
    if not title:
        return "title", f"NOC {version} code {code!r} has no title"
    if level not in NOC_LEVELS[version]:
        column = _NOC_COLUMNS[version][2]
        return column, f"{level!r} is not a NOC {version} level{suggest(level, NOC_LEVELS[version])}; levels: {', '.join(NOC_LEVELS[version])}"
    return None


def load_language_test(path: Path, display: str, problems: list[Problem]) -> LanguageTest | None:
    """One language test's score tables, or None with the problems recorded."""
    try:
        data, positions = load_yaml(path.read_text(encoding="utf-8"), display)
    except OSError as exc:
        problems.append(Problem(display, None, None, "", f"cannot read: {exc.strerror}"))
        return None
    except YamlProblem as exc:
        problems.append(exc.problem)
        return None
    try:
        test = LanguageTest.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, display, positions, LanguageTest, data))
        return None
    if test.test != path.stem:  # the path is the identifier: a renamed id would orphan every result of the test
        line, column = positions.find(("test",))
        problems.append(Problem(display, line, column, "test", f"test id {test.test!r} disagrees with the file name {path.name!r} (expected {path.stem!r})"))
        return None
    return test
