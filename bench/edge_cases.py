"""Hand-made boundary applicants with hand-worked expected outcomes: a third opinion for the cross-check.

Why: random applicants rarely sit exactly on a boundary (1,560 h, 29 February, the 2-year limit, a
tie between occupations, a TEF table change, a crosswalk split, PTE Core's acceptance date), and when
the engine and the baseline agree they may share a misreading. Each case here states what DESIGN.md
("CEC semantics fixed here") says the answer is, worked out by hand, and both sides are checked
against it: the unmet and the undetermined criteria (so `eligible`, which follows from them by
Kleene's rule) and the exact hours that count in every reading of the NOC codes.

Usage: python bench/edge_cases.py [-o FILE]   (prints one line per case; -o also writes the records as
JSON Lines, so that bench/crosscheck.py can be run on them)
"""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crosscheck import Sides  # noqa: E402

ALL = ["skilled_work_experience", "language_proficiency", "outside_quebec", "admissibility"]
SKILL, LANG = ALL[0], ALL[1]
IELTS = {
    9: (8.0, 7.0, 7.0, 7.0),
    7: (6.0, 6.0, 6.0, 6.0),
    6: (5.5, 5.0, 5.5, 5.5),
    5: (5.0, 4.0, 5.0, 5.0),
    4: (4.5, 3.5, 4.0, 4.0),
}
PTE_CLB10 = (90, 90, 90, 90)


def ielts(clb: int, date: str) -> dict:
    listening, reading, writing, speaking = IELTS[clb]
    return {
        "test": "ielts_general",
        "date": date,
        "listening": listening,
        "reading": reading,
        "writing": writing,
        "speaking": speaking,
    }


def scores(test: str, date: str, listening, reading, writing, speaking) -> dict:
    return {
        "test": test,
        "date": date,
        "listening": listening,
        "reading": reading,
        "writing": writing,
        "speaking": speaking,
    }


def work(code: str, start: str, end: str | None, hours=40, **flags) -> dict:
    period = {
        "noc_code": code,
        "noc_version": 2021 if len(code) == 5 else 2016,
        "country": "CA",
        "start": start,
        "end": end,
        "hours_per_week": hours,
        "paid": True,
        "self_employed": False,
        "authorized": True,
    }
    period.update(flags)
    return period


def applicant(name: str, as_of: str, works: list, tests: list, study: list | None = None, **extra) -> dict:
    return {
        "id": name,
        "application_date": as_of,
        "intended_province": extra.pop("province", "ON"),
        "language_tests": tests,
        "work_history": works,
        "study_history": study or [],
        **extra,
    }


# as_of 2025-01-06 is a Monday: a job from 2023-01-09 (Mon) to 2025-01-05 (Sun) is 104 whole ISO weeks.
MON, TWO_YEARS_FROM, SUN = "2025-01-06", "2023-01-09", "2025-01-05"
GOOD_TEST = ielts(9, "2024-06-01")
LEAP_TEST = ielts(9, "2023-06-01")  # valid on 2024-02-29


def want(unmet=(), undetermined=(), hours=None, never_together=False) -> dict:
    """An expected outcome: the criteria unmet and undetermined (the others met), and the exact hours;
    `never_together`: the undetermined criteria are never met in the same reading (not eligible)."""
    expected = {"unmet": list(unmet), "undetermined": list(undetermined)}
    if hours is not None:
        expected["hours"] = str(hours)
    if never_together:
        expected["never_together"] = True
    return expected


REJECTED = {"rejected": True}


def cases() -> list[tuple[dict, dict]]:
    """(record, expected): see `want`, or REJECTED."""
    return hours_cases() + occupation_cases() + split_cases() + date_cases() + test_cases() + other_cases()


