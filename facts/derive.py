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
from cec_rules.engine.model import LanguageTest
from cec_rules.engine.tables import NOC_LEVELS, NocTables
from cec_rules.engine.values import ValueSpec

from .applicant import Applicant, WorkPeriod
from .dates import as_int, years_before
from .hours import capped_hours, clip, subtract
from .language import ConvertedResult, convert
from .occupations import OccupationClassifier, OccupationStatus, describe
from .vocabulary import COUNTRIES, PROVINCES_AND_TERRITORIES

# Sane ranges by unit (engine/values.py checks them): beyond these a value is a typo, and date or hour
# arithmetic on it would fail for every applicant (a 3,000-year window, a week of more than 168 hours).
YEARS = ValueSpec(minimum=1, maximum=50)
HOURS = ValueSpec(minimum=1, maximum=100_000)
HOURS_PER_WEEK = ValueSpec(minimum=1, maximum=168)
CLB_LEVELS = ValueSpec(minimum=1, maximum=12, items=lambda d: NOC_LEVELS[d.parameters["noc_version"]], non_empty=True,
                       covers="skilled_levels")
NOC_LEVEL_LIST = ValueSpec(items=lambda d: NOC_LEVELS[d.parameters["noc_version"]], non_empty=True)

# name -> (type, why the derivation needs it, what its values may be); the validator checks each edition
# defines them, with values of that type and within that spec.
REQUIRED_PARAMETERS: dict[str, tuple] = {
    "experience_window_years": ("integer", "length of the window in which work counts", YEARS),
    "weekly_hours_cap": ("number", "most hours credited per ISO week across all jobs", HOURS_PER_WEEK),
    "qualifying_work_countries": ("list", "countries where work counts (ISO 3166 alpha-2)", ValueSpec(items=COUNTRIES, non_empty=True)),
    "noc_version": ("integer", "the NOC classification of the edition (2016 or 2021)", ValueSpec(items=tuple(NOC_LEVELS))),
    "skilled_levels": ("list", "NOC levels (TEER digits, or 0/A/B) that count as skilled", NOC_LEVEL_LIST),
    "language_level_by_occupation_level": ("table", "language threshold per occupation level", CLB_LEVELS),
    "language_validity_years": ("integer", "how long a language result stays valid", YEARS),
    "accepted_language_tests": ("list", "designated tests accepted on the assessment date",
                                ValueSpec(items=lambda d: sorted(d.language_tests), non_empty=True)),
    "provinces_and_territories": ("list", "the two-letter codes an intended province may take",
                                  ValueSpec(items=PROVINCES_AND_TERRITORIES, non_empty=True, complete=True)),
    "min_qualifying_hours": ("number", "the hours needed (explanations compute the shortfall from it)", HOURS),
    "excluded_provinces": ("list", "provinces an applicant may not intend to live in (explanations name them)",
                           ValueSpec(items=PROVINCES_AND_TERRITORIES)),
}


@dataclass
class Derivation:
    """The facts to assert and the derived values to show in the decision."""

    facts: list[dict]
    derived: dict
    findings: list[str] = field(default_factory=list)


@dataclass
class PeriodStatus:
    index: int
    period: WorkPeriod
    status: OccupationStatus | None = None  # how the reported code stands under the edition
    intervals: list = field(default_factory=list)
    excluded: str | None = None
    rate: Fraction = Fraction(0)  # hours per week, exact (from the decimal text, not the binary float)
    hours: Fraction = Fraction(0)  # its own qualifying hours (weekly cap within the period), when counted


@dataclass
class Experience:
    """The counting window and every period's status: what the hours, and advice about them, start from."""

    window: tuple[dt.date, dt.date]
    periods: list[PeriodStatus]
    cap: Fraction
    study: list[tuple[int, int]]
    findings: list[str]

    @property
    def counted(self) -> list[PeriodStatus]:
        return [p for p in self.periods if p.excluded is None]

    def total(self) -> Fraction:
        counted = self.counted
        if len(counted) == 1:  # the usual case: one job, whose own hours were already summed
            return counted[0].hours
        return capped_hours([(i, p.rate) for p in counted for i in p.intervals], self.cap)


def experience(applicant: Applicant, as_of: dt.date, noc: NocTables, params: dict, source: str) -> Experience:
    """Classify every work period for the edition and the window (raises `InputError` for unknown codes)."""
    findings: list[str] = []
    window = (years_before(as_of, params["experience_window_years"]), as_of - dt.timedelta(days=1))
    study = [(s.start.toordinal(), (s.end or window[1]).toordinal()) for s in applicant.study_history if s.full_time]
    periods = _classify_periods(applicant, window, study, noc, params, source, findings)
    return Experience(window, periods, _exact(params["weekly_hours_cap"]), study, findings)


