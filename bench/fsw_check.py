"""An independent, plain-Python FSW and FST decision, and its comparison with `cec batch`.

Why it exists: the engine decides the Federal Skilled Worker (IRPR 75-83) and Federal Skilled Trades
(IRPR 87.2) programs from rulesets and `cec_rules.facts`. This second implementation was written from the
domain sheet alone (/work/shared/domain/express-entry.md §0, §2, §3, §5, §6, §8, §9) without importing
`cec_rules` or reading its rulesets, so a mistake made on one side is not repeated on the other. It shares
only StatCan's NOC files (/work/shared/data/noc, the sheet's `../data/noc/`); the language tables, the
settlement-funds tables, the points grid and the trade groups are typed in here from the sheet on purpose.

Three-valued like the engine: a criterion is True, False or None (the input cannot settle it: a missing
field, a split NOC code whose readings disagree, a date with no known funds table); a factor's points
are a range (low, high), equal when settled.

Usage:
    python bench/fsw_check.py decide INPUT.jsonl --program fsw|fst -o OUT.jsonl
    python bench/fsw_check.py compare INPUT.jsonl ENGINE.jsonl --program fsw|fst [--report R.jsonl] [--show 5]
ENGINE.jsonl is `cec batch INPUT.jsonl --program P -o ENGINE.jsonl`; records the engine rejected are skipped.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path

# The domain sheet's copy of StatCan's files; the repository ships the same bytes (rulesets/data/noc).
NOC_DATA = next(
    p
    for p in (Path("/work/shared/data/noc"), Path(__file__).resolve().parent.parent / "rulesets" / "data" / "noc")
    if (p / "noc2021.csv").exists()
)
NOC2021_FROM = dt.date(2022, 11, 16)  # §3.1, §8
PTE_CORE_FROM = dt.date(2024, 1, 30)  # §2.1
ABILITIES = ("listening", "reading", "writing", "speaking")
ENGLISH, FRENCH = ("ielts_general", "celpip_general", "pte_core"), ("tef_canada", "tcf_canada")
WEEKLY_CAP, YEAR_HOURS = 30, 1560  # §0
FSW_WINDOW, FST_WINDOW, VALIDITY, ECA_VALIDITY = 10, 5, 2, 5  # §5.1 F2, §6.1 T1, §2.1, §0
PASS_MARK = 67  # §5.1 F8

# --- language tables (§2.2-§2.6): per ability, the lowest score of each level, highest level first ---
IELTS = {
    "reading": [(10, 8.0), (9, 7.0), (8, 6.5), (7, 6.0), (6, 5.0), (5, 4.0), (4, 3.5)],
    "writing": [(10, 7.5), (9, 7.0), (8, 6.5), (7, 6.0), (6, 5.5), (5, 5.0), (4, 4.0)],
    "listening": [(10, 8.5), (9, 8.0), (8, 7.5), (7, 6.0), (6, 5.5), (5, 5.0), (4, 4.5)],
    "speaking": [(10, 7.5), (9, 7.0), (8, 6.5), (7, 6.0), (6, 5.5), (5, 5.0), (4, 4.0)],
}
PTE = {
    "reading": [(10, 88), (9, 78), (8, 69), (7, 60), (6, 51), (5, 42), (4, 33), (3, 24)],
    "writing": [(10, 90), (9, 88), (8, 79), (7, 69), (6, 60), (5, 51), (4, 41), (3, 32)],
    "listening": [(10, 89), (9, 82), (8, 71), (7, 60), (6, 50), (5, 39), (4, 28), (3, 18)],
    "speaking": [(10, 89), (9, 84), (8, 76), (7, 68), (6, 59), (5, 51), (4, 42), (3, 34)],
}
TEF_A = {
    "reading": [(10, 546), (9, 503), (8, 462), (7, 434), (6, 393), (5, 352), (4, 306)],
    "writing": [(10, 558), (9, 512), (8, 472), (7, 428), (6, 379), (5, 330), (4, 268)],
    "listening": [(10, 546), (9, 503), (8, 462), (7, 434), (6, 393), (5, 352), (4, 306)],
    "speaking": [(10, 556), (9, 518), (8, 494), (7, 456), (6, 422), (5, 387), (4, 328)],
}
_TEF_B_ROW = [(10, 566), (9, 533), (8, 500), (7, 450), (6, 400), (5, 350), (4, 300)]
TEF_B = {ability: _TEF_B_ROW for ability in ABILITIES}
TEF_C = {
    "reading": [(10, 263), (9, 248), (8, 233), (7, 207), (6, 181), (5, 151), (4, 121)],
    "writing": [(10, 393), (9, 371), (8, 349), (7, 310), (6, 271), (5, 226), (4, 181)],
    "listening": [(10, 316), (9, 298), (8, 280), (7, 249), (6, 217), (5, 181), (4, 145)],
    "speaking": [(10, 393), (9, 371), (8, 349), (7, 310), (6, 271), (5, 226), (4, 181)],
}
TCF = {
    "reading": [(10, 549), (9, 524), (8, 499), (7, 453), (6, 406), (5, 375), (4, 342)],
    "writing": [(10, 16), (9, 14), (8, 12), (7, 10), (6, 7), (5, 6), (4, 4)],
    "listening": [(10, 549), (9, 523), (8, 503), (7, 458), (6, 398), (5, 369), (4, 331)],
    "speaking": [(10, 16), (9, 14), (8, 12), (7, 10), (6, 7), (5, 6), (4, 4)],
}

# --- settlement funds (§5.3): (in force from, amounts for 1..7 members, each additional member) ---
# The 2022 amounts (from 2022-06-09) were not captured and nothing is known before the 2021 column,
# whose start is itself unknown: a date not covered by a known column cannot be decided (None).
FUNDS = [
    (dt.date(2021, 7, 15), [13213, 16449, 20222, 24553, 27847, 31407, 34967], 3560),
    (dt.date(2022, 6, 9), None, None),
    (dt.date(2023, 4, 25), [13757, 17127, 21055, 25564, 28994, 32700, 36407], 3706),
    (dt.date(2024, 5, 28), [14690, 18288, 22483, 27297, 30690, 34917, 38875], 3958),
    (dt.date(2025, 7, 7), [15263, 19001, 23360, 28362, 32168, 36280, 40392], 4112),
]
# §9 item 7: the 2024 column starts on 2024-05-28 or on 2024-06-03; between them either column may apply.
FUNDS_2024_UNSURE = (dt.date(2024, 5, 28), dt.date(2024, 6, 2))
FUNDS_2021_KNOWN_FROM = dt.date(2021, 7, 15)  # "profiles updated by 2021-07-15": in force at the latest then

# --- FSW grid (§5.2) -------------------------------------------------------------------------------
AGE_POINTS = {36: 11, 37: 10, 38: 9, 39: 8, 40: 7, 41: 6, 42: 5, 43: 4, 44: 3, 45: 2, 46: 1}
FSW_FACTORS = (
    "education",
    "language_first",
    "language_second",
    "experience",
    "age",
    "arranged_employment",
    "adaptability_spouse_language",
    "adaptability_study",
    "adaptability_spouse_study",
    "adaptability_work",
    "adaptability_spouse_work",
    "adaptability_arranged_employment",
    "adaptability_relative",
)
ADAPTABILITY_CAP = 10
RELATIONS = {"parent", "grandparent", "child", "grandchild", "sibling", "aunt_uncle", "niece_nephew"}


# --- NOC ---------------------------------------------------------------------------------------------


def _rows(name: str) -> list[dict]:
    with open(NOC_DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


LEVEL = {(2021, r["code"]): r["teer"] for r in _rows("noc2021.csv")}
LEVEL.update({(2016, r["code"]): r["skill_level_derived"] for r in _rows("noc2016.csv")})
TARGETS: dict[tuple[int, str], set[str]] = {}
for _row in _rows("noc2016_to_2021.csv"):
    TARGETS.setdefault((2016, _row["noc2016"]), set()).add(_row["noc2021"])
    TARGETS.setdefault((2021, _row["noc2021"]), set()).add(_row["noc2016"])


def edition_version(as_of: dt.date) -> int:
    return 2021 if as_of >= NOC2021_FROM else 2016


def readings(code: str, version: int, as_of: dt.date) -> list[str]:
    """The unit groups of the edition's classification that a reported code may mean (§3.3, DESIGN)."""
    wanted = edition_version(as_of)
    return [code] if version == wanted else sorted(TARGETS[(version, code)])