def hours_cases() -> list[tuple[dict, dict]]:
    """The 1,560 line with exact arithmetic, the weekly cap, full-time study."""
    return [
        (applicant("exact-364-days-30h", MON, [work("21231", "2024-01-08", SUN, 30)], [GOOD_TEST]), want(hours=1560)),
        (
            applicant("363-days-30h", MON, [work("21231", "2024-01-09", SUN, 30)], [GOOD_TEST]),
            want([SKILL], hours=Fraction(1560) - Fraction(30, 7)),
        ),
        # 51 ISO weeks at 30 h plus one week at 29.999999999999996 h: 1,559.999999999999996 h exactly.
        (
            applicant(
                "float-sum-just-below-1560",
                MON,
                [work("21231", "2024-01-15", SUN, 30), work("21231", "2024-01-08", "2024-01-14", 29.999999999999996)],
                [GOOD_TEST],
            ),
            want([SKILL], hours=Fraction("1559.999999999999996")),
        ),
        (
            applicant(
                "concurrent-full-time-capped",
                MON,
                [work("21231", "2024-03-04", SUN, 40), work("21232", "2024-03-04", SUN, 40)],
                [GOOD_TEST],
            ),
            want([SKILL], hours=44 * 30),
        ),
        (
            applicant("ongoing-job-ends-day-before-as-of", MON, [work("21231", "2024-01-08", None, 30)], [GOOD_TEST]),
            want(hours=1560),
        ),
        (
            applicant(
                "full-time-study-abroad-excludes",
                MON,
                [work("21231", TWO_YEARS_FROM, SUN, 30)],
                [GOOD_TEST],
                [{"start": "2023-01-09", "end": "2024-01-07", "full_time": True, "country": "FR"}],
            ),
            want(hours=1560),
        ),
        (
            applicant(
                "part-time-study-does-not-exclude",
                MON,
                [work("21231", TWO_YEARS_FROM, SUN, 30)],
                [GOOD_TEST],
                [{"start": "2023-01-09", "end": None, "full_time": False, "country": "CA"}],
            ),
            want(hours=3120),
        ),
        (
            applicant(
                "ongoing-full-time-study-excludes-all",
                MON,
                [work("21231", TWO_YEARS_FROM, SUN, 30)],
                [GOOD_TEST],
                [{"start": "2022-09-01", "end": None, "full_time": True, "country": "CA"}],
            ),
            want([SKILL], hours=0),
        ),
    ]