def derive(applicant: Applicant, as_of: dt.date, noc: NocTables, tests: dict[str, LanguageTest], params: dict, source: str,
           ability_names_fr: dict[str, str] | None = None) -> Derivation:
    """All facts for one applicant; raises `InputError` for codes, tests or provinces the data does not know."""
    if applicant.intended_province not in params["provinces_and_territories"]:
        raise InputError(source, "intended_province", f"{applicant.intended_province!r} is not a province or territory code; known: {', '.join(params['provinces_and_territories'])}")
    state = experience(applicant, as_of, noc, params, source)
    window, periods, cap, findings = state.window, state.periods, state.cap, state.findings
    counted = state.counted
    total = state.total()
    by_occupation = _hours_by_occupation(counted, cap)
    top = max(by_occupation.values(), default=Fraction(0))
    primaries = [occ for occ, hours in by_occupation.items() if hours == top and hours > 0]
    results, best = _language(applicant, as_of, tests, params, source)
    facts = [_applicant_fact(applicant, as_of), _experience_fact(total, by_occupation, window, periods)]
    facts += [_primary_fact(counted, key, by_occupation[key]) for key in sorted(primaries)]
    if best is not None:
        facts.append(_language_fact(best, ability_names_fr or {}))
    derived = {
        "window": {"start": window[0].isoformat(), "end": window[1].isoformat()},
        "qualifying_hours": _round(total),
        "qualifying_hours_exact": str(total),
        "occupations": [_occupation_summary(counted, key, hours) for key, hours in sorted(by_occupation.items(), key=lambda kv: -kv[1])],
        "periods": [_period_summary(p, cap) for p in periods],
        "language_results": results,
        "best_language_result": _result_summary(best) if best else None,
        "findings": findings,
    }
    return Derivation(facts, derived, findings)


@lru_cache(maxsize=4096)
def _exact(hours: float) -> Fraction:
    """37.5 -> 75/2 exactly; integers skip the string round trip."""
    return Fraction(int(hours)) if hours == int(hours) else Fraction(str(hours))


_CLASSIFIERS: dict[tuple, OccupationClassifier] = {}


def _classifier(noc: NocTables, params: dict) -> OccupationClassifier:
    """One classifier per edition's tables and parameters, kept across applicants (it caches each code's status)."""
    thresholds = params["language_level_by_occupation_level"]
    key = (id(noc), params["noc_version"], tuple(params["skilled_levels"]), tuple(sorted((str(k), v) for k, v in thresholds.items())))
    if key not in _CLASSIFIERS:
        _CLASSIFIERS[key] = OccupationClassifier(noc, params["noc_version"], params["skilled_levels"], thresholds)
    return _CLASSIFIERS[key]


def _classify_periods(applicant, window, study, noc, params, source, findings) -> list[PeriodStatus]:
    classifier = _classifier(noc, params)
    window_days = (window[0].toordinal(), window[1].toordinal())
    periods = []
    for index, work in enumerate(applicant.work_history):
        reported = noc.find(work.noc_version, work.noc_code)
        if reported is None:
            raise InputError(source, f"work_history[{index}].noc_code", f"unknown NOC {work.noc_version} code {work.noc_code!r}")
        period = PeriodStatus(index, work, classifier.status(reported), rate=_exact(work.hours_per_week))
        period.excluded = _exclusion(work, period.status, params)
        if period.status.finding:
            findings.append(f"work_history[{index}]: {period.status.finding}")
        inside = clip((work.start.toordinal(), (work.end or window[1]).toordinal()), window_days)
        period.intervals = subtract(inside, study) if inside else []
        if period.excluded is None and not period.intervals:
            period.excluded = "no days in the counting window outside full-time study" if inside else "outside the counting window"
        if period.excluded is None:
            period.hours = capped_hours([(i, period.rate) for i in period.intervals], _exact(params["weekly_hours_cap"]))
        periods.append(period)
    return periods


def _exclusion(work: WorkPeriod, status: OccupationStatus, params: dict) -> str | None:
    """Why a period does not count, or None when it qualifies (before window and study checks)."""
    if not work.paid:
        return "unpaid work is not work"
    if work.self_employed:
        return "self-employment does not count"
    if not work.authorized:
        return "work without authorization and temporary resident status does not count"
    if work.country not in params["qualifying_work_countries"]:
        return f"work in {work.country} does not count (only {', '.join(params['qualifying_work_countries'])})"
    if status.level is None:
        return "the NOC code could not be resolved for this edition"
    if not status.skilled:
        return f"{describe(status.reported)} is not a skilled occupation under this edition"
    return None


