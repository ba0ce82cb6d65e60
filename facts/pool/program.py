"""The Express Entry pool as a program plugin (`pool`): published in pyproject's `cec_rules.programs`.

Its rulesets (rulesets/pool/<edition>/) `consume` the decisions of CEC, FSW, FST and CRS
(engine/chaining.py): the pool's rules decide entry from those programs' outcomes, and its categories
from the pool's own facts (facts/pool/derive.py). docs/programs/pool.md describes it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cec_rules.engine.program import Program

from ..catalog import FORMATS
from ..limits import Limits
from ..reading import applicant_from_data
from ..tables import DATA_FILES, load_cec_tables, table_files
from .catalog import FACT_KINDS
from .derive import REQUIRED_PARAMETERS, PoolDerivation, derive
from .ranking import RANKING

CSV_COLUMNS = ("programs_met", "categories", "score")


def derive_pool(applicant, day: dt.date, edition, parameters: dict, source: str) -> PoolDerivation:
    """The pool's facts under `edition` on `day`, with the edition's NOC and language-test tables."""
    return derive(applicant, day, edition.tables, parameters, source)


def read_applicant(data: object, source: str, limits: Limits | None = None):
    """The applicant of one parsed record: the same reader (and model) as the programs the pool consumes."""
    return applicant_from_data(data, source, limits=limits)


def csv_cells(derived: dict) -> list:
    """The programs met, the categories and the first consumed score, for a spreadsheet row."""
    consumed = derived.get("consumed", {})
    met = [program for program, shown in consumed.items() if shown.get("eligible") is True]
    scores = [shown["score"]["total"] for shown in consumed.values() if "score" in shown]
    categories = [entry["category"] for entry in derived.get("in_category", [])]
    return [";".join(met), ";".join(categories), scores[0] if scores else ""]


def translate(evaluator, decision, applicant, as_of: dt.date | None, source: str, language: str):
    """The decision with its reasons in `language` (facts/translated.py; the consumed programs' texts it quotes,
    such as what an undetermined program needs, stay as those decisions gave them: English)."""
    from cec_rules.facts.translated import translated  # imports the evaluator: only when a decision is translated

    return translated(evaluator, decision, applicant, as_of, source, language)


PROGRAM = Program(
    id="pool",
    fact_kinds=FACT_KINDS,
    required_parameters=REQUIRED_PARAMETERS,
    derive=derive_pool,
    read_applicant=read_applicant,
    input_limits=Limits.from_env,
    data_files=DATA_FILES,
    load_tables=load_cec_tables,
    translate=translate,
    table_files=table_files,
    formats=FORMATS,
    csv_columns=CSV_COLUMNS,
    csv_cells=csv_cells,
    order=90,
    ranking=RANKING,
    source_dirs=(Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent),
)
