"""One exception hierarchy for everything a user can get wrong, with structured fields.

The CLI maps these to exit codes: `InputError` and `RulesetErrors` exit 2, `EngineError` exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass


class CecError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a file: where it is and what is wrong.

    Examples:
        >>> print(Problem("cec.yaml", 3, 5, "rules[0].then", "unknown criterion 'x'"))
        cec.yaml:3:5: rules[0].then: unknown criterion 'x'
    """

    path: str
    line: int | None
    column: int | None
    key_path: str
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.key_path}: {self.message}" if self.key_path else f"{where}: {self.message}"


class RulesetErrors(CecError):
    """Every problem found while loading or validating rulesets, not only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.column or 0, p.key_path))
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(CecError):
    """An applicant record that cannot be decided: the file (or record), the field path and why."""

    def __init__(self, source: str, field: str, message: str, line: int | None = None):
        self.source = source
        self.field = field
        self.detail = message
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class EngineError(CecError):
    """The engine failed on valid input: a rule action raised, or a conclusion is missing or conflicting."""