def _occupation_key(period: PeriodStatus) -> tuple[int, str]:
    return (period.period.noc_version, period.period.noc_code)


def _hours_by_occupation(counted: list[PeriodStatus], cap: Fraction) -> dict[tuple[int, str], Fraction]:
    """Per occupation as reported (87.1(2)(e)), each with its own weekly cap across its own periods."""
    groups: dict[tuple[int, str], list[PeriodStatus]] = {}
    for p in counted:
        groups.setdefault(_occupation_key(p), []).append(p)
    return {key: periods[0].hours if len(periods) == 1 else capped_hours([(i, p.rate) for p in periods for i in p.intervals], cap)
            for key, periods in groups.items()}


def _language(applicant, as_of, tests, params, source) -> tuple[list[dict], ConvertedResult | None]:
    oldest = years_before(as_of, params["language_validity_years"])
    accepted = set(params["accepted_language_tests"])
    summaries, valid = [], []
    for index, result in enumerate(applicant.language_tests):
        converted = convert(index, result, tests, source)
        note = None
        if result.test not in accepted:
            note = f"{converted.test.title} is not accepted for assessments on {as_of}"
        elif result.date < oldest:
            note = f"expired: dated before {oldest} ({params['language_validity_years']} years before {as_of})"
        elif result.date > as_of:
            note = f"dated after the assessment date {as_of}"
        else:
            valid.append(converted)
        summaries.append({**_result_summary(converted), "valid": note is None, "note": note})
    best = max(valid, key=lambda r: (r.lowest, r.date), default=None)
    return summaries, best


def _applicant_fact(applicant: Applicant, as_of: dt.date) -> dict:
    return {"t": "applicant", "id": applicant.id, "as_of": as_int(as_of),
            "intended_province": applicant.intended_province, "admissible": applicant.admissible}


def _experience_fact(total: Fraction, by_occupation: dict, window, periods: list[PeriodStatus]) -> dict:
    return {"t": "work_experience", "qualifying_hours": float_not_above(total),
            "occupations_with_hours": sum(1 for h in by_occupation.values() if h > 0),
            "window_start": as_int(window[0]), "window_end": as_int(window[1]),
            "unresolved_periods": sum(1 for p in periods if p.status and p.status.finding)}


def _first_period(counted: list[PeriodStatus], key) -> PeriodStatus:
    return next(p for p in counted if _occupation_key(p) == key)


def _primary_fact(counted: list[PeriodStatus], key, hours: Fraction) -> dict:
    status = _first_period(counted, key).status
    return {"t": "primary_occupation", "noc_code": key[1], "noc_version": key[0], "title": status.reported.title,
            "level": status.level, "hours": float_not_above(hours)}


def _language_fact(result: ConvertedResult, ability_names_fr: dict[str, str]) -> dict:
    fact = {"t": "language_result", "test": result.test.test, "test_title": result.test.title,
            "language": result.test.language, "level_name": result.test.level_name, "date": as_int(result.date),
            **result.levels, "lowest": result.lowest, "lowest_ability": result.lowest_ability}
    if result.lowest_ability in ability_names_fr:
        fact["lowest_ability__fr"] = ability_names_fr[result.lowest_ability]
    return fact


def float_not_above(value: Fraction) -> float:
    """The largest float not above `value`, so that `hours >= threshold` in the rules never holds when the
    exact sum is below a threshold (a plain float() can round 1,559.999999999999996 up to 1,560.0)."""
    result = float(value)
    return math.nextafter(result, -math.inf) if Fraction(result) > value else result


def _round(hours: Fraction) -> float:
    return round(float(hours), 2)


def _occupation_summary(counted, key, hours) -> dict:
    status = _first_period(counted, key).status
    return {"noc_code": key[1], "noc_version": key[0], "title": status.reported.title, "level": status.level, "hours": _round(hours)}


def _period_summary(p: PeriodStatus, cap: Fraction) -> dict:
    status = p.status
    return {"index": p.index, "noc_code": p.period.noc_code, "noc_version": p.period.noc_version,
            "title": status.reported.title, "level": status.level,
            "via": [f"{o.version} {o.code}" for o in status.via],
            "counted": p.excluded is None, "excluded": p.excluded,
            "days_counted": sum(e - s + 1 for s, e in p.intervals) if p.excluded is None else 0,
            "hours": _round(p.hours) if p.excluded is None else 0.0}


def _result_summary(result: ConvertedResult) -> dict:
    return {"index": result.index, "test": result.test.test, "date": result.date.isoformat(),
            "level_name": result.test.level_name, "levels": dict(result.levels), "lowest": result.lowest}