def occupation_cases() -> list[tuple[dict, dict]]:
    """87.1(2)(e): occupations are unit groups of the edition, each capped at 30 h a week within itself;
    the one with the most hours sets the level; ties take the higher level; no hours, the lowest."""
    return [
        (
            applicant(
                "tie-teer1-teer2-clb6",
                MON,
                [work("22220", TWO_YEARS_FROM, SUN, 20), work("21231", TWO_YEARS_FROM, SUN, 20)],
                [ielts(6, "2024-06-01")],
            ),
            want([LANG], hours=3120),
        ),
        (
            applicant(
                "tie-teer2-teer1-clb6",
                MON,
                [work("21231", TWO_YEARS_FROM, SUN, 20), work("22220", TWO_YEARS_FROM, SUN, 20)],
                [ielts(6, "2024-06-01")],
            ),
            want([LANG], hours=3120),
        ),
        (
            applicant(
                "tie-teer1-teer2-clb7",
                MON,
                [work("22220", TWO_YEARS_FROM, SUN, 20), work("21231", TWO_YEARS_FROM, SUN, 20)],
                [ielts(7, "2024-06-01")],
            ),
            want(hours=3120),
        ),
        (
            applicant(
                "teer2-has-most-hours-clb6",
                MON,
                [work("22220", TWO_YEARS_FROM, SUN, 21), work("21231", TWO_YEARS_FROM, SUN, 20)],
                [ielts(6, "2024-06-01")],
            ),
            want(hours=3120),
        ),
        # Two TEER 2 jobs of 25 h are one occupation of 30 h a week, not 50: a tie with the 30 h TEER 1 job.
        (
            applicant(
                "cap-within-occupation-makes-a-tie-clb6",
                MON,
                [
                    work("22220", TWO_YEARS_FROM, SUN, 25),
                    work("22220", TWO_YEARS_FROM, SUN, 25),
                    work("21231", TWO_YEARS_FROM, SUN, 30),
                ],
                [ielts(6, "2024-06-01")],
            ),
            want([LANG], hours=3120),
        ),
        # NOC 2016 6322 has one NOC 2021 counterpart, 63200: the same occupation (cooks), 30 h a week > 25 h.
        (
            applicant(
                "same-unit-group-6322-and-63200-clb6",
                MON,
                [
                    work("6322", TWO_YEARS_FROM, SUN, 20),
                    work("63200", TWO_YEARS_FROM, SUN, 20),
                    work("21231", TWO_YEARS_FROM, SUN, 25),
                ],
                [ielts(6, "2024-06-01")],
            ),
            want(hours=3120),
        ),
        # Two different TEER 3 unit groups stay apart: the 25 h TEER 1 job has the most hours.
        (
            applicant(
                "two-teer3-unit-groups-not-merged-clb6",
                MON,
                [
                    work("43203", TWO_YEARS_FROM, SUN, 20),
                    work("63200", TWO_YEARS_FROM, SUN, 20),
                    work("21231", TWO_YEARS_FROM, SUN, 25),
                ],
                [ielts(6, "2024-06-01")],
            ),
            want([LANG], hours=3120),
        ),
        (applicant("no-qualifying-work-clb5", MON, [], [ielts(5, "2024-06-01")]), want([SKILL], hours=0)),
        (
            applicant(
                "only-teer4-work-lowest-level-clb5", MON, [work("44101", TWO_YEARS_FROM, SUN)], [ielts(5, "2024-06-01")]
            ),
            want([SKILL], hours=0),
        ),
        (
            applicant("no-qualifying-work-2016-edition-clb5", "2021-01-04", [], [ielts(5, "2020-06-01")]),
            want([SKILL], hours=0),
        ),
        # One counterpart each: the code in the other classification is that unit group.
        (
            applicant(
                "2016-code-0431-to-teer0-and-1-clb6", MON, [work("0431", TWO_YEARS_FROM, SUN)], [ielts(6, "2024-06-01")]
            ),
            want([LANG], hours=3120),
        ),
        (
            applicant(
                "2021-code-11200-to-0-and-A-in-2016-edition-clb6",
                "2021-01-04",
                [work("11200", "2019-01-07", "2021-01-03")],
                [ielts(6, "2020-06-01")],
            ),
            want([LANG], hours=3120),
        ),
        (
            applicant(
                "2022-11-15-teer3-code-is-2016-C",
                "2022-11-15",
                [work("73300", "2020-11-16", "2022-11-14")],
                [ielts(9, "2022-06-01")],
            ),
            want([SKILL], hours=0),
        ),
        (
            applicant(
                "2022-11-16-teer3-truck-driver",
                "2022-11-16",
                [work("73300", "2020-11-16", "2022-11-15")],
                [ielts(9, "2022-06-01")],
            ),
            want(hours=30 * 104 + Fraction(2 * 40, 7)),
        ),
    ]


