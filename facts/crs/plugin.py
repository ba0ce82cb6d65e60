"""The Comprehensive Ranking System as a program plugin: what the engine needs of the CRS, in one place.

Published in pyproject's `cec_rules.programs` entry points as `crs`. A CRS decision is a score (the
edition's `score:` grid, summed by the engine) with two criteria: a valid first-official-language result
(no profile is ranked without one) and a score that the input settles (no factor undetermined).
"""

from __future__ import annotations

from pathlib import Path

from cec_rules.engine.program import Program
from cec_rules.facts.cec_program import read_applicant
from cec_rules.facts.limits import Limits
from cec_rules.facts.tables import load_cec_tables, table_files

from .catalog import FACT_KINDS
from .derive import REQUIRED_PARAMETERS, derive

CSV_COLUMNS = ("first_language", "education", "canadian_years", "foreign_years")


def csv_cells(derived: dict) -> list:
    """The values behind a CRS decision, for a spreadsheet row."""
    return [derived.get(column, "") for column in CSV_COLUMNS]


PROGRAM = Program(id="crs", fact_kinds=FACT_KINDS, required_parameters=REQUIRED_PARAMETERS, derive=derive,
                  read_applicant=read_applicant, input_limits=Limits.from_env, load_tables=load_cec_tables,
                  table_files=table_files, csv_columns=CSV_COLUMNS, csv_cells=csv_cells,
                  source_dirs=(Path(__file__).resolve().parent,))
