"""An independent, plain-Python CEC decision: a speed baseline and a cross-check for the engine.

Why it exists: the engine derives facts in `cec_rules.facts` and decides with durable-rules. A second
implementation written from DESIGN.md ("CEC semantics fixed here") alone, sharing only the data files
(NOC CSVs, language score tables), finds mistakes that a test written by the same hand would repeat.
So this file imports nothing from `cec_rules`, and the rules themselves (window, cap, editions,
thresholds, accepted tests) are hard-coded here on purpose: a ruleset typo must not fool both sides.

Usage: python bench/baseline.py INPUT.jsonl -o OUT.jsonl   (malformed records are skipped and counted)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import math
import re
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "rulesets" / "data"

# --- the rules, as DESIGN.md fixes them -----------------------------------------------------------
EXPRESS_ENTRY_FROM = dt.date(2015, 1, 1)
NOC2021_FROM = dt.date(2022, 11, 16)
PTE_CORE_FROM = dt.date(2024, 1, 30)
ACCEPTED_FROM = {"pte_core": PTE_CORE_FROM}  # a test designated later: first assessment and result date
WINDOW_YEARS = 3
VALIDITY_YEARS = 2
WEEKLY_CAP = 30
MIN_HOURS = 1560
QUALIFYING_COUNTRIES = {"CA"}
EXCLUDED_PROVINCES = {"QC"}
PROVINCES = {"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}  # Canada Post codes
CRITERIA = ("skilled_work_experience", "language_proficiency", "outside_quebec", "admissibility")
TESTS = ("ielts_general", "celpip_general", "pte_core", "tef_canada", "tcf_canada")
ABILITIES = ("listening", "reading", "writing", "speaking")


@dataclass(frozen=True)
class Edition:
    """What differs between the two CEC editions: the classification, skilled levels, thresholds."""

    noc_version: int
    thresholds: dict  # level -> CLB/NCLC needed; a level absent here is not skilled

    @property
    def lowest_threshold(self) -> int:
        return min(self.thresholds.values())


EDITION_2016 = Edition(2016, {"0": 7, "A": 7, "B": 5})
EDITION_2021 = Edition(2021, {"0": 7, "1": 7, "2": 5, "3": 5})


def edition_for(as_of: dt.date) -> Edition:
    """The edition in force on the assessment date; none before Express Entry began."""
    if as_of < EXPRESS_ENTRY_FROM:
        raise ValueError(f"application_date: no CEC edition in force on {as_of}")
    return EDITION_2021 if as_of >= NOC2021_FROM else EDITION_2016


def years_before(day: dt.date, years: int) -> dt.date:
    """Calendar years back; 29 February falls back to 28 February."""
    if day.month == 2 and day.day == 29 and not _is_leap(day.year - years):
        return dt.date(day.year - years, 2, 28)
    return day.replace(year=day.year - years)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --- data files -----------------------------------------------------------------------------------


def _read_csv(name: str) -> list[dict]:
    with open(DATA / "noc" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_noc() -> tuple[dict, dict]:
    """Levels by (version, code), and the correspondence both ways by (version, code)."""
    levels = {(2021, r["code"]): r["teer"] for r in _read_csv("noc2021.csv")}
    levels.update({(2016, r["code"]): r["skill_level_derived"] for r in _read_csv("noc2016.csv")})
    crosswalk: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for row in _read_csv("noc2016_to_2021.csv"):
        old, new = (2016, row["noc2016"]), (2021, row["noc2021"])
        crosswalk.setdefault(old, []).append(new)
        crosswalk.setdefault(new, []).append(old)
    return levels, crosswalk


def load_score_tables() -> dict:
    """Per test, its tables with the test-date range they cover (None = open-ended)."""
    tables = {}
    for test in TESTS:
        with open(DATA / "language" / f"{test}.yaml", encoding="utf-8") as handle:
            doc = yaml.safe_load(handle)
        tables[test] = [_score_table(t) for t in doc["tables"]]
    return tables


def _score_table(raw: dict) -> dict:
    """Scores are handled as whole steps above the scale's minimum: exact, and integer-fast."""

    def day(value):
        return None if value is None else dt.date.fromisoformat(str(value))

    scales = {a: {k: Fraction(str(v)) for k, v in r.items()} for a, r in raw["score_range"].items()}
    steps = {
        a: sorted((_whole_steps(scales[a], Fraction(str(score))), int(level)) for level, score in m.items())
        for a, m in raw["minimum_score"].items()
    }
    top = {a: _whole_steps(scale, scale["max"]) for a, scale in scales.items()}
    return {"from": day(raw["tests_from"]), "to": day(raw["tests_to"]), "range": scales, "steps": steps, "top": top}


