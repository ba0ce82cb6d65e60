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
from cec_rules.engine.model import FactPattern, Text, wording
from cec_rules.engine.score import score_in_lang
from cec_rules.engine.templates import render, worded

from . import french
from .applicant import Applicant
from .explain import _reason, input_titles, noc_titles
from .findings import in_language


def translated(
    evaluator: Evaluator, decision: Decision, applicant: Applicant, as_of: dt.date | None, source: str, language: str
) -> Decision:
    """`decision` with its reasons and citations in `language` (English: unchanged), its values shown with
    the field types and formats of the evaluator's program."""
    if language == "en":
        return decision
    edition, compiled = evaluator.context(applicant, as_of, source)
    noc = getattr(edition.tables, "noc", None)
    titles = noc_titles(decision) | input_titles(applicant, noc)
    plugin = evaluator.plugin
    wordings = _Worded(compiled, language, plugin.field_types, plugin.formats, edition.ruleset.words.get(language))
    criteria = []
    for result in decision.criteria:
        rules = [compiled.rules[f"{compiled.name}:{o.rule}"] for o in result.outcomes]
        reason = french.mark_titles(
            _reason(result, rules, compiled, language, plugin.field_types, plugin.formats, wordings.words), titles
        )
        criteria.append(
            dataclasses.replace(
                result,
                reason=reason,
                citation=french.citation(result.citation),
                needs=french.mark_titles(needs_in(result.needs, result.outcomes, language, wordings), titles),
            )
        )
    score = decision.score and _score(decision.score, evaluator, compiled, language, wordings, titles)
    together = [
        dataclasses.replace(
            record,
            reason=french.mark_titles(
                not_together_reason(record, compiled, language, plugin.field_types, plugin.formats, wordings.words),
                titles,
            ),
            citation=record.citation and french.citation(record.citation),
        )
        for record in decision.not_together
    ]
    return dataclasses.replace(
        decision,
        criteria=criteria,
        score=score,
        derived=_derived(decision.derived, applicant, noc, language, titles),
        not_together=together,
    )


def not_together_reason(record, compiled, language: str, field_types: dict, formats: dict, words: dict | None) -> str:
    """A `not_together` record's reason in `language`, from its rule's wording and the facts it matched."""
    rule = compiled.rules[f"{compiled.name}:{record.rule}"]
    aliases = {p.alias: p.fact for p in rule.when if isinstance(p, FactPattern)}
    return render(
        wording(rule.then.reason, language),
        worded(record.facts, words, language),
        aliases,
        compiled.parameters,
        field_types,
        compiled.units,
        language,
        formats,
    )


def _derived(derived: dict, applicant: Applicant, noc, language: str, titles: set[str]) -> dict:
    """The derived values with the findings in `language` (NOC titles marked); the rest as derived."""
    if not derived.get("findings"):
        return derived
    notes = [french.mark_titles(in_language(note, applicant, noc, language), titles) for note in derived["findings"]]
    return {**derived, "findings": notes}


def _score(score, evaluator: Evaluator, compiled, language: str, wordings: "_Worded", titles: set[str]):
    """A points grid with each factor's reason in `language` (NOC titles marked as English) and its citation
    under the act's names in it."""
    plugin = evaluator.plugin
    translated_score = score_in_lang(
        score,
        wordings.rules,
        plugin.field_types,
        compiled.units,
        compiled.parameters,
        language,
        plugin.formats,
        wordings.words,
    )
    factors = [
        dataclasses.replace(
            f,
            reason=french.mark_titles(f.reason, titles),
            citation=french.citation(f.citation),
            needs=french.mark_titles(needs_in(f.needs, f.unknown, language, wordings), titles),
        )
        for f in translated_score.factors
    ]
    return dataclasses.replace(translated_score, factors=factors)


def needs_in(needs: list[dict], firings, language: str, wordings: "_Worded | None" = None) -> list[dict]:
    """Each need's `why` in `language`: where its rule words it in that language (`why: {text: {en, fr}}`),
    that wording (`wordings`); else where the facts its rules matched carry that text's translation (the
    derivation puts the French of a text it derives beside it, FIELD__fr, and a need quotes such a text).
    A text with neither stays as it is (English)."""
    suffix = f"__{language}"
    texts = {
        fact[name]: fact[name + suffix]
        for firing in firings
        for fact in firing.facts.values()
        for name in fact
        if name + suffix in fact and isinstance(fact[name], str)
    }
    if wordings is not None:
        texts.update(wordings.whys(firings))
    return [dict(need, why=texts.get(need.get("why"), need.get("why"))) for need in needs]


class _Worded:
    """What a ruleset words in `language` beyond its reasons: its `words` (texts facts hold in English), and
    the needs' `why` texts worded in both languages, rendered for the facts each firing matched (English
    text -> its text in `language`)."""

    def __init__(self, compiled, language: str, field_types: dict, formats: dict, words: dict | None):
        self.rules = {rule.id: rule for rule in compiled.rules.values()}
        self.words = words
        self._compiled, self._language, self._field_types, self._formats = compiled, language, field_types, formats

    def whys(self, firings) -> dict[str, str]:
        texts = {}
        for firing in firings:
            rule = self.rules.get(firing.rule)
            for need in (rule.then.needs or []) if rule is not None else []:
                if isinstance(need.why, Text) and not isinstance(need.why.text, str):
                    english, translated = (
                        self._render(rule, need.why.text, lang, firing.facts) for lang in ("en", self._language)
                    )
                    texts[english] = translated
        return texts

    def _render(self, rule, text, lang: str, facts: dict) -> str:
        aliases = {p.alias: p.fact for p in rule.when if isinstance(p, FactPattern)}
        compiled = self._compiled
        facts = worded(facts, self.words, lang) if lang != "en" else facts
        return render(
            wording(text, lang),
            facts,
            aliases,
            compiled.parameters,
            self._field_types,
            compiled.units,
            lang,
            self._formats,
        )
