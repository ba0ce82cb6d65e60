"""The Federal Skilled Worker Program as a program plugin: what the engine needs of FSW, in one place.

Published in pyproject's `cec_rules.programs` entry-point group as `fsw`. It shares CEC's applicant
reader, input limits, translations and data tables (the same NOC and language-test files, named by each
edition's `data:`); its own parts are the fact catalog (catalog.py) and the derivation (derive.py).
"""

from __future__ import annotations

from pathlib import Path

from cec_rules.engine.program import Program

from ..catalog import FORMATS
from ..cec_program import in_language, read_applicant
from ..french import cite
from ..limits import Limits
from ..tables import DATA_FILES, load_cec_tables, table_files
from .catalog import FACT_KINDS
from .derive import FIELD_RELATIONS, REQUIRED_PARAMETERS, derive
from .gains import describe_gain

CSV_COLUMNS = (
    "continuous_hours",
    "primary_occupation",
    "experience_years",
    "first_official_language",
    "settlement_funds_required",
)


def csv_cells(derived: dict) -> list:
    """The derived values behind an FSW decision, for a spreadsheet row (CSV_COLUMNS)."""
    run = derived.get("continuous_run") or {}
    return [
        run.get("hours", 0),
        run.get("noc_code", ""),
        derived.get("experience_years", ""),
        derived.get("first_official_language") or "",
        (derived.get("settlement_funds") or {}).get("required") or "",
    ]


# Money travels as floats of type "number": shown like hours, with separators and at most two decimals.
PROGRAM = Program(
    id="fsw",
    derive_translations=True,
    cite=cite,
    order=20,
    fact_kinds=FACT_KINDS,
    required_parameters=REQUIRED_PARAMETERS,
    derive=derive,
    read_applicant=read_applicant,
    input_limits=Limits.from_env,
    translate=in_language,
    load_tables=load_cec_tables,
    table_files=table_files,
    data_files=DATA_FILES,
    formats={**FORMATS, "number": "measure"},
    csv_columns=CSV_COLUMNS,
    csv_cells=csv_cells,
    field_relations=FIELD_RELATIONS,
    describe_gain=describe_gain,
    source_dirs=(Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent),
)
