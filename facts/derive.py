"""From an applicant to the facts the rules match, for one edition and assessment date.

The derivation does the arithmetic the rules should not (DESIGN.md: keep firings low): the counting
window, each period's qualifying days and hours, the occupation with the most qualifying hours, and
each language result's levels. Every number and list it uses is a ruleset parameter named in
`REQUIRED_PARAMETERS`; the rules then decide the criteria from these facts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from cec_rules.engine.errors import InputError
from .tables import NOC_LEVELS, LanguageTest, NocTables, Occupation
from cec_rules.engine.values import ValueSpec

from .applicant import Applicant, WorkPeriod
from .dates import as_date, as_int, years_before
from .hours import capped_units, interval_units, subtract
from .language import ConvertedResult, assess_results, best_result, result_summary
from .findings import finding, split_code
from .occupations import OccupationClassifier, OccupationStatus, candidates_text, code_question_facts, describe
from .readings import Countable, Reading, reading_of, readings
from .vocabulary import COUNTRIES, PROVINCES_AND_TERRITORIES

# Sane ranges by unit (engine/values.py checks them): beyond these a value is a typo, and date or hour
# arithmetic on it would fail for every applicant (a 3,000-year window, a week of more than 168 hours).
YEARS = ValueSpec(minimum=1, maximum=50)
HOURS = ValueSpec(minimum=1, maximum=100_000)
HOURS_PER_WEEK = ValueSpec(minimum=1, maximum=168)
CLB_LEVELS = ValueSpec(
    minimum=1,
    maximum=12,
    items=lambda d: NOC_LEVELS[d.parameters["noc_version"]],
    non_empty=True,
    covers="skilled_levels",
)
NOC_LEVEL_LIST = ValueSpec(items=lambda d: NOC_LEVELS[d.parameters["noc_version"]], non_empty=True)

# name -> (type, why the derivation needs it, what its values may be); the validator checks each edition
# defines them, with values of that type and within that spec.
REQUIRED_PARAMETERS: dict[str, tuple] = {
    "experience_window_years": ("integer", "length of the window in which work counts", YEARS),
    "weekly_hours_cap": ("number", "most hours credited per ISO week across all jobs", HOURS_PER_WEEK),
    "qualifying_work_countries": (
        "list",
        "countries where work counts (ISO 3166 alpha-2)",
        ValueSpec(items=COUNTRIES, non_empty=True),
    ),
    "noc_version": (
        "integer",
        "the NOC classification of the edition (2016 or 2021)",
        ValueSpec(items=tuple(NOC_LEVELS)),
    ),
    "skilled_levels": ("list", "NOC levels (TEER digits, or 0/A/B) that count as skilled", NOC_LEVEL_LIST),
    "language_level_by_occupation_level": (
        "table",
        "language threshold per occupation level (explanations use it too)",
        CLB_LEVELS,
    ),
    "language_validity_years": ("integer", "how long a language result stays valid", YEARS),
    "accepted_language_tests": (
        "list",
        "designated tests accepted on the assessment date",
        ValueSpec(items=lambda d: sorted(d.tables.language_tests), non_empty=True),
    ),
    "language_results_accepted_from": (
        "table",
        "per test, the first result date that counts (a test designated later)",
        ValueSpec(items=lambda d: sorted(d.tables.language_tests), dates=True),
    ),
    "provinces_and_territories": (
        "list",
        "the two-letter codes an intended province may take",
        ValueSpec(items=PROVINCES_AND_TERRITORIES, non_empty=True, complete=True),
    ),
    "min_qualifying_hours": ("number", "the hours needed (explanations compute the shortfall from it)", HOURS),
    "excluded_provinces": (
        "list",
        "provinces an applicant may not intend to live in (explanations name them)",
        ValueSpec(items=PROVINCES_AND_TERRITORIES),
    ),
}

# What the derivation guarantees between fields of one fact (kind -> [(lesser, greater)]): the validator's
# contradiction analysis uses it, so that rules split on hours "however codes are read" are seen as exclusive.
FIELD_RELATIONS: dict[str, list[tuple[str, str]]] = {
    "work_experience": [("qualifying_hours", "possible_hours")],
}


@dataclass
class Derivation:
    """The facts to assert and the derived values to show in the decision."""

    facts: list[dict]
    derived: dict
    findings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PeriodStatus:
    index: int
    period: WorkPeriod
    status: OccupationStatus | None = None  # how the reported code stands under the edition
    intervals: list = field(default_factory=list)
    excluded: str | None = None
    rate: Fraction = Fraction(0)  # hours per week, exact (from the decimal text, not the binary float)
    daily: int = 0  # the rate in the experience's units a day (`Experience.unit`)
    units: int = 0  # its own qualifying hours in those units (weekly cap within the period), when counted

    @property
    def unsettled(self) -> bool:
        """Counts only if its split code is read as a skilled unit group."""
        return self.excluded is None and self.status.skilled is None


@dataclass
class Experience:
    """The counting window and every period's status: what the hours, and advice about them, start from.

    Hours are counted in integer units of 1/`unit` hour (`unit` = 7·D, D the least common denominator of the
    cap and of every period's weekly hours), so the applicant's hours compare and round exactly without a
    Fraction per sum (hours.py `capped_units`); `total` gives them as a Fraction."""

    window: tuple[dt.date, dt.date]
    periods: list[PeriodStatus]
    cap: Fraction
    findings: list[str]
    unit: int  # units in an hour
    week_cap: int  # the weekly cap in units

    @property
    def counted(self) -> list[PeriodStatus]:
        """Periods that count in every reading of split codes."""
        return [p for p in self.periods if p.excluded is None and not p.unsettled]

    @property
    def possible(self) -> list[PeriodStatus]:
        """Periods that count in at least one reading."""
        return [p for p in self.periods if p.excluded is None]

    def units(self, periods: list[PeriodStatus] | None = None) -> int:
        """The hours of `periods` (default: the counted ones) in units, the weekly cap across them."""
        periods = self.counted if periods is None else periods
        if len(periods) == 1:  # the usual case: one job, whose own hours were already summed
            return periods[0].units
        return capped_units([(i, p.daily) for p in periods for i in p.intervals], self.week_cap)

    def total(self, periods: list[PeriodStatus] | None = None) -> Fraction:
        return Fraction(self.units(periods), self.unit)


def experience(
    applicant: Applicant, as_of: dt.date, noc: NocTables, params: dict, source: str, exclusions: list | None = None
) -> Experience:
    """Every work period's status for the edition and the window, given what the screen rules excluded
    (`exclusions`, in rule order; None: nothing). Raises `InputError` for unknown codes."""
    findings: list[str] = []
    window, window_days = _window(as_of, params["experience_window_years"])[:2]
    periods = _classify_periods(
        applicant, as_of, window_days, exclusions, classifier_for(noc, params), source, findings
    )
    cap = exact_hours(params["weekly_hours_cap"])
    cap_numerator, cap_denominator = cap.as_integer_ratio()  # (once each: a Fraction's parts are properties)
    denominator = cap_denominator
    rates = [period.rate.as_integer_ratio() for period in periods]
    for _, rate_denominator in rates:
        if denominator % rate_denominator:
            denominator = math.lcm(denominator, rate_denominator)
    week_cap = cap_numerator * 7 * (denominator // cap_denominator)
    for period, (rate_numerator, rate_denominator) in zip(
        periods, rates
    ):  # (rate/7) h a day = rate·D units of 1/(7·D) h
        period.daily = daily = rate_numerator * (denominator // rate_denominator)
        if period.excluded is None:
            intervals = period.intervals
            period.units = (
                interval_units(intervals[0], daily, week_cap)
                if len(intervals) == 1
                else capped_units([(i, daily) for i in intervals], week_cap)
            )
    return Experience(window, periods, cap, findings, 7 * denominator, week_cap)


def screen_facts(applicant: Applicant, as_of: dt.date, noc: NocTables, params: dict, source: str) -> list[list[dict]]:
    """The screen's facts, one group (one session) per work period: the period, and each study period over
    some of its days in the counting window. Periods are screened apart, so that applicants share the
    decision pattern of each period rather than of their whole history (engine/pattern_cache.py)."""
    _check_province(applicant, params, source)  # the input's first problem, as the derivation would report it
    window, window_days, window_ints = _window(as_of, params["experience_window_years"])[:3]
    classifier = classifier_for(noc, params)
    studies = _studies(applicant.study_history, window[1]) if applicant.study_history else ()
    groups = []
    for index, work in enumerate(applicant.work_history):
        inside = _inside(work, as_of, window_days)
        end = window_ints[1] if work.end is None else as_int(work.end)
        group = [
            {
                "t": "work_period",
                "item": index,
                "paid": work.paid,
                "self_employed": work.self_employed,
                "authorized": work.authorized,
                "country": work.country,
                "start": as_int(work.start),
                "end": end,
                "in_window": inside is not None,
                **_shown(_status(classifier, work, index, source)).fact,
            }
        ]
        if studies and inside:
            first, last = inside
            group += [
                dict(fact) for fact, begins, ends in studies if begins <= last and ends >= first
            ]  # clip(inside, study): a fact per group
        groups.append(group)
    return groups


def _studies(studies, window_end: dt.date) -> list[tuple[dict, int, int]]:
    """Each study period's fact (an open one ends with the window) and its first and last day (ordinals); one
    that ends before it starts (open, starting after the window) overlaps no work period."""
    found = []
    for number, study in enumerate(studies):
        end = study.end or window_end
        if study.start <= end:
            found.append(
                (
                    {
                        "t": "study_period",
                        "study": number,
                        "full_time": study.full_time,
                        "country": study.country,
                        "start": as_int(study.start),
                        "end": as_int(end),
                    },
                    study.start.toordinal(),
                    end.toordinal(),
                )
            )
    return found


def derive(
    applicant: Applicant,
    as_of: dt.date,
    noc: NocTables,
    tests: dict[str, LanguageTest],
    params: dict,
    source: str,
    ability_names_fr: dict[str, str] | None = None,
    exclusions: list | None = None,
    shown: bool = True,
) -> Derivation:
    """All facts for one applicant, counting only the work the screen rules did not exclude; raises
    `InputError` for codes, tests or provinces the data does not know. Without `shown` (a decision that
    is compared, not shown: `cec diff`), the same facts and errors, and only the derived values that
    `impact_values` reads (`_compared_values`)."""
    _check_province(applicant, params, source)
    state = experience(applicant, as_of, noc, params, source, exclusions)
    periods, unit, findings = state.periods, state.unit, state.findings
    possible_periods = [p for p in periods if p.excluded is None]
    counted = [p for p in possible_periods if p.status.skilled is not None]  # (state.counted)
    total = state.units(counted)
    possible = state.units(possible_periods) if len(possible_periods) > len(counted) else total  # some unsettled
    by_occupation = _hours_by_occupation(counted, state)
    split = [p for p in possible_periods if len(p.status.candidates) > 1]
    if split:
        all_readings = [_in_units(r, unit) for r in readings([_countable(p) for p in possible_periods], state.cap)]
    else:  # the usual case: every occupation known, one reading, from the hours already summed
        all_readings = [reading_of(by_occupation, total)]
    results, valid = assess_results(applicant.language_tests, as_of, tests, params, source, summaries=shown)
    best = best_result(valid)
    window_ints, window_text = _window(as_of, params["experience_window_years"])[2:]
    facts = [
        {
            "t": "applicant",
            "id": applicant.id,
            "as_of": as_int(as_of),
            "intended_province": applicant.intended_province,
            "admissible": applicant.admissible,
        },
        _experience_fact(total, possible, by_occupation, state, window_ints, len(possible_periods) - len(counted)),
    ]
    facts += _reading_facts(all_readings, unit)
    if split:
        facts += [_question_fact(p) for p in split]
    if best is not None:
        facts.append(_language_fact(best, ability_names_fr or {}))
    if not shown:
        return Derivation(facts, _compared_values(total, possible, unit, best), findings)
    derived = {
        "window": {"start": window_text[0], "end": window_text[1]},
        "qualifying_hours": round_down(total, unit),
        "qualifying_hours_exact": exact_text(total, unit),
        "occupations": _occupation_summaries(by_occupation, unit),
        "periods": [_period_summary(p, unit) for p in periods],
        "language_results": results,
        "best_language_result": result_summary(best) if best else None,
        "findings": findings,
    }
    if possible != total:
        derived["possible_qualifying_hours"] = round_down(possible, unit)
    return Derivation(facts, derived, findings)


def _compared_values(total: int, possible: int, unit: int, best: ConvertedResult | None) -> dict:
    """The derived values of a decision that is compared and not shown: those `impact_values` reads (and the
    possible hours, as `derive` gives them), without the period, occupation and result summaries."""
    derived = {
        "qualifying_hours": round_down(total, unit),
        "best_language_result": result_summary(best) if best else None,
    }
    if possible != total:
        derived["possible_qualifying_hours"] = round_down(possible, unit)
    return derived


@lru_cache(maxsize=4096)
def exact_hours(hours: float) -> Fraction:
    """37.5 -> 75/2 exactly; integers skip the string round trip."""
    return Fraction(int(hours)) if hours == int(hours) else Fraction(str(hours))


_CLASSIFIERS: dict[tuple, OccupationClassifier] = {}
# id(params) -> (params, noc, its classifier): the parameters of a compiled edition are one dict, read for every
# applicant; kept beside its id (so a reused id never matches), at most _PARAMETERS_KEPT of them.
_CLASSIFIER_OF: dict[int, tuple[dict, NocTables, OccupationClassifier]] = {}
_PARAMETERS_KEPT = 64


def classifier_for(noc: NocTables, params: dict) -> OccupationClassifier:
    """One classifier per edition's tables and parameters, kept across applicants (it caches each code's status);
    found by the parameters' identity first (no key built from their lists)."""
    known = _CLASSIFIER_OF.get(id(params))
    if known is not None and known[0] is params and known[1] is noc:
        return known[2]
    key = (id(noc), params["noc_version"], tuple(params["skilled_levels"]))
    if key not in _CLASSIFIERS:
        _CLASSIFIERS[key] = OccupationClassifier(noc, params["noc_version"], params["skilled_levels"])
    if len(_CLASSIFIER_OF) >= _PARAMETERS_KEPT:
        _CLASSIFIER_OF.clear()
    _CLASSIFIER_OF[id(params)] = (params, noc, _CLASSIFIERS[key])
    return _CLASSIFIERS[key]


