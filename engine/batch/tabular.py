"""The CSV form of a decision: one row per applicant, for spreadsheets."""

from __future__ import annotations

import csv
import io

from cec_rules.engine.decision import Decision

CSV_COLUMNS = ["applicant_id", "eligible", "unmet_criteria", "undetermined_criteria", "program", "edition", "as_of", "qualifying_hours",
               "main_occupation", "main_occupation_level", "language_level_required", "language_test", "language_lowest_level",
               "reasons", "error"]


ELIGIBLE_CELLS = {True: "true", False: "false", None: "undetermined"}


def csv_header() -> str:
    return _line(CSV_COLUMNS)


def csv_row(decision: Decision) -> str:
    """One spreadsheet row: the outcome and the values that decided it."""
    derived = decision.derived
    occupations = derived.get("occupations") or [{}]
    best = derived.get("best_language_result") or {}
    requirement = derived.get("language_requirement") or {}
    return _line([
        decision.applicant_id, ELIGIBLE_CELLS[decision.eligible], ";".join(decision.unmet), ";".join(decision.undetermined), decision.program,
        decision.edition, decision.as_of, derived.get("qualifying_hours", ""),
        occupations[0].get("noc_code", ""), occupations[0].get("level", ""), requirement.get("level", ""),
        best.get("test", ""), best.get("lowest", ""), reasons_cell(decision), "",
    ])


def reasons_cell(decision: Decision) -> str:
    """Each criterion not met, with its reason: `language_proficiency: ...; CLB 7 is needed | ...`.
    An undetermined criterion (met is None) says so: it is not unmet."""
    parts = []
    for criterion in decision.criteria:
        if criterion.met is None:
            parts.append(f"{criterion.id} (undetermined): {criterion.reason}")
        elif not criterion.met:
            parts.append(f"{criterion.id}: {criterion.reason}")
    return " | ".join(parts)


def csv_reject_row(reject: dict) -> str:
    """A rejected record as a row (`--csv-rejects`): its id when known, `rejected`, and the error, so that a
    spreadsheet has one row per input record."""
    row = [""] * len(CSV_COLUMNS)
    row[0], row[1], row[-1] = reject.get("id") or f"(line {reject.get('line')})", "rejected", reject.get("error", "")
    return _line(row)


def _line(values: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()
