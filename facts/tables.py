"""CEC's data tables, which its plugin loads for each edition: StatCan's NOC files and the language
score tables (their models, and reading them with row-level problems).

Why here and not in Python constants: policy staff replace a table by replacing a file. Each row
problem is reported with file:line, all of them, so a bad edit is found in one validation run.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from typing import Annotated, Literal

from pydantic import Field, StrictFloat, StrictInt, ValidationError, model_validator

from cec_rules.engine.errors import Problem
from cec_rules.engine.model import Identifier, Source, Strict
from cec_rules.engine.pydantic_problems import problems_from_validation, suggest
from cec_rules.engine.yaml_source import YamlProblem, load_yaml


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


def read_csv_rows(
    path: Path, display: str, columns: tuple[str, ...], problems: list[Problem]
) -> list[tuple[int, dict]]:
    """Rows of a CSV file with their line numbers; a missing column is one problem for the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problems.append(Problem(display, None, None, "", f"cannot read: {exc.strerror}"))
        return []
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(
            Problem(display, 1, 1, "", f"missing column(s) {', '.join(missing)}; header is {reader.fieldnames}")
        )
        return []
    rows = []
    for row in reader:
        if None in row or None in row.values():  # DictReader's marks for too many / too few fields
            problems.append(
                Problem(
                    display,
                    reader.line_num,
                    None,
                    "",
                    f"row has {len(_fields(row))} field(s) but the header has {len(reader.fieldnames)}",
                )
            )
            continue
        rows.append((reader.line_num, row))
    return rows


def _fields(row: dict) -> list:
    """The fields a short or long CSV row really had (DictReader pads with None, collects extras under None)."""
    return [v for k, v in row.items() if k is not None and v is not None] + list(row.get(None) or [])


def load_noc(
    paths: dict[int, tuple[Path, str]], correspondence: tuple[Path, str], problems: list[Problem]
) -> NocTables:
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


def _unit_problem(
    version: int, code: str, title: str, level: str, first_line: dict[str, int]
) -> tuple[str, str] | None:
    """(column, message) when a NOC row is unusable: a malformed or repeated code, no title, an unknown level."""
    if len(code) != _CODE_LENGTH[version] or not code.isdigit():
        return "code", f"{code!r} is not a {_CODE_LENGTH[version]}-digit NOC {version} code"
    if code in first_line:
        return "code", f"duplicate NOC {version} code {code!r} (first on line {first_line[code]})"
    if not title:
        return "title", f"NOC {version} code {code!r} has no title"
    if level not in NOC_LEVELS[version]:
        column = _NOC_COLUMNS[version][2]
        return (
            column,
            f"{level!r} is not a NOC {version} level{suggest(level, NOC_LEVELS[version])}; levels: {', '.join(NOC_LEVELS[version])}",
        )
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
        problems.append(
            Problem(
                display,
                line,
                column,
                "test",
                f"test id {test.test!r} disagrees with the file name {path.name!r} (expected {path.stem!r})",
            )
        )
        return None
    return test


# --- language test tables (data files) ---------------------------------------------------------

ABILITIES = ("listening", "reading", "writing", "speaking")


MAX_SCORE_STEPS = 10_000  # more steps than any designated test's scale has: anything above is a typo
LANGUAGE_LEVELS = range(1, 13)  # CLB and NCLC levels 1-12


class ScoreRange(Strict):
    """A test's scale for one ability: scores from min to max in whole steps."""

    min: StrictInt | StrictFloat
    max: StrictInt | StrictFloat
    step: StrictInt | StrictFloat

    @model_validator(mode="after")
    def _sane(self) -> "ScoreRange":
        """Each result is checked against this scale; a scale that is infinite, reversed or of a zero or
        vanishing step would refuse every applicant or fail on every division."""
        if not all(math.isfinite(v) for v in (self.min, self.max, self.step)):
            raise ValueError(f"min, max and step must be finite numbers (got {self.min}, {self.max}, {self.step})")
        if self.min >= self.max:
            raise ValueError(f"min {self.min} must be below max {self.max}")
        if self.step <= 0 or (self.max - self.min) / self.step > MAX_SCORE_STEPS:
            raise ValueError(
                f"step {self.step} must be positive and divide {self.min}-{self.max} into at most {MAX_SCORE_STEPS:,} steps"
            )
        return self


