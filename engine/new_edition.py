"""`cec rulesets new-edition`: start a new edition of a program on a date, as a text edit of the YAML.

Why text edits: the edition files carry comments (sources, interpretations) that a policy editor wrote
and a reviewer reads; loading and dumping the YAML would drop them. The steps are those of
docs/policy-editing.md: copy the edition in force on DATE, rename it and give it DATE as its start, close
the previous one the day before, collapse dated parameter values that took effect by DATE into the value
in force on DATE (later dates are kept), and re-date the copied test cases so that they run under the new
edition (see `engine.redate`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CecError
from .library import RULESET_FILE, Edition, Library
from .yaml_source import load_yaml


class NewEditionError(CecError):
    """The new edition cannot be made (no edition in force on the date, or one already starts then)."""


@dataclass
class NewEditionReport:
    """What was done, for the command to print."""

    path: Path
    previous: Edition
    collapsed: list[str] = field(default_factory=list)
    cases: list = field(default_factory=list)  # redate.Redated, for the new and the previous edition


def plan(library: Library, program: str, day: dt.date) -> Edition:
    """The edition to copy: the one in force on `day`, which must have started before it."""
    if program not in library.programs:
        raise NewEditionError(
            f"no program {program!r} in {library.root} (programs: {', '.join(sorted(library.programs)) or 'none'})"
        )
    current = library.edition_for(program, day)
    if current is None:
        raise NewEditionError(f"no edition of {program} is in force on {day}: nothing to copy")
    if current.ruleset.effective_from == day:
        raise NewEditionError(f"edition {current.ruleset.edition} already starts on {day}; edit it instead")
    return current


def write_edition(current: Edition, day: dt.date) -> tuple[Path, list[str]]:
    """Write `<program>/<DAY>/ruleset.yaml` and close `current` on the day before; return the new file and
    the parameters whose dated values were collapsed."""
    folder = current.path.parent.parent / day.isoformat()
    if folder.exists():
        raise NewEditionError(f"{folder} already exists")
    text = current.path.read_text(encoding="utf-8")
    text, collapsed = collapse_values(text, str(current.path), day)
    text = set_top_level(text, "edition", day.isoformat())
    text = set_top_level(text, "effective_from", day.isoformat())
    folder.mkdir()
    (folder / RULESET_FILE).write_text(text, encoding="utf-8")
    old = current.path.read_text(encoding="utf-8")
    current.path.write_text(
        set_top_level(old, "effective_to", (day - dt.timedelta(days=1)).isoformat()), encoding="utf-8"
    )
    return folder / RULESET_FILE, collapsed


def set_top_level(text: str, key: str, value: str) -> str:
    """Replace the value of a top-level `key:` line (keeping any comment after it)."""
    pattern = re.compile(rf"^{key}:[ \t]*(?:\"[^\"]*\"|'[^']*'|[^#\n]*?)([ \t]*(?:#.*)?)$", re.MULTILINE)
    if not pattern.search(text):
        raise NewEditionError(f"no top-level {key!r} line to set")
    return pattern.sub(lambda m: f'{key}: "{value}"{m.group(1)}', text, count=1)


def collapse_values(text: str, path: str, day: dt.date) -> tuple[str, list[str]]:
    """Each parameter's `values:` block: the dates up to `day` become one value in force on `day`."""
    data, positions = load_yaml(text, path)
    lines = text.split("\n")
    edits = []
    for name, parameter in (data.get("parameters") or {}).items():
        if not isinstance(parameter, dict) or "values" not in parameter:
            continue
        dated = sorted((dt.date.fromisoformat(str(k)), v) for k, v in parameter["values"].items())
        in_force = [v for start, v in dated if start <= day] or [dated[0][1]]
        later = [(start, v) for start, v in dated if start > day]
        line, column = positions.find(("parameters", name, "values"))
        end = _block_end(lines, line - 1, column - 1)
        indent = " " * (column - 1)
        if later:
            body = [f"{indent}values:", f'{indent}  "{day.isoformat()}": {json.dumps(in_force[-1])}']
            body += [f'{indent}  "{start.isoformat()}": {json.dumps(v)}' for start, v in later]
        else:
            body = [f"{indent}value: {json.dumps(in_force[-1])}"]
        edits.append((line - 1, end, body, name))
    for start, end, body, _ in sorted(edits, reverse=True):
        lines[start:end] = body
    return "\n".join(lines), sorted(name for *_, name in edits)


def _block_end(lines: list[str], start: int, column: int) -> int:
    """Index after the last line of the block whose key sits at `column` on line `start`."""
    end = start + 1
    while end < len(lines):
        line = lines[end]
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#") and len(line) - len(stripped) <= column:
            break
        end += 1
    while end - 1 > start and not lines[end - 1].strip():
        end -= 1
    return end


def copy_tests_folder(current: Edition, new_file: Path) -> None:
    """Start the new edition's tests/ as a copy of the previous one's (then re-dated case by case)."""
    source = current.path.parent / "tests"
    if source.is_dir():
        shutil.copytree(source, new_file.parent / "tests")


def new_edition(root: Path | None, program: str, day: dt.date) -> NewEditionReport:
    """Make the edition of `program` starting on `day` in the rulesets folder `root` (None: the bundled one)."""
    from .evaluator import Evaluator, load_bundled_or
    from .redate import Redater

    current = plan(load_bundled_or(root), program, day)
    previous = current.ruleset
    new_file, collapsed = write_edition(current, day)
    copy_tests_folder(current, new_file)
    evaluator = Evaluator(load_bundled_or(root), program)
    report = NewEditionReport(new_file, current, collapsed)
    forward = Redater(evaluator, program, day.isoformat(), day, previous.effective_to, drop_unmovable=True)
    for path in sorted((new_file.parent / "tests").glob("*.y*ml")):
        report.cases += forward.redate_file(path, previous.edition, f"Re-dated from edition {previous.edition}")
    back = Redater(evaluator, program, previous.edition, previous.effective_from, day - dt.timedelta(days=1))
    for path in sorted((current.path.parent / "tests").glob("*.y*ml")):
        report.cases += back.redate_file(path, previous.edition, f"Moved before edition {day} starts")
    return report
