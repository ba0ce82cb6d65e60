"""Explanations people can act on (`cec explain`): for each criterion, the facts and values used, the
thresholds with their legal citations, and for an unmet criterion the smallest change that would meet it.
Wording comes from the ruleset (reasons and `advice`), in English or French."""

from __future__ import annotations

import datetime as dt

from cec_rules.engine.evaluator import Evaluator
from cec_rules.engine.model import FactPattern, wording
from cec_rules.engine.references import parameters_of
from cec_rules.engine.templates import fill_parameters, format_value, render, worded

from . import advice, forward, french
from .applicant import Applicant
from .catalog import FIELD_TYPES, FORMATS
from .derive import experience
from .findings import in_language

NOT_ESTABLISHED = {
    "en": "not established: no rule concluded this criterion",
    "fr": "non établi : aucune règle n'a conclu ce critère",
}


def explain(evaluator: Evaluator, applicant: Applicant, as_of: dt.date | None, language: str, source: str) -> dict:
    """The decision with, per criterion, its facts, thresholds and what would meet it."""
    decision = evaluator.evaluate(applicant, as_of, source=source)
    edition, compiled = evaluator.context(applicant, as_of, source)
    day = dt.date.fromisoformat(decision.as_of)
    advisor = advice.Advisor(edition.ruleset.advice, compiled.parameters, language)
    screen = lambda person, on: _exclusions(evaluator.screen(person, on, edition, source, compiled_on=day))
    state = experience(applicant, day, edition.tables.noc, compiled.parameters, source, screen(applicant, day))
    criteria = []
    for result in decision.criteria:
        criterion = edition.ruleset.criteria[result.id]
        rules = [compiled.rules[f"{compiled.name}:{o.rule}"] for o in result.outcomes]
        entry = {
            "id": result.id,
            "met": result.met,
            "citation": criterion.citation,
            "description": fill_parameters(
                wording(criterion.description, language), compiled.parameters, compiled.units, language, FORMATS
            ),
            "reason": _reason(result, rules, compiled, language, words=edition.ruleset.words.get(language)),
            "facts_used": {
                alias: _readable(fact, language)
                for o in result.outcomes
                for alias, fact in o.facts.items()
                if not alias.endswith("__")
            },
            "thresholds": _thresholds(rules, decision.trace, edition, compiled),
        }
        if result.met is None:
            entry["to_settle"] = _needs(result, language)  # the input that would settle it: [{field, why}]
        if result.met is False:
            suggestion = _suggest(result.id, advisor, state, applicant, decision, edition, day, screen)
            entry["to_meet"] = {"text": suggestion.text, "changes": suggestion.changes} if suggestion else None
        criteria.append(entry)
    doc = {
        "applicant_id": decision.applicant_id,
        "program": decision.program,
        "edition": decision.edition,
        "as_of": decision.as_of,
        "eligible": decision.eligible,
        "language": language,
        "criteria": criteria,
        "findings": decision.derived.get("findings", []),
    }
    if decision.not_together:  # why a decision with no unmet criterion is not eligible
        doc["not_together"] = _not_together(decision, compiled, edition, language)
    if decision.score is not None:  # a points grid: each factor's points, maximum, reason and citation
        doc["score"] = decision.score.to_json()
    return in_french(doc, decision, edition, applicant) if language == "fr" else doc


def in_french(doc: dict, decision, edition, applicant) -> dict:
    """Citations under their French names, the findings in French; NOC titles, which exist here only in
    English, marked as such."""
    doc["findings"] = [in_language(note, applicant, edition.tables.noc, "fr") for note in doc["findings"]]
    for entry in [*doc["criteria"], *doc.get("not_together", [])]:
        entry["citation"] = french.citation(entry["citation"])
        for threshold in entry.get("thresholds", []):
            threshold["citation"] = french.citation(threshold["citation"])
            threshold["description"] = french.citation(
                threshold["description"]
            )  # parameters are described in English only
    return french.mark_titles(doc, _titles(doc, decision, edition) | input_titles(applicant, edition.tables.noc))


def noc_titles(decision) -> set[str]:
    """The NOC titles a decision's texts may quote: of the facts matched (by its criteria's rules and its
    points grid's), of the derived occupations, and of any other derived unit group (a value, or a list's
    item, with a `noc_code` and a `title`: FSW's continuous run, FST's trades)."""
    titles = {
        fact["title"] for c in decision.criteria for o in c.outcomes for fact in o.facts.values() if fact.get("title")
    }
    titles |= {o["title"] for o in decision.derived.get("occupations") or [] if o.get("title")}
    for factor in (
        decision.score.factors if decision.score is not None else []
    ):  # the facts the points grid's rules matched
        titles |= {
            fact["title"]
            for firing in [*factor.awards, *factor.unknown]
            for fact in firing.facts.values()
            if isinstance(fact, dict) and isinstance(fact.get("title"), str) and fact["title"]
        }
    for value in decision.derived.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and item.get("noc_code") and isinstance(item.get("title"), str) and item["title"]:
                titles.add(item["title"])
    return titles


