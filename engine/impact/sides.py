"""The two sides of a comparison: a rulesets folder (each applicant decided by the edition in force on
its date), or one edition of a program (`PROGRAM/EDITION`), every applicant decided by that edition."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cec_rules.engine.errors import CecError
from cec_rules.engine.library import Edition, Library, bundled_root


class SideError(CecError):
    """OLD or NEW names neither a rulesets folder nor an edition."""


def _first_edition(root: Path, program: str) -> str:
    """An edition of `program` under `root`, for the example in a message."""
    return next((p.parent.name for p in sorted((root / program).glob("*/ruleset.yaml"))), "EDITION")


@dataclass(frozen=True)
class Side:
    """Picklable description of one side, rebuilt in each worker process."""

    label: str
    root: str | None  # rulesets folder (None: the bundled one)
    program: str
    edition: str | None  # None: the edition in force on each applicant's date

    def pick(self, library: Library) -> Edition | None:
        if self.edition is None:
            return None
        return next(e for e in library.programs[self.program] if e.ruleset.edition == self.edition)


def parse_side(text: str, default_root: Path | None, program: str) -> Side:
    """`path/to/rulesets` (a folder, deciding `program`) or `PROGRAM/EDITION` / `EDITION` (of `program`) in
    the default rulesets."""
    path = Path(text)
    if path.is_dir() and any(path.glob("*/*/ruleset.yaml")):
        return Side(text, str(path), program, None)
    parts = text.strip("/").split("/")
    program_name, edition = (parts[0], parts[1]) if len(parts) == 2 else (program, parts[0])
    root = default_root or bundled_root()
    if not (root / program_name / edition / "ruleset.yaml").is_file():
        raise SideError(
            f"{text!r} is neither a rulesets folder nor an edition of {root} (expected PROGRAM/EDITION, e.g. {program}/{_first_edition(root, program)})"
        )
    return Side(text, str(default_root) if default_root else None, program_name, edition)
