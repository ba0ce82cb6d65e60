"""From an applicant to the facts FSW's rules match, for one edition and assessment date.

The derivation does the arithmetic the rules cannot (DESIGN.md): each work period's days in the window
and its unit group under the edition, hours per unit group and their continuous runs, completed years of
skilled work (IRPR 80(4)'s weekly cap), the age, the levels of the best valid result per official
language, recognized credentials, Canadian ties and the funds required for the family size. Every
number and list comes from the ruleset's parameters (`REQUIRED_PARAMETERS`) and, to tell which
language and which credential give the most points, from the ruleset's own decision tables
(`REQUIRED_TABLES`). The rules then decide the criteria and award the points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from cec_rules.engine.decision_tables import table_value
from cec_rules.engine.errors import EngineError, InputError
from cec_rules.engine.values import ValueSpec

from ..age import age_on
from ..applicant import Applicant
from ..credentials import is_canadian, recognized
from ..dates import as_int, years_before
from ..derive import REQUIRED_PARAMETERS as CEC_PARAMETERS, Derivation, exact_hours, float_not_above
from ..funds import amount_or_dispute
from ..hours import capped_hours, clip
from ..language import assess_results, best_per_language, best_result, result_summary
from ..findings import split_code
from ..occupations import (
    OccupationStatus,
    candidates_text,
    classifier_for,
    code_question,
    code_question_facts,
    edition_levels,
)
from ..tables import ABILITIES, Occupation

# Which work never counts, by kind; a ruleset lists the kinds it applies (`work_exclusions`).
EXCLUSIONS = {
    "unpaid": (lambda work: not work.paid, "unpaid work is not work"),
    "self_employed": (lambda work: work.self_employed, "self-employment does not count"),
    "unauthorized_in_canada": (
        lambda work: work.country == "CA" and not work.authorized,
        "work in Canada without authorization does not count",
    ),
}
SHARED = (
    "experience_window_years",
    "weekly_hours_cap",
    "noc_version",
    "skilled_levels",
    "language_validity_years",
    "accepted_language_tests",
    "language_results_accepted_from",
    "provinces_and_territories",
)
HOURS = ValueSpec(minimum=1, maximum=100_000)
YEARS = ValueSpec(minimum=1, maximum=50)
MONEY = ValueSpec(minimum=0, maximum=10_000_000)

REQUIRED_PARAMETERS: dict[str, tuple] = {
    **{name: CEC_PARAMETERS[name] for name in SHARED},
    "hours_per_year_of_experience": (
        "number",
        "hours of full-time work that make one year (years of experience, Canadian work)",
        HOURS,
    ),
    "continuity_allowed_gap_days": (
        "integer",
        "days between two periods that still leave one continuous run",
        ValueSpec(minimum=0, maximum=366),
    ),
    "work_exclusions": ("list", "kinds of work that never count", ValueSpec(items=tuple(EXCLUSIONS))),
    "full_time_weekly_hours": (
        "number",
        "weekly hours of a full-time period (adaptability: full-time work in Canada)",
        ValueSpec(minimum=1, maximum=168),
    ),
    "eca_validity_years": ("integer", "how long an educational credential assessment stays valid", YEARS),
    "canadian_study_levels": (
        "list",
        "credential levels whose full-time study in Canada earns adaptability points (secondary or post-secondary, 83(2))",
        ValueSpec(items=("secondary", "post_secondary", "masters", "professional_degree", "doctoral"), non_empty=True),
    ),
    "canadian_study_min_years": (
        "integer",
        "full-time years of a Canadian program that earn adaptability points",
        YEARS,
    ),
    "min_language_level": (
        "integer",
        "CLB/NCLC needed in all four abilities (the first official language must reach it)",
        ValueSpec(minimum=1, maximum=12),
    ),
    "second_language_points": (
        "integer",
        "points for the second official language (choosing the first language reads it)",
        ValueSpec(minimum=0, maximum=100),
    ),
    "second_language_min_level": (
        "integer",
        "CLB/NCLC needed in all four abilities of the second language",
        ValueSpec(minimum=1, maximum=12),
    ),
    "qualifying_relatives": (
        "list",
        "relations of a relative in Canada that earn adaptability points",
        ValueSpec(items=("parent", "grandparent", "child", "grandchild", "sibling", "aunt_uncle", "niece_nephew")),
    ),
    "settlement_funds_by_family_size": ("table", "CAD needed by family size (half the low-income cut-off)", MONEY),
    "settlement_funds_each_additional_member": ("number", "CAD for each member beyond the table's largest size", MONEY),
    "settlement_funds_disputed_by_family_size": (
        "table",
        "where the sources disagree on the day the amounts took effect, the amounts "
        "in force if the later day is right (empty on other days)",
        MONEY,
    ),
    "settlement_funds_disputed_each_additional_member": (
        "number",
        "the same for each member beyond the disputed table's largest size",
        MONEY,
    ),
    "settlement_funds_dispute_days": (
        "table",
        "on those days, the day each source gives for the amounts (source -> ISO date; empty on other days)",
        ValueSpec(dates=True),
    ),
}
# Tables the derivation evaluates (to pick the first official language and the best credential, and to tell
# whether split codes change the experience points): name -> inputs.
REQUIRED_TABLES = {
    "first_language_points": ("level",),
    "education_points": ("level", "years", "second_credential"),
    "experience_points": ("years",),
}
FIELD_RELATIONS: dict[str, list[tuple[str, str]]] = {
    "experience": [
        ("continuous_hours", "possible_continuous_hours"),
        ("skilled_hours", "possible_skilled_hours"),
        ("years", "possible_years"),
    ],
    "canada_ties": [("canadian_work_hours", "possible_canadian_work_hours")],
}
MAX_AGE = 130


@dataclass
class Period:
    """One work period under the edition: its unit group(s), its days in the window, why it does not count."""

    index: int
    work: object
    status: OccupationStatus
    rate: Fraction
    span: tuple[int, int] | None  # its days before the assessment date (day ordinals), if any
    interval: tuple[int, int] | None = None  # its days in the window
    excluded: str | None = None

    @property
    def skilled(self) -> bool | None:
        """True when it counts as skilled work, None when only a split code's reading would say, else False."""
        return False if self.excluded else self.status.skilled

    @property
    def known_group(self) -> Occupation | None:
        """The unit group when the code settles it and the work is skilled."""
        return self.status.candidates[0] if self.skilled and not self.status.split else None


