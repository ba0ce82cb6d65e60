"""The CSV form of a decision: one row per applicant, for spreadsheets."""

from __future__ import annotations

import csv
import io

from cec_rules.engine.decision import Decision

CSV_COLUMNS = ["applicant_id", "eligible", "unmet_criteria", "undetermined_criteria", "program", "edition", "as_of", "qualifying_hours",
               "main_occupation", "main_occupation_level", "language_level_required", "language_test", "language_lowest_level"]


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
        best.get("test", ""), best.get("lowest", ""),
    ])


def _line(values: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()
