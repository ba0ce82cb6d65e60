"""Chaining across programs: a ruleset that `consumes` other programs matches their decisions as facts.

A ruleset may declare `consumes: [a, b]`. Before its own rules run, each consumed program is decided
for the same applicant on the same day (with the edition of it in force then), and its outcome is
asserted into the consumer's session as facts of the kinds below, which the consumer's rules match
like any other fact. A consumed program that is not installed, is unavailable, or has no edition in
force on the day is *absent*: it gives a `program_absent` fact (its rules can say so) and an entry in
the decision's `derived.consumed` naming why, never a guess. Which programs exist is data (the
ruleset's list), so this module names none.

A plugin whose rulesets consume other programs includes `CONSUMED_FACT_KINDS` in its `fact_kinds`,
so the validator checks its rules against these fields. The consumed programs decide the very
applicant object the consumer read: they must accept the consumer's applicant model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import EngineError

OUTCOME_WORDS = {True: "eligible", False: "ineligible", None: "undetermined"}
CRITERION_WORDS = {True: "met", False: "unmet", None: "undetermined"}

CONSUMED_FACT_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "program_decision": {
        "program": ("text", "the consumed program's id"),
        "outcome": ("text", "its decision: eligible, ineligible or undetermined"),
        "edition": ("text", "the edition that decided it"),
        "unmet": ("text", "its unmet criteria, comma-separated (empty when none)"),
        "needs": ("text", "the input fields its undetermined criteria need, comma-separated (empty when none)"),
        "needs_why": ("text", "why, for each of those fields, semicolon-separated"),
    },
    "criterion_result": {
        "program": ("text", "the consumed program's id"),
        "criterion": ("text", "the criterion's id in that program"),
        "outcome": ("text", "met, unmet or undetermined"),
    },
    "program_score": {
        "program": ("text", "the consumed program's id (one with a points grid)"),
        "total": ("count", "points the applicant has for certain (undetermined factors at their least points)"),
        "possible_total": ("count", "points with every undetermined factor at its most"),
        "max": ("count", "the most points the grid gives"),
    },
    "score_factor": {
        "program": ("text", "the consumed program's id"),
        "factor": ("text", "the factor's id in its grid"),
        "points": ("count", "points for the factor (when undetermined, its least: 0 unless its bounds say more)"),
        "max": ("count", "the factor's maximum"),
        "undetermined": ("bool", "whether the input cannot settle the factor's points"),
    },
    "program_absent": {
        "program": ("text", "a consumed program that gave no decision"),
        "why": ("text", "not installed, unavailable, or no edition in force on the day"),
    },
}


@dataclass
class Consumed:
    """The consumed programs' outcomes: facts for the consumer's session, and their summary for its decision."""

    facts: list[dict] = field(default_factory=list)
    derived: dict = field(default_factory=dict)


NOTHING = Consumed()


class Chain:
    """Decides the programs a ruleset consumes, with one evaluator per consumed program, made when first
    needed. `ancestors` are the programs being decided above this one: consuming one of them is a cycle."""

    def __init__(self, library, evaluator_class, ancestors: tuple[str, ...], translations: bool = False):
        self.library = library
        self.evaluator_class = evaluator_class
        self.ancestors = ancestors
        self.translations = translations  # the consumer's decision is shown in French: so are the needs it quotes
        self._evaluators: dict[str, object] = {}

    def decide(self, programs: list[str], applicant, day: dt.date, source: str) -> Consumed:
        """Every consumed program's decision of `applicant` on `day`, as facts and as a summary."""
        if not programs:
            return NOTHING
        consumed = Consumed(derived={"consumed": {}})
        for program in programs:
            why = self._absent_because(program, day)
            if why is not None:
                consumed.facts.append({"t": "program_absent", "program": program, "why": why})
                consumed.derived["consumed"][program] = {"absent": why}
                continue
            evaluator = self._evaluator(program)
            decision = evaluator.evaluate(applicant, day, source=source)
            score = score_of(decision)  # (once for both: a score's output form is built factor by factor)
            consumed.facts += decision_facts(
                program, decision, score, self._needs_in_french(evaluator, decision, applicant, day, source)
            )
            consumed.derived["consumed"][program] = summary(decision, score)
        return consumed

    def _absent_because(self, program: str, day: dt.date) -> str | None:
        if program in self.ancestors:
            raise EngineError(f"programs consume each other in a cycle: {' -> '.join((*self.ancestors, program))}")
        if program in self.library.unavailable:
            return f"unavailable: its rulesets have {len(self.library.unavailable[program])} problem(s)"
        if program not in self.library.programs:
            return "not installed"
        if self.library.edition_for(program, day) is None:
            return f"no edition in force on {day.isoformat()}"
        return None

    def _needs_in_french(self, evaluator, decision, applicant, day: dt.date, source: str) -> list[dict] | None:
        """With translations, the consumed decision's needs as its plugin words them in French (None otherwise,
        or when it needs nothing)."""
        if not self.translations or not any(c.needs for c in decision.criteria):
            return None
        french = evaluator.plugin.translate(evaluator, decision, applicant, day, source, "fr")
        return [need for c in french.criteria for need in c.needs]

    def _evaluator(self, program: str):
        if program not in self._evaluators:
            evaluator = self.evaluator_class(self.library, program, self.translations)
            evaluator.chain.ancestors = (*self.ancestors, program)
            self._evaluators[program] = evaluator
        return self._evaluators[program]