@dataclass
class Run:
    """A continuous run of days in one unit group and its hours; `status` is how its first period's code
    classifies under the edition (its level there, even when the code shown is in the other classification)."""

    occupation: Occupation | None = None
    start: int = 0
    end: int = 0
    hours: Fraction = Fraction(0)
    status: OccupationStatus | None = None


@dataclass
class Context:
    applicant: Applicant
    as_of: dt.date
    edition: object
    params: dict
    source: str
    facts: list = field(default_factory=list)
    derived: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)
    french: dict | None = (
        None  # the ruleset's French `words`, when the decision is shown in French (`derive(translations=True)`)
    )

    def missing(self, topic: str, field_name: str, why: str, why_fr: str) -> None:
        """An input `topic` needs and the applicant did not give: `why` in English, and in French for French
        decisions (`why__fr`, which facts/translated.py `needs_in` shows)."""
        self.facts.append({"t": "missing_input", "topic": topic, "field": field_name, "why": why, "why__fr": why_fr})

    def table(self, name: str, **inputs):
        tables = self.edition.ruleset.tables
        if name not in tables:
            raise EngineError(
                f"{self.edition.display_path}: the FSW derivation needs the decision table {name!r} (inputs {', '.join(REQUIRED_TABLES[name])})"
            )
        return table_value(name, tables[name], inputs, self.params)