def _check_province(applicant: Applicant, params: dict, source: str) -> None:
    if applicant.intended_province not in params["provinces_and_territories"]:
        raise InputError(
            source,
            "intended_province",
            f"{applicant.intended_province!r} is not a province or territory code; known: {', '.join(params['provinces_and_territories'])}",
        )


@lru_cache(maxsize=4096)
def _window(
    as_of: dt.date, years: int
) -> tuple[tuple[dt.date, dt.date], tuple[int, int], tuple[int, int], tuple[str, str]]:
    """The counting window (first and last day), and the same as day ordinals, as the facts' integers and as
    the decision's text (once per day: a population has a few thousand assessment dates)."""
    start, end = years_before(as_of, years), as_of - dt.timedelta(days=1)
    return (
        (start, end),
        (start.toordinal(), end.toordinal()),
        (as_int(start), as_int(end)),
        (start.isoformat(), end.isoformat()),
    )


def _status(classifier: OccupationClassifier, work: WorkPeriod, index: int, source: str) -> OccupationStatus:
    status = classifier.status_of(work.noc_version, work.noc_code)
    if status is None:
        raise InputError(
            source, f"work_history[{index}].noc_code", f"unknown NOC {work.noc_version} code {work.noc_code!r}"
        )
    return status


def _inside(work: WorkPeriod, as_of: dt.date, window_days: tuple[int, int]) -> tuple[int, int] | None:
    """The period's days in the counting window (day ordinals), or None; an open period runs to the window's
    end. The window is the counting window itself, not an exclusion: it stays here, with the numbers of its
    parameter."""
    start, end = work.start, work.end
    if start >= as_of:
        return None
    first, last = start.toordinal(), window_days[1]
    if first < window_days[0]:  # (conditions, not max and min: twice per work period of every applicant)
        first = window_days[0]
    if end is not None and end.toordinal() < last:
        last = end.toordinal()
    return (first, last) if first <= last else None