def _whole_steps(scale: dict, score: Fraction) -> int:
    steps = (score - scale["min"]) / scale["step"]
    if steps.denominator != 1:
        raise ValueError(f"score {score} is not a whole number of steps of {scale['step']} above {scale['min']}")
    return int(steps)


NOC_LEVELS, CROSSWALK = load_noc()
SCORE_TABLES = load_score_tables()


# --- strict input checks (the contract in DESIGN.md and docs/applicant-input.md) -----------------

DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TWO_CAPITALS = re.compile(r"[A-Z]{2}")
NOC_TEXT = re.compile(r"[0-9]{4,5}")
TOP_KEYS = (
    {"id", "application_date", "intended_province"},
    {"language_tests", "work_history", "study_history", "admissible"},
)
TEST_KEYS = ({"test", "date", *ABILITIES}, set())
WORK_KEYS = (
    {"noc_code", "noc_version", "country", "start", "hours_per_week", "paid", "self_employed", "authorized"},
    {"end"},
)
STUDY_KEYS = ({"start", "full_time", "country"}, {"end"})


def _keys(obj, keys: tuple[set, set], where: str) -> None:
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: expected a mapping, got {type(obj).__name__}")
    required, optional = keys
    if missing := required - obj.keys():
        raise ValueError(f"{where}: missing {sorted(missing)}")
    if unknown := obj.keys() - required - optional:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")


def _date(value, where: str, nullable: bool = False) -> dt.date | None:
    """Only "YYYY-MM-DD" text: no timestamps, no datetimes, no impossible days."""
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not DATE_TEXT.fullmatch(value):
        raise ValueError(f"{where}: not a YYYY-MM-DD date: {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: impossible date {value!r}") from None


def _bool(value, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where}: not a boolean: {value!r}")
    return value