def derive(
    applicant: Applicant, as_of: dt.date, edition, params: dict, source: str, translations: bool = False
) -> Derivation:
    """All FSW facts for one applicant; raises `InputError` for codes, tests or values the data does not know.
    With `translations`, the texts it composes also in French (FIELD__fr, from the ruleset's `words`)."""
    if applicant.intended_province not in params["provinces_and_territories"]:
        raise InputError(
            source,
            "intended_province",
            f"{applicant.intended_province!r} is not a province or territory code; known: {', '.join(params['provinces_and_territories'])}",
        )
    ctx = Context(
        applicant, as_of, edition, params, source, french=edition.ruleset.words.get("fr") if translations else None
    )
    ctx.facts.append(
        {
            "t": "applicant",
            "id": applicant.id,
            "as_of": as_int(as_of),
            "intended_province": applicant.intended_province,
            "admissible": applicant.admissible,
        }
    )
    periods = _periods(ctx)
    _experience(ctx, periods)
    _age(ctx)
    _languages(ctx)
    _education(ctx)
    _canada_ties(ctx, periods)
    _spouse(ctx)
    _job_offer(ctx)
    _funds(ctx)
    ctx.derived["findings"] = ctx.findings
    return Derivation(ctx.facts, ctx.derived, ctx.findings)


# --- work ----------------------------------------------------------------------------------------


def _periods(ctx: Context) -> list[Period]:
    """Every work period with its status under the edition, its days in the window and any exclusion."""
    params, noc = ctx.params, ctx.edition.tables.noc
    classifier = classifier_for(noc, params["noc_version"], params["skilled_levels"])
    window = (years_before(ctx.as_of, params["experience_window_years"]).toordinal(), ctx.as_of.toordinal() - 1)
    exclusions = [EXCLUSIONS[name] for name in params["work_exclusions"]]
    periods = []
    for index, work in enumerate(ctx.applicant.work_history):
        reported = noc.find(work.noc_version, work.noc_code)
        if reported is None:
            raise InputError(
                ctx.source, f"work_history[{index}].noc_code", f"unknown NOC {work.noc_version} code {work.noc_code!r}"
            )
        last = min((work.end or ctx.as_of).toordinal(), window[1])
        span = (work.start.toordinal(), last) if work.start.toordinal() <= last else None
        period = Period(index, work, classifier.status(reported), Fraction(str(work.hours_per_week)), span)
        period.interval = clip(span, window) if span else None
        period.excluded = next((why for applies, why in exclusions if applies(work)), None) or _not_skilled(period)
        periods.append(period)
    ctx.derived["window"] = {
        "start": dt.date.fromordinal(window[0]).isoformat(),
        "end": dt.date.fromordinal(window[1]).isoformat(),
    }
    return periods


def _not_skilled(period: Period) -> str | None:
    status = period.status
    if not status.candidates:
        return "the NOC code has no counterpart in the edition's classification"
    if status.skilled is False:
        return f"{candidates_text(status) if status.via else status.reported.code + ' ' + status.reported.title}: not a skilled occupation under this edition"
    return None


