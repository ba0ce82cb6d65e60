"""Loading a rulesets folder: every program's editions, their data tables, and the timeline checks.

Layout (the path is the identifier): `<root>/<program>/<edition>/ruleset.yaml`, data tables under
`<root>/data/`. Editions of one program must not overlap, and a gap between two editions is an
error (a program ends only where its last edition has an `effective_to`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from .data_files import data_problems
from .errors import Problem, RulesetErrors
from .model import Ruleset
from .program import Program, broken_plugins
from .pydantic_problems import problems_from_validation
from .validator import RulesetChecker
from .values import parameter_value_problems
from .yaml_source import Positions, YamlProblem, load_yaml

RULESET_FILE = "ruleset.yaml"


@dataclass
class Edition:
    """One loaded, validated edition with its data tables (what its program's plugin loaded)."""

    ruleset: Ruleset
    path: Path
    display_path: str
    positions: Positions
    sha256: str
    tables: object

    def in_force(self, day: dt.date) -> bool:
        end = self.ruleset.effective_to
        return self.ruleset.effective_from <= day and (end is None or day <= end)


@dataclass
class Library:
    """All programs of a rulesets folder, each a date-ordered list of editions."""

    root: Path
    programs: dict[str, list[Edition]] = field(default_factory=dict)
    plugins: dict[str, Program] = field(default_factory=dict)  # the plugins the editions were checked against
    unavailable: dict[str, list[Problem]] = field(default_factory=dict)  # programs whose rulesets have problems

    def edition_for(self, program: str, day: dt.date) -> Edition | None:
        """The edition of `program` in force on `day`, or None."""
        return next((e for e in self.programs.get(program, []) if e.in_force(day)), None)


def bundled_root() -> Path:
    """The rulesets folder shipped inside the package."""
    return Path(str(resources.files("cec_rules.rulesets")))


def load_library(root: Path | None, plugins: dict[str, Program], only: set[str] | None = None) -> Library:
    """Load and validate every edition under `root` (the bundled rulesets when None), each against the
    plugin of its `program:` (its fact kinds, required parameters and advice, field relations).

    One program's problems never stop another: a program with any problem (in an edition, its data
    tables, its timeline, or no plugin installed for it) is left out of `programs` and listed in
    `unavailable` with its problems. Raises `RulesetErrors` with every problem found when no program
    is usable, or when the folder itself is unusable. `only`: the program folders to load, the others
    left out (the library cache reloads the programs whose files changed; whether any program is usable
    is then its question).
    """
    root = Path(root) if root is not None else bundled_root()
    if not root.is_dir():
        raise RulesetErrors([Problem(str(root), None, None, "", "not a folder of rulesets")])
    problems: list[Problem] = []
    loader = _EditionLoader(root, plugins, problems)
    library = Library(root, plugins=dict(plugins))
    files = [path for path in edition_files(root, problems) if only is None or path.parent.parent.name in only]
    if not files and only is None:
        problems.append(Problem(str(root), None, None, "", f"no <program>/<edition>/{RULESET_FILE} files found"))
    if problems:
        raise RulesetErrors(problems)
    by_program: dict[str, list[Problem]] = {}
    for path in files:
        found: list[Problem] = []
        loader.problems = found
        edition = loader.load(path)
        by_program.setdefault(path.parent.parent.name, []).extend(found)
        if edition is not None:
            library.programs.setdefault(edition.ruleset.program, []).append(edition)
    for program, editions in library.programs.items():
        editions.sort(key=lambda e: e.ruleset.effective_from)
        by_program.setdefault(program, []).extend(timeline_problems(editions))
    library.unavailable = {program: found for program, found in by_program.items() if found}
    library.programs = {
        program: editions for program, editions in library.programs.items() if program not in library.unavailable
    }
    if library.unavailable and not library.programs and only is None:
        raise RulesetErrors([problem for found in library.unavailable.values() for problem in found])
    return library


def edition_files(root: Path, problems: list[Problem]) -> list[Path]:
    """Every `<program>/<edition>/ruleset.yaml`, sorted. Unlike a glob, a ruleset file or edition folder
    that is a broken or looping symbolic link is reported, not silently skipped (its edition would go missing)."""
    files = []
    for program in _entries(root, root, problems):
        for edition in _entries(program, root, problems) if program.is_dir() else []:
            candidate = edition / RULESET_FILE
            if edition.is_dir() and os.path.lexists(candidate):
                files.append(candidate)
    return files


def _entries(folder: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """The sorted entries of `folder`, reporting symbolic links that lead nowhere."""
    entries = sorted(folder.iterdir())
    for entry in entries:
        if entry.is_symlink() and not entry.exists():
            shown = entry.relative_to(root.parent)
            problems.append(
                Problem(str(shown), None, None, "", "broken or looping symbolic link: what it names cannot be read")
            )
    return entries


class _EditionLoader:
    """Reads edition files; shares data tables between editions that name the same files."""

    def __init__(self, root: Path, plugins: dict[str, Program], problems: list[Problem]):
        self.root = root
        self.plugins = plugins
        self.problems = problems
        self._tables: dict = {}  # data tables read so far, by what the plugin keys them with

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def load(self, path: Path) -> Edition | None:
        display = self.display(path)
        parsed = self._parse(path, display)
        if parsed is None:
            return None
        ruleset, positions, raw = parsed
        before = len(self.problems)
        self._check_location(ruleset, path, display, positions)
        plugin = self._plugin(ruleset, display, positions)
        if plugin is None:
            return None
        self.problems.extend(
            RulesetChecker(
                ruleset,
                display,
                positions,
                plugin.fact_kinds,
                plugin.required_parameters,
                plugin.required_advice,
                plugin.field_relations,
                plugin.screen_kinds,
            ).check()
        )
        named = data_problems(ruleset, display, positions, plugin.data_files)
        self.problems.extend(named)
        tables = None if named else plugin.load_tables(ruleset, TableReader(self, display, positions))
        if tables is not None:  # vocabularies come from the data tables
            specs = {name: entry[2] for name, entry in plugin.required_parameters.items() if len(entry) > 2}
            self.problems.extend(parameter_value_problems(ruleset, display, positions, specs, tables))
        if len(self.problems) > before or tables is None:
            return None
        digest = hashlib.sha256(raw)
        for data_path in table_paths(self.root, plugin, ruleset):
            digest.update(data_path.read_bytes())
        return Edition(ruleset, path, display, positions, digest.hexdigest(), tables)

    def _plugin(self, ruleset: Ruleset, display: str, positions: Positions) -> Program | None:
        """The plugin of the edition's program, or None with a problem naming the installed ones."""
        plugin = self.plugins.get(ruleset.program)
        if plugin is None:
            line, column = positions.find(("program",))
            installed = ", ".join(sorted(self.plugins)) or "none"
            why = broken_plugins().get(ruleset.program, "no plugin is installed for it")
            self.problems.append(
                Problem(
                    display,
                    line,
                    column,
                    "program",
                    f"program {ruleset.program!r} cannot be decided: {why}; working plugins: {installed} (docs/engine.md, 'Programs as plugins')",
                )
            )
        return plugin

    def _parse(self, path: Path, display: str):
        try:
            raw = path.read_bytes()
            data, positions = load_yaml(raw.decode("utf-8"), display)
        except YamlProblem as exc:
            self.problems.append(exc.problem)
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(display, None, None, "", f"cannot read: {exc}"))
            return None
        try:
            return Ruleset.model_validate(data), positions, raw
        except ValidationError as exc:
            self.problems.extend(problems_from_validation(exc, display, positions, Ruleset, data))
            return None

    def _check_location(self, ruleset: Ruleset, path: Path, display: str, positions: Positions) -> None:
        """The path is the identifier: `<program>/<edition>/` must agree with the file's own fields."""
        for key, expected in (("program", path.parent.parent.name), ("edition", path.parent.name)):
            if getattr(ruleset, key) != expected:
                line, column = positions.find((key,))
                self.problems.append(
                    Problem(
                        display,
                        line,
                        column,
                        key,
                        f"{getattr(ruleset, key)!r} disagrees with the folder name {expected!r}",
                    )
                )

    def resolve(self, relative: str, display: str, positions: Positions, key_path: tuple) -> Path | None:
        try:
            path = (self.root / relative).resolve()
        except (OSError, RuntimeError):  # a symbolic link loop (RuntimeError before Python 3.13)
            path = self.root / relative
        if not path.is_file():
            line, column = positions.find(key_path)
            self.problems.append(
                Problem(
                    display,
                    line,
                    column,
                    ".".join(map(str, key_path)),
                    f"data file {relative!r} not found under {self.root}",
                )
            )
            return None
        return path

    def shared(self, key, load):
        """A data table read once however many editions name it; its problems are every such edition's
        (each program's problems are its own, and a broken shared table makes all its users unavailable)."""
        if key not in self._tables:
            found: list[Problem] = []
            self._tables[key] = (load(found), found)
        table, found = self._tables[key]
        self.problems.extend(found)
        return table


class TableReader:
    """What a program's plugin loads one edition's data tables with: paths under the rulesets folder
    (a missing file is a problem at the edition's key path, with file:line), names to show in problems,
    and tables read once however many editions name them."""

    def __init__(self, loader: _EditionLoader, display: str, positions: Positions):
        self._loader, self._display, self._positions = loader, display, positions

    def resolve(self, relative: str, key_path: tuple) -> Path | None:
        """The file `relative` names, or None with a problem at `key_path` of the edition."""
        return self._loader.resolve(relative, self._display, self._positions, key_path)

    def display(self, path: Path) -> str:
        """`path` as problems show it (relative to the rulesets folder's parent)."""
        return self._loader.display(path)

    def shared(self, key, load):
        """`load(problems)` once per `key` (a hashable naming the files); its problems reach every user."""
        return self._loader.shared(key, load)


def table_paths(root: Path, plugin: Program, ruleset: Ruleset) -> list[Path]:
    """The data files an edition's tables were read from (part of its sha256 and of the cache's manifest)."""
    return [(root / p).resolve() for p in plugin.table_files(ruleset)]


def timeline_problems(editions: list[Edition]) -> list[Problem]:
    """Overlaps and gaps between consecutive editions of one program (sorted by effective_from)."""
    problems = []
    for previous, current in zip(editions, editions[1:]):
        line, column = current.positions.find(("effective_from",))
        end = previous.ruleset.effective_to
        start = current.ruleset.effective_from
        if end is None or end >= start:
            until = "with no end" if end is None else f"until {end}"
            problems.append(
                Problem(
                    current.display_path,
                    line,
                    column,
                    "effective_from",
                    f"edition {current.ruleset.edition} starts {start} while edition {previous.ruleset.edition} ({previous.display_path}) is in force {until}: editions overlap",
                )
            )
        elif end + dt.timedelta(days=1) != start:
            problems.append(
                Problem(
                    current.display_path,
                    line,
                    column,
                    "effective_from",
                    f"gap: edition {previous.ruleset.edition} ends {end} but edition {current.ruleset.edition} starts {start}; no edition is in force from {end + dt.timedelta(days=1)} to {start - dt.timedelta(days=1)}",
                )
            )
    return problems