@dataclass(frozen=True)
class _Shown:
    """What the facts and the decision show of one status, worked out once per code and edition."""

    fact: dict  # its fields in a work period fact: the occupation as the screen's rules see it and its reasons name it
    title: str  # the reported code's title, as the period summary shows it
    level: str | None  # the unit group's level (None for a split code)
    via: tuple[str, ...]  # the correspondence targets used ("2016 73300")


# id(status) -> (status, _Shown): a classifier keeps one status per code, so the ids stay few; the status is
# kept beside its id, so a reused id never matches.
_SHOWN: dict[int, tuple[OccupationStatus, _Shown]] = {}


def _shown(status: OccupationStatus) -> _Shown:
    known = _SHOWN.get(id(status))
    if known is None or known[0] is not status:
        fact = {
            "skilled": status.skilled,
            "counterparts": len(status.candidates),
            "via_correspondence": bool(status.via),
            "occupation": describe(status.reported),
            "correspondence": candidates_text(status) if status.via else "",
        }
        via = tuple(f"{o.version} {o.code}" for o in status.via)
        known = _SHOWN[id(status)] = (status, _Shown(fact, status.reported.title, status.level, via))
    return known[1]


def _classify_periods(applicant, as_of, window_days, exclusions, classifier, source, findings) -> list[PeriodStatus]:
    by_item: dict[int, list] = {}
    for exclusion in exclusions or ():
        by_item.setdefault(exclusion.item, []).append(exclusion)
    periods = []
    for index, work in enumerate(applicant.work_history):
        status = _status(classifier, work, index, source)
        inside = _inside(work, as_of, window_days)
        period = PeriodStatus(
            index, work, status, [inside] if inside else [], None, exact_hours(work.hours_per_week), 0, 0
        )
        mine = by_item.get(index, ()) if by_item else ()
        if mine or inside is None:
            period.excluded = (_screened(period, mine) if mine else None) or _timing(work, as_of, inside)
        if work.start >= as_of or len(status.candidates) != 1:  # (a finding needs one of these: `_finding`)
            finding = _finding(period, as_of, mine)
            if finding:
                findings.append(finding)
        periods.append(period)
    return periods


