"""The Comprehensive Ranking System as a program plugin: what the engine needs of the CRS, in one place.

Published in pyproject's `cec_rules.programs` entry points as `crs`. A CRS decision is a score (the
edition's `score:` grid, summed by the engine) with two criteria: a valid first-official-language result
(no profile is ranked without one) and a score that the input settles (no factor undetermined).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cec_rules.engine.program import Program
from cec_rules.facts.catalog import FORMATS, SCREEN_KINDS
from cec_rules.facts.cec_program import read_applicant
from cec_rules.facts.french import cite
from cec_rules.facts.limits import Limits
from cec_rules.facts.tables import DATA_FILES, load_cec_tables, table_files

from .gains import describe_gain
from .catalog import FACT_KINDS
from .choice import OPTIONAL_PARAMETERS, table_inputs
from .derive import REQUIRED_PARAMETERS, counted_spouse, derive
from .ranking import RANKING
from .experience import screen_groups

CSV_COLUMNS = ("first_language", "education", "canadian_years", "foreign_years")
# The parameters derive and screen_facts read (tests/test_diff_shared.py checks that they read no other): every
# edition's REQUIRED_PARAMETERS, and those the choice of the language results reads where an edition has them.
DERIVATION_PARAMETERS = (*REQUIRED_PARAMETERS, *OPTIONAL_PARAMETERS)


def csv_cells(derived: dict) -> list:
    """The values behind a CRS decision, for a spreadsheet row."""
    return [derived.get(column, "") for column in CSV_COLUMNS]


def screen(applicant, day: dt.date, edition, parameters: dict, source: str) -> list[list[dict]]:
    """The work and study periods the screen rules decide on (which work counts): CEC's screen facts, for
    the applicant and the spouse whose factors count."""
    return screen_groups(applicant, counted_spouse(applicant), day, edition.tables.noc, parameters, source)


def derivation_inputs(edition) -> tuple:
    """What the CRS derivation and screen facts read of `edition` besides its data tables: the parameters of
    DERIVATION_PARAMETERS, and the decision tables and score grid that choose the language results and the
    first official language (facts/crs/choice.py). `cec diff --program crs` derives once for two editions
    with equal values, e.g. when a table the choice does not read changed."""
    parameters = edition.ruleset.parameters
    return tuple(parameters.get(name) for name in DERIVATION_PARAMETERS) + table_inputs(edition)


def translate(evaluator, decision, applicant, as_of: dt.date | None, source: str, language: str):
    """The decision with its reasons in `language` (facts/translated.py)."""
    from cec_rules.facts.translated import translated  # imports the evaluator: only when a decision is translated

    return translated(evaluator, decision, applicant, as_of, source, language)


PROGRAM = Program(
    id="crs",
    cite=cite,
    describe_gain=describe_gain,
    fact_kinds={**FACT_KINDS, **SCREEN_KINDS},
    required_parameters=REQUIRED_PARAMETERS,
    derive=derive,
    read_applicant=read_applicant,
    input_limits=Limits.from_env,
    translate=translate,
    data_files=DATA_FILES,
    load_tables=load_cec_tables,
    table_files=table_files,
    csv_columns=CSV_COLUMNS,
    csv_cells=csv_cells,
    formats=FORMATS,
    order=90,
    ranking=RANKING,
    source_dirs=(Path(__file__).resolve().parent,),
    screen_facts=screen,
    screen_kinds=tuple(SCREEN_KINDS),
    derivation_inputs=derivation_inputs,
)