def split_cases() -> list[tuple[dict, dict]]:
    """A code with several counterparts in the edition's classification: decided when every reading agrees.

    2263 (2016) -> 21120 (TEER 1) or 22232 (TEER 2); 1228 -> 12104 (TEER 2) or 43203 (TEER 3);
    1523 -> 13201 (TEER 3) or 14402 (TEER 4); 1511 -> 64401 or 74100 (both TEER 4);
    31303 (2021) -> 3124, 3125, 4153 (A) or 3212 (B); 22232 (2021) -> 0112 (0) or 2263 (B).
    """
    return [
        (
            applicant(
                "split-2263-changes-the-level-clb5", MON, [work("2263", TWO_YEARS_FROM, SUN)], [ielts(5, "2024-06-01")]
            ),
            want(undetermined=[LANG], hours=3120),
        ),
        (
            applicant(
                "split-2263-clb7-met-in-every-reading",
                MON,
                [work("2263", TWO_YEARS_FROM, SUN)],
                [ielts(7, "2024-06-01")],
            ),
            want(hours=3120),
        ),
        (
            applicant(
                "split-2263-clb4-unmet-in-every-reading",
                MON,
                [work("2263", TWO_YEARS_FROM, SUN)],
                [ielts(4, "2024-06-01")],
            ),
            want([LANG], hours=3120),
        ),
        (
            applicant(
                "split-undetermined-but-quebec-is-ineligible",
                MON,
                [work("2263", TWO_YEARS_FROM, SUN)],
                [ielts(5, "2024-06-01")],
                province="QC",
            ),
            want(["outside_quebec"], [LANG], hours=3120),
        ),
        (
            applicant(
                "split-1228-all-skilled-same-level", MON, [work("1228", TWO_YEARS_FROM, SUN)], [ielts(5, "2024-06-01")]
            ),
            want(hours=3120),
        ),
        (
            applicant(
                "split-31303-all-skilled-2016-edition-clb9",
                "2021-01-04",
                [work("31303", "2019-01-07", "2021-01-03")],
                [ielts(9, "2020-06-01")],
            ),
            want(hours=3120),
        ),
        (
            applicant(
                "split-31303-level-A-or-B-2016-edition-clb6",
                "2021-01-04",
                [work("31303", "2019-01-07", "2021-01-03")],
                [ielts(6, "2020-06-01")],
            ),
            want(undetermined=[LANG], hours=3120),
        ),
        (
            applicant(
                "split-22232-0-or-B-2016-edition-clb5",
                "2021-01-04",
                [work("22232", "2019-01-07", "2021-01-03")],
                [ielts(5, "2020-06-01")],
            ),
            want(undetermined=[LANG], hours=3120),
        ),
        (
            applicant(
                "split-1523-teer3-or-4-hours-undetermined", MON, [work("1523", TWO_YEARS_FROM, SUN, 30)], [GOOD_TEST]
            ),
            want(undetermined=[SKILL], hours=0),
        ),
        (
            applicant(
                "split-1523-hours-undetermined-language-unmet",
                MON,
                [work("1523", TWO_YEARS_FROM, SUN, 30)],
                [ielts(4, "2024-06-01")],
            ),
            want([LANG], [SKILL], hours=0),
        ),
        (
            applicant(
                "split-1523-sure-hours-reach-1560",
                MON,
                [work("1523", TWO_YEARS_FROM, SUN, 40), work("21231", "2024-01-08", SUN, 30)],
                [GOOD_TEST],
            ),
            want(hours=1560),
        ),
        (
            applicant("split-1523-too-few-in-every-reading", MON, [work("1523", "2024-08-05", SUN, 30)], [GOOD_TEST]),
            want([SKILL], hours=0),
        ),
        (
            applicant("split-1511-never-skilled", MON, [work("1511", TWO_YEARS_FROM, SUN)], [GOOD_TEST]),
            want([SKILL], hours=0),
        ),
        # The 30 h TEER 2 job has the most hours whichever unit group 2263 (15 h) is.
        (
            applicant(
                "split-settled-by-the-predominant-job-clb5",
                MON,
                [work("2263", TWO_YEARS_FROM, SUN, 15), work("22220", TWO_YEARS_FROM, SUN, 30)],
                [ielts(5, "2024-06-01")],
            ),
            want(hours=3120),
        ),
        # Read as 22232, 2263's 20 h join the 15 h of 22232 (30 h a week > 25 h: CLB 5); read as 21120, the
        # 25 h TEER 1 job has the most hours (CLB 7).
        (
            applicant(
                "split-joins-another-period-unit-group-clb6",
                MON,
                [
                    work("2263", TWO_YEARS_FROM, SUN, 20),
                    work("22232", TWO_YEARS_FROM, SUN, 15),
                    work("21231", TWO_YEARS_FROM, SUN, 25),
                ],
                [ielts(6, "2024-06-01")],
            ),
            want(undetermined=[LANG], hours=3120),
        ),
        # Both counterparts of 1228 need CLB 5, yet the readings disagree: as 43203 it joins the 43203 job.
        (
            applicant(
                "split-same-levels-but-joins-a-unit-group-clb6",
                MON,
                [
                    work("1228", TWO_YEARS_FROM, SUN, 20),
                    work("43203", TWO_YEARS_FROM, SUN, 20),
                    work("21231", TWO_YEARS_FROM, SUN, 25),
                ],
                [ielts(6, "2024-06-01")],
            ),
            want(undetermined=[LANG], hours=3120),
        ),
        # 1123 -> 10022 (TEER 0), 11202 (TEER 1) or 64409 (TEER 4): CLB 7 wherever the hours count; in the
        # reading without hours the lowest level (CLB 5) applies, so CLB 6 is undetermined, and no reading
        # is eligible (no hours where CLB 6 passes).
        (
            applicant(
                "split-1123-clb6-open-never-eligible",
                MON,
                [work("1123", TWO_YEARS_FROM, SUN, 30)],
                [ielts(6, "2024-06-01")],
            ),
            want(undetermined=[SKILL, LANG], hours=0, never_together=True),
        ),
        (
            applicant(
                "split-1123-clb7-met-where-hours-count",
                MON,
                [work("1123", TWO_YEARS_FROM, SUN, 30)],
                [ielts(7, "2024-06-01")],
            ),
            want(undetermined=[SKILL], hours=0),
        ),
        # With 1,200 h certain in 43109 (TEER 3, CLB 5) beside 1123's 1,560 h: read as 10022 or 11202, 2,760 h
        # but CLB 7 is needed; read as 64409, CLB 5 is met but only 1,200 h count. Each criterion depends on
        # the reading, and no reading meets both: not eligible.
        (
            applicant(
                "split-1123-hours-and-level-never-together-clb6",
                MON,
                [work("43109", "2024-04-01", SUN, 30), work("1123", "2023-01-09", "2024-01-07", 30)],
                [ielts(6, "2024-06-01")],
            ),
            want(undetermined=[SKILL, LANG], hours=1200, never_together=True),
        ),
        (
            applicant(
                "split-1123-hours-and-level-together-clb7",
                MON,
                [work("43109", "2024-04-01", SUN, 30), work("1123", "2023-01-09", "2024-01-07", 30)],
                [ielts(7, "2024-06-01")],
            ),
            want(undetermined=[SKILL], hours=1200),
        ),
        # 64409 (2021) -> 1123 (A) or 6552 (C) in the NOC 2016 edition: the same.
        (
            applicant(
                "split-64409-2016-edition-clb6",
                "2021-01-04",
                [work("64409", "2019-01-07", "2021-01-03", 30)],
                [ielts(6, "2020-06-01")],
            ),
            want(undetermined=[SKILL, LANG], hours=0, never_together=True),
        ),
        # Read as 14402 (TEER 4) the 30 h do not count and the TEER 1 job sets CLB 7; as 13201, CLB 5.
        (
            applicant(
                "split-unskilled-reading-changes-the-level-clb6",
                MON,
                [work("1523", TWO_YEARS_FROM, SUN, 30), work("21231", TWO_YEARS_FROM, SUN, 20)],
                [ielts(6, "2024-06-01")],
            ),
            want(undetermined=[LANG], hours=2080),
        ),
    ]