def _screened(period: PeriodStatus, exclusions) -> str | None:
    """Applies the screen rules' exclusions of this period, in rule order: the reason of the first that
    excludes it whole, or that leaves it no day in the window; sets the days that still count."""
    for exclusion in exclusions:
        if exclusion.during is None:
            period.intervals = []
            return exclusion.reason
        left = _without(period.intervals, exclusion.during)
        if period.intervals and not left:
            period.intervals = []
            return exclusion.reason
        period.intervals = left
    return None


def _without(intervals: list, during: tuple) -> list:
    """`intervals` minus the days from `during[0]` to `during[1]` (dates as integers YYYYMMDD)."""
    removed = [(as_date(during[0]).toordinal(), as_date(during[1]).toordinal())]
    return [piece for interval in intervals for piece in subtract(interval, removed)]


def _timing(work: WorkPeriod, as_of: dt.date, inside) -> str | None:
    """Why a period the rules let count has no day in the counting window, or None."""
    if work.start >= as_of:
        return "starts on or after the assessment date, so it never counts"
    return None if inside else "outside the counting window"


def _finding(period: PeriodStatus, as_of: dt.date, exclusions) -> str | None:
    """A note on a period only where it matters: a code that does not settle the occupation of work that
    would otherwise count, or work dated after the assessment date."""
    where = f"work_history[{period.index}]"
    if period.period.start >= as_of:
        return finding("starts_late", where=where, start=period.period.start, as_of=as_of)
    status = period.status
    if period.excluded is None and status.split and len({c.level for c in status.candidates}) > 1:
        return split_code(where, status)
    if period.excluded is not None and not status.candidates and _only_whole_exclusion(exclusions):
        return finding("no_counterpart", where=where, occupation=describe(status.reported))
    return None


