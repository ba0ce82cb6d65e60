"""Deciding one applicant: pick the edition in force, derive the facts, run the rules, build the Decision.

One `Evaluator` per process: it owns the durable-rules runtime and caches compiled rulesets per
edition and parameter period.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .chaining import Chain
from .compiler import CompiledRuleset, compile_ruleset, parameter_period, stage_rules
from .decision import CriterionResult, Decision, NotTogether
from .errors import EngineError, InputError
from .library import Edition, Library
from .library_cache import load_library_cached
from .program import installed_programs
from .runtime import RunResult, Runtime

NOT_ESTABLISHED = "not established: no rule concluded this criterion"


def load_bundled_or(root: Path | None) -> Library:
    """The library of `root`, or of the bundled rulesets, checked against the installed program
    plugins; raises RulesetErrors."""
    return load_library_cached(root, installed_programs())


class Evaluator:
    """Decides applicants of one program under a library of rulesets, with that program's plugin."""

    def __init__(self, library: Library, program: str, translations: bool = False):
        self.library = library
        self.program = program
        self.plugin = library.plugins.get(program)  # None: no edition of it either (edition_for says so)
        self.runtime = Runtime(
            self.plugin.field_types if self.plugin else {},
            translations,
            formats=self.plugin.formats if self.plugin else None,
        )
        self._derive_options = (
            {"translations": True} if translations and self.plugin and self.plugin.derive_translations else {}
        )
        self._compiled: dict[tuple[str, dt.date, bool], CompiledRuleset] = {}  # (edition, parameter period, screen)
        self._on_day: dict[
            tuple[str, dt.date, bool], CompiledRuleset
        ] = {}  # (edition, day, screen): a few thousand days
        self._in_force: dict[dt.date, Edition] = {}  # day -> the edition in force (`edition_for`)
        self._unshown_options = {**self._derive_options, "shown": False}  # (a plugin with `derive_unshown`: `facts`)
        self._rule_order: dict[str, dict[str, int]] = {}
        self._has_screen: dict[str, bool] = {}
        self.chain = Chain(
            library, type(self), (program,), translations
        )  # the programs an edition `consumes` (engine/chaining.py)

    def edition_for(self, day: dt.date, source: str) -> Edition:
        """The edition in force on `day` (kept per day: three calls a record, a population has a few thousand
        days), or an InputError naming `source`."""
        edition = self._in_force.get(day)
        if edition is not None:
            return edition
        if self.program in self.library.unavailable:
            count = len(self.library.unavailable[self.program])
            raise InputError(
                source,
                "application_date",
                f"program {self.program} is unavailable: its rulesets have {count} problem(s) (cec rulesets validate)",
            )
        edition = self.library.edition_for(self.program, day)
        if edition is None:
            raise InputError(source, "application_date", f"no {self.program} edition is in force on {day}")
        self._in_force[day] = edition
        return edition

    def evaluate(
        self,
        applicant,
        as_of: dt.date | None = None,
        source: str = "<input>",
        edition: Edition | None = None,
        facts: tuple | None = None,
        reasons: bool = True,
    ) -> Decision:
        """Decide `applicant` as of `as_of` (default: its application date), with the edition in force then
        (or with `edition`, whatever its dates: used to compare two editions on one population), from `facts`
        when the caller has them (see `facts`). Without `reasons`, a verdict only: the criteria have no reason
        (None) and no needs, and the decision no trace; the rest is the same (`cec diff` decides so first)."""
        day = as_of or applicant.application_date
        edition = edition or self.edition_for(day, source)
        compiled = self._compile(edition, day)
        screened, derivation = facts or self.facts(applicant, day, edition, source)
        consumed = self.chain.decide(edition.ruleset.consumes, applicant, day, source)
        result = self.runtime.run(compiled, derivation.facts + consumed.facts, reasons)
        derived = {**derivation.derived, **consumed.derived, **_rule_derived(result, edition.ruleset.collect)}
        trace = (
            ([*screened.trace, *result.trace] if screened is not None else result.trace) if reasons else []
        )  # (a Firing is its own JSON)
        criteria = self._criteria(edition, result, reasons)
        return Decision(
            applicant.id,
            edition.ruleset.program,
            edition.ruleset.id,
            edition.ruleset.edition,
            edition.sha256,
            day.isoformat(),
            criteria,
            derived,
            trace,
            result.score,
            _not_together(result, criteria),
        )

    def facts(self, applicant, day: dt.date, edition: Edition, source: str = "<input>", shown: bool = True) -> tuple:
        """(the screen stage's result or None, the plugin's derivation): what `evaluate` runs the main stage on.
        The one entry point for a caller that decides one applicant under two editions which derive alike
        (`cec diff`, engine/impact/shared.py): it passes one edition's facts to the other's `evaluate`, which
        neither changes (the runtime copies the facts it asserts). Without `shown`, for a decision that is
        compared and not shown (`cec diff`), a plugin with `derive_unshown` leaves out the derived values
        that only a shown decision needs: the facts are the same."""
        compiled = self._compile(edition, day)
        screened = self.screen(applicant, day, edition, source)
        screen = {"exclusions": screened.exclusions} if screened is not None else {}
        options = self._derive_options if shown or not self.plugin.derive_unshown else self._unshown_options
        return screened, self.plugin.derive(applicant, day, edition, compiled.parameters, source, **screen, **options)

    def screen(
        self, applicant, day: dt.date, edition: Edition, source: str = "<input>", compiled_on: dt.date | None = None
    ) -> RunResult | None:
        """The first stage: the edition's `phase: screen` rules over the plugin's item facts on `day` (with the
        parameters of `compiled_on`, default `day`), one session per group of facts the plugin gives (facts of
        different groups never join); the exclusions in rule order. None: the program has no screen."""
        if self.plugin.screen_facts is None:
            return None
        has_screen = self._has_screen.get(edition.sha256)
        if has_screen is None:  # (not setdefault: its default would list the rules for every applicant)
            has_screen = self._has_screen[edition.sha256] = bool(stage_rules(edition.ruleset, screen=True))
        if not has_screen:
            return RunResult()
        compiled = self._compile(edition, compiled_on or day, screen=True)
        result = RunResult()
        for facts in self.plugin.screen_facts(applicant, day, edition, compiled.parameters, source):
            if facts:  # (durable-rules crashes on a session with no fact)
                group = self.runtime.run(compiled, facts)
                result.trace += group.trace
                result.exclusions += group.exclusions
        if len(result.exclusions) > 1:
            order = self._rule_order.get(edition.sha256)
            if order is None:  # (not setdefault: its default would number the rules for every such applicant)
                order = self._rule_order[edition.sha256] = {r.id: i for i, r in enumerate(edition.ruleset.rules)}
            result.exclusions.sort(key=lambda exclusion: order[exclusion.rule])
        return result

    def context(
        self, applicant, as_of: dt.date | None = None, source: str = "<input>"
    ) -> tuple[Edition, CompiledRuleset]:
        """The edition and compiled ruleset (with its parameters) that decide `applicant`."""
        day = as_of or applicant.application_date
        edition = self.edition_for(day, source)
        return edition, self._compile(edition, day)

    def _compile(self, edition: Edition, day: dt.date, screen: bool = False) -> CompiledRuleset:
        """The compiled main stage (or screen stage) of `edition` for the parameter period of `day`, kept by day
        too (one look-up, three times a record)."""
        compiled = self._on_day.get((edition.sha256, day, screen))
        if compiled is not None:
            return compiled
        key = (edition.sha256, parameter_period(edition.ruleset, day), screen)
        if key not in self._compiled:
            screen_kinds = set(self.plugin.screen_kinds)
            kinds = [kind for kind in self.plugin.fact_kinds if (kind in screen_kinds) == screen]
            self._compiled[key] = compile_ruleset(edition.ruleset, day, kinds, edition.sha256, screen)
        compiled = self._on_day[(edition.sha256, day, screen)] = self._compiled[key]
        return compiled

    @staticmethod
    def _criteria(edition: Edition, result: RunResult, reasons: bool = True) -> list[CriterionResult]:
        """One result per criterion: what its rules concluded (met, unmet or undetermined); rules that
        conclude one criterion two ways contradict each other, which is an engine error naming them.
        The outcomes are grouped by criterion in one pass (a criterion has one outcome nearly always).
        Without `reasons` (the run's outcomes have none) a concluded criterion's reason is None."""
        concluded: dict[str, list] = {}
        for outcome in result.outcomes:
            if outcome.criterion in concluded:
                concluded[outcome.criterion].append(outcome)
            else:
                concluded[outcome.criterion] = [outcome]
        criteria = []
        for name, criterion in edition.ruleset.criteria.items():
            outcomes = concluded.get(name)
            if outcomes is None:
                criteria.append(CriterionResult(name, False, NOT_ESTABLISHED, criterion.citation))
                continue
            first = outcomes[0]
            if len(outcomes) == 1:
                reason = first.reason
            else:
                if len({o.met for o in outcomes}) > 1:
                    rules = ", ".join(f"{o.rule} ({VERDICT_WORDS[o.met]})" for o in outcomes)
                    raise EngineError(f"criterion {name!r} concluded in contradictory ways by rules {rules}")
                reason = "; ".join(dict.fromkeys(o.reason for o in outcomes)) if reasons else None
            needs = (
                list({(n["field"], n["why"]): n for o in outcomes for n in o.needs}.values())
                if first.needs or len(outcomes) > 1
                else []
            )
            criteria.append(CriterionResult(name, first.met, reason, criterion.citation, first.rule, outcomes, needs))
        return criteria