def date_cases() -> list[tuple[dict, dict]]:
    """The 3-year window and the 2-year validity of results (valid only when less than 2 years old)."""
    return [
        (
            applicant(
                "feb29-window-start-day-counts",
                "2024-02-29",
                [work("21231", "2021-02-28", "2021-02-28", 35)],
                [LEAP_TEST],
            ),
            want([SKILL], hours=5),
        ),
        (
            applicant(
                "feb29-day-before-window", "2024-02-29", [work("21231", "2021-02-27", "2021-02-27", 35)], [LEAP_TEST]
            ),
            want([SKILL], hours=0),
        ),
        (
            applicant("result-exactly-2-years-old-expired", MON, [], [ielts(9, "2023-01-06")]),
            want([SKILL, LANG], hours=0),
        ),
        (applicant("result-a-day-under-2-years-old", MON, [], [ielts(9, "2023-01-07")]), want([SKILL], hours=0)),
        (applicant("result-dated-on-application-date", MON, [], [ielts(9, MON)]), want([SKILL], hours=0)),
        (applicant("test-dated-after-as-of", MON, [], [ielts(9, "2025-01-07")]), want([SKILL, LANG], hours=0)),
        (
            applicant("feb29-result-2-years-old-on-feb28-expired", "2024-02-29", [], [ielts(9, "2022-02-28")]),
            want([SKILL, LANG], hours=0),
        ),
        (applicant("feb29-result-mar1-valid", "2024-02-29", [], [ielts(9, "2022-03-01")]), want([SKILL], hours=0)),
        (
            applicant("feb29-result-feb27-expired", "2024-02-29", [], [ielts(9, "2022-02-27")]),
            want([SKILL, LANG], hours=0),
        ),
        (
            applicant("2028-02-29-result-2026-02-28-expired", "2028-02-29", [], [ielts(9, "2026-02-28")]),
            want([SKILL, LANG], hours=0),
        ),
        (
            applicant("2028-02-29-result-2026-03-01-valid", "2028-02-29", [], [ielts(9, "2026-03-01")]),
            want([SKILL], hours=0),
        ),
    ]