def _number(value, where: str, low, high=None) -> Fraction:
    """A JSON number (not a boolean), finite, in range; exact as the decimal that was written."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{where}: not a number: {value!r}")
    exact = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    if exact < low or (high is not None and exact > high):
        raise ValueError(f"{where}: {value!r} out of range")
    return exact


def _text(value, pattern: re.Pattern, where: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"{where}: invalid {value!r}")
    return value


@dataclass(frozen=True)
class Work:
    occupation: tuple[int, str]  # (noc_version, code) as reported
    country: str
    start: dt.date
    end: dt.date | None
    rate: Fraction  # hours per week
    paid: bool
    self_employed: bool
    authorized: bool


@dataclass(frozen=True)
class Study:
    start: dt.date
    end: dt.date | None
    full_time: bool


@dataclass(frozen=True)
class Result:
    test: str
    date: dt.date
    levels: tuple[int, ...]


def parse(record) -> dict:
    """Check a record against the input contract; raise ValueError naming the first problem."""
    _keys(record, TOP_KEYS, "applicant")
    if not isinstance(record["id"], str) or not record["id"]:
        raise ValueError(f"id: not a non-empty string: {record['id']!r}")
    lists = {name: record.get(name, []) for name in ("language_tests", "work_history", "study_history")}
    for name, items in lists.items():
        if not isinstance(items, list):
            raise ValueError(f"{name}: not a list")
    return {
        "id": record["id"],
        "as_of": _date(record["application_date"], "application_date"),
        "province": _province(record["intended_province"]),
        "admissible": _bool(record.get("admissible", True), "admissible"),
        "work": [_work(w, f"work_history[{i}]") for i, w in enumerate(lists["work_history"])],
        "study": [_study(s, f"study_history[{i}]") for i, s in enumerate(lists["study_history"])],
        "tests": [_result(t, f"language_tests[{i}]") for i, t in enumerate(lists["language_tests"])],
    }


def _province(value) -> str:
    """Two capital letters naming a Canadian province or territory (old forms such as PQ are errors)."""
    if _text(value, TWO_CAPITALS, "intended_province") not in PROVINCES:
        raise ValueError(f"intended_province: {value!r} is not a province or territory of Canada")
    return value


def _work(raw, where: str) -> Work:
    _keys(raw, WORK_KEYS, where)
    code = _text(raw["noc_code"], NOC_TEXT, f"{where}.noc_code")
    version = raw["noc_version"]
    if type(version) is not int or version not in (2016, 2021):
        raise ValueError(f"{where}.noc_version: not 2016 or 2021: {version!r}")
    if (version, code) not in NOC_LEVELS:
        raise ValueError(f"{where}.noc_code: unknown NOC {version} code {code!r}")
    work = Work(
        (version, code),
        _text(raw["country"], TWO_CAPITALS, f"{where}.country"),
        _date(raw["start"], f"{where}.start"),
        _date(raw.get("end"), f"{where}.end", nullable=True),
        _number(raw["hours_per_week"], f"{where}.hours_per_week", 0, 168),
        _bool(raw["paid"], f"{where}.paid"),
        _bool(raw["self_employed"], f"{where}.self_employed"),
        _bool(raw["authorized"], f"{where}.authorized"),
    )
    _ordered(work.start, work.end, where)
    return work


def _study(raw, where: str) -> Study:
    _keys(raw, STUDY_KEYS, where)
    _text(raw["country"], TWO_CAPITALS, f"{where}.country")
    study = Study(
        _date(raw["start"], f"{where}.start"),
        _date(raw.get("end"), f"{where}.end", nullable=True),
        _bool(raw["full_time"], f"{where}.full_time"),
    )
    _ordered(study.start, study.end, where)
    return study


def _ordered(start: dt.date, end: dt.date | None, where: str) -> None:
    if end is not None and end < start:
        raise ValueError(f"{where}: end {end} before start {start}")


def _result(raw, where: str) -> Result:
    """A result is checked against its table's scale even when it is expired or not accepted."""
    _keys(raw, TEST_KEYS, where)
    test = raw["test"]
    if test not in SCORE_TABLES:
        raise ValueError(f"{where}.test: unknown test {test!r}")
    day = _date(raw["date"], f"{where}.date")
    table = _table_for(test, day, where)
    levels = tuple(_level(table, a, _number(raw[a], f"{where}.{a}", 0), f"{where}.{a}") for a in ABILITIES)
    return Result(test, day, levels)


def _table_for(test: str, day: dt.date, where: str) -> dict:
    for table in SCORE_TABLES[test]:
        if (table["from"] is None or table["from"] <= day) and (table["to"] is None or day <= table["to"]):
            return table
    raise ValueError(f"{where}.date: no {test} table for {day}")


def _level(table: dict, ability: str, score: Fraction, where: str) -> int:
    """The highest level whose minimum the score reaches (0 below the table); off-scale is malformed."""
    try:
        steps = _whole_steps(table["range"][ability], score)
    except ValueError:
        raise ValueError(f"{where}: {score} is not on the scale's steps") from None
    if not 0 <= steps <= table["top"][ability]:
        raise ValueError(f"{where}: {score} is outside the scale")
    level = 0
    for minimum, candidate in table["steps"][ability]:
        if steps < minimum:
            break
        level = candidate
    return level