def input_titles(applicant, noc) -> set[str]:
    """The NOC titles of the codes the input gives for work (the applicant's and a spouse's) and of the unit
    groups each splits into: what a split code's need or finding quotes."""
    if noc is None:
        return set()
    titles = set()
    for person in (applicant, getattr(applicant, "spouse", None)):
        for work in getattr(person, "work_history", None) or []:
            reported = noc.find(work.noc_version, work.noc_code)
            if reported is not None:
                titles |= {reported.title} | {o.title for o in noc.counterparts(reported.version, reported.code)}
    return titles


def _titles(doc: dict, decision, edition) -> set[str]:
    """The NOC titles the explanation may show: of the facts matched, the derived occupations and the advice."""
    titles = noc_titles(decision)
    for entry in doc["criteria"]:
        for change in (entry.get("to_meet") or {}).get("changes", []):
            value = change["value"]
            if change["path"] == "work_history" and isinstance(value, dict):
                found = edition.tables.noc.find(value["noc_version"], value["noc_code"])
                titles |= {found.title} if found else set()
    return titles


def _readable(fact: dict, language: str = "en") -> dict:
    """A matched fact for people: dates as ISO dates, hours rounded; the kind tag dropped, and each text in
    the chosen language (a FIELD__fr translation replaces FIELD in French)."""
    types = FIELD_TYPES.get(fact.get("t"), {})
    shown = {}
    for name, value in fact.items():
        if name == "t" or name.endswith("__fr"):
            continue
        if language == "fr" and f"{name}__fr" in fact:
            shown[name] = fact[f"{name}__fr"]
            continue
        kind = types.get(name)
        shown[name] = format_value(value, "date") if kind == "date" else round(value, 2) if kind == "hours" else value
    return shown


def _reason(
    result,
    rules,
    compiled,
    language: str,
    field_types: dict = FIELD_TYPES,
    formats: dict = FORMATS,
    words: dict | None = None,
) -> str:
    """A criterion's reason in `language`, from its rules' wording (and the ruleset's `words` in it)."""
    if not result.outcomes:
        return NOT_ESTABLISHED[language]
    texts = []
    for outcome, rule in zip(result.outcomes, rules):
        aliases = {p.alias: p.fact for p in rule.when if isinstance(p, FactPattern)}
        facts = worded(outcome.facts, words, language)
        texts.append(
            render(
                wording(rule.then.reason, language),
                facts,
                aliases,
                compiled.parameters,
                field_types,
                compiled.units,
                language,
                formats,
            )
        )
    return "; ".join(dict.fromkeys(texts))


def _not_together(decision, compiled, edition, language: str) -> list[dict]:
    """The decision's `not_together` records (criteria, reason, citation), the reasons in `language`."""
    from .translated import not_together_reason  # (it imports this module)

    words = edition.ruleset.words.get(language)
    return [
        {
            "criteria": list(record.criteria),
            "citation": record.citation,
            "reason": not_together_reason(record, compiled, language, FIELD_TYPES, FORMATS, words),
        }
        for record in decision.not_together
    ]


def _needs(result, language: str) -> list[dict]:
    """What would settle an undetermined criterion, each `why` in `language` where the facts carry its translation."""
    if language == "en":
        return result.needs
    from .translated import needs_in  # (it imports this module)

    return needs_in(result.needs, result.outcomes, language)


def _thresholds(rules, trace: list[dict], edition, compiled) -> list[dict]:
    """Parameters of the concluding rules and of the rules that derived the facts they matched."""
    used = [name for rule in rules for name in parameters_of(rule)]
    derived_kinds = {p.fact for rule in rules for p in rule.when if isinstance(p, FactPattern)}
    for firing in trace:
        rule = compiled.rules.get(f"{compiled.name}:{firing['rule']}")
        if rule is not None and rule.then.derive is not None and rule.then.derive.fact in derived_kinds:
            used.extend(parameters_of(rule))
    return [
        {
            "parameter": name,
            "value": compiled.parameters[name],
            "citation": edition.ruleset.parameters[name].citation,
            "description": edition.ruleset.parameters[name].description,
        }
        for name in dict.fromkeys(used)
    ]


def _exclusions(screened) -> list | None:
    """The screen session's exclusions (None: the program has no screen)."""
    return screened.exclusions if screened is not None else None


def _suggest(criterion: str, advisor, state, applicant, decision, edition, day, screen):
    if criterion == "skilled_work_experience":
        occupation = (
            None
            if state.counted
            else forward.own_skilled_occupation(applicant, state, edition.tables.noc, advisor.params)
        ) or advice.example_occupation(state, edition.tables.noc, advisor.params)
        return forward.more_hours(advisor, applicant, day, edition.tables.noc, occupation, "explain", screen)
    if criterion == "language_proficiency":
        return advice.better_language(advisor, applicant, decision.derived, edition.tables.language_tests, day)
    if criterion == "outside_quebec":
        return advice.other_province(advisor)
    if criterion == "admissibility":
        return advice.admissibility(advisor)
    return None
