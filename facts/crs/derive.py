"""From an applicant to the CRS facts for one edition and day.

The derivation does what the rules cannot (DESIGN.md): age in completed years, the highest recognised
credential, which valid result of each official language counts and which language is first, years of Canadian and
foreign experience from the exact hours code, and how the job offer's NOC code classifies. Every number
and list it uses is an edition parameter named in `REQUIRED_PARAMETERS`; the points are the edition's
decision tables (the choice of the first official language reads them too, facts/crs/choice.py). Input a
factor needs that is missing (`date_of_birth`, `education`, the spouse's `education`) or that the input leaves open (a program's length, a split NOC code) is never guessed: it
becomes a `crs_unsettled` fact, and the rules say that factor is undetermined.
"""

from __future__ import annotations

import datetime as dt
from itertools import product

from cec_rules.engine.values import ValueSpec
from cec_rules.facts.age import age_on
from cec_rules.facts.dates import as_int
from cec_rules.facts.derive import (
    REQUIRED_PARAMETERS as CEC_PARAMETERS,
    Derivation,
    classifier_for,
    float_not_above,
    round_down,
)
from cec_rules.facts.language import assess_results, result_summary
from cec_rules.facts.occupations import candidates_text
from cec_rules.engine.errors import InputError
from cec_rules.facts.tables import ABILITIES

from .education import NONE, Level, canadian_only, level_of, recognized_credentials
from .experience import canadian_years, of_applicant, of_spouse, work_years
from .choice import applicant_worth, spouse_worth
from .languages import ordered
from .words import EDUCATION, LANGUAGES, ability_words, with_french

EDUCATION_LEVELS = ("none", "secondary", "one_year", "two_year", "three_year", "two_or_more", "masters", "doctoral")
_SHARED = (
    "experience_window_years",
    "weekly_hours_cap",
    "qualifying_work_countries",
    "provinces_and_territories",
    "noc_version",
    "skilled_levels",
    "language_validity_years",
    "accepted_language_tests",
    "language_results_accepted_from",
)

REQUIRED_PARAMETERS: dict[str, tuple] = {
    **{name: CEC_PARAMETERS[name] for name in _SHARED},
    "hours_per_year": (
        "number",
        "hours of work that make one full-time-equivalent year",
        ValueSpec(minimum=1, maximum=10_000),
    ),
    "eca_validity_years": (
        "integer",
        "how long an educational credential assessment stays valid",
        ValueSpec(minimum=1, maximum=50),
    ),
    "education_ranking": (
        "list",
        "the CRS education levels, lowest first (the highest one a person has counts)",
        ValueSpec(items=EDUCATION_LEVELS, non_empty=True, complete=True),
    ),
    "first_language_on_tie": (
        "text",
        "the first official language when both score alike",
        ValueSpec(items=("english", "french")),
    ),
    "senior_management_prefix": ("text", "the NOC code prefix of the senior-management major group (00)"),
}


def derive(applicant, day: dt.date, edition, params: dict, source: str, exclusions: list | None = None) -> Derivation:
    """The CRS facts of `applicant` on `day`, counting only the work the screen rules did not exclude
    (`exclusions`: the applicant's and the spouse's periods, facts/crs/experience.py `screen_groups`);
    raises `InputError` for codes or tests the data does not know."""
    tables = edition.tables
    with_spouse = _with_spouse(applicant)
    exclusions = exclusions or []
    unsettled: list[dict] = []
    derived: dict = {"with_spouse": with_spouse, "findings": []}
    valid = _valid(applicant.language_tests, day, tables, params, source, "language_tests")
    applicant_fact, languages = _applicant_fact(
        applicant,
        day,
        with_spouse,
        valid,
        edition,
        params,
        source,
        unsettled,
        derived,
        of_applicant(exclusions, applicant),
    )
    facts = [applicant_fact, *_abilities(languages, ("first", "second"), with_spouse)]
    if with_spouse:
        facts += _spouse_facts(
            applicant.spouse, day, edition, params, source, unsettled, derived, of_spouse(exclusions, applicant)
        )
    if applicant.job_offer is not None:
        facts.append(_job_offer_fact(applicant.job_offer, tables.noc, params, source, unsettled, derived))
    facts += [_relative_fact(i, r, applicant.spouse) for i, r in enumerate(applicant.relatives_in_canada)]
    facts += unsettled
    derived["unsettled"] = [{"input": u["input"], "field": u["field"], "why": u["why"]} for u in unsettled]
    return Derivation(facts, derived, derived["findings"])


def counted_spouse(applicant):
    """The spouse whose factors count (`_with_spouse`), or None."""
    return applicant.spouse if _with_spouse(applicant) else None


def _with_spouse(applicant) -> bool:
    """MI s. 1: an accompanying spouse or partner who is not a Canadian citizen or permanent resident."""
    spouse = applicant.spouse
    return spouse is not None and spouse.accompanying and not spouse.canadian_citizen_or_pr