# --- occupations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    """A period that counts if its occupation is skilled: the unit groups of the edition's classification
    its code can mean (one, or several for a split code), each with its threshold (None = not skilled),
    and its days in the window outside full-time study with its weekly rate."""

    options: tuple[tuple[tuple[int, str], int | None], ...]
    items: tuple[tuple[tuple[int, int], Fraction], ...]

    @property
    def always(self) -> bool:
        """Counts in every reading: every unit group it can mean is skilled."""
        return all(threshold is not None for _, threshold in self.options)

    @property
    def sometimes(self) -> bool:
        """Counts in some reading: some unit group it can mean is skilled."""
        return any(threshold is not None for _, threshold in self.options)


def counterparts(occupation: tuple[int, str], edition: Edition) -> tuple[tuple[int, str], ...]:
    """The unit groups of the edition's classification a reported code can mean: itself, or its
    correspondence targets (one target is that unit group; several make a split, each a possible reading)."""
    if occupation[0] == edition.noc_version:
        return (occupation,)
    return tuple(sorted(set(CROSSWALK.get(occupation, []))))


def options(occupation: tuple[int, str], edition: Edition) -> tuple:
    """Each possible unit group with its language level under the edition (None: not skilled)."""
    return tuple((group, edition.thresholds.get(NOC_LEVELS[group])) for group in counterparts(occupation, edition))


def worked_as_the_law_counts(work: Work) -> bool:
    """Paid, not self-employed, authorized with status, in Canada: the flags that do not depend on the NOC."""
    return work.paid and not work.self_employed and work.authorized and work.country in QUALIFYING_COUNTRIES


# --- hours ----------------------------------------------------------------------------------------


def day_ranges(work: Work, window: tuple[int, int], study: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Inclusive ordinal ranges of the period inside the window and outside full-time study."""
    start = max(work.start.toordinal(), window[0])
    end = min((work.end.toordinal() if work.end else window[1]), window[1])
    ranges = [(start, end)] if start <= end else []
    for s_start, s_end in study:
        ranges = [piece for r in ranges for piece in _cut(r, s_start, s_end)]
    return ranges


