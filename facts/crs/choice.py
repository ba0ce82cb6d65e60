"""The points that hang on which official language is first, so the derivation can take the order worth more.

The MI let the candidate name the first official language (domain sheet §4.1: "The candidate chooses which
official language is the 'first'"); the input has no such field, so the derivation takes the order a
candidate would choose: the one the edition's own grid scores higher. That order is not always the one with
the higher sum of levels (CLB 10/9/10/6 in English and NCLC 9/9/7/7 in French: English has the higher sum,
but French first is worth 14 points more, through C1). What hangs on the order, all read from the edition
(`REQUIRED_TABLES`, the `score:` grid's factor maxima and caps): the first- and second-language points, and
the skill-transferability combinations that read the first language's lowest level (C1, C3, C5), capped
together with C2 and C4 as the grid caps them. Which result of a language counts hangs on the same points
and on the French bonus, which reads the lowest level of the French and the English result (an edition with
the `FRENCH_PARAMETERS`; capped with a nomination's points as the grid caps the additional points). The
spouse's first language is worth only its own points.
"""

from __future__ import annotations

from cec_rules.engine.decision_tables import table_value
from cec_rules.engine.errors import EngineError
from cec_rules.engine.score import capped_total
from cec_rules.facts.tables import ABILITIES

REQUIRED_TABLES = {
    "first_language_points": ("clb", "with_spouse"),
    "second_language_points": ("clb",),
    "spouse_language_points": ("clb",),
    "education_language_points": ("education", "lowest_clb"),
    "education_canadian_work_points": ("education", "canadian_years"),
    "foreign_work_language_points": ("foreign_years", "lowest_clb"),
    "foreign_canadian_work_points": ("foreign_years", "canadian_years"),
    "certificate_language_points": ("lowest_clb",),
}
# The French bonus's parameters (editions from 2016-11-19; the rules `french_with_english` and
# `french_without_english` read the same ones) and the nomination's, which shares its cap.
FRENCH_PARAMETERS = ("french_min_nclc", "french_english_min_clb", "french_only_points", "french_bilingual_points")
NOMINATION_POINTS = "provincial_nomination_points"
OPTIONAL_PARAMETERS = (*FRENCH_PARAMETERS, NOMINATION_POINTS)  # read when the edition has them


def table_inputs(edition) -> tuple:
    """What this module reads of `edition` besides parameters (for `derivation_inputs`)."""
    ruleset = edition.ruleset
    return tuple(ruleset.tables.get(name) for name in REQUIRED_TABLES), ruleset.score


def applicant_worth(edition, params: dict, profile: dict):
    """`worth(first, others)`: the capped points of the order with `first` first (`profile`: with_spouse,
    education, canadian_years, foreign_years, certificate, nominated)."""
    look = _lookup(edition, params)

    def worth(first, others) -> int | float:
        lowest = first.lowest
        second = "second_language_with_spouse" if profile["with_spouse"] else "second_language"
        points = {
            "first_language": sum(
                look("first_language_points", clb=first.levels[a], with_spouse=profile["with_spouse"])
                for a in ABILITIES
            ),
            second: sum(look("second_language_points", clb=r.levels[a]) for r in others for a in ABILITIES),
            "education_language": look("education_language_points", education=profile["education"], lowest_clb=lowest),
            "education_canadian_work": look(
                "education_canadian_work_points",
                education=profile["education"],
                canadian_years=profile["canadian_years"],
            ),
            "foreign_work_language": look(
                "foreign_work_language_points", foreign_years=profile["foreign_years"], lowest_clb=lowest
            ),
            "foreign_canadian_work": look(
                "foreign_canadian_work_points",
                foreign_years=profile["foreign_years"],
                canadian_years=profile["canadian_years"],
            ),
            "certificate_language": look("certificate_language_points", lowest_clb=lowest)
            if profile["certificate"]
            else 0,
            "french_language": _french(params, [first, *others]),
            "provincial_nomination": params.get(NOMINATION_POINTS, 0) if profile["nominated"] else 0,
        }
        return _capped(edition.ruleset.score, points)

    return worth


def _french(params: dict, results: list) -> int | float:
    """The French bonus of these results (0 in an edition without it): French at `french_min_nclc` in all
    four abilities, and English at `french_english_min_clb` in all four or not."""
    if any(name not in params for name in FRENCH_PARAMETERS):
        return 0
    lowest = {r.test.language: r.lowest for r in results}
    if lowest.get("french", -1) < params["french_min_nclc"]:
        return 0
    bilingual = lowest.get("english", -1) >= params["french_english_min_clb"]
    return params["french_bilingual_points" if bilingual else "french_only_points"]


def spouse_worth(edition, params: dict):
    """`worth(first, others)` for the spouse: the points of the spouse's first official language only."""
    look = _lookup(edition, params)
    return lambda first, others: _capped(
        edition.ruleset.score,
        {"spouse_language": sum(look("spouse_language_points", clb=first.levels[a]) for a in ABILITIES)},
    )


def _capped(score, points: dict) -> int | float:
    """The grid's total of `points` (each factor at most its max; every other factor 0)."""
    return capped_total(score, {name: min(points.get(name, 0), spec.max) for name, spec in score.factors.items()})[0]


def _lookup(edition, params: dict):
    tables = edition.ruleset.tables

    def look(name: str, **inputs):
        if name not in tables:
            raise EngineError(
                f"{edition.display_path}: the CRS derivation needs the decision table {name!r} (inputs {', '.join(REQUIRED_TABLES[name])})"
            )
        return table_value(name, tables[name], inputs, params)

    return look
