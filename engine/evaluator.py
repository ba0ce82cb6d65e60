"""Deciding one applicant: pick the edition in force, derive the facts, run the rules, build the Decision.

One `Evaluator` per process: it owns the durable-rules runtime and caches compiled rulesets per
edition and parameter period.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .compiler import CompiledRuleset, compile_ruleset, parameter_period
from .decision import CriterionResult, Decision
from .errors import EngineError, InputError
from .library import Edition, Library
from .library_cache import load_library_cached
from .program import installed_programs
from .runtime import RunResult, Runtime

DEFAULT_PROGRAM = "cec"  # what a command decides when it names no program
NOT_ESTABLISHED = "not established: no rule concluded this criterion"


def load_bundled_or(root: Path | None) -> Library:
    """The library of `root`, or of the bundled rulesets, checked against the installed program
    plugins; raises RulesetErrors."""
    return load_library_cached(root, installed_programs())


class Evaluator:
    """Decides applicants of one program under a library of rulesets, with that program's plugin."""

    def __init__(self, library: Library, program: str = DEFAULT_PROGRAM, translations: bool = False):
        self.library = library
        self.program = program
        self.plugin = library.plugins.get(program)  # None: no edition of it either (edition_for says so)
        self.runtime = Runtime(self.plugin.field_types if self.plugin else {}, translations)
        self._compiled: dict[tuple[str, dt.date], CompiledRuleset] = {}

    def edition_for(self, day: dt.date, source: str) -> Edition:
        if self.program in self.library.unavailable:
            count = len(self.library.unavailable[self.program])
            raise InputError(source, "application_date", f"program {self.program} is unavailable: its rulesets have {count} problem(s) (cec rulesets validate)")
        edition = self.library.edition_for(self.program, day)
        if edition is None:
            raise InputError(source, "application_date", f"no {self.program} edition is in force on {day}")
        return edition

    def evaluate(self, applicant, as_of: dt.date | None = None, source: str = "<input>", edition: Edition | None = None) -> Decision:
        """Decide `applicant` as of `as_of` (default: its application date), with the edition in force then
        (or with `edition`, whatever its dates: used to compare two editions on one population)."""
        day = as_of or applicant.application_date
        edition = edition or self.edition_for(day, source)
        compiled = self._compile(edition, day)
        derivation = self.plugin.derive(applicant, day, edition, compiled.parameters, source)
        result = self.runtime.run(compiled, derivation.facts)
        derived = {**derivation.derived, **_rule_derived(result)}
        return Decision(applicant.id, edition.ruleset.program, edition.ruleset.id, edition.ruleset.edition, edition.sha256,
                        day.isoformat(), self._criteria(edition, result), derived, [f.to_json() for f in result.trace], result.score)

    def context(self, applicant, as_of: dt.date | None = None, source: str = "<input>") -> tuple[Edition, CompiledRuleset]:
        """The edition and compiled ruleset (with its parameters) that decide `applicant`."""
        day = as_of or applicant.application_date
        edition = self.edition_for(day, source)
        return edition, self._compile(edition, day)

    def _compile(self, edition: Edition, day: dt.date) -> CompiledRuleset:
        key = (edition.sha256, parameter_period(edition.ruleset, day))
        if key not in self._compiled:
            self._compiled[key] = compile_ruleset(edition.ruleset, day, list(self.plugin.fact_kinds), edition.sha256)
        return self._compiled[key]

    @staticmethod
    def _criteria(edition: Edition, result: RunResult) -> list[CriterionResult]:
        """One result per criterion: what its rules concluded (met, unmet or undetermined); rules that
        conclude one criterion two ways contradict each other, which is an engine error naming them."""
        criteria = []
        for name, criterion in edition.ruleset.criteria.items():
            outcomes = [o for o in result.outcomes if o.criterion == name]
            if len({o.met for o in outcomes}) > 1:
                rules = ", ".join(f"{o.rule} ({VERDICT_WORDS[o.met]})" for o in outcomes)
                raise EngineError(f"criterion {name!r} concluded in contradictory ways by rules {rules}")
            if not outcomes:
                criteria.append(CriterionResult(name, False, NOT_ESTABLISHED, criterion.citation))
                continue
            reason = "; ".join(dict.fromkeys(o.reason for o in outcomes))
            needs = list({(n["field"], n["why"]): n for o in outcomes for n in o.needs}.values())
            criteria.append(CriterionResult(name, outcomes[0].met, reason, criterion.citation, outcomes[0].rule, outcomes, needs))
        return criteria


VERDICT_WORDS = {True: "met", False: "unmet", None: "undetermined"}


def _rule_derived(result: RunResult) -> dict:
    """Facts the rules derived, by kind. When several of a kind exist (a tie), the one a concluding rule
    used is shown, and all of them under `<kind>_candidates`."""
    used = [{k: v for k, v in fact.items() if k != "t"} for outcome in result.outcomes for fact in outcome.facts.values()]
    shown: dict = {}
    for kind in dict.fromkeys(kind for kind, _ in result.derived):
        candidates = [values for k, values in result.derived if k == kind]
        shown[kind] = next((c for c in candidates if c in used), candidates[0])
        if len(candidates) > 1:
            shown[f"{kind}_candidates"] = candidates
    return shown