def _cut(span: tuple[int, int], start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    if span[0] < start:
        pieces.append((span[0], min(span[1], start - 1)))
    if span[1] > end:
        pieces.append((max(span[0], end + 1), span[1]))
    return pieces if (start <= span[1] and end >= span[0]) else [span]


def capped_hours(items) -> Fraction:
    """Hours summed per ISO week over all items, each week capped, exactly.

    Integers in units of 1/(7·D) h (D = common denominator of the weekly rates): one day at r h/week
    is r·D units. Ordinal 1 (0001-01-01) is a Monday, so (ordinal − 1) // 7 numbers ISO weeks. Whole
    weeks go into a difference array over week numbers and partly worked weeks into a dict, so the
    cost grows with the number of items, not with the number of weeks.
    """
    if not items:
        return Fraction(0)
    scale = math.lcm(*(rate.denominator for _, rate in items))
    whole: dict[int, int] = {}  # week -> change of the units every whole week carries from then on
    partial: dict[int, int] = {}  # week -> units of days that do not fill that week
    for (start, end), rate in items:
        _split_weeks(start, end, int(rate * scale), whole, partial)
    return Fraction(_sweep(whole, partial, WEEKLY_CAP * 7 * scale), 7 * scale)


def _split_weeks(start: int, end: int, per_day: int, whole: dict, partial: dict) -> None:
    first, last = (start - 1) // 7, (end - 1) // 7
    starts_monday, ends_sunday = start == 7 * first + 1, end == 7 * last + 7
    if first == last and not (starts_monday and ends_sunday):
        partial[first] = partial.get(first, 0) + (end - start + 1) * per_day
        return
    if not starts_monday:
        partial[first] = partial.get(first, 0) + (7 * first + 7 - start + 1) * per_day
    if not ends_sunday:
        partial[last] = partial.get(last, 0) + (end - 7 * last) * per_day
    low, high = (first if starts_monday else first + 1), (last if ends_sunday else last - 1)
    if low <= high:
        whole[low] = whole.get(low, 0) + 7 * per_day
        whole[high + 1] = whole.get(high + 1, 0) - 7 * per_day


def _sweep(whole: dict, partial: dict, cap: int) -> int:
    """Capped units over all weeks: weeks between two breakpoints all carry the same units."""
    points = sorted(whole.keys() | partial.keys())
    total = running = 0
    for week, following in zip(points, points[1:] + [points[-1] + 1]):
        running += whole.get(week, 0)
        total += min(cap, running + partial.get(week, 0)) + (following - week - 1) * min(cap, running)
    return total


def experience_bounds(counted: list[Counted]) -> tuple[Fraction, Fraction]:
    """(hours in every reading, hours in some reading): only periods that count in every reading, and every
    period that counts in some reading. Each split period chooses on its own, so these are the exact
    lowest and highest hours over all readings (capped hours only grow with more periods)."""
    low = capped_hours([item for c in counted if c.always for item in c.items])
    if all(c.always or not c.sometimes for c in counted):
        return low, low
    return low, capped_hours([item for c in counted if c.sometimes for item in c.items])


def three_valued(low, high, needed) -> bool | None:
    """Met in every reading (True), in none (False), or it depends on the reading (None)."""
    return True if low >= needed else False if high < needed else None


# --- 87.1(2)(e): the language level of the predominant occupation, over all readings ---------------


def possible_thresholds(counted: list[Counted], edition: Edition) -> set[int]:
    """Every level 87.1(2)(e) can require, one per reading of the split codes: the predominant occupation's,
    or the lowest level of the edition in a reading with no qualifying hours (DESIGN.md). The readings are
    enumerated, or searched when there are too many of them."""
    split = [c for c in counted if len(c.options) > 1]
    if math.prod(len(options) for options in _choices(counted, split)) > MAX_READINGS:
        return reachable_thresholds(counted, edition)
    return enumerated_thresholds(counted, edition)


def _choices(counted: list[Counted], split: list[Counted]) -> list[list]:
    shared = _groups_meant_twice(counted)
    return [_distinct_options(n, c, shared) for n, c in enumerate(split)]


def enumerated_thresholds(counted: list[Counted], edition: Edition) -> set[int]:
    """The level each reading requires, reading by reading.

    A reading picks one unit group for each split period, independently. To keep the enumeration small,
    options that cannot make a difference are merged: every unskilled option (the period does not
    count), and the skilled options of one period whose unit group no other period can mean (only their
    level matters, not their name).
    """
    fixed = [(c.options[0], c.items) for c in counted if len(c.options) == 1 and c.options[0][1] is not None]
    split = [c for c in counted if len(c.options) > 1]
    choices = _choices(counted, split)
    every = set(edition.thresholds.values())
    found: set[int] = set()
    for reading in itertools.product(*choices):
        chosen = [(option, c.items) for option, c in zip(reading, split) if option is not None]
        threshold = _predominant_threshold(fixed + chosen)
        found.add(edition.lowest_threshold if threshold is None else threshold)
        if found == every:
            break
    return found


MAX_READINGS = 4096  # beyond, `reachable_thresholds` searches instead of enumerating


def reachable_thresholds(counted: list[Counted], edition: Edition) -> set[int]:
    """The same set as `possible_thresholds`, without enumerating every reading (many split periods).

    Level L is required in some reading when a unit group G of level L can have the most hours (more than
    any group of a higher level, at least as many as the others); the lowest level when a reading has no hours
    (every period that can fail to count does not, and the others have no hours). If a reading makes G the
    predominant occupation, so does the reading where every period that can mean G means G, and every other period that can fail to count does not count: hours
    moved into G, or out of another group, never take G's place. Only the remaining periods are searched.
    """
    found = set()
    for group, level in sorted({option for c in counted for option in c.options if option[1] is not None}):
        if level in found:
            continue
        mine = [c for c in counted if (group, level) in c.options]
        hours = capped_hours([item for c in mine for item in c.items])
        rest = [c for c in counted if c.always and (group, level) not in c.options]
        rest.sort(key=lambda c: len(c.options))
        if hours > 0 and _others_fit(rest, {}, hours, level):
            found.add(level)
    if all(not c.always or capped_hours(list(c.items)) == 0 for c in counted):  # a reading where no work counts
        found.add(edition.lowest_threshold)
    return found


def _others_fit(rest: list[Counted], others: dict, hours: Fraction, level: int) -> bool:
    """Whether the periods in `rest` can each mean one of their unit groups so that no group of a higher
    level reaches `hours` and no other group exceeds it (depth first; a group only gains hours)."""
    if not rest:
        return True
    period, later = rest[0], rest[1:]
    for option in period.options:
        items = others.get(option, []) + list(period.items)
        total = capped_hours(items)
        if total < hours or (total == hours and option[1] <= level):
            if _others_fit(later, {**others, option: items}, hours, level):
                return True
    return False


def _groups_meant_twice(counted: list[Counted]) -> set:
    seen, twice = set(), set()
    for c in counted:
        for group in {group for group, threshold in c.options if threshold is not None}:
            (twice if group in seen else seen).add(group)
    return twice


def _distinct_options(n: int, period: Counted, shared: set) -> list:
    """The options of split period n that can lead to different outcomes (None = does not count)."""
    distinct = {}
    for group, threshold in period.options:
        if threshold is None:
            distinct[None] = None
        elif group in shared:
            distinct[group] = (group, threshold)
        else:
            distinct[("alone", threshold)] = (("alone", n, threshold), threshold)
    return list(distinct.values())


def _predominant_threshold(occupations: list) -> int | None:
    """The level of the occupation with the most hours (each capped within itself); ties take the higher
    level; None with no qualifying hours in this reading (87.1(2)(e) names no occupation: the lowest level
    of the edition applies, `possible_thresholds`)."""
    by_group: dict = {}
    for (group, threshold), items in occupations:
        by_group.setdefault((group, threshold), []).extend(items)
    hours = {key: capped_hours(items) for key, items in by_group.items()}
    top = max(hours.values(), default=Fraction(0))
    if top <= 0:
        return None
    return max(threshold for (_, threshold), h in hours.items() if h == top)


def language_met(best: int, counted: list[Counted], edition: Edition) -> bool | None:
    """Met when the best valid level reaches the level every reading requires; unmet when it reaches
    none of them; otherwise undetermined. Readings are enumerated only when the level is in between."""
    levels = set(edition.thresholds.values())
    if best >= max(levels):
        return True
    if best < min(levels):
        return False
    required = possible_thresholds(counted, edition)
    return True if best >= max(required) else False if best < min(required) else None


def never_together(best: int, counted: list[Counted], edition: Edition) -> bool:
    """Whether no reading both reaches the hours and requires a level `best` meets, although each criterion
    alone depends on the reading: then no reading is eligible (87.1(2) asks for both in one reading of the
    applicant's occupations). Beyond MAX_READINGS, False: the answer stays undetermined."""
    fixed = [(c.options[0], c.items) for c in counted if len(c.options) == 1 and c.options[0][1] is not None]
    split = [c for c in counted if len(c.options) > 1]
    choices = _choices(counted, split)
    if math.prod(len(options) for options in choices) > MAX_READINGS:
        return False
    for reading in itertools.product(*choices):
        chosen = fixed + [(option, c.items) for option, c in zip(reading, split) if option is not None]
        threshold = _predominant_threshold(chosen)
        if (
            threshold is not None
            and best >= threshold
            and capped_hours([item for _, items in chosen for item in items]) >= MIN_HOURS
        ):
            return False
    return True


# --- language results -----------------------------------------------------------------------------


def valid(result: Result, as_of: dt.date) -> bool:
    """Less than 2 years old on the assessment date, not after it, and of a test accepted for it."""
    return years_before(as_of, VALIDITY_YEARS) < result.date <= as_of and accepted(result, as_of)


def accepted(result: Result, as_of: dt.date) -> bool:
    """PTE Core: for assessments from IRCC's acceptance date, and only results dated from it."""
    since = ACCEPTED_FROM.get(result.test)
    return since is None or (as_of >= since and result.date >= since)


def best_level(results: list[Result], as_of: dt.date) -> int:
    """The highest lowest-ability level among valid results (0 when there is none)."""
    return max((min(r.levels) for r in results if valid(r, as_of)), default=0)


# --- the decision ---------------------------------------------------------------------------------


def decide(record) -> dict:
    """The CEC decision for one record (a parsed JSON object); ValueError when it is malformed.

    `met` per criterion is True, False or None (undetermined: the readings of a split NOC code
    disagree); `eligible` is Kleene's conjunction of them, except that it is False when the hours and the
    language are each undetermined but never met in the same reading (`never_together`).
    """
    applicant = parse(record)
    as_of = applicant["as_of"]
    edition = edition_for(as_of)
    counted = _counted(applicant, as_of, edition)
    low, high = experience_bounds(counted)
    met = {
        "skilled_work_experience": three_valued(low, high, MIN_HOURS),
        "language_proficiency": language_met(best_level(applicant["tests"], as_of), counted, edition),
        "outside_quebec": applicant["province"] not in EXCLUDED_PROVINCES,
        "admissibility": applicant["admissible"] is not False,
    }
    values = set(met.values())
    eligible = False if False in values else None if None in values else True
    if (
        met["skilled_work_experience"] is None
        and met["language_proficiency"] is None
        and never_together(best_level(applicant["tests"], as_of), counted, edition)
    ):
        eligible = False
    return {
        "applicant_id": applicant["id"],
        "eligible": eligible,
        "met": met,
        "unmet": [c for c in CRITERIA if met[c] is False],
        "undetermined": [c for c in CRITERIA if met[c] is None],
        "qualifying_hours_exact": str(low),
        "qualifying_hours_max_exact": str(high),
    }


def _counted(applicant: dict, as_of: dt.date, edition: Edition) -> list[Counted]:
    """The periods with qualifying days in the window that some reading of their code makes skilled."""
    window = (years_before(as_of, WINDOW_YEARS).toordinal(), as_of.toordinal() - 1)
    study = [
        (s.start.toordinal(), (s.end.toordinal() if s.end else window[1])) for s in applicant["study"] if s.full_time
    ]
    counted = []
    for work in applicant["work"]:
        if not worked_as_the_law_counts(work):
            continue
        period = Counted(
            options(work.occupation, edition), tuple((r, work.rate) for r in day_ranges(work, window, study))
        )
        if period.items and period.sometimes:
            counted.append(period)
    return counted


# --- command line ---------------------------------------------------------------------------------


def run(lines, out) -> tuple[int, int]:
    """Decide each JSON line; returns (decided, skipped)."""
    decided = skipped = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            decision = decide(json.loads(line))
        except ValueError:  # json.JSONDecodeError is a ValueError too
            skipped += 1
            continue
        out.write(json.dumps(decision) + "\n")
        decided += 1
    return decided, skipped


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="JSON Lines file of applicants (- for stdin)")
    parser.add_argument("-o", "--output", default="-", help="decisions as JSON Lines (- for stdout)")
    args = parser.parse_args(argv)
    source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    began = time.perf_counter()
    with source, out:
        decided, skipped = run(source, out)
    seconds = time.perf_counter() - began
    rate = (decided + skipped) / seconds if seconds else float("inf")
    print(
        f"baseline: {decided} decided, {skipped} malformed skipped in {seconds:.2f}s ({rate:,.0f} records/s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
