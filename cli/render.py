"""Showing decisions and ruleset listings to people (text) and to programs (JSON)."""

from __future__ import annotations

import click

from cec_rules.engine.decision import Decision


WORDS = {
    "en": {
        "outcome": {True: "ELIGIBLE", False: "NOT ELIGIBLE", None: "UNDETERMINED"},
        "for": "for",
        "edition": "edition",
        "as_of": "as of",
        "mark": {True: "met  ", False: "UNMET", None: "UNDETERMINED"},
        "needs": "needs",
        "note": "note",
        "points": "points",
        "cap": "cap",
        "before_cap": "before the cap",
        "not_together": "NEVER MET TOGETHER",
    },
    "fr": {
        "outcome": {True: "ADMISSIBLE", False: "NON ADMISSIBLE", None: "INDÉTERMINÉ"},
        "for": "à la",
        "edition": "édition",
        "as_of": "au",
        "mark": {True: "rempli", False: "NON REMPLI", None: "INDÉTERMINÉ"},
        "needs": "il faut",
        "note": "remarque",
        "points": "points",
        "cap": "plafond",
        "before_cap": "avant le plafond",
        "not_together": "JAMAIS REMPLIS ENSEMBLE",
    },
}


def language_option(what: str):
    """The `--lang` option of a command that shows reasons, one choice per language of WORDS; `what`: what
    the language is of, for the help."""
    return click.option(
        "--lang",
        "language",
        type=click.Choice(sorted(WORDS)),
        default="en",
        show_default=True,
        help=f"Language of {what}: en (English) or fr (French).",
    )


def decision_text(decision: Decision, language: str = "en") -> str:
    """A decision for a person: the outcome, then one line per criterion with its reason and citation."""
    w = WORDS[language]
    lines = [
        f"{decision.applicant_id}: {w['outcome'][decision.eligible]} {w['for']} {decision.program.upper()} "
        f"({w['edition']} {decision.edition}, {w['as_of']} {decision.as_of})"
    ]
    for criterion in decision.criteria:
        lines.append(f"  [{w['mark'][criterion.met]}] {criterion.id}: {criterion.reason}  ({criterion.citation})")
        lines += [
            f"      {w['needs']} {need['field']}: {need['why']}" for need in criterion.needs if criterion.met is None
        ]
    for record in decision.not_together:  # why a decision with no unmet criterion is not eligible
        lines.append(f"  [{w['not_together']}] {' + '.join(record.criteria)}: {record.reason}  ({record.citation})")
    if decision.score is not None:
        lines += score_lines(decision.score.to_json(), language)
    for finding in decision.derived.get("findings", []):
        lines.append(f"  {w['note']}: {finding}")
    return "\n".join(lines)


def score_lines(score: dict, language: str = "en", indent: str = "  ") -> list[str]:
    """The points grid of a decision's `score` (its JSON form): the total (a range when some factor is
    undetermined), one line per factor with points/max (an undetermined factor's `between` as a range, else
    `?`), reason and citation, then each cap."""
    w = WORDS[language]
    total = (
        score["total"] if score["total"] == score["possible_total"] else f"{score['total']}-{score['possible_total']}"
    )
    lines = [f"{indent}{w['points']}: {total} / {score['max']}"]
    width = max(len(f["id"]) for f in score["factors"] + score["caps"]) + len(w["cap"]) + 1
    for factor in score["factors"]:
        points = (
            factor["points"]
            if factor["points"] is not None
            else "-".join(map(str, factor["between"]))
            if "between" in factor
            else "?"
        )
        mark = f"[{w['mark'][None]}] " if factor["points"] is None else ""
        lines.append(
            f"{indent}  {factor['id']:<{width}} {points:>4} / {factor['max']:<4} {mark}{factor['reason']}  ({factor['citation']})"
        )
        lines += [f"{indent}      {w['needs']} {need['field']}: {need['why']}" for need in factor.get("needs", [])]
    for cap in score["caps"]:
        label = f"{w['cap']} {cap['id']}"
        lines.append(
            f"{indent}  {label:<{width}} {cap['points']:>4} / {cap['max']:<4} ({cap['uncapped']} {w['before_cap']})"
        )
    return lines


def decision_json(decision: Decision) -> str:
    """One line of JSON in the output contract."""
    return decision.to_json_line()
