"""Paths in messages that a user can open from the folder they are in."""

from __future__ import annotations

from pathlib import Path

from cec_rules.engine.errors import Problem
from cec_rules.engine.library import bundled_root


def from_here(path: Path | str) -> str:
    """Relative to the current folder when under it, else absolute."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def rulesets_root_of_file(path: Path) -> Path:
    """`<root>/<program>/<edition>/ruleset.yaml` -> `<root>`."""
    return path.resolve().parent.parent.parent


def openable_problems(problems: list[Problem], root: Path | None, only: Path | None) -> list[str]:
    """Each problem as text, its path made openable (problems name files relative to the rulesets folder's
    parent); with `only`, the problems of that file alone."""
    base = Path(root if root is not None else bundled_root()).resolve().parent
    shown = []
    for problem in problems:
        target = Path(problem.path) if Path(problem.path).is_absolute() else base / problem.path
        if only is not None and target.resolve() != only.resolve():
            continue
        shown.append(str(Problem(from_here(target), problem.line, problem.column, problem.key_path, problem.message)))
    return shown