def skilled(group: str, as_of: dt.date) -> bool:
    """TEER 0-3 from 2022-11-16, NOC 2016 skill type 0 or level A/B before (§3.1-§3.2, F3)."""
    version = edition_version(as_of)
    return LEVEL[(version, group)] in ({"0", "1", "2", "3"} if version == 2021 else {"0", "A", "B"})


def trade(group: str, as_of: dt.date) -> bool:
    """The FST skilled trades of the edition (§6.2)."""
    if edition_version(as_of) == 2021:
        return (
            (group[:2] in {"72", "73", "82", "83", "92", "93"} and group[:3] not in {"726", "932"})
            or group[:4] == "6320"
            or group == "62200"
        )
    return group[:2] in {"72", "73", "82", "92"} or group[:3] in {"632", "633"}


# --- dates and hours ------------------------------------------------------------------------------


def day(text) -> dt.date:
    return dt.date.fromisoformat(text)


def years_before(when: dt.date, years: int) -> dt.date:
    """Calendar years back; from 29 February, n years earlier is 28 February (DESIGN, CEC semantics)."""
    try:
        return when.replace(year=when.year - years)
    except ValueError:
        return when.replace(year=when.year - years, day=28)


def age_on(born: dt.date, when: dt.date, leap_day_birthday_on: int) -> int:
    """Completed years; a 29 February birthday falls on 28 February (28) or 1 March (1) in common years."""
    age = when.year - born.year
    anniversary = (born.month, born.day)
    if anniversary == (2, 29) and not _leap(when.year):
        anniversary = (2, 28) if leap_day_birthday_on == 28 else (3, 1)
    return age - ((when.month, when.day) < anniversary)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def span(period: dict, window: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date] | None:
    """A period's days inside the window; `end: null` runs to the day before the application."""
    start = max(day(period["start"]), window[0])
    end = min(day(period["end"]) if period["end"] else window[1], window[1])
    return (start, end) if start <= end else None


