"""Deterministic generator of realistic synthetic CEC applicants, as JSON Lines.

Why: a benchmark and a cross-check need many applicants that look like real files (both NOC
editions, concurrent and part-time jobs, study overlaps, every designated test on its own scale,
expired results, boundary dates) plus a small share of the mistakes real input files contain. The
same --seed always gives the same bytes: only `random.Random(seed)` is used, never the clock.

It also puts applicants where the law is delicate, so that a cross-check sees them often: NOC codes
of the other classification that split into several unit groups (under both editions), one unit group
reported in both classifications, ties between occupations of different language levels, PTE Core
results dated around IRCC's acceptance date, and results on the day they turn 2 years old.

Usage: python bench/generate.py --count N --seed S [--malformed-share 0.005] -o FILE   (-o - = stdout)
Mix statistics go to stderr (as JSON) when the file is written.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
from collections import Counter
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "rulesets" / "data"
FIRST_DAY, LAST_DAY = dt.date(2016, 1, 1), dt.date(2026, 11, 1)
NOC2021_FROM = dt.date(2022, 11, 16)
PTE_ACCEPTED = dt.date(2024, 1, 30)
PTE_FIRST_SITTING = dt.date(2024, 2, 12)
ABILITIES = ("listening", "reading", "writing", "speaking")
# Dates where rules change or calendars are awkward: a few applicants are put right on them.
BOUNDARY_DAYS = [
    dt.date(2016, 2, 29),
    dt.date(2020, 2, 29),
    dt.date(2024, 2, 29),
    dt.date(2022, 11, 15),
    dt.date(2022, 11, 16),
    dt.date(2024, 1, 29),
    dt.date(2024, 1, 30),
    dt.date(2024, 2, 12),
    dt.date(2021, 10, 1),
    dt.date(2025, 12, 11),
    dt.date(2028, 2, 29),
]

PROVINCES = {
    "ON": 40,
    "BC": 19,
    "AB": 15,
    "MB": 5,
    "SK": 4,
    "NS": 4,
    "NB": 2,
    "QC": 3,
    "NL": 1,
    "PE": 1,
    "YT": 0.4,
    "NT": 0.3,
    "NU": 0.3,
}
LEVEL_WEIGHTS = {
    2021: {"0": 10, "1": 30, "2": 30, "3": 15, "4": 10, "5": 5},
    2016: {"0": 10, "A": 30, "B": 40, "C": 13, "D": 7},
}
# Levels whose CEC language level is 7 or 5 (for ties between occupations of different levels).
LEVELS_AT = {2021: {7: ["0", "1"], 5: ["2", "3"]}, 2016: {7: ["0", "A"], 5: ["B"]}}
FOREIGN = ["US", "IN", "PH", "CN", "GB", "FR", "NG", "MX", "BR", "IR", "KR", "VN"]
FULL_TIME_HOURS = {37.5: 30, 40: 30, 35: 10, 30: 8, 44: 5, 45: 5, 50: 4, 32.5: 3, 42.5: 2}
TEST_WEIGHTS = {"ielts_general": 40, "celpip_general": 25, "pte_core": 10, "tef_canada": 15, "tcf_canada": 10}
# Once PTE Core sittings exist it quickly takes a large share of the English tests.
TEST_WEIGHTS_FROM_PTE = {"ielts_general": 35, "celpip_general": 25, "pte_core": 20, "tef_canada": 12, "tcf_canada": 8}
MALFORMED_KINDS = (
    "invalid_json",
    "wrong_type",
    "impossible_date",
    "unknown_test",
    "negative_hours",
    "end_before_start",
    "noc_wrong_length",
    "noc_unknown",
    "score_off_scale",
    "not_an_object",
    "missing_field",
    "unknown_field",
    "unknown_province",
)


def pick(rng: random.Random, weights: dict):
    """One key of `weights`, drawn in proportion to its weight (dict order keeps it deterministic)."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --- data: real NOC codes by level, and the score tables ----------------------------------------


