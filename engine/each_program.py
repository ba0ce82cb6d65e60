"""Deciding one applicant under several programs (`--program all`): one decision per program in force
on the assessment day, in the order the programs' plugins declare (`Program.order`).

A program that cannot decide this applicant (its rulesets are unavailable, or its reader refuses the
record) is an error of that program only: the others still decide. A program with no edition in force
on the day is left out, which is not an error; when no program decides at all, the record is bad input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .decision import Decision
from .errors import InputError
from .evaluator import Evaluator
from .library import Library
from .program import Program

ALL_PROGRAMS = "all"  # what `--program` takes to decide every program


@dataclass(frozen=True)
class ProgramResult:
    """One program's answer for one applicant: its decision (and the applicant its reader made), or an error."""

    program: str
    decision: Decision | None = None
    applicant: object = None
    error: InputError | None = None


def program_order(library: Library) -> list[str]:
    """Every program of `library`, usable or not, in the order their decisions are shown."""
    default = Program.__dataclass_fields__["order"].default
    names = set(library.programs) | set(library.unavailable)
    return sorted(names, key=lambda name: (library.plugins[name].order if name in library.plugins else default, name))


class EachProgram:
    """One Evaluator per program of a library; decides an applicant's record under each program in force."""

    def __init__(self, library: Library, programs: list[str], translations: bool = False):
        self.library = library
        self.evaluators = {program: Evaluator(library, program, translations) for program in programs}

    def decide(self, data: object, source: str, as_of: dt.date | None, limits=None) -> list[ProgramResult]:
        """Each program's result for the parsed record `data`; raises the first error when no program decided."""
        results = [
            result
            for result in (self._one(evaluator, data, source, as_of, limits) for evaluator in self.evaluators.values())
            if result is not None
        ]
        if not any(result.decision for result in results):
            first = next((result.error for result in results if result.error), None)
            raise first or InputError(
                source, "application_date", f"no program has an edition in force on {self._day_text(as_of, data)}"
            )
        return results

    def _one(
        self, evaluator: Evaluator, data: object, source: str, as_of: dt.date | None, limits
    ) -> ProgramResult | None:
        """The program's result, or None when none of its editions is in force on the day."""
        program = evaluator.program
        try:
            if program in self.library.unavailable:
                count = len(self.library.unavailable[program])
                return ProgramResult(
                    program,
                    error=InputError(
                        source,
                        "",
                        f"program {program} is unavailable: its rulesets have {count} problem(s) (cec rulesets validate)",
                    ),
                )
            applicant = evaluator.plugin.read_applicant(data, source, limits)
            day = as_of or applicant.application_date
            if len(self.evaluators) > 1 and self.library.edition_for(program, day) is None:
                return None  # one program asked for by name says itself that it is not in force
            return ProgramResult(program, evaluator.evaluate(applicant, as_of, source=source), applicant)
        except InputError as exc:
            return ProgramResult(program, error=exc)

    @staticmethod
    def _day_text(as_of: dt.date | None, data: object) -> str:
        if as_of is not None:
            return as_of.isoformat()
        return str(data.get("application_date")) if isinstance(data, dict) else "the application date"
