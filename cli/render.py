"""Showing decisions and ruleset listings to people (text) and to programs (JSON)."""

from __future__ import annotations

from cec_rules.engine.decision import Decision


def decision_text(decision: Decision) -> str:
    """A decision for a person: the outcome, then one line per criterion with its reason and citation."""
    outcome = {True: "ELIGIBLE", False: "NOT ELIGIBLE", None: "UNDETERMINED"}[decision.eligible]
    lines = [f"{decision.applicant_id}: {outcome} for {decision.program.upper()} "
             f"(edition {decision.edition}, as of {decision.as_of})"]
    for criterion in decision.criteria:
        mark = {True: "met  ", False: "UNMET", None: "UNDETERMINED"}[criterion.met]
        lines.append(f"  [{mark}] {criterion.id}: {criterion.reason}  ({criterion.citation})")
        lines += [f"      needs {need['field']}: {need['why']}" for need in criterion.needs if criterion.met is None]
    for finding in decision.derived.get("findings", []):
        lines.append(f"  note: {finding}")
    return "\n".join(lines)


def decision_json(decision: Decision) -> str:
    """One line of JSON in the output contract."""
    return decision.to_json_line()