def _experience(ctx: Context, periods: list[Period]) -> None:
    """Hours of the best continuous run in one unit group, and years of skilled work (IRPR 75(2)(a), 80)."""
    params = ctx.params
    cap, per_year = exact_hours(params["weekly_hours_cap"]), exact_hours(params["hours_per_year_of_experience"])
    windowed = [p for p in periods if p.interval and p.skilled is not False]
    certain = [p for p in windowed if p.skilled]
    skilled, possible = _hours(certain, cap), _hours(windowed, cap)
    # A period whose split code has only skilled counterparts is one run in one unit group in every
    # reading, so it counts alone for certain; with other periods, only in the readings that join them.
    alone = [(("period", p.index), p.status.reported, p) for p in certain if p.status.split]
    run = _best_run(
        [(o, o, p) for p in windowed if (o := p.known_group)] + alone, cap, params["continuity_allowed_gap_days"]
    )
    possible_run = _best_run(
        [(o, o, p) for p in windowed for o in p.status.candidates if o.code in p.status.skilled_candidates],
        cap,
        params["continuity_allowed_gap_days"],
    )
    unsettled = [p for p in windowed if p.status.split]
    years, possible_years = int(skilled // per_year), int(possible // per_year)
    # Settled only when every year count between the two gives the same points, not only the two ends: the
    # readings fall anywhere in between, and a table need not rise with the years (possible_points reads the same range).
    settled = len({ctx.table("experience_points", years=n) for n in range(years, possible_years + 1)}) == 1
    for p in unsettled:
        why = code_question_facts(p.status, f"work_history[{p.index}]")
        ctx.missing("work_experience", f"work_history[{p.index}].noc_code", why["why"], why["why__fr"])
        if not settled and p.skilled is None:
            ctx.missing("experience", f"work_history[{p.index}].noc_code", why["why"], why["why__fr"])
        ctx.findings.append(split_code(f"work_history[{p.index}]", p.status))
    occupation = run.occupation
    ctx.facts.append(
        {
            "t": "experience",
            "continuous_hours": float_not_above(run.hours),
            "possible_continuous_hours": float_not_above(max(possible_run.hours, run.hours)),
            "run_noc_code": occupation.code if occupation else "",
            "run_title": occupation.title if occupation else "",
            "run_level": edition_levels(run.status) if occupation else "",
            "run_start": _day(run.start),
            "run_end": _day(run.end),
            "skilled_hours": float_not_above(skilled),
            "possible_skilled_hours": float_not_above(possible),
            "years": years,
            "possible_years": possible_years,
            "years_settled": settled,
            "window_start": as_int(dt.date.fromisoformat(ctx.derived["window"]["start"])),
            "window_end": as_int(dt.date.fromisoformat(ctx.derived["window"]["end"])),
            "unsettled_periods": len(unsettled),
            "self_employed_periods": sum(1 for p in certain if p.work.self_employed),
        }
    )
    french_level = edition_levels(run.status, "fr") if ctx.french is not None and occupation else None
    if french_level and french_level != ctx.facts[-1]["run_level"]:
        ctx.facts[-1]["run_level__fr"] = french_level  # `0 ou B`
    ctx.derived.update(
        {
            "continuous_run": _run_summary(run),
            "skilled_hours": _round(skilled),
            "experience_years": years,
            "periods": [_period_summary(p) for p in periods],
        }
    )
    if possible != skilled:
        ctx.derived["possible_skilled_hours"] = _round(possible)


def _hours(periods: list[Period], cap: Fraction) -> Fraction:
    return capped_hours([(p.interval, p.rate) for p in periods], cap)


def _best_run(members: list[tuple[object, Occupation, Period]], cap: Fraction, gap: int) -> Run:
    """The run of days (gaps of at most `gap` days) in one group with the most capped hours; members are
    (group key, the occupation to show, period)."""
    groups: dict[object, list[Period]] = {}
    shown: dict[object, Occupation] = {}
    for key, occupation, period in members:
        groups.setdefault(key, []).append(period)
        shown[key] = occupation
    best = Run()
    for key in sorted(groups, key=lambda k: str(k)):
        for start, end, inside in _runs(groups[key], gap):
            hours = _hours(inside, cap)
            if hours > best.hours:
                best = Run(shown[key], start, end, hours, inside[0].status)
    return best


def _runs(periods: list[Period], gap: int):
    """(first day, last day, periods) of each run of days the periods cover, gaps of up to `gap` days joined."""
    ordered = sorted(periods, key=lambda p: p.interval)
    current: list[Period] = []
    start = end = 0
    for period in ordered:
        if current and period.interval[0] > end + gap + 1:
            yield start, end, current
            current = []
        if not current:
            start, end = period.interval
        current.append(period)
        end = max(end, period.interval[1])
    if current:
        yield start, end, current


# --- age, languages, education -------------------------------------------------------------------


def _age(ctx: Context) -> None:
    born = ctx.applicant.date_of_birth
    if born is None:
        ctx.missing(
            "age",
            "date_of_birth",
            "the date of birth: the age on the application date gives up to 12 points",
            "la date de naissance : l'âge à la date de la demande donne jusqu'à 12 points",
        )
        ctx.facts.append({"t": "age", "known": False, "years": 0})
        return
    if born > ctx.as_of:
        raise InputError(ctx.source, "date_of_birth", f"{born} is after the assessment date {ctx.as_of}")
    years = min(age_on(born, ctx.as_of), MAX_AGE)
    ctx.facts.append({"t": "age", "known": True, "years": years})
    ctx.derived["age"] = years


def _languages(ctx: Context) -> None:
    """The result counted per official language and which language is first (IRPR 79(1): the applicant
    names it). The first must meet the minimum in all four abilities when either language does (IRCC's
    first-language table: "Below CLB level 7: not eligible to apply"); among those, the one giving more
    points. In each language the applicant submits the result worth most: one meeting the minimum, then
    the most first-language points, then the highest lowest ability."""
    tests = ctx.edition.tables.language_tests
    results, valid = assess_results(ctx.applicant.language_tests, ctx.as_of, tests, ctx.params, ctx.source)
    best = best_per_language(valid, lambda r: _result_worth(ctx, r))
    first = max(
        best,
        key=lambda lang: (
            _meets_minimum(ctx, best[lang]),
            _points_if_first(ctx, lang, best),
            best[lang].lowest,
            lang == "english",
        ),
        default=None,
    )
    for language, result in best.items():
        ctx.facts.append(
            {
                "t": "official_language",
                "language": language,
                "first": language == first,
                "test": result.test.test,
                "test_title": result.test.title,
                "level_name": result.test.level_name,
                "date": as_int(result.date),
                **result.levels,
                "lowest": result.lowest,
                "lowest_ability": result.lowest_ability,
            }
        )
    ctx.derived.update(
        {
            "language_results": results,
            "first_official_language": first,
            "best_language_results": {lang: result_summary(r) for lang, r in best.items()},
        }
    )


def _meets_minimum(ctx: Context, result) -> bool:
    return result.lowest >= ctx.params["min_language_level"]


def _first_points(ctx: Context, result) -> int:
    return sum(ctx.table("first_language_points", level=result.levels[a]) for a in ABILITIES)


def _result_worth(ctx: Context, result) -> tuple:
    meets = _meets_minimum(ctx, result)
    return meets, _first_points(ctx, result) if meets else 0, result.lowest, result.date


def _points_if_first(ctx: Context, language: str, best: dict) -> int:
    others = [r for lang, r in best.items() if lang != language]
    return _first_points(ctx, best[language]) + sum(
        ctx.params["second_language_points"] for r in others if r.lowest >= ctx.params["second_language_min_level"]
    )


def _education(ctx: Context) -> None:
    """The recognized credential worth most points (by the ruleset's table), and whether a missing length
    could change that (then the education points are unsettled). `education` left out is not "none"
    (docs/applicant-input.md: a missing optional field is asked for, never guessed; the CRS reads it so too)."""
    params, as_of = ctx.params, ctx.as_of
    given = "education" in ctx.applicant.model_fields_set
    if not given:
        ctx.missing(
            "education",
            "education",
            "the completed credentials (education: [] when there are none)",
            "les diplômes obtenus (education : [] s'il n'y en a aucun)",
        )
    completed = [(i, c) for i, c in enumerate(ctx.applicant.education) if c.completed <= as_of]
    counted = [(i, c) for i, c in completed if recognized(c, as_of, params["eca_validity_years"])]
    second = sum(1 for _, c in counted if c.level == "post_secondary") >= 2
    scored = [
        (
            ctx.table("education_points", level=c.level, years=c.years or 0, second_credential=second),
            ctx.table(
                "education_points",
                level=c.level,
                years=_MAX_YEARS if c.years is None else c.years,
                second_credential=second,
            ),
            i,
            c,
        )
        for i, c in counted
    ]
    low, _, index, best = max(scored, key=lambda s: (s[0], -s[2]), default=(0, 0, None, None))
    unsettled = [(i, c) for high_low, high, i, c in scored if c.years is None and high > low]
    for i, c in unsettled:
        ctx.missing(
            "education",
            f"education[{i}].years",
            f"the full-time length in years of education[{i}] ({c.level}): it can change the education points",
            f"la durée à temps plein, en années, de education[{i}] ({c.level}) : elle peut changer les points d'études",
        )
    left_out = [(i, c) for i, c in completed if (i, c) not in counted]
    ctx.facts.append(
        {
            "t": "education",
            "credentials": len(ctx.applicant.education),
            "recognized": len(counted),
            "level": best.level if best else "none",
            "years": (best.years or 0) if best else 0,
            "second_credential": second,
            "settled": given and not unsettled,
            "given": given,
            "unrecognized": _unrecognized(left_out, as_of, params),
        }
    )
    if ctx.french is not None and left_out:
        ctx.facts[-1]["unrecognized__fr"] = _unrecognized(left_out, as_of, params, ctx.french)
    ctx.derived["education"] = {
        "recognized": [i for i, _ in counted],
        "best": index,
        "level": best.level if best else "none",
    }


_MAX_YEARS = 20  # the input's largest program length (facts/applicant.py Credential.years)


def _unrecognized(credentials: list, as_of: dt.date, params: dict, words: dict | None = None) -> str:
    """`education[1] (bachelors, IN, no educational credential assessment)`: the completed credentials that do
    not count, each phrase in `words` (English -> the language's, the ruleset's `words`) when given."""
    say = (lambda phrase: words.get(phrase, phrase)) if words else (lambda phrase: phrase)
    return "; ".join(
        f"education[{i}] ({c.level}, {c.country}, {_eca_text(c, as_of, params, say)})" for i, c in credentials
    )


def _eca_text(credential, as_of: dt.date, params: dict, say) -> str:
    if credential.eca is None:
        return say("no educational credential assessment")
    oldest = years_before(as_of, params["eca_validity_years"])
    return f"{say('its ECA of')} {credential.eca.issued} {say('is not valid on')} {as_of} ({say('must be issued after')} {oldest})"


# --- adaptability: Canadian work and study, relatives, the spouse --------------------------------


def _canada_ties(ctx: Context, periods: list[Period]) -> None:
    params = ctx.params
    cap, per_year = exact_hours(params["weekly_hours_cap"]), exact_hours(params["hours_per_year_of_experience"])
    full_time = exact_hours(params["full_time_weekly_hours"])
    in_canada = [
        p
        for p in periods
        if p.span and p.work.country == "CA" and p.work.authorized and p.rate >= full_time and p.skilled is not False
    ]
    certain = capped_hours([(p.span, p.rate) for p in in_canada if p.skilled], cap)
    possible = capped_hours([(p.span, p.rate) for p in in_canada], cap)
    if certain < per_year <= possible:
        for p in in_canada:
            if p.skilled is None:
                why = code_question_facts(p.status, f"work_history[{p.index}]")
                ctx.missing("adaptability_work", f"work_history[{p.index}].noc_code", why["why"], why["why__fr"])
    study, unknown = _canadian_study(ctx, ctx.applicant.education, "education", "adaptability_study")
    ctx.facts.append(
        {
            "t": "canada_ties",
            "canadian_work_hours": float_not_above(certain),
            "possible_canadian_work_hours": float_not_above(possible),
            "canadian_study_years": study,
            "canadian_study_unknown": unknown,
            "relatives": _relatives(ctx, "applicant"),
        }
    )


def _canadian_study(ctx: Context, credentials, field_name: str, topic: str) -> tuple[int, int]:
    """(the longest known full-time length of a completed Canadian credential at `canadian_study_levels`, how many lack one);
    a missing length that could earn the points is asked for."""
    params = ctx.params
    canadian = [
        (i, c)
        for i, c in enumerate(credentials)
        if is_canadian(c) and c.completed <= ctx.as_of and c.level in params["canadian_study_levels"]
    ]
    longest = max((c.years for _, c in canadian if c.years is not None), default=0)
    unknown = [(i, c) for i, c in canadian if c.years is None]
    if longest < params["canadian_study_min_years"]:
        for i, c in unknown:
            ctx.missing(
                topic,
                f"{field_name}[{i}].years",
                f"the full-time length in years of {field_name}[{i}] ({c.level}, Canada)",
                f"la durée à temps plein, en années, de {field_name}[{i}] ({c.level}, Canada)",
            )
    return longest, len(unknown)


def _relatives(ctx: Context, of: str) -> int:
    relations = set(ctx.params["qualifying_relatives"])
    return sum(
        1
        for r in ctx.applicant.relatives_in_canada
        if r.of == of and r.relation in relations and r.citizen_or_pr and r.lives_in_canada and r.age_18_plus
    )


def _spouse(ctx: Context) -> None:
    spouse = ctx.applicant.spouse
    if spouse is None:
        return
    params = ctx.params
    _, valid = assess_results(
        spouse.language_tests, ctx.as_of, ctx.edition.tables.language_tests, params, ctx.source, "spouse.language_tests"
    )
    best = best_result(valid)
    last = ctx.as_of.toordinal() - 1
    full_time = exact_hours(params["full_time_weekly_hours"])
    work = [
        ((w.start.toordinal(), min((w.end or ctx.as_of).toordinal(), last)), Fraction(str(w.hours_per_week)))
        for w in spouse.work_history
        if w.country == "CA"
        and w.authorized
        and w.paid
        and Fraction(str(w.hours_per_week)) >= full_time
        and w.start.toordinal() <= last
    ]
    study, unknown = (0, 0)
    if spouse.accompanying and not spouse.canadian_citizen_or_pr:
        study, unknown = _canadian_study(ctx, spouse.education, "spouse.education", "adaptability_spouse_study")
    ctx.facts.append(
        {
            "t": "spouse",
            "accompanying": spouse.accompanying,
            "citizen_or_pr": spouse.canadian_citizen_or_pr,
            "language_lowest": best.lowest if best else 0,
            "language_test": best.test.title if best else "",
            "canadian_study_years": study,
            "canadian_study_unknown": unknown,
            "canadian_work_hours": float_not_above(capped_hours(work, exact_hours(params["weekly_hours_cap"]))),
            "relatives": _relatives(ctx, "spouse"),
        }
    )


# --- arranged employment and funds ---------------------------------------------------------------


def _job_offer(ctx: Context) -> None:
    offer = ctx.applicant.job_offer
    if offer is None:
        return
    params, noc = ctx.params, ctx.edition.tables.noc
    reported = noc.find(offer.noc_version, offer.noc_code)
    if reported is None:
        raise InputError(ctx.source, "job_offer.noc_code", f"unknown NOC {offer.noc_version} code {offer.noc_code!r}")
    status = classifier_for(noc, params["noc_version"], params["skilled_levels"]).status(reported)
    shown = status.candidates[0] if len(status.candidates) == 1 else reported
    skilled = {True: "yes", False: "no", None: "unsettled"}[status.skilled]
    if status.skilled is None:
        why, why_fr = code_question(status, "the job offer"), code_question(status, "l'offre d'emploi", "fr")
        for topic in ("arranged_employment", "adaptability_arranged_employment", "settlement_funds"):
            ctx.missing(topic, "job_offer.noc_code", why, why_fr)
    ctx.facts.append(
        {
            "t": "job_offer",
            "noc_code": shown.code,
            "title": shown.title,
            "skilled": skilled,
            "lmia": offer.lmia,
            "full_time": offer.full_time,
            "open_ended": offer.duration_months is None,
            "duration_months": offer.duration_months or 0,
        }
    )


def _funds(ctx: Context) -> None:
    """The funds needed for the family size on the assessment date, and whether the applicant works in
    Canada with authorization now (with a qualifying offer, that exempts from the funds: IRPR 76(1)(b)).
    A ruleset whose amounts for that date are not recorded (an empty table) leaves the amount unknown; on a day
    where the sources disagree on which amounts are in force, funds between the two are `disputed` (facts/funds.py)."""
    applicant, params = ctx.applicant, ctx.params
    size, available, table = (
        applicant.family_size,
        applicant.settlement_funds,
        params["settlement_funds_by_family_size"],
    )
    for value, name, why, why_fr in (
        (available, "settlement_funds", "the CAD available to settle", "les fonds disponibles pour s'établir, en CAD"),
        (
            size,
            "family_size",
            "the family size (applicant, spouse and dependent children, accompanying or not)",
            "la taille de la famille (le demandeur, l'époux ou le conjoint de fait et les enfants à charge, "
            "qu'ils accompagnent ou non)",
        ),
    ):
        if value is None:
            ctx.missing("settlement_funds", name, why, why_fr)
    required, dispute = amount_or_dispute(size, available, params) if size and table else (0, None)
    status = _funds_status(size, available, table, required, dispute)
    required = required or 0
    working = any(
        w.country == "CA" and w.authorized and w.paid and w.start <= ctx.as_of and (w.end is None or w.end >= ctx.as_of)
        for w in applicant.work_history
    )
    ctx.facts.append(
        {
            "t": "settlement_funds",
            "status": status,
            "funds_given": available is not None,
            "available": float(available or 0),
            "required": float(required),
            "family_size": size or 0,
            "shortfall": float(max(required - available, 0)) if status == "short" else 0.0,
            "working_in_canada": working,
        }
    )
    if dispute:
        ctx.facts.append(dispute)
    ctx.derived["settlement_funds"] = {
        "status": status,
        "required": required if status in ("sufficient", "short") else None,
    }


def _funds_status(size, available, table: dict, required, dispute: dict | None) -> str:
    """sufficient, short, not_given (funds or family size missing), amounts_unknown (no amounts for the date) or
    disputed (between the two amounts of a day where the sources disagree: `funds_dispute` names them)."""
    if size is None or available is None:
        return "not_given"
    if not table:
        return "amounts_unknown"
    if dispute:
        return "disputed"
    return "sufficient" if available >= required else "short"


# --- small helpers -------------------------------------------------------------------------------


def _day(ordinal: int) -> int:
    return as_int(dt.date.fromordinal(ordinal)) if ordinal else 0


def _round(hours: Fraction) -> float:
    """Two decimals, rounded down (a shown number never crosses a threshold the exact one does not reach)."""
    return int(hours * 100) / 100


def _run_summary(run: Run) -> dict | None:
    if run.occupation is None:
        return None
    return {
        "noc_code": run.occupation.code,
        "title": run.occupation.title,
        "level": run.occupation.level,
        "start": dt.date.fromordinal(run.start).isoformat(),
        "end": dt.date.fromordinal(run.end).isoformat(),
        "hours": _round(run.hours),
    }


def _period_summary(p: Period) -> dict:
    return {
        "index": p.index,
        "noc_code": p.work.noc_code,
        "noc_version": p.work.noc_version,
        "level": p.status.level,
        "counted": None if p.skilled is None and not p.excluded else bool(p.skilled and p.interval),
        "excluded": p.excluded or (None if p.interval else "outside the window"),
    }