def daily_segments(items: list[tuple[tuple[dt.date, dt.date], Fraction]]) -> list[tuple[dt.date, dt.date, Fraction]]:
    """Non-overlapping (start, end, hours a day) pieces of the union of (span, weekly hours) items."""
    cuts = sorted({s for (s, _), _ in items} | {e + dt.timedelta(1) for (_, e), _ in items})
    pieces = []
    for start, after in zip(cuts, cuts[1:]):
        rate = sum((h / 7 for (s, e), h in items if s <= start and after - dt.timedelta(1) <= e), Fraction(0))
        if rate:
            pieces.append((start, after - dt.timedelta(1), rate))
    return pieces


def capped_hours(pieces: list[tuple[dt.date, dt.date, Fraction]]) -> Fraction:
    """Hours with at most 30 credited per ISO week (Monday-Sunday) across all pieces (§0).

    The pieces do not overlap, so a whole week inside one piece has that piece alone; only the weeks a
    piece starts or ends in are summed across pieces."""
    partial: dict[dt.date, Fraction] = {}
    total = Fraction(0)
    for start, end, rate in pieces:
        first_monday = start + dt.timedelta((7 - start.weekday()) % 7)
        last_sunday = end - dt.timedelta((end.weekday() + 1) % 7)
        if first_monday + dt.timedelta(6) <= last_sunday:
            total += min(Fraction(WEEKLY_CAP), rate * 7) * (((last_sunday - first_monday).days + 1) // 7)
            edges = [(start, first_monday - dt.timedelta(1)), (last_sunday + dt.timedelta(1), end)]
        else:
            edges = [(start, end)]
        for low, high in edges:
            while low <= high:
                monday = low - dt.timedelta(low.weekday())
                last = min(high, monday + dt.timedelta(6))
                partial[monday] = partial.get(monday, Fraction(0)) + rate * ((last - low).days + 1)
                low = last + dt.timedelta(1)
    return total + sum(min(Fraction(WEEKLY_CAP), h) for h in partial.values())


def runs(pieces):
    """Maximal runs of consecutive worked days, each as its list of pieces."""
    out, current = [], []
    for piece in pieces:
        if current and piece[0] != current[-1][1] + dt.timedelta(1):
            out.append(current)
            current = []
        current.append(piece)
    return out + ([current] if current else [])


def hours(period) -> Fraction:
    return Fraction(str(period["hours_per_week"]))


# --- language ----------------------------------------------------------------------------------------


def table(test: str, taken: dt.date) -> dict:
    if test == "ielts_general":
        return IELTS
    if test == "pte_core":
        return PTE
    if test == "tcf_canada":
        return TCF
    if test == "tef_canada":
        return TEF_A if taken >= dt.date(2023, 12, 11) else TEF_B if taken >= dt.date(2019, 10, 1) else TEF_C
    return {}


def level(test: str, taken: dt.date, ability: str, score) -> int:
    if test == "celpip_general":
        return min(int(score), 10)
    for clb, lowest in table(test, taken)[ability]:
        if Fraction(str(score)) >= Fraction(str(lowest)):
            return clb
    return 3 if test != "pte_core" else 2


def valid_results(tests: list[dict], as_of: dt.date) -> list[tuple[str, dict]]:
    """(language, CLB per ability, date) of results less than 2 years old on the application date (§2.1)."""
    oldest = years_before(as_of, VALIDITY)
    out = []
    for result in tests:
        taken = day(result["date"])
        if not oldest < taken <= as_of or (result["test"] == "pte_core" and taken < PTE_CORE_FROM):
            continue
        language = "english" if result["test"] in ENGLISH else "french"
        out.append((language, {a: level(result["test"], taken, a, result[a]) for a in ABILITIES}, taken))
    return out


# --- work ------------------------------------------------------------------------------------------


def period_groups(period: dict, as_of: dt.date, keep) -> tuple[list[str], list[str]]:
    """The unit groups a period certainly / possibly counts in under `keep` (a test on a unit group)."""
    options = readings(period["noc_code"], period["noc_version"], as_of)
    good = [g for g in options if keep(g, as_of)]
    return (good if len(good) == len(options) else []), good


def counts(period: dict, as_of: dt.date, keep, certain: bool) -> list[str]:
    """Groups a paid period counts in (F4). Work in Canada without authorization never counts (the engine's
    documented reading; §0.1 says "anywhere", silent on authorization). Self-employment: §9 item 9 (the
    IRPR excludes it only for CEC, IRCC practice unconfirmed): counted for FSW; for FST a possible count,
    never a certain one, so decisive self-employed hours leave the trade open (both are the engine's
    documented readings, FST's `self_employment_counts: open`; see docs/programs/fsw.md, fst.md)."""
    if not period["paid"] or (period["country"] == "CA" and not period["authorized"]):
        return []
    if period["self_employed"] and keep is trade and certain:
        return []
    sure, maybe = period_groups(period, as_of, keep)
    return sure if certain else maybe


def best_run(work: list[dict], window, as_of, certain: bool) -> Fraction:
    """Most hours of one continuous run in one skilled unit group (F1); a split code (certain) alone."""
    by_group: dict[str, list] = {}
    best = Fraction(0)
    for period in work:
        groups, days_ = counts(period, as_of, skilled, certain), span(period, window)
        if not groups or days_ is None:
            continue
        if certain and len(readings(period["noc_code"], period["noc_version"], as_of)) > 1:
            best = max(best, max(capped_hours(r) for r in runs(daily_segments([(days_, hours(period))]))))
            continue
        for group in groups:
            by_group.setdefault(group, []).append((days_, hours(period)))
    for items in by_group.values():
        for run in runs(daily_segments(items)):
            best = max(best, capped_hours(run))
    return best


def total_hours(work, window, as_of, keep, certain: bool, only=None) -> Fraction:
    items = [
        (span(p, window), hours(p))
        for p in work
        if counts(p, as_of, keep, certain) and span(p, window) and (only is None or only(p))
    ]
    return capped_hours(daily_segments(items))


def trade_hours(work, window, as_of, certain: bool) -> dict[str, Fraction]:
    """Hours per skilled trade (unit group), each trade capped on its own (T1)."""
    by_group: dict[str, list] = {}
    for period in work:
        days_ = span(period, window)
        groups = counts(period, as_of, trade, certain)
        if certain and len(readings(period["noc_code"], period["noc_version"], as_of)) > 1:
            groups = [f"{period['noc_code']}?{id(period)}"] if groups else []
        for group in groups if days_ else []:
            by_group.setdefault(group, []).append((days_, hours(period)))
    return {g: capped_hours(daily_segments(items)) for g, items in by_group.items()}


def three(low, high, needed):
    return True if low >= needed else False if high < needed else None


# --- FSW ----------------------------------------------------------------------------------------------


def recognized(credential: dict, as_of: dt.date) -> bool:
    """Canadian, or foreign with an ECA less than 5 years old on the application date (F7, §0)."""
    if day(credential["completed"]) > as_of:
        return False
    if credential["country"] == "CA":
        return True
    eca = credential.get("eca")
    return bool(eca) and years_before(as_of, ECA_VALIDITY) < day(eca["issued"]) <= as_of


def education_points(credentials: list[dict]) -> int:
    """IRPR 78 as §5.2 states it: the highest credential; two post-secondary ones, one of 3+ years: 22."""
    best = 0
    post = [c for c in credentials if c["level"] != "secondary"]
    for c in credentials:
        best = max(best, {"secondary": 5, "masters": 23, "professional_degree": 23, "doctoral": 25}.get(c["level"], 0))
        if c["level"] == "post_secondary":
            best = max(best, 15 if c["years"] <= 1 else 19 if c["years"] == 2 else 21)
    if len(post) >= 2 and any(c["years"] >= 3 for c in post):
        best = max(best, 22)
    return best


def first_points(levels: dict) -> int:
    """79(3)(a) per ability: CLB 7 -> 4, 8 -> 5, 9+ -> 6, below 7 -> 0 (§5.2)."""
    return sum(0 if v < 7 else 4 if v == 7 else 5 if v == 8 else 6 for v in levels.values())


def language_points(results) -> tuple[int, int, bool]:
    """(first, second, F6 met). The candidate names the first language (§2.1, §4.1); when one language meets
    CLB 7 in all four (F6) it is that one; otherwise, or between two that do, the order giving most points,
    ties to the higher lowest level, then English. In a language, the one result the applicant submits:
    one meeting CLB 7, then the most points (results are not combined, §2.1)."""

    def best(lang):
        mine = [(lv, taken) for language, lv, taken in results if language == lang]
        # when none meets CLB 7 the grid is moot (F6 fails); then, as the engine: the highest lowest, the latest
        key = lambda r: (
            min(r[0].values()) >= 7,
            first_points(r[0]) if min(r[0].values()) >= 7 else 0,  # noqa: E731
            min(r[0].values()),
            r[1],
        )
        return max(mine, key=key, default=(None,))[0]

    chosen = {lang: best(lang) for lang in ("english", "french")}
    meets = {lang: lv is not None and min(lv.values()) >= 7 for lang, lv in chosen.items()}
    options = []
    for first, second in (("english", "french"), ("french", "english")):
        if chosen[first] is None or (any(meets.values()) and not meets[first]):
            continue
        extra = 4 if any(min(lv.values()) >= 5 for language, lv, _ in results if language == second) else 0
        points = first_points(chosen[first])
        options.append((points + extra, min(chosen[first].values()), first == "english", points, extra))
    if not options:
        return 0, 0, False
    top = max(options)
    return top[3], top[4], any(meets.values())


def offer_groups(offer: dict, as_of: dt.date) -> tuple[list[str], list[str]]:
    return period_groups(offer, as_of, skilled)


def offer_qualifies(offer, as_of) -> bool | None:
    """82: full-time, LMIA-supported or exempt, at least 1 year (null = open-ended), TEER 0-3."""
    if not offer or not offer["lmia"] or not offer["full_time"]:
        return False
    if offer["duration_months"] is not None and offer["duration_months"] < 12:
        return False
    sure, maybe = offer_groups(offer, as_of)
    return True if sure else False if not maybe else None


def working_in_canada(record, as_of, paid: bool) -> bool:
    """Authorized to work in Canada on the application date (82(2), 87.2(5)). The input has no permit field:
    read, as the engine documents it, from an authorized period in Canada still running on that date (FSW
    also asks that it be paid)."""
    return any(
        p["country"] == "CA"
        and p["authorized"]
        and (p["paid"] or not paid)
        and (p["end"] is None or day(p["end"]) >= as_of)
        and day(p["start"]) <= as_of
        for p in record["work_history"]
    )


def spouse_of(record):
    spouse = record.get("spouse")
    return spouse if spouse and spouse["accompanying"] else None


def canadian_study(person, as_of) -> bool:
    """83(1)(b)/(c): a completed Canadian credential of a program of 2 years or more; 83(2) counts study at
    a secondary or post-secondary institution (the engine's reading; §5.2 does not say which)."""
    return any(
        c["country"] == "CA" and c["years"] >= 2 and day(c["completed"]) <= as_of for c in person.get("education") or []
    )


def canadian_work(work, as_of, need_skilled: bool) -> tuple[Fraction, Fraction]:
    """83(1)(d)/(e): full-time (30 h/week or more) authorized paid work in Canada, any time before."""
    window = (dt.date(1900, 1, 1), as_of - dt.timedelta(1))
    keep = skilled if need_skilled else (lambda g, a: True)
    only = lambda p: p["country"] == "CA" and p["authorized"] and hours(p) >= WEEKLY_CAP  # noqa: E731
    return (total_hours(work, window, as_of, keep, True, only), total_hours(work, window, as_of, keep, False, only))


def fsw_points(record, as_of, results) -> dict[str, tuple[int, int]]:
    points: dict[str, tuple[int, int]] = {}
    creds = record.get("education")
    edu = education_points([c for c in creds if recognized(c, as_of)]) if creds is not None else None
    points["education"] = (edu, edu) if edu is not None else (0, 25)
    first, second, _ = language_points(results)
    points["language_first"], points["language_second"] = (first, first), (second, second)
    window = (years_before(as_of, FSW_WINDOW), as_of - dt.timedelta(1))
    low, high = (total_hours(record["work_history"], window, as_of, skilled, c) for c in (True, False))
    points["experience"] = (experience_points(low), experience_points(high))
    points["age"] = age_points(record, as_of)
    offer = offer_qualifies(record.get("job_offer"), as_of)
    points["arranged_employment"] = {True: (10, 10), False: (0, 0), None: (0, 10)}[offer]
    points.update(adaptability(record, as_of, offer))
    return points


def experience_points(h: Fraction) -> int:
    years = int(h // YEAR_HOURS)
    return 0 if years < 1 else 9 if years == 1 else 11 if years <= 3 else 13 if years <= 5 else 15


def age_points(record, as_of) -> tuple[int, int]:
    if not record.get("date_of_birth"):
        return (0, 12)
    born = day(record["date_of_birth"])
    ages = {age_on(born, as_of, 1)}  # §5.2 is silent on 29 February; 1 March, as facts/age.py documents
    values = [0 if a < 18 else 12 if a <= 35 else AGE_POINTS.get(a, 0) for a in ages]
    return (min(values), max(values))


def adaptability(record, as_of, offer) -> dict[str, tuple[int, int]]:
    spouse = spouse_of(record)
    out = {}
    # 83(1)(a), (b.1), (c.1) exclude a spouse who is a citizen or PR (the engine's reading of the IRPR; not in §5.2)
    own = spouse if spouse and not spouse.get("canadian_citizen_or_pr") else None
    spouse_lang = own and any(min(lv.values()) >= 4 for _, lv, _ in valid_results(own.get("language_tests", []), as_of))
    out["adaptability_spouse_language"] = (5, 5) if spouse_lang else (0, 0)
    out["adaptability_study"] = (5, 5) if canadian_study(record, as_of) else (0, 0)
    out["adaptability_spouse_study"] = (5, 5) if own and canadian_study(own, as_of) else (0, 0)
    low, high = canadian_work(record["work_history"], as_of, True)
    out["adaptability_work"] = (10 if low >= YEAR_HOURS else 0, 10 if high >= YEAR_HOURS else 0)
    if own:
        low, high = canadian_work(own.get("work_history", []), as_of, False)
        out["adaptability_spouse_work"] = (5 if low >= YEAR_HOURS else 0, 5 if high >= YEAR_HOURS else 0)
    else:
        out["adaptability_spouse_work"] = (0, 0)
    out["adaptability_arranged_employment"] = {True: (5, 5), False: (0, 0), None: (0, 5)}[offer]
    relative = any(
        r["relation"] in RELATIONS
        and r["citizen_or_pr"]
        and r["lives_in_canada"]
        and r["age_18_plus"]
        and (r["of"] == "applicant" or spouse)
        for r in record.get("relatives_in_canada") or []
    )
    out["adaptability_relative"] = (5, 5) if relative else (0, 0)
    return out


def grid_total(points) -> tuple[int, int]:
    adapt = [v for k, v in points.items() if k.startswith("adaptability_")]
    core = [v for k, v in points.items() if not k.startswith("adaptability_")]
    low = sum(v[0] for v in core) + min(ADAPTABILITY_CAP, sum(v[0] for v in adapt))
    high = sum(v[1] for v in core) + min(ADAPTABILITY_CAP, sum(v[1] for v in adapt))
    return low, high


def funds_needed(as_of: dt.date, size: int) -> list[int] | None:
    """The amounts any known column in force on the date may require; None when no column is known."""
    if as_of < FUNDS_2021_KNOWN_FROM:
        return None
    column = [c for c in FUNDS if c[0] <= as_of][-1]
    columns = [column]
    if FUNDS_2024_UNSURE[0] <= as_of <= FUNDS_2024_UNSURE[1]:
        columns.append(FUNDS[2])
    if any(c[1] is None for c in columns):
        return None
    return [c[1][min(size, 7) - 1] + c[2] * max(0, size - 7) for c in columns]


def funds(record, as_of, exempt) -> bool | None:
    """F9 / T6: half of LICO for the family size, unless exempt (exempt: True, False or None)."""
    if exempt is True:
        return True
    size, available = record.get("family_size"), record.get("settlement_funds")
    if size is None or available is None:
        return None
    needed = funds_needed(as_of, size)
    if needed is None:
        return None
    have = Fraction(str(available))
    met = True if have >= max(needed) else False if have < min(needed) else None  # columns that disagree: None
    return None if met is False and exempt is None else met


def decide_fsw(record) -> dict:
    as_of = day(record["application_date"])
    window = (years_before(as_of, FSW_WINDOW), as_of - dt.timedelta(1))
    work = record["work_history"]
    results = valid_results(record["language_tests"], as_of)
    points = fsw_points(record, as_of, results)
    total = grid_total(points)
    creds = record.get("education")
    offer = offer_qualifies(record.get("job_offer"), as_of)
    exempt = offer if working_in_canada(record, as_of, paid=True) else False
    criteria = {
        "work_experience": three(best_run(work, window, as_of, True), best_run(work, window, as_of, False), YEAR_HOURS),
        "language_proficiency": language_points(results)[2],
        "education": None if creds is None else any(recognized(c, as_of) for c in creds),
        "points_grid": three(total[0], total[1], PASS_MARK),
        "settlement_funds": funds(record, as_of, exempt),
        "outside_quebec": record["intended_province"] != "QC",
        "admissibility": record.get("admissible", True) is not False,
    }
    return {
        "id": record["id"],
        "criteria": criteria,
        "eligible": kleene(criteria.values()),
        "points": points,
        "total": total,
    }


# --- FST ----------------------------------------------------------------------------------------------


def fst_language(results) -> bool:
    """T4: CLB/NCLC 5 in speaking and listening, 4 in reading and writing, in one result."""
    return any(
        lv["speaking"] >= 5 and lv["listening"] >= 5 and lv["reading"] >= 4 and lv["writing"] >= 4
        for _, lv, _ in results
    )


def trade_offers(record, as_of, certain: bool) -> set[str]:
    """Trades of an offer from at most two employers, each full-time, 1 year+ (null = open), supported (T5)."""
    offer = record.get("job_offer")
    if not offer:
        return set()
    offers = [offer] + list(offer.get("other_employers") or [])
    if len(offers) > 2 or any(
        not o["lmia"] or not o["full_time"] or (o["duration_months"] is not None and o["duration_months"] < 12)
        for o in offers
    ):
        return set()
    sets = [set(period_groups(o, as_of, trade)[0 if certain else 1]) for o in offers]
    return set.intersection(*sets)


def certificate_trades(record, as_of, certain: bool) -> set[str]:
    out = set()
    for cert in record.get("certificates_of_qualification") or []:
        if day(cert["issued"]) <= as_of:
            out |= set(period_groups(cert, as_of, trade)[0 if certain else 1])
    return out


def decide_fst(record) -> dict:
    """IRPR 87.2: experience, offer or certificate and the funds exemption all in the one trade (§6.1)."""
    as_of = day(record["application_date"])
    window = (years_before(as_of, FST_WINDOW), as_of - dt.timedelta(1))
    work = record["work_history"]
    sure = {g for g, h in trade_hours(work, window, as_of, True).items() if h >= 2 * YEAR_HOURS}
    maybe = {g for g, h in trade_hours(work, window, as_of, False).items() if h >= 2 * YEAR_HOURS}
    experience = True if sure else False if not maybe else None
    # The documents count in a trade that has the hours (T5 "in that trade"); with no trade that could have
    # them, the engine reads the documents alone (docs/programs/fst.md, interpretation 1): the experience
    # criterion fails anyway, so `eligible` is the same either way.
    offers = {c: trade_offers(record, as_of, c) for c in (True, False)}
    documents = {c: offers[c] | certificate_trades(record, as_of, c) for c in (True, False)}
    alone = (bool(documents[False]), bool(offers[False]))  # a document, an offer, read alone in some reading
    if maybe:
        documents = {True: documents[True] & sure, False: documents[False] & maybe}
        offers = {True: offers[True] & sure, False: offers[False] & maybe}
    basis = True if documents[True] else False if not documents[False] else None
    # T6: exempt only when relying on the offer, in that trade, while authorized to work in Canada
    authorized = working_in_canada(record, as_of, paid=False)
    exempt = False if not offers[False] or not authorized else True if offers[True] else None
    # With no trade sure to have the hours but some that may, a reading has none (the experience fails there)
    # and there the documents are read alone: a document only in trades without the hours meets the criterion
    # (and an offer exempts) in that reading only. Each is then open, and never met with the experience: not
    # eligible (the engine's not_together).
    never_with_experience = set()
    settlement = funds(record, as_of, exempt)
    if maybe and not sure and basis is False and alone[0]:
        basis = None
        never_with_experience.add("offer_or_certificate")
    if maybe and not sure and exempt is False and alone[1] and authorized:
        settlement = funds(record, as_of, None)
        if settlement is None and funds(record, as_of, False) is False:
            never_with_experience.add("settlement_funds")
    criteria = {
        "skilled_trade_experience": experience,
        "language_proficiency": fst_language(valid_results(record["language_tests"], as_of)),
        "offer_or_certificate": basis,
        "settlement_funds": settlement,
        "outside_quebec": record["intended_province"] != "QC",
        "admissibility": record.get("admissible", True) is not False,
    }
    eligible = False if never_with_experience else kleene(criteria.values())
    return {"id": record["id"], "criteria": criteria, "eligible": eligible}


def kleene(values) -> bool | None:
    values = list(values)
    return False if False in values else None if None in values else True


# --- comparison with the engine ---------------------------------------------------------------------


def compare_one(mine: dict, engine: dict) -> list[str]:
    """Each difference between the checker and one engine decision line, as short text."""
    diffs = []
    theirs = {c["id"]: c["met"] for c in engine["criteria"]}
    for cid, met in mine["criteria"].items():
        if theirs.get(cid, "missing") != met:
            diffs.append(f"criterion {cid}: checker {met}, engine {theirs.get(cid, 'missing')}")
    if mine.get("points"):
        factors = {f["id"]: f["points"] for f in engine["score"]["factors"]}
        for fid, (low, high) in mine["points"].items():
            expected = low if low == high else None
            if factors.get(fid, "missing") != expected:
                diffs.append(f"factor {fid}: checker {low}..{high}, engine {factors.get(fid, 'missing')}")
        span_ = (engine["score"]["total"], engine["score"].get("possible_total", engine["score"]["total"]))
        # the engine's possible_total puts an undetermined factor at its most (its maximum unless the rules bound
        # it, possible_points): a higher one is only wider, a lower one is wrong
        if mine["total"][0] != span_[0] or span_[1] < mine["total"][1]:
            diffs.append(f"total: checker {mine['total'][0]}..{mine['total'][1]}, engine {span_[0]}..{span_[1]}")
    if engine["eligible"] != mine["eligible"]:
        diffs.append(f"eligible: checker {mine['eligible']}, engine {engine['eligible']}")
    return diffs


DECIDE = {"fsw": decide_fsw, "fst": decide_fst}


def read_records(path: str):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and "id" in record:
                yield record


def compare(input_path: str, engine_path: str, program: str, report: str | None, show: int) -> int:
    engine = {}
    with open(engine_path, encoding="utf-8") as handle:
        for line in handle:
            decision = json.loads(line)
            engine[decision["applicant_id"]] = decision
    counts_, shown, out = Counter(), 0, open(report, "w", encoding="utf-8") if report else None
    for record in read_records(input_path):
        if record["id"] not in engine:
            continue
        counts_["compared"] += 1
        mine = DECIDE[program](record)
        diffs = compare_one(mine, engine[record["id"]])
        for diff in diffs:
            counts_[diff.split(":")[0]] += 1
        if diffs:
            counts_["records that differ"] += 1
            if out:
                out.write(json.dumps({"id": record["id"], "diffs": diffs, "record": record}) + "\n")
            if shown < show:
                shown += 1
                print(record["id"], "; ".join(diffs), file=sys.stderr)
    if out:
        out.close()
    print(json.dumps(dict(counts_), indent=1))
    return 1 if counts_["records that differ"] else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    decide = sub.add_parser("decide")
    decide.add_argument("input")
    decide.add_argument("--program", choices=DECIDE, required=True)
    decide.add_argument("-o", "--output", required=True)
    comp = sub.add_parser("compare")
    comp.add_argument("input")
    comp.add_argument("engine")
    comp.add_argument("--program", choices=DECIDE, required=True)
    comp.add_argument("--report")
    comp.add_argument("--show", type=int, default=5)
    args = parser.parse_args(argv)
    if args.command == "compare":
        return compare(args.input, args.engine, args.program, args.report, args.show)
    with open(args.output, "w", encoding="utf-8") as out:
        for record in read_records(args.input):
            out.write(json.dumps(DECIDE[args.program](record), default=list) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