def _applicant_fact(
    applicant, day, with_spouse, valid, edition, params, source, unsettled, derived, exclusions
) -> tuple[dict, list]:
    """The applicant's fact, and the best result per official language, first official language first (the
    order worth more points given the other factors, facts/crs/choice.py)."""
    tables = edition.tables
    age = _age(applicant, day, unsettled, source)
    education, canadian = _education(applicant, "", day, params, derived)
    _note(education, "education", unsettled)
    _note(canadian, "canadian_credential", unsettled)
    here, abroad = work_years(applicant, day, tables.noc, params, source, exclusions)
    _note(here, "canadian_experience", unsettled, derived)
    _note(abroad, "foreign_experience", unsettled, derived)
    certificate = any(c.issued <= day for c in applicant.certificates_of_qualification)
    nominated = applicant.provincial_nomination is not None and applicant.provincial_nomination.date <= day
    profile = {
        "with_spouse": with_spouse,
        "education": education.level,
        "canadian_years": here.years,
        "foreign_years": abroad.years,
        "certificate": certificate,
        "nominated": nominated,
    }
    languages = ordered(valid, params["first_language_on_tie"], applicant_worth(edition, params, profile))
    if not (here.settled and abroad.settled) and _same_choice(valid, edition, params, profile, here, abroad, languages):
        _bound_work(
            unsettled,
            canadian_years=here.years,
            canadian_possible_years=here.most,
            foreign_years=abroad.years,
            foreign_possible_years=abroad.most,
        )
    lowest = {r.test.language: r.lowest for r in languages}
    derived.update(
        age=age,
        education=education.level,
        canadian_credential=canadian.level,
        canadian_years=here.years,
        canadian_hours=round_down(here.hours),
        foreign_years=abroad.years,
        foreign_hours=round_down(abroad.hours),
        first_language=languages[0].test.language if languages else NONE,
        language_results=[result_summary(r) for r in languages],
    )
    return with_french(
        {
            "t": "crs_applicant",
            "id": applicant.id,
            "as_of": as_int(day),
            "with_spouse": with_spouse,
            "age": age or 0,
            "age_known": age is not None,
            "education": education.level,
            "education_settled": education.settled,
            "first_language": languages[0].test.language if languages else NONE,
            "first_lowest": languages[0].lowest if languages else 0,
            "english_lowest": lowest.get("english", 0),
            "french_lowest": lowest.get("french", 0),
            "canadian_years": here.years,
            "canadian_hours": float_not_above(here.hours),
            "canadian_settled": here.settled,
            "foreign_years": abroad.years,
            "foreign_settled": abroad.settled,
            "certificate": certificate,
            "nominated": nominated,
            "canadian_credential": canadian.level,
            "canadian_credential_settled": canadian.settled,
        },
        first_language=LANGUAGES,
        education=EDUCATION,
        canadian_credential=EDUCATION,
    ), languages


def _same_choice(valid, edition, params, profile, here, abroad, chosen) -> bool:
    """Whether every count of years the work leaves open (`here` and `abroad`, from the certain to the possible
    years) chooses the results and the first language `chosen` at the certain years: the choice weighs the
    years (C2 to C4 and their caps, facts/crs/choice.py), and only with the same choice in every reading do
    the other factors stay as they are while the work points range over the years."""
    if len(valid) < 2:  # one result or none: nothing to choose (facts/crs/languages.py `ordered`)
        return True
    counts = product(range(here.years, here.most + 1), range(abroad.years, abroad.most + 1))
    return all(
        _same(
            ordered(
                valid,
                params["first_language_on_tie"],
                applicant_worth(edition, params, {**profile, "canadian_years": c, "foreign_years": f}),
            ),
            chosen,
        )
        for c, f in counts
    )


def _same(results: list, others: list) -> bool:
    return len(results) == len(others) and all(a is b for a, b in zip(results, others))


def _bound_work(unsettled: list, **years) -> None:
    """Give the open work inputs' `crs_unsettled` facts the years every reading lies between, which the rules
    bound the work points by (`possible_points`); without them the points stay 0 to their maximum."""
    for fact in unsettled:
        if fact["input"] in ("canadian_experience", "foreign_experience"):
            fact.update(years)


MAX_AGE = 130  # the age tables' domain: an older age is a typo in the date of birth


def _age(applicant, day, unsettled, source) -> int | None:
    if applicant.date_of_birth is None:
        unsettled.append(
            _unsettled(
                "age",
                "date_of_birth",
                "the age on the day points are assigned",
                "l'âge le jour de l'attribution des points",
            )
        )
        return None
    age = age_on(applicant.date_of_birth, day) if applicant.date_of_birth <= day else -1
    if not 0 <= age <= MAX_AGE:
        raise InputError(
            source, "date_of_birth", f"{applicant.date_of_birth} gives no age from 0 to {MAX_AGE} on {day}"
        )
    return age


