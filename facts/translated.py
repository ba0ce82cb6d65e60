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

from . import french
from .applicant import Applicant
from .explain import _reason, noc_titles


def translated(evaluator: Evaluator, decision: Decision, applicant: Applicant, as_of: dt.date | None, source: str, language: str) -> Decision:
    """`decision` with its reasons and citations in `language` (English: unchanged), its values shown with
    the field types and formats of the evaluator's program."""
    if language == "en":
        return decision
    _, compiled = evaluator.context(applicant, as_of, source)
    titles = noc_titles(decision)
    criteria = []
    for result in decision.criteria:
        rules = [compiled.rules[f"{compiled.name}:{o.rule}"] for o in result.outcomes]
        reason = french.mark_titles(_reason(result, rules, compiled, language, evaluator.plugin.field_types, evaluator.plugin.formats), titles)
        criteria.append(dataclasses.replace(result, reason=reason, citation=french.citation(result.citation)))
    return dataclasses.replace(decision, criteria=criteria)