def _only_whole_exclusion(exclusions) -> bool:
    """Excluded by one rule as a whole and by nothing else: for a code without counterpart, the rule that
    says so (giving the code in the edition's classification would then settle whether it counts)."""
    return len(exclusions) == 1 and exclusions[0].during is None


def _countable(period: PeriodStatus) -> Countable:
    """A counting period's possible unit groups: a split code counts only where it is skilled; an unskilled
    code the rules let count counts as any of its counterparts, and one without a counterpart as none."""
    status = period.status
    groups = (
        status.candidates
        if status.skilled is False
        else tuple(c for c in status.candidates if c.code in status.skilled_candidates)
    )
    return Countable(period.index, tuple(period.intervals), period.rate, groups, status.skilled is None or not groups)


def _hours_by_occupation(counted: list[PeriodStatus], state: Experience) -> dict[Occupation, int]:
    """Hours (in units) per unit group of the periods whose unit group is known, each with its own weekly cap
    (readings.py `hours_by_group` in units: a unit group of one period has that period's own hours)."""
    if len(counted) == 1:  # the usual case: one period, its own hours
        candidates = counted[0].status.candidates
        return {candidates[0]: counted[0].units} if len(candidates) == 1 else {}
    groups: dict[Occupation, list[PeriodStatus]] = {}
    for period in counted:
        if len(period.status.candidates) == 1:
            groups.setdefault(period.status.candidates[0], []).append(period)
    return {occupation: state.units(members) for occupation, members in groups.items()}


