"""FSW and FST applicants for `bench/fsw_check.py`: generated records given the programs' fields, and edge cases.

Why: bench/generate.py makes CEC applicants (no date of birth, education, spouse, offer, certificates,
funds), so on its own output every FSW grid is undetermined. `enrich` adds those fields, seeded and
deterministic, drawn near the places where the law is delicate: ages around 35/36 and 46/47 and
birthdays on or next to the application day (29 February included), ECAs about 5 years old, funds on and
around the amount of the family size for the date (the dates the tables change included), offers that
do or do not qualify, certificates in the trade worked or in another, spouses, relatives.
`edges` writes 103 hand-shaped applicants around the 67-point pass mark, the one-year continuous run, NOC
2016 before 2022-11-16 and TEER after, split codes, CLB 7 (FSW) and 5/4 (FST), the trade groups and
2 years of trade work in 5.

Usage: python bench/fsw_population.py enrich INPUT.jsonl --seed S -o OUT.jsonl
       python bench/fsw_population.py edges -o OUT.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys

FOREIGN = ["IN", "PH", "CN", "NG", "GB", "FR", "IR", "BR"]
FUNDS_DATES = [
    dt.date(2021, 7, 15),
    dt.date(2022, 6, 9),
    dt.date(2023, 4, 25),
    dt.date(2024, 5, 28),
    dt.date(2024, 6, 3),
    dt.date(2025, 7, 7),
]
AMOUNTS_1 = [13213, 13757, 14690, 15263]
TRADES_2021 = [
    "72200",
    "72310",
    "72300",
    "72106",
    "72401",
    "73300",
    "73200",
    "63200",
    "63201",
    "62200",
    "82021",
    "83100",
    "92100",
    "93100",
    "72600",
    "93200",
    "65202",
]
TRADES_2016 = ["7241", "7271", "7251", "7237", "7312", "7511", "6322", "6321", "6331", "6332", "8221", "9212", "7611"]


def shifted(day: dt.date, years: int, days: int = 0) -> dt.date:
    try:
        moved = day.replace(year=day.year - years)
    except ValueError:
        moved = day.replace(year=day.year - years, day=28)
    return moved + dt.timedelta(days)


class Enricher:
    """Adds the FSW/FST fields to one applicant from a seeded stream."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def record(self, record: dict) -> dict:
        rng, as_of = self.rng, dt.date.fromisoformat(record["application_date"])
        if rng.random() < 0.97:
            record["date_of_birth"] = self.birth(as_of).isoformat()
        if rng.random() < 0.95:
            record["education"] = [self.credential(as_of) for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3]))]
        if rng.random() < 0.4:
            record["spouse"] = self.spouse(as_of)
        if rng.random() < 0.3:
            record["job_offer"] = self.offer(record, as_of)
        if rng.random() < 0.2:
            record["certificates_of_qualification"] = [self.certificate(record, as_of)]
        size = 1 + (1 if record.get("spouse") else 0) + rng.choice([0, 0, 0, 1, 2, 3, 5, 7])
        if rng.random() < 0.97:
            record["family_size"] = size
        if rng.random() < 0.96:
            record["settlement_funds"] = self.funds(size)
        if rng.random() < 0.15:
            record["relatives_in_canada"] = [self.relative()]
        if rng.random() < 0.03:
            record["application_date"] = rng.choice(
                FUNDS_DATES + [d - dt.timedelta(1) for d in FUNDS_DATES]
            ).isoformat()
        return record

    def birth(self, as_of: dt.date) -> dt.date:
        rng = self.rng
        age = (
            rng.choice([17, 18, 25, 30, 35, 35, 36, 36, 37, 40, 44, 45, 46, 47, 50])
            if rng.random() < 0.5
            else rng.randint(20, 45)
        )
        draw = rng.random()
        if draw < 0.04:
            year = as_of.year - age
            year -= year % 4  # a leap year (2000 is one; 1900 is not reached)
            return dt.date(year, 2, 29)
        if draw < 0.12:
            return shifted(as_of, age, rng.choice([-1, 0, 1]))
        return shifted(as_of, age, -rng.randint(0, 364))

    def credential(self, as_of: dt.date) -> dict:
        rng = self.rng
        level = rng.choice(
            [
                "secondary",
                "post_secondary",
                "post_secondary",
                "post_secondary",
                "masters",
                "professional_degree",
                "doctoral",
            ]
        )
        years = {"secondary": 12, "masters": 2, "professional_degree": 4, "doctoral": 4}.get(level) or rng.choice(
            [1, 2, 3, 4]
        )
        completed = as_of - dt.timedelta(rng.randint(-30, 5000))
        country = "CA" if rng.random() < 0.3 else rng.choice(FOREIGN)
        credential = {"level": level, "years": years, "country": country, "completed": completed.isoformat()}
        if country != "CA" and rng.random() < 0.85:
            issued = (
                shifted(as_of, 5, rng.choice([-1, 0, 1, 2]))
                if rng.random() < 0.2
                else as_of - dt.timedelta(rng.randint(-10, 2200))
            )
            credential["eca"] = {"organization": "WES", "issued": issued.isoformat()}
        return credential

    def spouse(self, as_of: dt.date) -> dict:
        rng = self.rng
        spouse = {
            "accompanying": rng.random() < 0.85,
            "canadian_citizen_or_pr": rng.random() < 0.1,
            "date_of_birth": shifted(as_of, rng.randint(22, 45), -rng.randint(0, 364)).isoformat(),
        }
        if rng.random() < 0.6:
            taken = as_of - dt.timedelta(rng.randint(-5, 900))
            band = rng.choice([3.5, 4.0, 4.5, 5.0, 6.0, 7.0])
            spouse["language_tests"] = [
                {
                    "test": "ielts_general",
                    "date": taken.isoformat(),
                    "listening": band + 0.5,
                    "reading": band,
                    "writing": band,
                    "speaking": band,
                }
            ]
        if rng.random() < 0.4:
            spouse["education"] = [self.credential(as_of)]
        if rng.random() < 0.35:
            end = as_of - dt.timedelta(rng.randint(1, 900))
            start = end - dt.timedelta(rng.choice([300, 362, 363, 364, 365, 400, 800]))
            spouse["work_history"] = [
                {
                    "noc_code": "64100" if as_of >= dt.date(2022, 11, 16) else "6421",
                    "noc_version": 2021 if as_of >= dt.date(2022, 11, 16) else 2016,
                    "country": "CA",
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "hours_per_week": rng.choice([20, 30, 40]),
                    "paid": True,
                    "self_employed": False,
                    "authorized": rng.random() < 0.9,
                }
            ]
        return spouse

    def code(self, record: dict, as_of: dt.date) -> tuple[str, int]:
        rng = self.rng
        if record["work_history"] and rng.random() < 0.6:
            period = rng.choice(record["work_history"])
            return period["noc_code"], period["noc_version"]
        if as_of >= dt.date(2022, 11, 16):
            return (rng.choice(TRADES_2021), 2021) if rng.random() < 0.9 else (rng.choice(TRADES_2016), 2016)
        return (rng.choice(TRADES_2016), 2016) if rng.random() < 0.9 else (rng.choice(TRADES_2021), 2021)

    def offer(self, record: dict, as_of: dt.date) -> dict:
        rng = self.rng
        code, version = self.code(record, as_of)
        offer = {
            "noc_code": code,
            "noc_version": version,
            "lmia": rng.random() < 0.75,
            "full_time": rng.random() < 0.9,
            "duration_months": rng.choice([None, None, 6, 11, 12, 24]),
        }
        if rng.random() < 0.1:
            other_code, other_version = (code, version) if rng.random() < 0.7 else self.code(record, as_of)
            offer["other_employers"] = [
                {
                    "noc_code": other_code,
                    "noc_version": other_version,
                    "lmia": True,
                    "full_time": True,
                    "duration_months": None,
                }
            ]
        return offer

    def certificate(self, record: dict, as_of: dt.date) -> dict:
        code, version = self.code(record, as_of)
        issued = as_of - dt.timedelta(self.rng.randint(-20, 3000))
        return {"noc_code": code, "noc_version": version, "province": "ON", "issued": issued.isoformat()}

    def funds(self, size: int) -> float:
        rng = self.rng
        base = rng.choice(AMOUNTS_1) * (1 + 0.25 * (size - 1))
        if rng.random() < 0.2:
            return rng.choice(AMOUNTS_1) + rng.choice([-1, 0, 0, 1])
        return round(base * rng.uniform(0.7, 1.4))

    def relative(self) -> dict:
        rng = self.rng
        return {
            "relation": rng.choice(["parent", "sibling", "aunt_uncle", "niece_nephew", "grandchild"]),
            "of": rng.choice(["applicant", "applicant", "spouse"]),
            "citizen_or_pr": rng.random() < 0.8,
            "lives_in_canada": rng.random() < 0.9,
            "age_18_plus": rng.random() < 0.9,
        }