class ScoreTable(Strict):
    """Scores -> levels for tests taken between two dates (inclusive; null = open)."""

    name: str
    tests_from: dt.date | None = None
    tests_to: dt.date | None = None
    score_range: dict[Literal["listening", "reading", "writing", "speaking"], ScoreRange]
    minimum_score: dict[
        Literal["listening", "reading", "writing", "speaking"], dict[StrictInt, StrictInt | StrictFloat]
    ]

    @model_validator(mode="after")
    def _complete_and_monotonic(self) -> "ScoreTable":
        for ability in ABILITIES:
            if ability not in self.score_range or ability not in self.minimum_score:
                raise ValueError(f"{ability} needs a score_range and a minimum_score table")
            levels = sorted(self.minimum_score[ability])
            if any(level not in LANGUAGE_LEVELS for level in levels):
                raise ValueError(
                    f"minimum_score.{ability}: levels must be CLB/NCLC levels 1-12, not {[level for level in levels if level not in LANGUAGE_LEVELS]}"
                )
            scale = self.score_range[ability]
            outside = [m for m in self.minimum_score[ability].values() if not scale.min <= m <= scale.max]
            if outside:
                raise ValueError(
                    f"minimum_score.{ability}: {outside[0]} is outside the score range {scale.min}-{scale.max}"
                )
            scores = [self.minimum_score[ability][level] for level in levels]
            if any(a >= b for a, b in zip(scores, scores[1:])):
                raise ValueError(f"minimum_score.{ability}: scores must rise with the level")
        return self

    def covers(self, day: dt.date) -> bool:
        return (self.tests_from is None or self.tests_from <= day) and (self.tests_to is None or day <= self.tests_to)


class LanguageTest(Strict):
    """One designated language test and its score tables by test date."""

    test: Identifier
    title: str
    language: Literal["english", "french"]
    level_name: Literal["CLB", "NCLC"]
    sources: list[Source]
    tables: Annotated[list[ScoreTable], Field(min_length=1)]

    def table_for(self, day: dt.date) -> ScoreTable | None:
        for table in self.tables:
            if table.covers(day):
                return table
        return None


# --- an edition's tables, as CEC's plugin loads them ------------------------------------------------

NOC_FILES = ("noc_2021", "noc_2016", "noc_correspondence")


@dataclass(frozen=True)
class CecTables:
    """What a CEC edition's `data:` names, loaded: the NOC tables and the language tests by name."""

    noc: NocTables
    language_tests: dict[str, LanguageTest]


# The names a CEC edition's `data:` gives (the plugin's `data_files`): the loader checks them before
# `load_cec_tables` reads them.
DATA_FILES = {
    "noc_2021": ("path", "StatCan's NOC 2021 unit groups with their TEER (CSV: code, title, teer)"),
    "noc_2016": (
        "path",
        "StatCan's NOC 2016 unit groups with their skill level (CSV: code, title, skill_level_derived)",
    ),
    "noc_correspondence": ("path", "StatCan's NOC 2016 to NOC 2021 correspondence (CSV: noc2016, noc2021)"),
    "language_tests": ("paths", "the designated language tests' score tables, one YAML file per test"),
}


def table_files(ruleset) -> list[str]:
    """The files an edition's `data:` names, relative to the rulesets folder (the NOC files first: the
    order is part of the edition's sha256)."""
    data = ruleset.data
    return [*(data[key] for key in NOC_FILES), *data["language_tests"]]


def load_cec_tables(ruleset, reader) -> CecTables | None:
    """The edition's tables through the engine's `reader`, or None when one is missing or unusable."""
    data = ruleset.data
    paths = {key: reader.resolve(data[key], ("data", key)) for key in NOC_FILES}
    noc = (
        None
        if None in paths.values()
        else reader.shared(
            ("noc", *paths.values()),
            lambda problems: load_noc(
                {
                    2021: (paths["noc_2021"], reader.display(paths["noc_2021"])),
                    2016: (paths["noc_2016"], reader.display(paths["noc_2016"])),
                },
                (paths["noc_correspondence"], reader.display(paths["noc_correspondence"])),
                problems,
            ),
        )
    )
    tests, complete = _language_tests(data["language_tests"], reader)
    return CecTables(noc, tests) if noc is not None and complete else None


def _language_tests(relatives: list[str], reader) -> tuple[dict[str, LanguageTest], bool]:
    """The tests by name, and whether every file named was found and read."""
    tests: dict[str, LanguageTest] = {}
    complete = True
    for index, relative in enumerate(relatives):
        path = reader.resolve(relative, ("data", "language_tests", index))
        test = (
            None
            if path is None
            else reader.shared(
                ("language_test", path),
                lambda problems, path=path: load_language_test(path, reader.display(path), problems),
            )
        )
        if test is None:
            complete = False
        else:
            tests[test.test] = test
    return tests, complete