def _in_units(reading: Reading, unit: int) -> Reading:
    """A reading's hours (Fractions, readings.py) in the experience's units: whole numbers, since the hours of
    any of the applicant's periods have a denominator (7 times one of the weekly hours' and the cap's) that
    divides `unit`."""
    return Reading(
        tuple((occupation, _units(hours, unit)) for occupation, hours in reading.primaries),
        _units(reading.most_hours, unit),
    )


def _units(hours: Fraction, unit: int) -> int:
    return hours.numerator * (unit // hours.denominator)


def _experience_fact(
    total: int, possible: int, by_occupation: dict, state: Experience, window_ints: tuple[int, int], unsettled: int
) -> dict:
    qualifying = float_not_above(total, state.unit)
    return {
        "t": "work_experience",
        "qualifying_hours": qualifying,
        "possible_hours": qualifying if possible == total else float_not_above(possible, state.unit),
        "occupations_with_hours": sum(1 for h in by_occupation.values() if h > 0),
        "window_start": window_ints[0],
        "window_end": window_ints[1],
        "unsettled_periods": unsettled,
    }


def _reading_facts(all_readings: list[Reading], unit: int) -> list[dict]:
    """Per reading, its number of predominant occupations, the most hours it may give, and each of them (tied
    ones name each other); hours in units of 1/`unit` hour."""
    facts = []
    for number, reading in enumerate(all_readings):
        facts.append(
            {
                "t": "occupation_reading",
                "reading": number,
                "occupations": len(reading.primaries),
                "readings": len(all_readings),
                "most_hours": float_not_above(reading.most_hours, unit),
            }
        )
        for occupation, hours in reading.primaries:
            others = (
                [f"{o.code} {o.title}" for o, _ in reading.primaries if o is not occupation]
                if len(reading.primaries) > 1
                else ()
            )
            facts.append(
                {
                    "t": "primary_occupation",
                    "reading": number,
                    "noc_code": occupation.code,
                    "noc_version": occupation.version,
                    "title": occupation.title,
                    "level": occupation.level,
                    "hours": float_not_above(hours, unit),
                    "tied": bool(others),
                    "tied_with": " and ".join(others),
                }
            )
    return facts


def _question_fact(period: PeriodStatus) -> dict:
    """What the input leaves open about a split code: the field to give, and why."""
    status = period.status
    return {
        "t": "unresolved_code",
        "period": period.index,
        "field": f"work_history[{period.index}].noc_code",
        **code_question_facts(status, f"work_history[{period.index}]"),
        "affects_experience": status.skilled is None,
    }


def _language_fact(result: ConvertedResult, ability_names_fr: dict[str, str]) -> dict:
    test, lowest_ability = result.test, result.lowest_ability
    fact = {
        "t": "language_result",
        "test": test.test,
        "test_title": test.title,
        "language": test.language,
        "level_name": test.level_name,
        "date": as_int(result.date),
        **result.levels,
        "lowest": result.lowest,
        "lowest_ability": lowest_ability,
    }
    if lowest_ability in ability_names_fr:
        fact["lowest_ability__fr"] = ability_names_fr[lowest_ability]
    return fact


def float_not_above(value: Fraction | int, per: int = 1) -> float:
    """The largest float not above `value` / `per` (`value` exact: a Fraction, or an int such as hours counted
    in units of 1/`per` hour), so that `hours >= threshold` in the rules never holds when the exact sum is
    below a threshold (a plain float() can round 1,559.999999999999996 up to 1,560.0). A float `value`
    (`per` 1): the largest float not above it."""
    if type(value) is Fraction:
        numerator, denominator = value.numerator, value.denominator * per
    elif type(value) is int:
        numerator, denominator = value, per
    else:
        result = float(value)
        return math.nextafter(result, -math.inf) if Fraction(result) > value else result
    result = numerator / denominator  # correctly rounded, as float(Fraction(numerator, denominator))
    low, high = result.as_integer_ratio()  # Fraction(result) > value / per, in integers
    return math.nextafter(result, -math.inf) if low * denominator > numerator * high else result


def round_down(hours: Fraction | int, per: int = 1) -> float:
    """Two decimals, rounded down: a shown number never crosses a threshold the exact one does not reach
    (math.floor(hours / per * 100) / 100, in integers for a Fraction or an int; a float with `per` 1)."""
    if type(hours) is Fraction:
        return (hours.numerator * 100 // (hours.denominator * per)) / 100
    if type(hours) is int:
        return (hours * 100 // per) / 100
    return math.floor(hours * 100) / 100


def exact_text(units: int, per: int) -> str:
    """`str(Fraction(units, per))` without building the Fraction: `1560`, `10890/7`."""
    common = math.gcd(units, per)
    return str(units // common) if per == common else f"{units // common}/{per // common}"


def _occupation_summaries(by_occupation: dict[Occupation, int], unit: int) -> list[dict]:
    """The unit groups with their hours, the most first (then by code)."""
    ranked = sorted(by_occupation.items(), key=_most_hours) if len(by_occupation) > 1 else by_occupation.items()
    return [
        {
            "noc_code": o.code,
            "noc_version": o.version,
            "title": o.title,
            "level": o.level,
            "hours": round_down(units, unit),
        }
        for o, units in ranked
    ]


def _most_hours(item: tuple[Occupation, int]) -> tuple:
    return -item[1], item[0].code


def _period_summary(p: PeriodStatus, unit: int) -> dict:
    shown, unsettled = _shown(p.status), p.excluded is None and p.status.skilled is None  # (p.unsettled)
    counts = p.excluded is None and not unsettled
    summary = {
        "index": p.index,
        "noc_code": p.period.noc_code,
        "noc_version": p.period.noc_version,
        "title": shown.title,
        "level": shown.level,
        "via": list(shown.via),
        "counted": counts,
        "excluded": p.excluded,
        "days_counted": _days(p.intervals) if counts else 0,
        "hours": round_down(p.units, unit) if counts else 0.0,
    }
    if unsettled:
        summary["counted"] = None  # counts only if its split code is read as a skilled unit group
        summary["possible_hours"] = round_down(p.units, unit)
    return summary


def _days(intervals: list) -> int:
    if len(intervals) == 1:
        return intervals[0][1] - intervals[0][0] + 1
    return sum(last - first + 1 for first, last in intervals)
