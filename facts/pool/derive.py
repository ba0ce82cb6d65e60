"""From an applicant to the pool's own facts (the consumed programs' facts come from engine/chaining.py).

The pool needs: whether the profile has a valid language result (and the best one in each official
language, for the French category), when the profile expires (`profile_validity_months` after the UTC
day of `profile_submitted`), and the experience per occupation category in force. Every number
and list is a parameter of the pool edition (REQUIRED_PARAMETERS).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from cec_rules.engine.values import ValueSpec

from ..dates import as_int, months_after
from ..derive import HOURS_PER_WEEK, REQUIRED_PARAMETERS as CEC_PARAMETERS, YEARS
from ..language import assess_results, best_per_language, result_summary
from ..vocabulary import COUNTRIES
from .categories import WorkSums, category_window, counted_work, experience_fact, unit_groups

LIST_SUFFIX = "_occupations"


def _categories_with_lists(data) -> list[str]:
    """The categories an edition may put in force: those it gives a `<category>_occupations` list for."""
    return sorted(name[: -len(LIST_SUFFIX)] for name in data.parameters if name.endswith(LIST_SUFFIX))


REQUIRED_PARAMETERS: dict[str, tuple] = {
    **{
        name: CEC_PARAMETERS[name]
        for name in ("language_validity_years", "accepted_language_tests", "language_results_accepted_from")
    },
    "profile_validity_months": (
        "integer",
        "months a profile stays in the pool after its submission (IRPA 10.1(3))",
        ValueSpec(minimum=1, maximum=120),
    ),
    "experience_window_years": (
        "integer",
        "the years before the assessment day in which category experience counts",
        YEARS,
    ),
    "weekly_hours_cap": (
        "number",
        "most hours credited per ISO week across all jobs (category experience)",
        HOURS_PER_WEEK,
    ),
    "canadian_work_countries": (
        "list",
        "where work is Canadian work experience (ISO 3166 alpha-2)",
        ValueSpec(items=COUNTRIES, non_empty=True),
    ),
    "occupation_categories": (
        "list",
        "the occupation categories in force; each has a <category>_occupations list of NOC 2021 codes",
        ValueSpec(items=_categories_with_lists),
    ),
}


@dataclass
class PoolDerivation:
    """The facts to assert and the values the decision shows."""

    facts: list[dict]
    derived: dict


def derive(applicant, as_of: dt.date, tables, params: dict, source: str) -> PoolDerivation:
    """The pool's facts for `applicant` on `as_of`; raises `InputError` for codes or tests the data does not know."""
    results, valid = assess_results(applicant.language_tests, as_of, tables.language_tests, params, source)
    best = best_per_language(valid)
    facts = [
        {"t": "applicant", "id": applicant.id, "as_of": as_int(as_of)},
        {"t": "language_tests", "given": len(results), "valid": len(valid)},
    ]
    facts += [_language_fact(result) for result in best.values()]
    facts.append(_profile_fact(applicant, as_of, params))
    facts += _late_profile_facts(applicant, as_of)
    experience = _category_facts(applicant, as_of, tables.noc, params, source)
    facts += experience
    window = category_window(as_of, params)
    derived = {
        "language_results": results,
        "best_language_results": {lang: result_summary(r) for lang, r in best.items()},
        "category_window": {"start": window[0].isoformat(), "end": window[1].isoformat()},
        "category_experience": {
            f["category"]: {k: v for k, v in f.items() if k not in ("t", "category")} for f in experience
        },
    }
    return PoolDerivation(facts, derived)


def _profile_fact(applicant, as_of: dt.date, params: dict) -> dict:
    """The profile's submission day (UTC), the day it expires, and whether it has on `as_of` (a field compared
    with a constant, not a join with the assessment date: the pattern cache keys a joined date exactly);
    `given` false without `profile_submitted`."""
    if applicant.profile_submitted is None:
        return {"t": "profile", "given": False, "submitted": 0, "expires": 0, "expired": False}
    submitted = applicant.profile_submitted.astimezone(dt.timezone.utc).date()
    expires = months_after(submitted, params["profile_validity_months"])
    return {
        "t": "profile",
        "given": True,
        "submitted": as_int(submitted),
        "expires": as_int(expires),
        "expired": as_of >= expires,
    }


def _late_profile_facts(applicant, as_of: dt.date) -> list[dict]:
    """A `profile_after_assessment` fact when the profile was submitted (UTC day) after `as_of`, for the rule
    that keeps it out of that day's pool. A fact of its own, asserted only then: the `profile` fact every
    decision shows keeps its fields, and the day is compared here, not joined with the assessment date (the
    pattern cache would key every applicant's date exactly)."""
    if applicant.profile_submitted is None:
        return []
    submitted = applicant.profile_submitted.astimezone(dt.timezone.utc).date()
    return (
        [{"t": "profile_after_assessment", "submitted": as_int(submitted), "as_of": as_int(as_of)}]
        if submitted > as_of
        else []
    )


def _language_fact(result) -> dict:
    return {
        "t": "language_result",
        "test": result.test.test,
        "test_title": result.test.title,
        "language": result.test.language,
        "level_name": result.test.level_name,
        "date": as_int(result.date),
        "lowest": result.lowest,
        "lowest_ability": result.lowest_ability,
    }


def _category_facts(applicant, as_of: dt.date, noc, params: dict, source: str) -> list[dict]:
    """One `category_experience` fact per category in force (none before categories existed)."""
    categories = params["occupation_categories"]
    if not categories:
        return []
    work = counted_work(applicant, as_of, noc, params, source)
    offer = applicant.job_offer
    offer_codes = (
        unit_groups(offer.noc_version, offer.noc_code, noc, source, "job_offer.noc_code") if offer else frozenset()
    )
    sums = WorkSums(work, Fraction(str(params["weekly_hours_cap"])))
    return [experience_fact(c, set(params[c + LIST_SUFFIX]), sums, offer_codes) for c in categories]