def test_cases() -> list[tuple[dict, dict]]:
    """PTE Core counts for assessments from 2024-01-30 and only for results dated from then; TEF tables."""
    return [
        (
            applicant(
                "pte-assessed-before-acceptance", "2024-01-29", [], [scores("pte_core", "2024-01-15", *PTE_CLB10)]
            ),
            want([SKILL, LANG], hours=0),
        ),
        (
            applicant(
                "pte-assessed-on-acceptance-day-dated-before",
                "2024-01-30",
                [],
                [scores("pte_core", "2024-01-15", *PTE_CLB10)],
            ),
            want([SKILL, LANG], hours=0),
        ),
        (
            applicant(
                "pte-dated-2024-01-29-assessed-later", "2024-06-03", [], [scores("pte_core", "2024-01-29", *PTE_CLB10)]
            ),
            want([SKILL, LANG], hours=0),
        ),
        (
            applicant(
                "pte-dated-2024-01-30-assessed-later", "2024-06-03", [], [scores("pte_core", "2024-01-30", *PTE_CLB10)]
            ),
            want([SKILL], hours=0),
        ),
        (
            applicant(
                "pte-dated-and-assessed-2024-01-30", "2024-01-30", [], [scores("pte_core", "2024-01-30", *PTE_CLB10)]
            ),
            want([SKILL], hours=0),
        ),
        (
            applicant(
                "pte-2024-01-29-does-not-hide-a-valid-ielts",
                "2024-06-03",
                [],
                [scores("pte_core", "2024-01-29", *PTE_CLB10), ielts(5, "2024-03-01")],
            ),
            want([SKILL], hours=0),
        ),
        (
            applicant("pte-in-2016-edition", "2022-11-15", [], [scores("pte_core", "2022-06-01", *PTE_CLB10)]),
            want([SKILL, LANG], hours=0),
        ),
        (
            applicant(
                "tef-2023-12-10-table-b-nclc6",
                "2024-06-03",
                [work("21231", "2022-06-06", "2024-06-02")],
                [scores("tef_canada", "2023-12-10", 440, 440, 430, 460)],
            ),
            want([LANG], hours=3120),
        ),
        (
            applicant(
                "tef-2023-12-11-table-a-nclc7",
                "2024-06-03",
                [work("21231", "2022-06-06", "2024-06-02")],
                [scores("tef_canada", "2023-12-11", 440, 440, 430, 460)],
            ),
            want(hours=3120),
        ),
        (
            applicant(
                "tef-2019-09-30-old-scale-nclc7",
                "2021-01-04",
                [work("1111", "2019-01-07", "2021-01-03")],
                [scores("tef_canada", "2019-09-30", 249, 207, 310, 310)],
            ),
            want(hours=3120),
        ),
        (
            applicant(
                "tef-2019-09-30-reading-above-300",
                "2021-01-04",
                [],
                [scores("tef_canada", "2019-09-30", 249, 320, 310, 310)],
            ),
            REJECTED,
        ),
    ]


