"""`cec explain` for a program whose plugin has no explainer of its own but whose ruleset has a score:
each criterion with its reason, facts and thresholds, the points grid, and the cheapest ways to gain
points (engine/gains.py). Nothing here knows a program: a plugin may word each proposed change itself
(`Program.describe_gain`, e.g. a level as the test score that reaches it); otherwise the change is
named by the fact field it would change.
"""

from __future__ import annotations

import datetime as dt

from .gains import Gain, pass_mark, point_gains
from .model import wording
from .references import parameters_of
from .templates import fill_parameters, format_value, worded
from .validator import TRANSLATION_SUFFIX

GAIN_WORDS = {
    "en": {
        "gain": "+{points} point(s) for {factor}: {change}",
        "change": "{input} from {current} to {proposed}",
        "total": "total {total}",
        "passes": "reaches the pass mark of {mark}",
        "short": "still under the pass mark of {mark}",
    },
    "fr": {
        "gain": "+{points} point(s) pour {factor} : {change}",
        "change": "{input} de {current} à {proposed}",
        "total": "total {total}",
        "passes": "atteint la note de passage de {mark}",
        "short": "encore sous la note de passage de {mark}",
    },
}


def scored_explanation(evaluator, applicant, as_of: dt.date | None, lang: str, source: str) -> dict:
    """The explanation document (the layout of a plugin's explainer) of a decision with a points grid."""
    decision = evaluator.evaluate(applicant, as_of, source=source)
    edition, compiled = evaluator.context(applicant, as_of, source)
    gains = point_gains(edition.ruleset, compiled.parameters, decision.score)  # from the English run: the awards' facts
    decision = evaluator.plugin.translate(evaluator, decision, applicant, as_of, source, lang)
    rules = {rule.id: rule for rule in edition.ruleset.rules}
    formats = evaluator.plugin.formats
    words = edition.ruleset.words.get(lang)
    cite = (
        (lambda text: evaluator.plugin.cite(text, lang))
        if evaluator.plugin.cite and lang != "en"
        else (lambda text: text)
    )
    criteria = []
    for result in decision.criteria:
        criterion = edition.ruleset.criteria[result.id]
        used = [name for o in result.outcomes if o.rule in rules for name in parameters_of(rules[o.rule])]
        entry = {
            "id": result.id,
            "met": result.met,
            "citation": result.citation,
            "reason": result.reason,
            "description": fill_parameters(
                wording(criterion.description, lang), compiled.parameters, compiled.units, lang, formats
            ),
            "facts_used": {
                alias: _readable(fact, evaluator.plugin.field_types.get(fact.get("t"), {}), lang)
                for o in result.outcomes
                for alias, fact in worded(o.facts, words, lang).items()
                if not alias.endswith("__")
            },
            "thresholds": [
                {
                    "parameter": name,
                    "value": compiled.parameters[name],
                    "citation": cite(edition.ruleset.parameters[name].citation),
                    "description": edition.ruleset.parameters[name].description,
                }
                for name in dict.fromkeys(used)
            ],
        }
        if result.met is None:
            entry["to_settle"] = result.needs
        criteria.append(entry)
    score = decision.score.to_json()
    mark = pass_mark(edition.ruleset, compiled.parameters)
    score["pass_mark"] = mark
    score["gains"] = [{**gain.to_json(), "text": gain_text(gain, evaluator, edition, lang, mark)} for gain in gains]
    doc = {
        "applicant_id": decision.applicant_id,
        "program": decision.program,
        "edition": decision.edition,
        "as_of": decision.as_of,
        "eligible": decision.eligible,
        "criteria": criteria,
        "score": score,
        "findings": decision.derived.get("findings", []),
    }
    if decision.not_together:  # why a decision with no unmet criterion is not eligible
        doc["not_together"] = [record.to_json() for record in decision.not_together]
    return doc


def _readable(fact: dict, types: dict, lang: str = "en") -> dict:
    """A matched fact for people: dates as ISO dates, numbers with a fraction rounded to two decimals, and
    in French a text's French (FIELD__fr, beside FIELD) in its place."""
    shown = {}
    for name, value in fact.items():
        if name == "t" or name.endswith(TRANSLATION_SUFFIX):
            continue
        value = fact.get(name + TRANSLATION_SUFFIX, value) if lang == "fr" else value
        shown[name] = (
            format_value(value, "date")
            if types.get(name) == "date"
            else round(value, 2)
            if isinstance(value, float)
            else value
        )
    return shown


def gain_text(gain: Gain, evaluator, edition, lang: str, mark) -> str:
    """`+1 point(s) for First official lang: <change> (total 67, reaches the pass mark of 67)`."""
    words = GAIN_WORDS[lang]
    describe = evaluator.plugin.describe_gain
    change = (describe(gain, edition, lang) if describe else None) or words["change"].format(
        input=f"{gain.alias}.{gain.field}", current=gain.current, proposed=gain.proposed
    )
    factor = wording(edition.ruleset.score.factors[gain.factor].description, lang)
    outcome = [words["total"].format(total=gain.total)]
    if mark is not None:
        outcome.append(words["passes" if gain.passes else "short"].format(mark=mark))
    return words["gain"].format(points=gain.gain, factor=factor, change=change) + f" ({', '.join(outcome)})"
