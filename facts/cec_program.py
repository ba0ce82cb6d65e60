"""The Canadian Experience Class as a program plugin: what the engine needs of CEC, in one place.

Published in pyproject's `cec_rules.programs` entry-point group as `cec`; the engine finds it there
(engine/program.py) and knows nothing else of CEC.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cec_rules.engine.program import Distribution, Program

from .advice import REQUIRED_ADVICE
from .applicant import Applicant
from .catalog import FACT_KINDS, FORMATS, SCREEN_KINDS
from .derive import FIELD_RELATIONS, REQUIRED_PARAMETERS, Derivation, derive, screen_facts
from .limits import Limits
from .reading import applicant_from_data
from .tables import DATA_FILES, load_cec_tables, table_files

ABILITY_ADVICE = ("listening", "reading", "writing", "speaking")
_NAMES_FR: dict[str, dict[str, str]] = {}


def derive_cec(
    applicant: Applicant,
    day: dt.date,
    edition,
    parameters: dict,
    source: str,
    exclusions: list | None = None,
    shown: bool = True,
) -> Derivation:
    """CEC's facts for `applicant` under `edition` on `day` (its NOC and language-test tables), counting only
    the work periods the edition's screen rules did not exclude (`exclusions`); without `shown`, only the
    derived values `impact_values` reads (facts/derive.py `derive`)."""
    tables = edition.tables
    return derive(
        applicant,
        day,
        tables.noc,
        tables.language_tests,
        parameters,
        source,
        _ability_names_fr(edition),
        exclusions,
        shown,
    )


# The parameters derive and screen_facts read (tests/test_diff_shared.py checks that they read no other).
DERIVATION_PARAMETERS = (
    "experience_window_years",
    "weekly_hours_cap",
    "noc_version",
    "skilled_levels",
    "language_validity_years",
    "accepted_language_tests",
    "language_results_accepted_from",
    "provinces_and_territories",
)


def derivation_inputs(edition) -> tuple:
    """What CEC's derivation and screen facts read of `edition` besides its data tables: the parameters of
    DERIVATION_PARAMETERS and the French names of the abilities. `cec diff` derives once for two editions
    with equal values (a threshold such as `min_qualifying_hours` is read by the rules only)."""
    parameters = edition.ruleset.parameters
    return tuple(parameters.get(name) for name in DERIVATION_PARAMETERS), _ability_names_fr(edition)


def screen_cec(applicant: Applicant, day: dt.date, edition, parameters: dict, source: str) -> list[dict]:
    """The work and study periods the screen rules decide on (which work counts)."""
    return screen_facts(applicant, day, edition.tables.noc, parameters, source)


def _ability_names_fr(edition) -> dict[str, str]:
    """French names of the abilities, from the edition's advice texts (once per edition)."""
    if edition.sha256 not in _NAMES_FR:
        advice = edition.ruleset.advice
        _NAMES_FR[edition.sha256] = {
            name: advice[f"ability_{name}"].fr for name in ABILITY_ADVICE if f"ability_{name}" in advice
        }
    return _NAMES_FR[edition.sha256]


def read_applicant(data: object, source: str, limits: Limits | None = None) -> Applicant:
    """The applicant of one parsed record (facts/reading.py: limits first, then the model)."""
    return applicant_from_data(data, source, limits=limits)


def in_language(evaluator, decision, applicant: Applicant, as_of: dt.date | None, source: str, language: str):
    """The decision with its reasons in `language` (facts/translated.py); in English, the language decisions are
    made in, the decision itself, without importing the translator (a cold `cec evaluate` saves ~4 ms)."""
    if language == "en":
        return decision
    from .translated import translated  # imports the evaluator: only when a decision is translated

    return translated(evaluator, decision, applicant, as_of, source, language)


def explain(evaluator, applicant: Applicant, as_of: dt.date | None, language: str, source: str) -> dict:
    """`cec explain`'s document for a CEC decision (facts/explain.py)."""
    from .explain import explain as explained  # imports the evaluator: only when a decision is explained

    return explained(evaluator, applicant, as_of, language, source)


CSV_COLUMNS = (
    "qualifying_hours",
    "main_occupation",
    "main_occupation_level",
    "language_level_required",
    "language_test",
    "language_lowest_level",
)


def csv_cells(derived: dict) -> list:
    """The values that decided a CEC decision, for a spreadsheet row (CSV_COLUMNS)."""
    occupations = derived.get("occupations") or [{}]
    best = derived.get("best_language_result") or {}
    requirement = derived.get("language_requirement") or {}
    return [
        derived.get("qualifying_hours", ""),
        occupations[0].get("noc_code", ""),
        occupations[0].get("level", ""),
        requirement.get("level", ""),
        best.get("test", ""),
        best.get("lowest", ""),
    ]


def impact_values(derived: dict) -> dict:
    """What `cec diff` keeps of a CEC decision per side: the hours and language levels that decide it."""
    best = derived.get("best_language_result") or {}
    requirement = derived.get("language_requirement") or {}
    return {
        "qualifying_hours": derived.get("qualifying_hours"),
        "language_lowest": best.get("lowest"),
        "language_required": requirement.get("level"),
    }


# The impact report's histograms: hours in bins of 120 up to twice the 1,560 required; levels 0-12.
IMPACT_DISTRIBUTIONS = (
    Distribution(
        "qualifying_hours_old",
        "qualifying_hours",
        "Qualifying hours (old rules) by outcome, with the hours thresholds",
        "hours",
        width=120,
        top=3120,
        thresholds="qualifying_hours",
        parameter="min_qualifying_hours",
    ),
    Distribution(
        "lowest_language_level_old",
        "language_lowest",
        "Lowest language level (old rules) by outcome, with the required levels",
        "level",
        width=1,
        top=13,
        thresholds="language_level",
        parameter="language_level_by_occupation_level",
    ),
)

PROGRAM = Program(
    id="cec",
    fact_kinds=FACT_KINDS,
    required_parameters=REQUIRED_PARAMETERS,
    derive=derive_cec,
    read_applicant=read_applicant,
    input_limits=Limits.from_env,
    translate=in_language,
    explain=explain,
    data_files=DATA_FILES,
    load_tables=load_cec_tables,
    table_files=table_files,
    csv_columns=CSV_COLUMNS,
    csv_cells=csv_cells,
    required_advice=REQUIRED_ADVICE,
    field_relations=FIELD_RELATIONS,
    formats=FORMATS,
    impact_values=impact_values,
    impact_distributions=IMPACT_DISTRIBUTIONS,
    order=10,
    source_dirs=(Path(__file__).resolve().parent,),
    screen_facts=screen_cec,
    screen_kinds=tuple(SCREEN_KINDS),
    derivation_inputs=derivation_inputs,
    derive_unshown=True,
)