def enrich(source: str, seed: int, output: str) -> None:
    enricher = Enricher(seed)
    with open(source, encoding="utf-8") as src, open(output, "w", encoding="utf-8") as out:
        for line in src:
            try:
                record = json.loads(line)
            except ValueError:
                out.write(line)
                continue
            if isinstance(record, dict) and "application_date" in record and "work_history" in record:
                try:
                    dt.date.fromisoformat(record["application_date"])
                    record = enricher.record(record)
                except (TypeError, ValueError, KeyError, AttributeError):
                    pass  # a malformed record (a population's deliberate bad lines, e.g. work_history an object)
            out.write(json.dumps(record) + "\n")


# --- edge applicants ------------------------------------------------------------------------------


def work(code, version, start, end, hours=40, country="CA", **flags) -> dict:
    period = {
        "noc_code": code,
        "noc_version": version,
        "country": country,
        "start": start,
        "end": end,
        "hours_per_week": hours,
        "paid": True,
        "self_employed": False,
        "authorized": True,
    }
    period.update(flags)
    return period


def cert(code: str, version: int = 2021, issued: str = "2019-01-01") -> list[dict]:
    return [{"noc_code": code, "noc_version": version, "province": "ON", "issued": issued}]


def offer(code: str, version: int = 2021, months=None) -> dict:
    return {"noc_code": code, "noc_version": version, "lmia": True, "full_time": True, "duration_months": months}