def _education(person, prefix: str, day, params, derived) -> tuple[Level, Level]:
    """The highest level and the highest Canadian credential's level; `education` left out is not "none"."""
    field = f"{prefix}education"
    if "education" not in person.model_fields_set:
        missing = Level(
            NONE,
            False,
            field,
            f"the completed credentials ({field}: [] when there are none)",
            f"les diplômes obtenus ({field} : [] s'il n'y en a aucun)",
        )
        return missing, missing
    counted, notes = recognized_credentials(person.education, day, params["eca_validity_years"])
    derived["findings"].extend(f"{prefix}{note}" for note in notes)
    level = level_of(counted, params["education_ranking"], field)
    return level, level_of(canadian_only(counted), params["education_ranking"], field, combined=False)


def _note(found, name: str, unsettled: list, derived: dict | None = None):
    """Record what leaves `found` (a Level or Years) open, and the notes of a Years."""
    if not found.settled:
        unsettled.append(_unsettled(name, found.field, found.why, found.why_fr))
    if derived is not None:
        derived["findings"].extend(found.notes)
    return found


def _valid(results, day, tables, params, source, field) -> list:
    """The valid results of `results` on `day`."""
    return assess_results(results, day, tables.language_tests, params, source, field)[1]


def _abilities(languages: list, roles: tuple, with_spouse: bool) -> list[dict]:
    """One fact per ability of each official language in `roles` order (the spouse's: first only)."""
    return [
        ability_words(
            {
                "t": "crs_ability",
                "role": role,
                "language": result.test.language,
                "ability": ability,
                "clb": result.levels[ability],
                "level_name": result.test.level_name,
                "test_title": result.test.title,
                "with_spouse": with_spouse,
            }
        )
        for role, result in zip(roles, languages)
        for ability in ABILITIES
    ]


def _spouse_facts(spouse, day, edition, params, source, unsettled, derived, exclusions) -> list[dict]:
    tables = edition.tables
    education, _ = _education(spouse, "spouse.", day, params, derived)
    _note(education, "spouse_education", unsettled)
    here = _note(
        canadian_years(spouse, day, tables.noc, params, source, "spouse.", exclusions),
        "spouse_canadian_experience",
        unsettled,
        derived,
    )
    if not here.settled:  # the spouse's years weigh in no choice of language (facts/crs/choice.py `spouse_worth`)
        unsettled[-1].update(canadian_years=here.years, canadian_possible_years=here.most)
    languages = ordered(
        _valid(spouse.language_tests, day, tables, params, source, "spouse.language_tests"),
        params["first_language_on_tie"],
        spouse_worth(edition, params),
    )
    derived["spouse"] = {
        "education": education.level,
        "canadian_years": here.years,
        "language_results": [result_summary(r) for r in languages],
    }
    fact = with_french(
        {
            "t": "crs_spouse",
            "education": education.level,
            "education_settled": education.settled,
            "canadian_years": here.years,
            "canadian_settled": here.settled,
            "language": languages[0].test.language if languages else NONE,
        },
        education=EDUCATION,
        language=LANGUAGES,
    )
    return [fact, *_abilities(languages, ("spouse",), True)]


def _job_offer_fact(offer, noc, params, source, unsettled, derived) -> dict:
    """The offer's terms and how its code classifies: skilled, and in the senior-management major group.
    Only `job_offer`'s own terms: its `other_employers` (FST's second employer) do not count for the CRS."""
    reported = noc.find(offer.noc_version, offer.noc_code)
    if reported is None:
        raise InputError(source, "job_offer.noc_code", f"unknown NOC {offer.noc_version} code {offer.noc_code!r}")
    status = classifier_for(noc, params).status(reported)
    senior = {c.code.startswith(params["senior_management_prefix"]) for c in status.candidates}
    settled = status.skilled is not None and len(senior) == 1
    if not settled:
        unsettled.append(
            _unsettled(
                "job_offer",
                "job_offer.noc_code",
                f"the unit group of the offer: {candidates_text(status)}",
                f"le groupe de base de l'offre : {candidates_text(status, 'fr')}",
            )
        )
    derived["job_offer"] = {
        "noc_code": offer.noc_code,
        "candidates": [c.code for c in status.candidates],
        "settled": settled,
    }
    return {
        "t": "crs_job_offer",
        "noc_code": offer.noc_code,
        "title": reported.title,
        "lmia": offer.lmia,
        "full_time": offer.full_time,
        "indefinite": offer.duration_months is None,
        "duration_months": offer.duration_months or 0,
        "skilled": settled and bool(status.skilled),
        "senior": settled and senior == {True},
        "settled": settled,
    }


def _relative_fact(index: int, relative, spouse) -> dict:
    """One relative; `index` keeps two alike relatives two facts (durable-rules refuses an identical fact twice)."""
    return {
        "t": "crs_relative",
        "index": index,
        "relation": relative.relation,
        "of": relative.of,
        "citizen_or_pr": relative.citizen_or_pr,
        "lives_in_canada": relative.lives_in_canada,
        "age_18_plus": relative.age_18_plus,
        "spouse_accompanying": spouse is not None and spouse.accompanying,
    }


def _unsettled(name: str, field: str, why: str, why_fr: str) -> dict:
    """What leaves a factor open; `why__fr` is its French, for the French reasons that quote it."""
    return {"t": "crs_unsettled", "input": name, "field": field, "why": why, "why__fr": why_fr}