def other_cases() -> list[tuple[dict, dict]]:
    """Quebec, admissibility, and the input contract (YYYY-MM-DD text, scores on the table's step)."""
    return [
        (
            applicant("quebec", MON, [work("21231", TWO_YEARS_FROM, SUN)], [GOOD_TEST], province="QC"),
            want(["outside_quebec"], hours=3120),
        ),
        (
            applicant("inadmissible", MON, [work("21231", TWO_YEARS_FROM, SUN)], [GOOD_TEST], admissible=False),
            want(["admissibility"], hours=3120),
        ),
        (applicant("date-as-datetime-text", MON + "T00:00:00", [], [GOOD_TEST]), REJECTED),
        (applicant("date-as-epoch-seconds", 1736121600, [], [GOOD_TEST]), REJECTED),
        (
            applicant(
                "ielts-off-step-6.4999999999",
                MON,
                [],
                [scores("ielts_general", "2024-06-01", 8.0, 6.4999999999, 7.0, 7.0)],
            ),
            REJECTED,
        ),
        (
            applicant(
                "noc-version-as-float", MON, [work("21231", TWO_YEARS_FROM, SUN) | {"noc_version": 2021.0}], [GOOD_TEST]
            ),
            REJECTED,
        ),
    ]


def kleene(unmet: list, undetermined: list) -> bool | None:
    return False if unmet else None if undetermined else True


def outcome(side: dict) -> dict:
    """What a side decided, in the terms of `want` plus its `eligible`."""
    if "rejected" in side or "crashed" in side:
        return {k: v for k, v in side.items() if k in ("rejected", "crashed")}
    met = side["met"]
    return {
        "unmet": [c for c in ALL if c in met and met[c] is False],
        "undetermined": [c for c in ALL if c in met and met[c] is None],
        "missing": [c for c in ALL if c not in met],
        "eligible": side["eligible"],
        "hours": side["qualifying_hours_exact"],
    }


def matches(expected: dict, got: dict) -> bool:
    """Same unmet and undetermined criteria, every criterion present, eligible by Kleene's rule, same hours."""
    if expected.get("rejected"):
        return "rejected" in got
    if "unmet" not in got or got["missing"]:
        return False
    return (
        got["unmet"] == expected["unmet"]
        and got["undetermined"] == expected["undetermined"]
        and got["eligible"]
        is (False if expected.get("never_together") else kleene(expected["unmet"], expected["undetermined"]))
        and ("hours" not in expected or got["hours"] == expected["hours"])
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", help="also write the records as JSON Lines")
    args = parser.parse_args(argv)
    sides, failures = Sides(), 0
    out = open(args.output, "w", encoding="utf-8") if args.output else None
    for record, expected in cases():
        if out:
            out.write(json.dumps(record) + "\n")
        engine, base = outcome(sides.engine(record)), outcome(sides.baseline(record))
        verdicts = ["ok" if matches(expected, got) else "WRONG" for got in (engine, base)]
        failures += verdicts.count("WRONG")
        print(f"{record['id']:<50} engine {verdicts[0]:<5} baseline {verdicts[1]:<5}", end="")
        print("" if verdicts == ["ok", "ok"] else f"  expected {expected}; engine {engine}; baseline {base}")
    if out:
        out.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