def ielts(date, listening, reading, writing, speaking) -> dict:
    return {
        "test": "ielts_general",
        "date": date,
        "listening": listening,
        "reading": reading,
        "writing": writing,
        "speaking": speaking,
    }


def base(n: str, as_of: str, **fields) -> dict:
    record = {
        "id": f"E-{n}",
        "application_date": as_of,
        "intended_province": "ON",
        "language_tests": [ielts(as_of[:4] + "-01-02", 8.0, 7.0, 7.0, 7.0)],
        "work_history": [],
        "study_history": [],
        "date_of_birth": "1990-06-15",
        "education": [{"level": "post_secondary", "years": 3, "country": "CA", "completed": "2014-05-01"}],
        "settlement_funds": 50000,
        "family_size": 1,
    }
    record.update(fields)
    return record


RUN = [
    {
        "noc_code": "21231",
        "noc_version": 2021,
        "country": "CA",
        "start": "2020-01-06",
        "end": "2024-01-07",
        "hours_per_week": 40,
        "paid": True,
        "self_employed": False,
        "authorized": True,
    }
]  # 4 years, one occupation


def edges() -> list[dict]:
    """Applicants placed on the boundaries; ids say what each probes."""
    out = []
    # one-year continuous run: 364 days at 30 h is exactly 1,560 h when the ISO weeks are whole
    for days_ in (363, 364, 365, 370):
        start = dt.date(2024, 1, 1)
        end = start + dt.timedelta(days_ - 1)
        out.append(
            base(
                f"run-{days_}", "2025-09-01", work_history=[work("21231", 2021, start.isoformat(), end.isoformat(), 30)]
            )
        )
    # a gap of one day splits the run; two occupations do not add up
    out.append(
        base(
            "gap-1-day",
            "2025-09-01",
            work_history=[
                work("21231", 2021, "2023-01-02", "2023-07-02"),
                work("21231", 2021, "2023-07-04", "2024-01-07"),
            ],
        )
    )
    out.append(
        base(
            "no-gap-two-periods",
            "2025-09-01",
            work_history=[
                work("21231", 2021, "2023-01-02", "2023-07-02"),
                work("21231", 2021, "2023-07-03", "2024-01-07"),
            ],
        )
    )
    out.append(
        base(
            "two-occupations",
            "2025-09-01",
            work_history=[
                work("21231", 2021, "2023-01-02", "2023-07-02"),
                work("21232", 2021, "2023-07-03", "2024-01-07"),
            ],
        )
    )
    out.append(
        base("part-time-2-years", "2025-09-01", work_history=[work("21231", 2021, "2023-01-02", "2024-12-29", 15)])
    )
    out.append(base("window-edge", "2025-09-01", work_history=[work("21231", 2021, "2015-01-05", "2016-09-04")]))
    out.append(
        base(
            "self-employed",
            "2025-09-01",
            work_history=[work("21231", 2021, "2020-01-06", "2024-01-07", self_employed=True)],
        )
    )
    out.append(
        base(
            "unauthorized-canada",
            "2025-09-01",
            work_history=[work("21231", 2021, "2020-01-06", "2024-01-07", authorized=False)],
        )
    )
    out.append(base("unpaid", "2025-09-01", work_history=[work("21231", 2021, "2020-01-06", "2024-01-07", paid=False)]))
    out.append(
        base(
            "during-study",
            "2025-09-01",
            work_history=[work("21231", 2021, "2020-01-06", "2024-01-07", 20)],
            study_history=[{"start": "2019-09-01", "end": "2024-04-30", "full_time": True, "country": "CA"}],
        )
    )
    # editions: NOC 2016 B before 2022-11-16, TEER 3 and 4 after; codes in the other classification
    for as_of in ("2022-11-15", "2022-11-16"):
        for code, version in (
            ("7511", 2016),
            ("73300", 2021),
            ("6421", 2016),
            ("64100", 2021),
            ("6331", 2016),
            ("63201", 2021),
            ("65202", 2021),
            ("2173", 2016),
            ("0013", 2016),
            ("4214", 2016),
        ):
            out.append(
                base(f"edition-{as_of}-{code}", as_of, work_history=[work(code, version, "2019-01-07", "2022-01-02")])
            )
    # language: one ability below CLB 7; the 2-year limit; PTE Core before acceptance
    out.append(
        base(
            "clb-6-one-ability",
            "2025-09-01",
            language_tests=[ielts("2025-01-02", 8.0, 7.0, 5.5, 7.0)],
            work_history=RUN,
        )
    )
    out.append(
        base("result-2-years", "2025-09-01", language_tests=[ielts("2023-09-01", 8.0, 7.0, 7.0, 7.0)], work_history=RUN)
    )
    out.append(
        base(
            "result-2-years-less-1",
            "2025-09-01",
            language_tests=[ielts("2023-09-02", 8.0, 7.0, 7.0, 7.0)],
            work_history=RUN,
        )
    )
    out.append(
        base(
            "french-second",
            "2025-09-01",
            language_tests=[
                ielts("2025-01-02", 8.0, 7.0, 7.0, 7.0),
                {
                    "test": "tcf_canada",
                    "date": "2025-02-02",
                    "listening": 380,
                    "reading": 380,
                    "writing": 6,
                    "speaking": 6,
                },
            ],
            work_history=RUN,
        )
    )
    # age on the application day: birthdays, 29 February
    for dob, as_of in (
        ("1989-09-01", "2025-09-01"),
        ("1989-09-02", "2025-09-01"),
        ("1988-02-29", "2024-02-29"),
        ("1988-02-29", "2025-02-28"),
        ("1988-02-29", "2025-03-01"),
        ("1989-02-28", "2025-02-28"),
        ("1978-03-01", "2025-03-01"),
        ("1978-03-02", "2025-03-01"),
        ("1980-02-29", "2026-02-28"),
        ("1980-02-29", "2027-02-28"),
        ("2008-02-29", "2026-02-28"),
    ):
        out.append(base(f"age-{dob}-{as_of}", as_of, date_of_birth=dob, work_history=RUN))
    # 67-point boundary: 1 year (9) + CLB 7 (16) + 3-year credential (21) + age 12 = 58; offers, adaptability
    minimal = dict(
        language_tests=[ielts("2025-01-02", 6.0, 6.0, 6.0, 6.0)],
        work_history=[work("21231", 2021, "2023-01-02", "2024-01-07", country="IN")],
    )
    out.append(base("grid-58", "2025-09-01", **minimal))
    out.append(base("grid-67-offer-adapt", "2025-09-01", **minimal, job_offer=offer("21231", 2021)))
    out.append(
        base(
            "grid-63-relative",
            "2025-09-01",
            **minimal,
            relatives_in_canada=[
                {
                    "relation": "sibling",
                    "of": "applicant",
                    "citizen_or_pr": True,
                    "lives_in_canada": True,
                    "age_18_plus": True,
                }
            ],
        )
    )
    out.append(
        base(
            "grid-spouse-relative-not-accompanying",
            "2025-09-01",
            **minimal,
            spouse={"accompanying": False},
            relatives_in_canada=[
                {
                    "relation": "parent",
                    "of": "spouse",
                    "citizen_or_pr": True,
                    "lives_in_canada": True,
                    "age_18_plus": True,
                }
            ],
        )
    )
    out.append(base("grid-offer-11-months", "2025-09-01", **minimal, job_offer=offer("21231", 2021, 11)))
    out.append(base("grid-offer-teer4", "2025-09-01", **minimal, job_offer=offer("64100", 2021)))
    out.append(base("grid-offer-split", "2025-09-01", **minimal, job_offer=offer("6331", 2016)))
    out.append(base("grid-no-dob", "2025-09-01", **{k: v for k, v in minimal.items()}, date_of_birth=None))
    # ECA 5 years old; foreign credential without ECA; two credentials
    for issued in ("2020-09-01", "2020-09-02"):
        out.append(
            base(
                f"eca-{issued}",
                "2025-09-01",
                work_history=RUN,
                education=[
                    {
                        "level": "masters",
                        "years": 2,
                        "country": "IN",
                        "completed": "2015-05-01",
                        "eca": {"organization": "WES", "issued": issued},
                    }
                ],
            )
        )
    out.append(
        base(
            "two-credentials",
            "2025-09-01",
            work_history=RUN,
            education=[
                {"level": "post_secondary", "years": 3, "country": "CA", "completed": "2014-05-01"},
                {"level": "post_secondary", "years": 1, "country": "CA", "completed": "2015-05-01"},
            ],
        )
    )
    out.append(
        base(
            "secondary-plus-3-year",
            "2025-09-01",
            work_history=RUN,
            education=[
                {"level": "post_secondary", "years": 3, "country": "CA", "completed": "2014-05-01"},
                {"level": "secondary", "years": 12, "country": "CA", "completed": "2010-05-01"},
            ],
        )
    )
    # funds: the day the 2025 table starts, family sizes, the exemption
    for as_of in ("2025-07-06", "2025-07-07", "2024-05-28", "2024-06-03", "2022-06-09", "2021-01-04"):
        out.append(
            base(
                f"funds-{as_of}",
                as_of,
                settlement_funds=14690,
                family_size=1,
                work_history=[work("21231", 2021 if as_of >= "2022-11-16" else 2016, "2018-01-01", "2020-01-05")]
                if as_of >= "2022-11-16"
                else [work("2173", 2016, "2018-01-01", "2020-01-05")],
            )
        )
    out.append(base("funds-family-9", "2025-09-01", settlement_funds=40392 + 2 * 4112, family_size=9, work_history=RUN))
    out.append(
        base(
            "funds-family-9-short", "2025-09-01", settlement_funds=40392 + 2 * 4112 - 1, family_size=9, work_history=RUN
        )
    )
    out.append(
        base(
            "funds-exempt-working",
            "2025-09-01",
            settlement_funds=0,
            job_offer=offer("21231"),
            work_history=[work("21231", 2021, "2020-01-06", None)],
        )
    )
    out.append(
        base(
            "funds-offer-abroad",
            "2025-09-01",
            settlement_funds=0,
            job_offer=offer("21231"),
            work_history=[work("21231", 2021, "2020-01-06", None, country="IN")],
        )
    )
    # FST: trades, 2 years in 5, certificate or offer in the same trade
    for code, version, as_of in (
        ("72200", 2021, "2025-09-01"),
        ("72600", 2021, "2025-09-01"),
        ("93200", 2021, "2025-09-01"),
        ("63202", 2021, "2025-09-01"),
        ("62200", 2021, "2025-09-01"),
        ("62020", 2021, "2025-09-01"),
        ("83100", 2021, "2025-09-01"),
        ("7241", 2016, "2022-11-15"),
        ("6332", 2016, "2022-11-15"),
        ("6321", 2016, "2022-11-15"),
        ("8221", 2016, "2022-11-15"),
        ("8411", 2016, "2022-11-15"),
        ("7511", 2016, "2022-11-15"),
        ("6331", 2016, "2025-09-01"),
        ("7241", 2016, "2025-09-01"),
    ):
        out.append(
            base(
                f"fst-{code}-{as_of}",
                as_of,
                language_tests=[ielts(as_of[:4] + "-01-02", 5.0, 3.5, 4.0, 5.0)],
                work_history=[work(code, version, "2020-01-06", None)],
                certificates_of_qualification=cert(code, version),
            )
        )
    cert_other = cert("72310", 2021)
    out.append(
        base(
            "fst-certificate-other-trade",
            "2025-09-01",
            work_history=[work("72200", 2021, "2020-01-06", None)],
            certificates_of_qualification=cert_other,
        )
    )
    out.append(
        base(
            "fst-offer-other-trade",
            "2025-09-01",
            settlement_funds=0,
            work_history=[work("72200", 2021, "2020-01-06", None)],
            job_offer=offer("72310", 2021),
        )
    )
    out.append(
        base(
            "fst-certificate-and-offer-other-trade",
            "2025-09-01",
            settlement_funds=0,
            work_history=[work("72200", 2021, "2020-01-06", None)],
            certificates_of_qualification=cert("72200", 2021),
            job_offer=offer("72310", 2021),
        )
    )
    out.append(
        base(
            "fst-offer-same-trade-job-ended",
            "2025-09-01",
            settlement_funds=0,
            work_history=[work("72200", 2021, "2020-01-06", "2025-08-31")],
            job_offer=offer("72200", 2021),
        )
    )
    out.append(
        base(
            "fst-offer-same-trade-working",
            "2025-09-01",
            settlement_funds=0,
            work_history=[work("72200", 2021, "2020-01-06", None)],
            job_offer=offer("72200", 2021),
        )
    )
    out.append(
        base(
            "fst-certificate-only-no-funds",
            "2025-09-01",
            settlement_funds=0,
            work_history=[work("72200", 2021, "2020-01-06", None)],
            certificates_of_qualification=cert("72200", 2021),
        )
    )
    for days_ in (728, 729, 730):
        end = dt.date(2025, 8, 31)
        out.append(
            base(
                f"fst-two-years-{days_}",
                "2025-09-01",
                work_history=[work("72200", 2021, (end - dt.timedelta(days_ - 1)).isoformat(), end.isoformat(), 30)],
                certificates_of_qualification=cert("72200", 2021),
            )
        )
    out.append(
        base(
            "fst-two-trades",
            "2025-09-01",
            work_history=[work("72200", 2021, "2023-09-01", None), work("72310", 2021, "2022-09-01", "2023-08-31")],
            certificates_of_qualification=cert("72200", 2021),
        )
    )
    out.append(
        base(
            "fst-language-clb4-speaking",
            "2025-09-01",
            language_tests=[ielts("2025-01-02", 5.0, 3.5, 4.0, 4.5)],
            work_history=[work("72200", 2021, "2020-01-06", None)],
            certificates_of_qualification=cert("72200", 2021),
        )
    )
    out += _fst_split_codes() + _fst_self_employed()
    return [{k: v for k, v in r.items() if v is not None or k in ("end",)} for r in out]


