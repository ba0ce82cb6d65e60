"""Showing decisions and ruleset listings to people (text) and to programs (JSON)."""

from __future__ import annotations

from cec_rules.engine.decision import Decision


WORDS = {
    "en": {"outcome": {True: "ELIGIBLE", False: "NOT ELIGIBLE", None: "UNDETERMINED"}, "for": "for", "edition": "edition",
           "as_of": "as of", "mark": {True: "met  ", False: "UNMET", None: "UNDETERMINED"}, "needs": "needs", "note": "note"},
    "fr": {"outcome": {True: "ADMISSIBLE", False: "NON ADMISSIBLE", None: "INDÉTERMINÉ"}, "for": "à la", "edition": "édition",
           "as_of": "au", "mark": {True: "rempli", False: "NON REMPLI", None: "INDÉTERMINÉ"}, "needs": "il faut", "note": "remarque"},
}


def decision_text(decision: Decision, language: str = "en") -> str:
    """A decision for a person: the outcome, then one line per criterion with its reason and citation."""
    w = WORDS[language]
    lines = [f"{decision.applicant_id}: {w['outcome'][decision.eligible]} {w['for']} {decision.program.upper()} "
             f"({w['edition']} {decision.edition}, {w['as_of']} {decision.as_of})"]
    for criterion in decision.criteria:
        lines.append(f"  [{w['mark'][criterion.met]}] {criterion.id}: {criterion.reason}  ({criterion.citation})")
        lines += [f"      {w['needs']} {need['field']}: {need['why']}" for need in criterion.needs if criterion.met is None]
    for finding in decision.derived.get("findings", []):
        lines.append(f"  {w['note']}: {finding}")
    return "\n".join(lines)


def decision_json(decision: Decision) -> str:
    """One line of JSON in the output contract."""
    return decision.to_json_line()
