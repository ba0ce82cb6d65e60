"""A decision in another language: each criterion's reason rendered from the ruleset's wording in that
language, citations under the act's names in it (for `cec evaluate --lang` and `cec batch --lang`).

Why not at decision time: the runtime renders reasons once, in English (the output contract's language);
rendering again from the same matched facts costs little and only where a language is asked for. It needs
an Evaluator made with `translations=True`, so that derived texts carry their French (FIELD__fr).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from cec_rules.engine.decision import Decision
from cec_rules.engine.evaluator import Evaluator
from cec_rules.engine.model import FactPattern, wording
from cec_rules.engine.score import NO_POINTS
from cec_rules.engine.templates import render
from cec_rules.engine.validator import AWARD_ALIAS

from . import french
from .applicant import Applicant
from .explain import _reason, noc_titles


def translated(evaluator: Evaluator, decision: Decision, applicant: Applicant, as_of: dt.date | None, source: str, language: str) -> Decision:
    """`decision` with its reasons and citations in `language` (English: unchanged)."""
    if language == "en":
        return decision
    _, compiled = evaluator.context(applicant, as_of, source)
    titles = noc_titles(decision)
    criteria = []
    for result in decision.criteria:
        rules = [compiled.rules[f"{compiled.name}:{o.rule}"] for o in result.outcomes]
        reason = french.mark_titles(_reason(result, rules, compiled, language, evaluator.plugin.field_types), titles)
        criteria.append(dataclasses.replace(result, reason=reason, citation=french.citation(result.citation)))
    score = decision.score and _score_in(decision.score, compiled, language, evaluator.plugin.field_types)
    return dataclasses.replace(decision, criteria=criteria, score=score)


NO_POINTS_FR = "aucun point attribué"


def _score_in(score, compiled, language: str, field_types: dict):
    """A points grid with each factor's reason rendered again, in `language`, from its awards' rules."""
    factors = []
    for factor in score.factors:
        if factor.points is not None and factor.awards:
            texts = [_award_reason(award, compiled.rules[f"{compiled.name}:{award.rule}"], compiled, language, field_types) for award in factor.awards]
            factor = dataclasses.replace(factor, reason="; ".join(dict.fromkeys(texts)))
        elif factor.reason == NO_POINTS:
            factor = dataclasses.replace(factor, reason=NO_POINTS_FR)
        factors.append(dataclasses.replace(factor, citation=french.citation(factor.citation)))
    return dataclasses.replace(score, factors=factors)


def _award_reason(award, rule, compiled, language: str, field_types: dict) -> str:
    aliases = {p.alias: p.fact for p in rule.when if isinstance(p, FactPattern)} | {AWARD_ALIAS: AWARD_ALIAS}
    return render(wording(rule.then.reason, language), {**award.facts, AWARD_ALIAS: {"points": award.points}}, aliases,
                  compiled.parameters, field_types, compiled.units, language)