def _fst_split_codes() -> list[dict]:
    """FST with split NOC codes decided where every reading agrees: 7247 became 72204 or 72205 and 7384 became
    72423 or 72999 (all trades), 6331 became 63201 (a trade) or 65202 (not); before 2022-11-16, 72204 is 7245
    or 7247 (both trades)."""
    working, year = [work("72200", 2021, "2020-01-06", None)], [work("72200", 2021, "2024-09-02", None)]
    part_time = {**offer("6331", 2016), "full_time": False}
    return [
        base(
            "fst-split-all-trades",
            "2025-09-01",
            work_history=[work("7247", 2016, "2020-01-06", None)],
            certificates_of_qualification=cert("72204", 2021),
        ),
        base(
            "fst-split-all-trades-2022-11-15",
            "2022-11-15",
            work_history=[work("72204", 2021, "2017-11-06", None)],
            certificates_of_qualification=cert("7245", 2016),
        ),
        base(
            "fst-split-trade-or-not",
            "2025-09-01",
            work_history=[work("6331", 2016, "2020-01-06", None)],
            certificates_of_qualification=cert("63201", 2021),
        ),
        base("fst-split-offer-part-time", "2025-09-01", work_history=working, job_offer=part_time),
        base(
            "fst-split-certificate-other-trade",
            "2025-09-01",
            work_history=working,
            certificates_of_qualification=cert("6331", 2016),
        ),
        base(
            "fst-split-offer-alone-trade",
            "2025-09-01",
            settlement_funds=0,
            work_history=year,
            job_offer=offer("7384", 2016),
        ),
        base(
            "fst-split-offer-alone-open",
            "2025-09-01",
            settlement_funds=1000,
            work_history=year,
            job_offer=offer("6331", 2016),
        ),
        base(
            "fst-split-trade-or-not-certificate-other-trade",
            "2025-09-01",
            work_history=[work("6331", 2016, "2020-01-06", None)],
            certificates_of_qualification=cert("72200", 2021),
        ),
    ]


