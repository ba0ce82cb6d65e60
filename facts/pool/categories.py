"""Work experience per occupation category: the arithmetic behind the category rules (the rules compare
its results with the edition's thresholds).

For each category in force (`occupation_categories`), with its list of NOC 2021 unit groups
(`<category>_occupations`), over the counting window (`experience_window_years` before the assessment
day): the hours in listed occupations (across all of them, Canada or abroad, and in Canada only), and
the hours of the best *continuous run* in one listed occupation (consecutive days of work in that one
unit group, overlapping or back-to-back periods joined). Hours are exact, `weekly_hours_cap` per ISO
week across concurrent jobs (facts/hours.py), so a continuous run of at least 780 hours at that cap
spans at least 26 weeks: "6 months of continuous full-time work or the part-time equivalent".

Which work counts: paid, not self-employed, and in Canada only with authorization (the pool's sources
say "full-time work in Canada or abroad"; whether self-employment counts is not confirmed, so it does
not: a category is never claimed on a reading the data does not support). A NOC 2016 code counts in a
category only when every NOC 2021 unit group it corresponds to is listed; when only some are, the period
is *unsettled*: counted nowhere in the settled measures. The `possible_*` measures count it as its
listed unit groups, so the rules can tell a category an unsettled code could win (undetermined, naming
the field) from one it cannot reach even so (settled: not in it).

Hours "in an eligible occupation" (the 2026 rule) are taken in **one** unit group at a time
(`occupation_hours`): the 2023 rule said "in one eligible occupation", and the 2026 rule changed the
length and dropped continuity, not the single occupation (express-entry.md 7.4). Hours spread over
several listed unit groups are not summed: a missed category, never a wrong one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from fractions import Fraction

from cec_rules.engine.errors import InputError

from ..dates import years_before
from ..hours import capped_hours, clip
from ..tables import NocTables


@dataclass(frozen=True)
class CountedWork:
    """One work period that counts for categories: its NOC 2021 unit group(s), days in the window, rate."""

    index: int
    codes: frozenset[str]
    interval: tuple[int, int]
    rate: Fraction
    canadian: bool


def category_window(as_of: dt.date, params: dict) -> tuple[dt.date, dt.date]:
    """The days work counts on: the `experience_window_years` before the assessment day."""
    return years_before(as_of, params["experience_window_years"]), as_of - dt.timedelta(days=1)


def counted_work(applicant, as_of: dt.date, noc: NocTables, params: dict, source: str) -> list[CountedWork]:
    """The periods that count for any category, clipped to the window; unknown codes raise `InputError`."""
    window = category_window(as_of, params)
    days = (window[0].toordinal(), window[1].toordinal())
    counted = []
    for index, work in enumerate(applicant.work_history):
        codes = unit_groups(work.noc_version, work.noc_code, noc, source, f"work_history[{index}].noc_code")
        canadian = work.country in params["canadian_work_countries"]
        if not work.paid or work.self_employed or (canadian and not work.authorized) or work.start >= as_of:
            continue
        inside = clip((work.start.toordinal(), (work.end or window[1]).toordinal()), days)
        if inside and codes:
            counted.append(CountedWork(index, codes, inside, _exact(work.hours_per_week), canadian))
    return counted


def unit_groups(version: int, code: str, noc: NocTables, source: str, field: str) -> frozenset[str]:
    """The NOC 2021 unit groups a reported code may be (one for a NOC 2021 code)."""
    if noc.find(version, code) is None:
        raise InputError(source, field, f"unknown NOC {version} code {code!r}")
    if version == 2021:
        return frozenset([code])
    return frozenset(o.code for o in noc.counterparts(version, code))


class WorkSums:
    """One applicant's counted work, and the measures of each subset of it that a category takes,
    computed once: categories in force are many (nine in 2026), an applicant's work is in few of
    them, so most take the same subset (often none)."""

    def __init__(self, work: list[CountedWork], cap: Fraction):
        self.work, self.cap = work, cap
        self._sums: dict[tuple, tuple[float, float, float]] = {}

    def of(self, subset: list[CountedWork]) -> tuple[float, float, float]:
        """The subset's hours, the hours of its best continuous run and of its best single occupation,
        rounded down (`_floor`)."""
        key = tuple((w.index, w.codes) for w in subset)
        if key not in self._sums:
            self._sums[key] = (
                _floor(_hours(subset, self.cap)),
                _floor(_longest_run(subset, self.cap)),
                _floor(_best_occupation(subset, self.cap)),
            )
        return self._sums[key]


def experience_fact(category: str, listed: set[str], sums: WorkSums, offer: frozenset[str]) -> dict:
    """The `category_experience` fact of one category."""
    inside = [w for w in sums.work if w.codes <= listed]
    unsettled = [w for w in sums.work if w.codes & listed and not w.codes <= listed]
    possible = sorted(inside + [replace(w, codes=w.codes & listed) for w in unsettled], key=lambda w: w.index)
    (hours, run, one), (canadian_hours, canadian_run, canadian_one) = sums.of(inside), sums.of(_canadian(inside))
    (possible_hours, possible_run, possible_one), (_, possible_canadian_run, possible_canadian_one) = (
        sums.of(possible),
        sums.of(_canadian(possible)),
    )
    return {
        "t": "category_experience",
        "category": category,
        "hours": hours,
        "canadian_hours": canadian_hours,
        "occupation_hours": one,
        "canadian_occupation_hours": canadian_one,
        "longest_run_hours": run,
        "longest_canadian_run_hours": canadian_run,
        "unsettled_periods": len(unsettled),
        "unsettled_fields": ", ".join(
            f"work_history[{w.index}].noc_code" for w in sorted(unsettled, key=lambda w: w.index)
        ),
        "possible_hours": possible_hours,
        "possible_occupation_hours": possible_one,
        "possible_canadian_occupation_hours": possible_canadian_one,
        "possible_run_hours": possible_run,
        "possible_canadian_run_hours": possible_canadian_run,
        "job_offer": bool(offer) and offer <= listed,
        "possible_job_offer": bool(offer & listed),
    }


def _canadian(work: list[CountedWork]) -> list[CountedWork]:
    return [w for w in work if w.canadian]


def _hours(work: list[CountedWork], cap: Fraction) -> Fraction:
    return capped_hours([(w.interval, w.rate) for w in work], cap)


def _best_occupation(work: list[CountedWork], cap: Fraction) -> Fraction:
    """Hours in the one occupation (unit group) with the most, the weekly cap applied within it."""
    return max(
        (_hours([w for w in work if w.codes == codes], cap) for codes in {w.codes for w in work}), default=Fraction(0)
    )


def _longest_run(work: list[CountedWork], cap: Fraction) -> Fraction:
    """Hours of the best run of consecutive days in one occupation (its periods joined where they touch)."""
    best = Fraction(0)
    for codes in {w.codes for w in work}:
        same = sorted((w for w in work if w.codes == codes), key=lambda w: w.interval)
        for run in _runs([w.interval for w in same]):
            best = max(
                best, capped_hours([(clip(w.interval, run), w.rate) for w in same if clip(w.interval, run)], cap)
            )
    return best


def _runs(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted intervals joined where they overlap or follow each other without a day between.

    Examples:
        >>> _runs([(1, 5), (6, 9), (12, 20), (15, 30)])
        [(1, 9), (12, 30)]
    """
    runs: list[tuple[int, int]] = []
    for start, end in intervals:
        if runs and start <= runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return runs


def _exact(hours: float) -> Fraction:
    return Fraction(int(hours)) if hours == int(hours) else Fraction(str(hours))


def _floor(hours: Fraction) -> float:
    """Two decimals rounded down: a value never reaches a threshold the exact hours do not."""
    return int(hours * 100) / 100
