"""Hand-made boundary applicants with hand-worked expected outcomes: a third opinion for the cross-check.

Why: random applicants rarely sit exactly on a boundary (1,560 h, 29 February, the 2-year limit, a
tie between occupations, a TEF table change, a crosswalk split, PTE Core's acceptance date), and when
the engine and the baseline agree they may share a misreading. Each case here states what DESIGN.md
("CEC semantics fixed here") says the answer is, worked out by hand, and both sides are checked
against it.

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
IELTS = {9: (8.0, 7.0, 7.0, 7.0), 7: (6.0, 6.0, 6.0, 6.0), 6: (5.5, 5.0, 5.5, 5.5), 5: (5.0, 4.0, 5.0, 5.0)}


def ielts(clb: int, date: str) -> dict:
    listening, reading, writing, speaking = IELTS[clb]
    return {"test": "ielts_general", "date": date, "listening": listening, "reading": reading,
            "writing": writing, "speaking": speaking}


def scores(test: str, date: str, listening, reading, writing, speaking) -> dict:
    return {"test": test, "date": date, "listening": listening, "reading": reading, "writing": writing, "speaking": speaking}


def work(code: str, start: str, end: str | None, hours=40, **flags) -> dict:
    period = {"noc_code": code, "noc_version": 2021 if len(code) == 5 else 2016, "country": "CA",
              "start": start, "end": end, "hours_per_week": hours, "paid": True, "self_employed": False,
              "authorized": True}
    period.update(flags)
    return period


def applicant(name: str, as_of: str, works: list, tests: list, study: list | None = None, **extra) -> dict:
    return {"id": name, "application_date": as_of, "intended_province": extra.pop("province", "ON"),
            "language_tests": tests, "work_history": works, "study_history": study or [], **extra}


# as_of 2025-01-06 is a Monday: a job from 2023-01-09 (Mon) to 2025-01-05 (Sun) is 104 whole ISO weeks.
MON, TWO_YEARS_FROM, SUN = "2025-01-06", "2023-01-09", "2025-01-05"
GOOD_TEST = ielts(9, "2024-06-01")
LEAP_TEST = ielts(9, "2023-06-01")  # valid on 2024-02-29


def cases() -> list[tuple[dict, dict]]:
    """(record, expected): expected has `unmet` (and optionally `hours`), or `rejected: True`."""
    return [
        # --- hours at the 1,560 line, exact arithmetic -------------------------------------------
        (applicant("exact-364-days-30h", MON, [work("21231", "2024-01-08", SUN, 30)], [GOOD_TEST]),
         {"unmet": [], "hours": "1560"}),
        (applicant("363-days-30h", MON, [work("21231", "2024-01-09", SUN, 30)], [GOOD_TEST]),
         {"unmet": [SKILL], "hours": str(Fraction(1560) - Fraction(30, 7))}),
        # 51 ISO weeks at 30 h plus one week at 29.999999999999996 h: 1,559.999999999999996 h exactly.
        (applicant("float-sum-just-below-1560", MON,
                   [work("21231", "2024-01-15", SUN, 30), work("21231", "2024-01-08", "2024-01-14", 29.999999999999996)],
                   [GOOD_TEST]),
         {"unmet": [SKILL], "hours": str(Fraction("1559.999999999999996"))}),
        (applicant("concurrent-full-time-capped", MON,
                   [work("21231", "2024-03-04", SUN, 40), work("21232", "2024-03-04", SUN, 40)], [GOOD_TEST]),
         {"unmet": [SKILL], "hours": str(44 * 30)}),
        # --- 87.1(2)(e): the occupation with the most hours, ties take the higher level ------------
        (applicant("tie-teer1-teer2-clb6", MON,
                   [work("22220", TWO_YEARS_FROM, SUN, 20), work("21231", TWO_YEARS_FROM, SUN, 20)], [ielts(6, "2024-06-01")]),
         {"unmet": [LANG], "hours": "3120"}),
        (applicant("tie-teer2-teer1-clb6", MON,
                   [work("21231", TWO_YEARS_FROM, SUN, 20), work("22220", TWO_YEARS_FROM, SUN, 20)], [ielts(6, "2024-06-01")]),
         {"unmet": [LANG], "hours": "3120"}),
        (applicant("tie-teer1-teer2-clb7", MON,
                   [work("22220", TWO_YEARS_FROM, SUN, 20), work("21231", TWO_YEARS_FROM, SUN, 20)], [ielts(7, "2024-06-01")]),
         {"unmet": [], "hours": "3120"}),
        (applicant("teer2-has-most-hours-clb6", MON,
                   [work("22220", TWO_YEARS_FROM, SUN, 21), work("21231", TWO_YEARS_FROM, SUN, 20)], [ielts(6, "2024-06-01")]),
         {"unmet": [], "hours": "3120"}),
        (applicant("no-qualifying-work-clb5", MON, [], [ielts(5, "2024-06-01")]), {"unmet": [SKILL], "hours": "0"}),
        # --- the other classification through the correspondence -----------------------------------
        (applicant("2016-code-1228-to-teer2-and-3", MON, [work("1228", TWO_YEARS_FROM, SUN)], [ielts(5, "2024-06-01")]),
         {"unmet": [], "hours": "3120"}),
        (applicant("2016-code-2263-split-teer1-teer2", MON, [work("2263", TWO_YEARS_FROM, SUN)], [ielts(5, "2024-06-01")]),
         {"unmet": [SKILL], "hours": "0"}),
        (applicant("2016-code-0431-to-teer0-and-1-clb6", MON, [work("0431", TWO_YEARS_FROM, SUN)], [ielts(6, "2024-06-01")]),
         {"unmet": [LANG], "hours": "3120"}),
        (applicant("2021-code-11200-to-0-and-A-in-2016-edition-clb6", "2021-01-04",
                   [work("11200", "2019-01-07", "2021-01-03")], [ielts(6, "2020-06-01")]),
         {"unmet": [LANG], "hours": "3120"}),
        (applicant("2021-code-31303-split-A-B-in-2016-edition", "2021-01-04",
                   [work("31303", "2019-01-07", "2021-01-03")], [ielts(9, "2020-06-01")]),
         {"unmet": [SKILL], "hours": "0"}),
        # --- editions -------------------------------------------------------------------------------
        (applicant("2022-11-15-teer3-code-is-2016-C", "2022-11-15", [work("73300", "2020-11-16", "2022-11-14")], [ielts(9, "2022-06-01")]),
         {"unmet": [SKILL], "hours": "0"}),
        (applicant("2022-11-16-teer3-truck-driver", "2022-11-16", [work("73300", "2020-11-16", "2022-11-15")], [ielts(9, "2022-06-01")]),
         {"unmet": [], "hours": str(30 * 104 + Fraction(2 * 40, 7))}),
        # --- dates: 29 February and the 2-year limit ------------------------------------------------
        (applicant("feb29-window-start-day-counts", "2024-02-29", [work("21231", "2021-02-28", "2021-02-28", 35)], [LEAP_TEST]),
         {"unmet": [SKILL], "hours": "5"}),
        (applicant("feb29-day-before-window", "2024-02-29", [work("21231", "2021-02-27", "2021-02-27", 35)], [LEAP_TEST]),
         {"unmet": [SKILL], "hours": "0"}),
        (applicant("feb29-test-on-limit", "2024-02-29", [], [ielts(9, "2022-02-28")]), {"unmet": [SKILL], "hours": "0"}),
        (applicant("feb29-test-day-before-limit", "2024-02-29", [], [ielts(9, "2022-02-27")]), {"unmet": [SKILL, LANG], "hours": "0"}),
        (applicant("test-dated-after-as-of", MON, [], [ielts(9, "2025-01-07")]), {"unmet": [SKILL, LANG], "hours": "0"}),
        (applicant("ongoing-job-ends-day-before-as-of", MON, [work("21231", "2024-01-08", None, 30)], [GOOD_TEST]),
         {"unmet": [], "hours": "1560"}),
        # --- tests: PTE Core acceptance, TEF tables by test date -------------------------------------
        (applicant("pte-before-acceptance", "2024-01-29", [], [scores("pte_core", "2024-01-15", 90, 90, 90, 90)]),
         {"unmet": [SKILL, LANG], "hours": "0"}),
        (applicant("pte-on-acceptance-day", "2024-01-30", [], [scores("pte_core", "2024-01-15", 90, 90, 90, 90)]),
         {"unmet": [SKILL], "hours": "0"}),
        (applicant("pte-in-2016-edition", "2022-11-15", [], [scores("pte_core", "2022-06-01", 90, 90, 90, 90)]),
         {"unmet": [SKILL, LANG], "hours": "0"}),
        (applicant("tef-2023-12-10-table-b-nclc6", "2024-06-03", [work("21231", "2022-06-06", "2024-06-02")],
                   [scores("tef_canada", "2023-12-10", 440, 440, 430, 460)]),
         {"unmet": [LANG], "hours": "3120"}),
        (applicant("tef-2023-12-11-table-a-nclc7", "2024-06-03", [work("21231", "2022-06-06", "2024-06-02")],
                   [scores("tef_canada", "2023-12-11", 440, 440, 430, 460)]),
         {"unmet": [], "hours": "3120"}),
        (applicant("tef-2019-09-30-old-scale-nclc7", "2021-01-04", [work("1111", "2019-01-07", "2021-01-03")],
                   [scores("tef_canada", "2019-09-30", 249, 207, 310, 310)]),
         {"unmet": [], "hours": "3120"}),
        (applicant("tef-2019-09-30-reading-above-300", "2021-01-04", [], [scores("tef_canada", "2019-09-30", 249, 320, 310, 310)]),
         {"rejected": True}),
        # --- study ----------------------------------------------------------------------------------
        (applicant("full-time-study-abroad-excludes", MON, [work("21231", TWO_YEARS_FROM, SUN, 30)], [GOOD_TEST],
                   [{"start": "2023-01-09", "end": "2024-01-07", "full_time": True, "country": "FR"}]),
         {"unmet": [], "hours": "1560"}),
        (applicant("part-time-study-does-not-exclude", MON, [work("21231", TWO_YEARS_FROM, SUN, 30)], [GOOD_TEST],
                   [{"start": "2023-01-09", "end": None, "full_time": False, "country": "CA"}]),
         {"unmet": [], "hours": "3120"}),
        (applicant("ongoing-full-time-study-excludes-all", MON, [work("21231", TWO_YEARS_FROM, SUN, 30)], [GOOD_TEST],
                   [{"start": "2022-09-01", "end": None, "full_time": True, "country": "CA"}]),
         {"unmet": [SKILL], "hours": "0"}),
        # --- other criteria -------------------------------------------------------------------------
        (applicant("quebec", MON, [work("21231", TWO_YEARS_FROM, SUN)], [GOOD_TEST], province="QC"),
         {"unmet": ["outside_quebec"], "hours": "3120"}),
        (applicant("inadmissible", MON, [work("21231", TWO_YEARS_FROM, SUN)], [GOOD_TEST], admissible=False),
         {"unmet": ["admissibility"], "hours": "3120"}),
        # --- the input contract (dates are YYYY-MM-DD text; scores on the table's step) --------------
        (applicant("date-as-datetime-text", MON + "T00:00:00", [], [GOOD_TEST]), {"rejected": True}),
        (applicant("date-as-epoch-seconds", 1736121600, [], [GOOD_TEST]), {"rejected": True}),
        (applicant("ielts-off-step-6.4999999999", MON, [], [scores("ielts_general", "2024-06-01", 8.0, 6.4999999999, 7.0, 7.0)]),
         {"rejected": True}),
        (applicant("noc-version-as-float", MON, [work("21231", TWO_YEARS_FROM, SUN) | {"noc_version": 2021.0}], [GOOD_TEST]),
         {"rejected": True}),
    ]


def outcome(side: dict) -> dict:
    if "rejected" in side or "crashed" in side:
        return {k: v for k, v in side.items() if k in ("rejected", "crashed")}
    return {"unmet": side["unmet"], "hours": side["qualifying_hours_exact"]}


def matches(expected: dict, got: dict) -> bool:
    if expected.get("rejected"):
        return "rejected" in got
    return got.get("unmet") == expected["unmet"] and ("hours" not in expected or got.get("hours") == expected["hours"])


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