VERDICT_WORDS = {True: "met", False: "unmet", None: "undetermined"}


def _not_together(result: RunResult, criteria: list[CriterionResult]) -> list[NotTogether]:
    """The run's `not_together` records, each shown once (a rule firing on several matches may give the same
    text). A record whose criteria are all met contradicts its rule's claim that one is unmet in every
    reading: an engine error naming the rule, as for a criterion concluded two ways."""
    if not result.not_together:
        return []
    met = {c.id for c in criteria if c.met is True}
    shown: dict[tuple, NotTogether] = {}
    for record in result.not_together:
        if met.issuperset(record.criteria):
            raise EngineError(
                f"rule {record.rule!r} concluded not_together for {', '.join(record.criteria)}, which are all met"
            )
        shown.setdefault((record.criteria, record.reason), record)
    return list(shown.values())


def _rule_derived(result: RunResult, collect: list[str]) -> dict:
    """Facts the rules derived, by kind. A kind the ruleset `collect`s is a list of every fact of it (empty
    when none). Of another kind, when several exist (a tie), the one a concluding rule used is shown, and
    all of them under `<kind>_candidates`. The facts are grouped by kind in one pass, and the facts the
    concluding rules used are listed only for a tie (most kinds have one fact)."""
    by_kind: dict[str, list] = {}
    for kind, values in result.derived:
        if kind in by_kind:
            by_kind[kind].append(values)
        else:
            by_kind[kind] = [values]
    shown: dict = {kind: by_kind.get(kind, []) for kind in collect}
    used = None
    for kind, candidates in by_kind.items():
        if kind in collect:
            continue
        if len(candidates) == 1:
            shown[kind] = candidates[0]
            continue
        if used is None:
            used = [
                {k: v for k, v in fact.items() if k != "t"}
                for outcome in result.outcomes
                for fact in outcome.facts.values()
            ]
        shown[kind] = next((c for c in candidates if c in used), candidates[0])
        shown[f"{kind}_candidates"] = candidates
    return shown
