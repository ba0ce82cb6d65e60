"""The CSV form of a decision: one row per applicant, for spreadsheets."""

from __future__ import annotations

import csv
import io

from cec_rules.engine.decision import Decision

# Every program's rows start and end with these; its plugin's `csv_columns` go in between.
FIRST_COLUMNS = ["applicant_id", "eligible", "unmet_criteria", "undetermined_criteria", "program", "edition", "as_of"]
LAST_COLUMNS = ["reasons", "error"]


ELIGIBLE_CELLS = {True: "true", False: "false", None: "undetermined"}


def csv_columns(plugin) -> list[str]:
    """The columns of `plugin`'s program: the outcome, then the values its plugin shows, then the reasons."""
    return [*FIRST_COLUMNS, *plugin.csv_columns, *LAST_COLUMNS]


def csv_header(plugin) -> str:
    return _line(csv_columns(plugin))


def csv_row(decision: Decision, plugin) -> str:
    """One spreadsheet row: the outcome and the values that decided it (the plugin's `csv_cells`)."""
    return _line(
        [
            decision.applicant_id,
            ELIGIBLE_CELLS[decision.eligible],
            ";".join(decision.unmet),
            ";".join(decision.undetermined),
            decision.program,
            decision.edition,
            decision.as_of,
            *plugin.csv_cells(decision.derived),
            reasons_cell(decision),
            "",
        ]
    )


def reasons_cell(decision: Decision) -> str:
    """Each criterion not met, with its reason: `<criterion>: <reason> | ...`.
    An undetermined criterion (met is None) says so: it is not unmet. Then each `not_together` (named as in
    `unmet_criteria`) with its reason."""
    parts = []
    for criterion in decision.criteria:
        if criterion.met is None:
            parts.append(f"{criterion.id} (undetermined): {criterion.reason}")
        elif not criterion.met:
            parts.append(f"{criterion.id}: {criterion.reason}")
    parts += [f"{record.label}: {record.reason}" for record in decision.not_together]
    return " | ".join(parts)


def csv_reject_row(reject: dict, plugin) -> str:
    """A rejected record as a row (`--csv-rejects`): its id when known, `rejected`, and the error, so that a
    spreadsheet has one row per input record."""
    row = [""] * len(csv_columns(plugin))
    row[0], row[1], row[-1] = reject.get("id") or f"(line {reject.get('line')})", "rejected", reject.get("error", "")
    return _line(row)


def _line(values: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()