def decision_facts(program: str, decision, score: dict | None, french_needs: list[dict] | None = None) -> list[dict]:
    """The facts one consumed decision gives: its outcome, each criterion's, and its score (`score_of`) when it
    has one. With `french_needs` (the same needs in French), the outcome's `needs_why__fr` too."""
    needs = [need for c in decision.criteria for need in c.needs]
    facts = [
        {
            "t": "program_decision",
            "program": program,
            "outcome": OUTCOME_WORDS[decision.eligible],
            "edition": decision.edition,
            "unmet": ", ".join(decision.unmet),
            "needs": ", ".join(dict.fromkeys(n["field"] for n in needs)),
            "needs_why": "; ".join(dict.fromkeys(n["why"] for n in needs)),
        }
    ]
    if french_needs:
        facts[0]["needs_why__fr"] = "; ".join(dict.fromkeys(n["why"] for n in french_needs))
    facts += [
        {"t": "criterion_result", "program": program, "criterion": c.id, "outcome": CRITERION_WORDS[c.met]}
        for c in decision.criteria
    ]
    if score is not None:
        facts.append(
            {
                "t": "program_score",
                "program": program,
                "total": score["total"],
                "possible_total": score["possible_total"],
                "max": score["max"],
            }
        )
        facts += [
            {
                "t": "score_factor",
                "program": program,
                "factor": f["id"],
                "points": _sure_points(f),
                "max": f["max"],
                "undetermined": f["points"] is None,
            }
            for f in score.get("factors", [])
        ]
    return facts


def _sure_points(factor: dict) -> int | float:
    """A factor's points in the output contract, or, undetermined, its least (`between`, else 0)."""
    if factor["points"] is not None:
        return factor["points"]
    return factor["between"][0] if "between" in factor else 0


def score_of(decision) -> dict | None:
    """The decision's score in the output contract (`total`, `possible_total`, `max`, `factors`), or None
    for a program without a points grid."""
    score = getattr(decision, "score", None)
    return score.to_json() if score is not None else None


def summary(decision, score: dict | None) -> dict:
    """What the consumer's decision shows of a consumed one: its outcome, edition, the criteria not met, and
    its score (`score_of`) with every factor when it has one."""
    shown = {
        "eligible": decision.eligible,
        "edition": decision.edition,
        "unmet": list(decision.unmet),
        "undetermined": list(decision.undetermined),
    }
    if score is not None:
        shown["score"] = score
    return shown
