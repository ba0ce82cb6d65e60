"""The `data:` section of a ruleset against what its program's plugin declares.

`data:` maps names to data files (one path, or a list of paths, relative to the rulesets folder); the
plugin's `data_files` says which names every edition must give and in which form, because its
`load_tables` reads them. A missing name, an unknown one (with "did you mean") or the wrong form is a
problem with file:line, found before any table is read.
"""

from __future__ import annotations

from .errors import Problem
from .pydantic_problems import suggest
from .yaml_source import Positions, format_key_path

FORMS = {"path": "one path", "paths": "a list of paths"}


def data_problems(ruleset, display: str, positions: Positions, declared: dict[str, tuple[str, str]]) -> list[Problem]:
    """Every problem of `ruleset.data` against `declared` (name -> (form, why); form is "path" or "paths")."""
    problems = []

    def add(key_path: tuple, message: str) -> None:
        line, column = positions.find(key_path)
        problems.append(Problem(display, line, column, format_key_path(key_path), message))

    for name, (form, why) in declared.items():
        given = ruleset.data.get(name)
        if given is None:
            add(("data",), f"missing data file {name!r} ({FORMS[form]}): {why}")
        elif isinstance(given, list) != (form == "paths"):
            add(
                ("data", name),
                f"{name!r} needs {FORMS[form]}, not {FORMS['paths' if isinstance(given, list) else 'path']}",
            )
    missing = [name for name in declared if name not in ruleset.data]  # a misspelling is most likely one of these
    for name in ruleset.data:
        if name not in declared:
            allowed = ", ".join(sorted(declared)) or "none"
            add(
                ("data", name),
                f"unknown data file {name!r}{suggest(name, missing or list(declared))}; this program reads: {allowed}",
            )
    return problems


def named_paths(data: dict) -> list[str]:
    """Every path `data:` names, in the order written (the default `Program.table_files`)."""
    return [path for given in data.values() for path in (given if isinstance(given, list) else [given])]