def load_codes() -> dict[int, dict[str, list[str]]]:
    """Codes by version and level (TEER digit, or 0/A/B/C/D), in file order."""
    codes: dict[int, dict[str, list[str]]] = {2021: {}, 2016: {}}
    for version, name, column in ((2021, "noc2021.csv", "teer"), (2016, "noc2016.csv", "skill_level_derived")):
        with open(DATA / "noc" / name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                codes[version].setdefault(row[column], []).append(row["code"])
    return codes


def load_crosswalk() -> dict[tuple[int, str], list[str]]:
    """(version, code) -> the codes of the other classification it corresponds to (StatCan's file)."""
    targets: dict[tuple[int, str], list[str]] = {}
    with open(DATA / "noc" / "noc2016_to_2021.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            targets.setdefault((2016, row["noc2016"]), []).append(row["noc2021"])
            targets.setdefault((2021, row["noc2021"]), []).append(row["noc2016"])
    return {key: sorted(set(codes)) for key, codes in targets.items()}


def load_tables() -> dict[str, list[dict]]:
    tables = {}
    for test in TEST_WEIGHTS:
        with open(DATA / "language" / f"{test}.yaml", encoding="utf-8") as handle:
            tables[test] = yaml.safe_load(handle)["tables"]
    return tables


CODES = load_codes()
LEVEL_OF = {
    (version, code): level for version, by_level in CODES.items() for level, codes in by_level.items() for code in codes
}
TABLES = load_tables()
CROSSWALK = load_crosswalk()
# Codes that mean several unit groups of the other classification: a reading must pick one.
SPLIT_CODES = {
    version: [code for code in codes_in_file_order if len(CROSSWALK[(version, code)]) > 1]
    for version, codes_in_file_order in ((v, [c for lvl in CODES[v].values() for c in lvl]) for v in (2016, 2021))
}


def unit_group(code: str, version: int, edition_version: int) -> str | None:
    """The edition's unit group a reported code denotes, or None for a split code."""
    if version == edition_version:
        return code
    targets = CROSSWALK[(version, code)]
    return targets[0] if len(targets) == 1 else None


def load_aliases() -> dict[int, dict[str, list[tuple[str, int]]]]:
    """Per edition classification: unit group -> every (code, version) that denotes it (itself, and the
    codes of the other classification whose only counterpart it is)."""
    aliases: dict[int, dict[str, list[tuple[str, int]]]] = {2016: {}, 2021: {}}
    for edition_version, by_group in aliases.items():
        for version, code in LEVEL_OF:
            group = unit_group(code, version, edition_version)
            if group is not None:
                by_group.setdefault(group, []).append((code, version))
    return aliases


ALIASES = load_aliases()
UNUSED_CODES = {
    2021: [c for c in (f"{n:05d}" for n in range(0, 100000, 7)) if (2021, c) not in LEVEL_OF][:200],
    2016: [c for c in (f"{n:04d}" for n in range(0, 10000, 3)) if (2016, c) not in LEVEL_OF][:200],
}


def table_for(test: str, day: dt.date) -> dict:
    for table in TABLES[test]:
        low, high = table["tests_from"], table["tests_to"]
        if (low is None or dt.date.fromisoformat(str(low)) <= day) and (
            high is None or day <= dt.date.fromisoformat(str(high))
        ):
            return table
    raise LookupError(f"no {test} table for {day}")


# --- one valid applicant --------------------------------------------------------------------------


class Generator:
    """Makes applicants from one seeded random stream; each draw is documented by its realism goal."""

    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)

    def applicant(self, n: int) -> dict:
        rng = self.rng
        as_of = self.application_date()
        record = {
            "id": f"G-{self.seed}-{n}",
            "application_date": as_of.isoformat(),
            "intended_province": pick(rng, PROVINCES),
        }
        record["language_tests"] = self.language_tests(as_of)
        study = self.study_history(as_of)
        record["work_history"] = self.work_history(as_of, study)
        record["study_history"] = study
        admissible = rng.random()
        if admissible < 0.01:
            record["admissible"] = False
        elif admissible < 0.30:
            record["admissible"] = True
        return record

    def application_date(self) -> dt.date:
        if self.rng.random() < 0.02:
            return self.rng.choice(BOUNDARY_DAYS)
        return FIRST_DAY + days(self.rng.randrange((LAST_DAY - FIRST_DAY).days + 1))

    # work ----------------------------------------------------------------------------------------
    def occupation(self, as_of: dt.date) -> tuple[str, int]:
        """Mostly the edition's classification; about 5% report the other one (old or new forms), and 4%
        more a code of the other one that splits into several unit groups of the edition's."""
        version = 2021 if as_of >= NOC2021_FROM else 2016
        draw = self.rng.random()
        if draw < 0.09:
            version = 2016 if version == 2021 else 2021
        if draw < 0.04:
            return self.rng.choice(SPLIT_CODES[version]), version
        level = pick(self.rng, LEVEL_WEIGHTS[version])
        return self.rng.choice(CODES[version][level]), version

    def alias(self, code: str, version: int, as_of: dt.date) -> tuple[str, int]:
        """The same unit group of the edition, reported in the other form when there is one (6322 for 63200)."""
        edition_version = 2021 if as_of >= NOC2021_FROM else 2016
        group = unit_group(code, version, edition_version)
        others = [alias for alias in ALIASES[edition_version].get(group, []) if alias != (code, version)]
        return self.rng.choice(others) if others else (code, version)

    def level_code(self, as_of: dt.date, language_level: int) -> tuple[str, int]:
        """A code of the edition's classification whose occupation needs `language_level`."""
        version = 2021 if as_of >= NOC2021_FROM else 2016
        return self.rng.choice(CODES[version][self.rng.choice(LEVELS_AT[version][language_level])]), version

    def work_history(self, as_of: dt.date, study: list[dict]) -> list[dict]:
        rng = self.rng
        shape = rng.random()
        if shape < 0.03:
            return []
        if shape < 0.08:
            return [self.exact_year_job(as_of)]
        if shape < 0.10:
            return self.tied_jobs(as_of)
        main = self.main_job(as_of)
        periods = [main]
        for _ in range(pick(rng, {0: 40, 1: 30, 2: 20, 3: 10})):
            periods.append(self.extra_job(as_of, main, study))
        rng.shuffle(periods)
        return periods

    def period(
        self, code: str, version: int, start: dt.date, end: dt.date | None, hours: float, country: str = "CA"
    ) -> dict:
        """A work period with the realistic share of problems: unpaid, self-employed, unauthorized."""
        rng = self.rng
        return {
            "noc_code": code,
            "noc_version": version,
            "country": country,
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
            "hours_per_week": hours,
            "paid": rng.random() >= 0.03,
            "self_employed": rng.random() < 0.04,
            "authorized": rng.random() >= 0.03,
        }

    def main_job(self, as_of: dt.date) -> dict:
        """The job the application rests on: often ongoing, of a length spread around one year."""
        rng = self.rng
        code, version = self.occupation(as_of)
        ongoing = rng.random() < 0.55
        end = None if ongoing else as_of - days(rng.randint(1, 900))
        start = (end or as_of) - days(rng.randint(60, 1700))
        if not ongoing and rng.random() < 0.03:
            end = as_of + days(rng.randint(0, 200))  # contract end date already set in the future
        hours = pick(rng, FULL_TIME_HOURS) if rng.random() < 0.85 else self.part_time_hours()
        return self.period(code, version, start, end, hours)

    def part_time_hours(self) -> float | int:
        """10 to 29.5 hours, mostly whole or half hours, a few decimals as payroll exports write them.

        About 1% are float sums of three timesheet entries (e.g. 3.4 + 6.9 + 9.9 = 20.200000000000003),
        as machine exports write them: exact arithmetic must take the decimal as written.
        """
        draw = self.rng.random()
        if draw < 0.01:
            return sum(self.rng.randrange(34, 100) / 10 for _ in range(3))
        if draw < 0.05:
            return round(self.rng.uniform(10, 29), 2)
        value = self.rng.randrange(20, 60) / 2
        return int(value) if value == int(value) else value

    def extra_job(self, as_of: dt.date, main: dict, study: list[dict]) -> dict:
        """Concurrent part-time work, an earlier job, a job abroad, or work during studies."""
        rng = self.rng
        kind = pick(rng, {"concurrent": 35, "earlier": 30, "abroad": 20, "during_study": 15})
        if kind == "during_study" and study:
            return self.job_during(study[0], as_of)
        code, version = self.occupation(as_of)
        if kind == "concurrent":
            same = rng.random()
            if same < 0.3:
                code, version = main["noc_code"], main["noc_version"]
            elif same < 0.45:
                code, version = self.alias(main["noc_code"], main["noc_version"], as_of)
            start = min(dt.date.fromisoformat(main["start"]) + days(rng.randint(0, 200)), as_of - days(1))
            end = None if rng.random() < 0.5 else start + days(rng.randint(30, 600))
            return self.period(code, version, start, end, self.part_time_hours())
        end = dt.date.fromisoformat(main["start"]) - days(rng.randint(1, 400))
        start = end - days(rng.randint(60, 1500))
        country = rng.choice(FOREIGN) if kind == "abroad" else "CA"
        return self.period(code, version, start, end, pick(rng, FULL_TIME_HOURS), country)

    def job_during(self, study: dict, as_of: dt.date) -> dict:
        """Off-campus work while studying: 20 h/week (the usual permit condition) or more."""
        code, version = self.occupation(as_of)
        start = dt.date.fromisoformat(study["start"]) + days(self.rng.randint(0, 120))
        end = dt.date.fromisoformat(study["end"]) if study["end"] else None
        if end is not None and end < start:
            end = start
        return self.period(code, version, start, end, self.rng.choice([10, 15, 20, 20, 20, 24, 25]))

    def exact_year_job(self, as_of: dt.date) -> dict:
        """Right at the 1,560-hour line: 363 to 365 days at 30 or 40 h/week, ending near as_of."""
        rng = self.rng
        code, version = self.occupation(as_of)
        end = as_of - days(rng.choice([1, 1, 1, 2, 3, 7, 30]))
        start = end - days(rng.choice([362, 363, 364]))
        job = self.period(code, version, start, end, rng.choice([30, 30, 37.5, 40]))
        job.update(paid=True, self_employed=False, authorized=True)
        return job

    def tied_jobs(self, as_of: dt.date) -> list[dict]:
        """Two concurrent jobs with the same days and hours, one needing CLB 7 and one CLB 5: a tie that
        87.1(2)(e) breaks by taking the higher level. Sometimes one of them is a split code instead."""
        rng = self.rng
        end = None if rng.random() < 0.5 else as_of - days(rng.randint(1, 200))
        start = (end or as_of) - days(rng.randint(200, 1100))
        hours = rng.choice([15, 15, 20, 20, 25, 30])
        first, second = self.level_code(as_of, 7), self.level_code(as_of, 5)
        if rng.random() < 0.25:
            second = self.occupation(as_of) if rng.random() < 0.5 else self.alias(*first, as_of)
        jobs = [self.period(code, version, start, end, hours) for code, version in (first, second)]
        for job in jobs:
            job.update(paid=True, self_employed=False, authorized=True)
        rng.shuffle(jobs)
        return jobs

    # study ---------------------------------------------------------------------------------------
    def study_history(self, as_of: dt.date) -> list[dict]:
        """Most CEC applicants studied in Canada first; some still study part-time."""
        rng = self.rng
        count = pick(rng, {0: 60, 1: 30, 2: 10})
        periods = []
        for _ in range(count):
            start = as_of - days(rng.randint(200, 2600))
            end = start + days(rng.randint(120, 1500))
            ongoing = end >= as_of or rng.random() < 0.05
            periods.append(
                {
                    "start": start.isoformat(),
                    "end": None if ongoing else end.isoformat(),
                    "full_time": rng.random() < 0.7,
                    "country": "CA" if rng.random() < 0.85 else rng.choice(FOREIGN),
                }
            )
        return periods

    # language ------------------------------------------------------------------------------------
    def language_tests(self, as_of: dt.date) -> list[dict]:
        count = pick(self.rng, {0: 8, 1: 60, 2: 25, 3: 7})
        centre = min(11, max(3, round(self.rng.gauss(7, 1.7))))
        return [self.language_test(as_of, centre) for _ in range(count)]

    def test_date(self, as_of: dt.date) -> dt.date:
        """Mostly valid; some expired; a few right on the 2-year limit; a very few after as_of."""
        rng, oldest = self.rng, years_before(as_of, 2)
        kind = pick(rng, {"valid": 78, "expired": 16, "limit": 5, "later": 1})
        if kind == "valid":
            return oldest + days(rng.randint(0, (as_of - oldest).days))
        if kind == "expired":
            return oldest - days(rng.randint(1, 1100))
        if kind == "limit":
            return oldest + days(rng.choice([-1, 0, 0, 1]))
        return as_of + days(rng.randint(1, 60))

    def language_test(self, as_of: dt.date, centre: int) -> dict:
        rng = self.rng
        day = self.test_date(as_of)
        test = pick(rng, TEST_WEIGHTS_FROM_PTE if day >= PTE_FIRST_SITTING else TEST_WEIGHTS)
        if test == "pte_core" and day < PTE_FIRST_SITTING:
            test = "ielts_general"  # no PTE Core sitting existed yet
        if as_of >= PTE_ACCEPTED - days(3) and rng.random() < 0.04:
            test, day = "pte_core", PTE_ACCEPTED + days(rng.randint(-3, 3))  # around the acceptance date
        table = table_for(test, day)
        result = {"test": test, "date": day.isoformat()}
        for ability in ABILITIES:
            level = centre + rng.choice([-1, 0, 0, 1])
            result[ability] = self.score(table, ability, level)
        return result

    def score(self, table: dict, ability: str, level: int):
        """A score on the table's scale and step that converts to `level` (clamped to the table)."""
        scale, minimums = table["score_range"][ability], table["minimum_score"][ability]
        levels = sorted(int(k) for k in minimums)
        step = scale["step"]
        if level < levels[0]:
            low, high = scale["min"], minimums[levels[0]] - step
        else:
            level = min(level, levels[-1])
            low = minimums[level]
            high = minimums[level + 1] - step if level + 1 in minimums else scale["max"]
        value = low + step * self.rng.randint(0, round((high - low) / step))
        return float(value) if isinstance(step, float) else int(value)


# --- malformed records ----------------------------------------------------------------------------


class Corrupter:
    """Turns a valid record into one line a real batch might contain that the contract rejects."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def line(self, record: dict) -> tuple[str, str]:
        kind = self.rng.choice(MALFORMED_KINDS)
        if kind == "invalid_json":
            return kind, self.invalid_json(json.dumps(record))
        if kind == "not_an_object":
            return kind, json.dumps(self.rng.choice([[record], record["id"], None, 42]))
        detail = getattr(self, kind)(record)
        return f"{kind}:{detail}" if detail else kind, json.dumps(record)

    def invalid_json(self, text: str) -> str:
        cut = self.rng.choice(["truncate", "single_quotes", "trailing_comma", "bare_word"])
        if cut == "truncate":
            return text[: self.rng.randint(1, len(text) - 1)]
        if cut == "single_quotes":
            return text.replace('"', "'")
        if cut == "trailing_comma":
            return text[:-1] + ",}"
        return text.replace("true", "yes", 1) if "true" in text else text.replace("null", "None", 1) + "x"

    def _work(self, record: dict) -> dict:
        if not record["work_history"]:
            record["work_history"].append(
                {
                    "noc_code": "21231",
                    "noc_version": 2021,
                    "country": "CA",
                    "start": "2023-01-02",
                    "end": None,
                    "hours_per_week": 40,
                    "paid": True,
                    "self_employed": False,
                    "authorized": True,
                }
            )
        return self.rng.choice(record["work_history"])

    def _test(self, record: dict) -> dict:
        if not record["language_tests"]:
            record["language_tests"].append(
                {
                    "test": "celpip_general",
                    "date": record["application_date"],
                    "listening": 9,
                    "reading": 8,
                    "writing": 8,
                    "speaking": 9,
                }
            )
        return self.rng.choice(record["language_tests"])

    def wrong_type(self, record: dict) -> str:
        """The type slips of exports and hand edits: numbers as text, unquoted codes, dates as numbers."""
        slip = self.rng.choice(
            [
                "noc_int",
                "paid_text",
                "hours_text",
                "version_text",
                "admissible_text",
                "score_text",
                "work_dict",
                "id_int",
                "date_datetime",
                "date_epoch",
            ]
        )
        work, test = self._work(record), self._test(record)
        if slip == "noc_int":
            work["noc_code"] = int(work["noc_code"])
        elif slip == "paid_text":
            work["paid"] = "yes"
        elif slip == "hours_text":
            work["hours_per_week"] = str(work["hours_per_week"])
        elif slip == "version_text":
            work["noc_version"] = str(work["noc_version"])
        elif slip == "admissible_text":
            record["admissible"] = "false"
        elif slip == "score_text":
            test["reading"] = str(test["reading"])
        elif slip == "work_dict":
            record["work_history"] = work
        elif slip == "id_int":
            record["id"] = 1000 + self.rng.randint(0, 9999)
        else:
            holder, key = self.rng.choice([(record, "application_date"), (work, "start"), (test, "date")])
            if slip == "date_datetime":
                holder[key] += "T00:00:00"
            else:
                holder[key] = (dt.date.fromisoformat(holder[key]) - dt.date(1970, 1, 1)).days * 86400
        return slip

    def impossible_date(self, record: dict) -> None:
        bad = self.rng.choice(["2023-02-30", "2021-02-29", "2024-13-01", "2022-04-31", "2025-00-10"])
        target = self.rng.choice(["application", "work", "test"])
        if target == "application":
            record["application_date"] = bad
        elif target == "work":
            self._work(record)["start"] = bad
        else:
            self._test(record)["date"] = bad

    def unknown_test(self, record: dict) -> None:
        self._test(record)["test"] = self.rng.choice(
            ["ielts_academic", "toefl_ibt", "celpip_ls", "pte_academic", "IELTS"]
        )

    def negative_hours(self, record: dict) -> None:
        self._work(record)["hours_per_week"] = -self.rng.choice([37.5, 20, 40, 0.5])

    def end_before_start(self, record: dict) -> None:
        if record["study_history"] and self.rng.random() < 0.3:
            period = self.rng.choice(record["study_history"])
        else:
            period = self._work(record)
        start = dt.date.fromisoformat(period["start"])
        period["end"] = (start - days(self.rng.randint(1, 300))).isoformat()

    def noc_wrong_length(self, record: dict) -> None:
        work = self._work(record)
        code = work["noc_code"]
        work["noc_code"] = self.rng.choice([code[:-1] if len(code) == 5 else code + "0", code + "1", code[:3]])

    def noc_unknown(self, record: dict) -> None:
        work = self._work(record)
        work["noc_code"] = self.rng.choice(UNUSED_CODES[work["noc_version"]])

    def score_off_scale(self, record: dict) -> None:
        """Off the step or the range: IELTS 6.3, CELPIP 13, a TEF /699 score on an old-scale date."""
        test = self._test(record)
        ability = self.rng.choice(ABILITIES)
        test[ability] = {
            "ielts_general": 6.3,
            "celpip_general": 13,
            "pte_core": 5,
            "tef_canada": 700,
            "tcf_canada": 21 if ability in ("writing", "speaking") else 700,
        }[test["test"]]

    def missing_field(self, record: dict) -> None:
        del record[self.rng.choice(["id", "application_date", "intended_province"])]

    def unknown_province(self, record: dict) -> None:
        """Retired or mistaken abbreviations (PQ, NF, YK), a full name, lower case, or no province at all."""
        record["intended_province"] = self.rng.choice(["PQ", "NF", "YK", "Ontario", "on", "XX", ""])

    def unknown_field(self, record: dict) -> None:
        self._work(record)["employer"] = "Acme Ltd."


# --- statistics and the command line --------------------------------------------------------------


class Stats:
    """Counters of the mix (constant memory: bounded keys), reported as JSON on stderr."""

    def __init__(self):
        self.c: dict[str, Counter] = {}

    def add(self, group: str, key) -> None:
        self.c.setdefault(group, Counter())[str(key)] += 1

    def record(self, record: dict) -> None:
        as_of = dt.date.fromisoformat(record["application_date"])
        edition = 2021 if as_of >= NOC2021_FROM else 2016
        self.add("edition", edition)
        self.add("application_year", as_of.year)
        self.add("province_qc", record["intended_province"] == "QC")
        self.add("admissible", record.get("admissible", "absent"))
        self.add("work_periods", len(record["work_history"]))
        self.add("study_periods", len(record["study_history"]))
        self.add("language_tests", len(record["language_tests"]))
        for work in record["work_history"]:
            self.work(work, edition)
        self.add("same_unit_group_in_both_classifications", _both_forms(record["work_history"], edition))
        for study in record["study_history"]:
            self.add("study_full_time", study["full_time"])
        for test in record["language_tests"]:
            self.test(test, as_of)

    def work(self, work: dict, edition: int) -> None:
        version, code = work["noc_version"], work["noc_code"]
        split = unit_group(code, version, edition) is None
        self.add("noc_version_vs_edition", "same" if version == edition else "other, split" if split else "other")
        if split:
            self.add("split_codes_by_edition", edition)
        self.add(f"noc{version}_level", LEVEL_OF[(version, code)])
        self.add(
            "hours_per_week",
            "37.5"
            if work["hours_per_week"] == 37.5
            else "<30"
            if work["hours_per_week"] < 30
            else "30-37"
            if work["hours_per_week"] < 37.5
            else ">37.5",
        )
        for flag, bad in (("paid", False), ("self_employed", True), ("authorized", False)):
            if work[flag] is bad:
                self.add("work_flags", f"{flag}={bad}")
        self.add("work_country_ca", work["country"] == "CA")
        self.add("work_ongoing", work["end"] is None)

    def test(self, test: dict, as_of: dt.date) -> None:
        self.add("test_kind", test["test"])
        day = dt.date.fromisoformat(test["date"])
        oldest = years_before(as_of, 2)
        status = (
            "later"
            if day > as_of
            else "2 years old: expired"
            if day == oldest
            else "expired"
            if day < oldest
            else "a day under 2 years old"
            if day == oldest + days(1)
            else "valid"
        )
        self.add("test_date", status)
        if test["test"] == "pte_core" and abs((day - PTE_ACCEPTED).days) <= 3:
            self.add("pte_core_around_acceptance", "before" if day < PTE_ACCEPTED else "from")
        if test["test"] == "tef_canada":
            self.add("tef_table", table_for("tef_canada", day)["name"][:60])

    def as_json(self) -> str:
        return json.dumps({g: dict(sorted(c.items())) for g, c in sorted(self.c.items())}, indent=1)


def _both_forms(work_history: list[dict], edition: int) -> bool:
    """Whether one unit group of the edition is reported in both classifications."""
    forms: dict[str, set[int]] = {}
    for work in work_history:
        group = unit_group(work["noc_code"], work["noc_version"], edition)
        if group is not None:
            forms.setdefault(group, set()).add(work["noc_version"])
    return any(len(versions) == 2 for versions in forms.values())


def generate(count: int, seed: int, malformed_share: float, out) -> Stats:
    """Write `count` lines; the malformed draw uses its own stream so valid records do not shift."""
    generator, corrupter = Generator(seed), Corrupter(random.Random(f"malformed-{seed}"))
    stats = Stats()
    for n in range(1, count + 1):
        record = generator.applicant(n)
        if corrupter.rng.random() < malformed_share:
            kind, line = corrupter.line(record)
            stats.add("malformed", kind)
        else:
            stats.record(record)
            line = json.dumps(record)
        out.write(line + "\n")
    return stats


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--malformed-share", type=float, default=0.005)
    parser.add_argument("-o", "--output", default="-", help="JSON Lines file (- for stdout)")
    args = parser.parse_args(argv)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    with out:
        stats = generate(args.count, args.seed, args.malformed_share, out)
    print(stats.as_json(), file=sys.stderr)


if __name__ == "__main__":
    main()