def _fst_self_employed() -> list[dict]:
    """Self-employed trade work, possible hours for FST (self_employment_counts: open): decisive (certificate; offer
    with no funds, so the exemption is open too; an offer in another trade with no funds, never met together with
    the experience), not needed, and short even counted."""
    alone = [work("72200", 2021, "2020-01-06", None, self_employed=True)]
    return [
        base(
            "fst-self-employed-decisive",
            "2025-09-01",
            work_history=alone,
            certificates_of_qualification=cert("72200", 2021),
        ),
        base(
            "fst-self-employed-offer-open",
            "2025-09-01",
            settlement_funds=0,
            work_history=alone,
            job_offer=offer("72200", 2021),
        ),
        base(
            "fst-self-employed-offer-other-trade",
            "2025-09-01",
            settlement_funds=0,
            work_history=alone,
            job_offer=offer("72201", 2021),
        ),
        base(
            "fst-self-employed-not-needed",
            "2025-09-01",
            certificates_of_qualification=cert("72200", 2021),
            work_history=[
                work("72200", 2021, "2020-01-06", "2023-08-31"),
                work("72200", 2021, "2023-09-01", None, self_employed=True),
            ],
        ),
        base(
            "fst-self-employed-short",
            "2025-09-01",
            certificates_of_qualification=cert("72200", 2021),
            work_history=[
                work("72200", 2021, "2024-09-01", None),
                work("72200", 2021, "2024-03-01", "2024-08-31", self_employed=True),
            ],
        ),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    en = sub.add_parser("enrich")
    en.add_argument("input")
    en.add_argument("--seed", type=int, required=True)
    en.add_argument("-o", "--output", required=True)
    ed = sub.add_parser("edges")
    ed.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    if args.command == "enrich":
        enrich(args.input, args.seed, args.output)
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            for record in edges():
                out.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
