"""The Federal Skilled Trades Program (IRPR 87.2) as a program plugin: what the engine needs of FST.

Published in pyproject's `cec_rules.programs` entry-point group as `fst`. It shares CEC's data tables
(StatCan NOC files, language score tables: the `data:` section names the same files) and the shared
helpers of `cec_rules.facts` (hours, occupations, language, funds); its own are the trade groups, the
per-trade hours, the documents (certificate, job offer) and the funds fact.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cec_rules.engine.program import Program

from ..applicant import Applicant
from ..limits import Limits
from ..reading import applicant_from_data
from ..catalog import FORMATS
from ..french import cite
from ..tables import DATA_FILES, load_cec_tables, table_files
from .advice import REQUIRED_ADVICE
from .catalog import FACT_KINDS
from .derive import FIELD_RELATIONS, REQUIRED_PARAMETERS, derive


def read_applicant(data: object, source: str, limits: Limits | None = None) -> Applicant:
    """The applicant of one parsed record: the same input contract as every Express Entry program."""
    return applicant_from_data(data, source, limits=limits)


def translate(evaluator, decision, applicant: Applicant, as_of: dt.date | None, source: str, language: str):
    """The decision with its reasons in `language` (facts/translated.py)."""
    from ..translated import translated  # imports the evaluator: only when a decision is translated

    return translated(evaluator, decision, applicant, as_of, source, language)


CSV_COLUMNS = ("trade", "trade_hours", "language_test", "funds_available", "funds_required")


def csv_cells(derived: dict) -> list:
    """The values that decided an FST decision, for a spreadsheet row (CSV_COLUMNS)."""
    trade = (derived.get("trades") or [{}])[0]
    best = derived.get("best_language_result") or {}
    funds = derived.get("funds") or {}
    return [
        trade.get("noc_code", ""),
        trade.get("hours", ""),
        best.get("test", ""),
        funds.get("available", ""),
        funds.get("required", ""),
    ]


PROGRAM = Program(
    id="fst",
    derive_translations=True,
    cite=cite,
    order=30,
    fact_kinds=FACT_KINDS,
    required_parameters=REQUIRED_PARAMETERS,
    derive=derive,
    read_applicant=read_applicant,
    input_limits=Limits.from_env,
    translate=translate,
    load_tables=load_cec_tables,
    table_files=table_files,
    data_files=DATA_FILES,
    formats=FORMATS,
    csv_columns=CSV_COLUMNS,
    csv_cells=csv_cells,
    required_advice=REQUIRED_ADVICE,
    field_relations=FIELD_RELATIONS,
    source_dirs=(Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent),
)
