"""`cec explain`: an explanation for people, in English or French."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cec_rules.cli.render import language_option, score_lines
from cec_rules.engine.each_program import EachProgram
from cec_rules.engine.errors import InputError
from cec_rules.engine.explanation import scored_explanation
from cec_rules.engine.yaml_source import locate
from cec_rules.facts.reading import read_data_with_positions

from .programs import chosen_programs, program_option

LABELS = {
    "en": {
        "eligible": "ELIGIBLE",
        "not": "NOT ELIGIBLE",
        "met": "met",
        "unmet": "UNMET",
        "why": "Why",
        "facts": "Facts used",
        "thresholds": "Thresholds",
        "to_meet": "To meet it",
        "edition": "edition",
        "as_of": "as of",
        "note": "Note",
        "undetermined": "UNDETERMINED",
        "to_settle": "To settle it, give",
        "gains": "Cheapest ways to gain points:",
        "no_gains": "no single change of a level raises the total",
        "not_together": "NEVER MET TOGETHER",
    },
    "fr": {
        "eligible": "ADMISSIBLE",
        "not": "NON ADMISSIBLE",
        "met": "rempli",
        "unmet": "NON REMPLI",
        "why": "Motif",
        "facts": "Faits utilisés",
        "thresholds": "Seuils",
        "to_meet": "Pour le remplir",
        "edition": "édition",
        "as_of": "au",
        "note": "Remarque",
        "undetermined": "INDÉTERMINÉ",
        "to_settle": "Pour le trancher, indiquez",
        "gains": "Façons les moins coûteuses de gagner des points :",
        "no_gains": "aucun changement d'un seul niveau n'augmente le total",
        "not_together": "JAMAIS REMPLIS ENSEMBLE",
    },
}


def explanation_text(doc: dict) -> str:
    """The explanation laid out for reading."""
    t = LABELS[doc["language"]]
    outcome = {True: t["eligible"], False: t["not"], None: t["undetermined"]}[doc["eligible"]]
    lines = [
        f"{doc['applicant_id']}: {outcome} - {doc['program'].upper()} "
        f"({t['edition']} {doc['edition']}, {t['as_of']} {doc['as_of']})"
    ]
    for c in doc["criteria"]:
        mark = {True: t["met"], False: t["unmet"], None: t["undetermined"]}[c["met"]]
        lines += ["", f"[{mark}] {c['id']}: {c['description']} ({c['citation']})", f"  {t['why']}: {c['reason']}"]
        facts = "; ".join(
            f"{alias}: " + ", ".join(f"{k}={_fact(v, doc['language'])}" for k, v in fact.items())
            for alias, fact in c["facts_used"].items()
        )
        if facts:
            lines.append(f"  {t['facts']}: {facts}")
        for threshold in c["thresholds"]:
            lines.append(
                f"  {t['thresholds']}: {threshold['parameter']} = {_value(threshold['value'])} ({threshold['citation']})"
            )
        for sentence in (c.get("to_meet") or {}).get("text", []):
            lines.append(f"  {t['to_meet']}: {sentence}")
        for need in c.get("to_settle") or []:
            lines.append(f"  {t['to_settle']} {need['field']}: {need['why']}")
    for record in doc.get("not_together", []):  # why a decision with no unmet criterion is not eligible
        lines += [
            "",
            f"[{t['not_together']}] {' + '.join(record['criteria'])} ({record['citation']})",
            f"  {t['why']}: {record['reason']}",
        ]
    if "score" in doc:
        lines += [""] + score_lines(doc["score"], doc["language"], indent="")
        if "gains" in doc["score"]:
            lines += ["", t["gains"]] + (
                [f"  {gain['text']}" for gain in doc["score"]["gains"]] or [f"  {t['no_gains']}"]
            )
    for finding in doc.get("findings", []):
        lines.append(f"{t['note']}: {finding}")
    return "\n".join(lines)


PLAIN = {"en": {True: "yes", False: "no", None: "none"}, "fr": {True: "oui", False: "non", None: "aucun"}}


def _fact(value, language: str) -> str:
    """A fact's value in words: yes/no and none (oui/non, aucun) rather than Python's True/False/None."""
    if value is None or isinstance(value, bool):
        return PLAIN[language][value]
    return _value(value)


def _value(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def register(cli, load_library, iso_date) -> None:
    """Add the command to the `cec` group (kept here so main.py stays a list of commands)."""

    @cli.command(
        name="explain", short_help="Explain decisions: facts, thresholds, citations, what would meet each criterion."
    )
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @language_option("the explanation")
    @click.option("--as-of", type=iso_date, help="Assess on this date instead of the application_date.")
    @click.option(
        "--rulesets", "rulesets_dir", type=click.Path(file_okay=False, path_type=Path), help="Use this rulesets folder."
    )
    @click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="text for people; json: one object per line.",
    )
    @program_option()
    def explain_command(files, language, as_of, rulesets_dir, output_format, program):
        """Explain each applicant's decision: facts, thresholds, citations, and what would meet each unmet criterion.

        With --program all, one explanation per program in force on the assessment date."""
        library = load_library(rulesets_dir)
        deciders = EachProgram(library, chosen_programs(library, program), translations=True)
        bad = 0
        for path in files:
            positions = None
            try:
                data, positions = read_data_with_positions(path)
                results = deciders.decide(data, str(path), as_of)
            except InputError as exc:
                click.echo(f"error: {locate(exc, positions)}", err=True)
                bad += 1
                continue
            for result in results:
                try:
                    doc = _explanation(deciders, result, as_of, language, str(path))
                except InputError as exc:
                    click.echo(f"error: {locate(exc, positions)}", err=True)
                    bad += 1
                    continue
                click.echo(json.dumps(doc, ensure_ascii=False) if output_format == "json" else explanation_text(doc))
        if bad:
            sys.exit(2)


def _explanation(deciders: EachProgram, result, as_of, language: str, source: str) -> dict:
    """The program's explanation of its decision; an InputError when it could not decide or explains nothing."""
    if result.error is not None:
        raise result.error
    evaluator = deciders.evaluators[result.program]
    if evaluator.plugin.explain is None and result.decision.score is not None:
        return {**scored_explanation(evaluator, result.applicant, as_of, language, source), "language": language}
    if evaluator.plugin.explain is None:
        raise InputError(
            source,
            "",
            f"program {result.program} has no explanations (`cec evaluate --program {result.program}` gives its reasons)",
        )
    return evaluator.plugin.explain(evaluator, result.applicant, as_of, language, source)
