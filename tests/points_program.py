"""A test-only program plugin, `pts`, for the points grid of the ruleset language (tests/test_points.py).

Its one edition is tests/fixtures/points/pts/2026-01-01/ruleset.yaml: an FSW-like grid with an age table,
per-ability language awards, an education table and an adaptability cap. The applicant is a plain
record (no input contract): the facts are the applicant's fields as they are.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from cec_rules.engine.program import Program

FIXTURE = Path(__file__).parent / "fixtures" / "points"
RULESET = "pts/2026-01-01/ruleset.yaml"

FACT_KINDS = {
    "person": {
        "age": ("count", "completed years on the application date (0 when unknown)"),
        "age_known": ("bool", "whether a date of birth was given"),
        "education": ("text", "highest credential: none, secondary, post_secondary, masters, doctoral"),
        "spouse_clb": ("count", "the spouse's lowest CLB (0: no spouse)"),
        "canadian_study": ("bool", "two years of full-time study in Canada"),
        "relative": ("bool", "a relative in Canada"),
    },
    "ability": {
        "name": ("text", "listening, reading, writing or speaking"),
        "clb": ("count", "the CLB level of the ability"),
        "first": ("bool", "whether it is in the first official language"),
    },
}


@dataclass
class PointsApplicant:
    id: str = "P-1"
    application_date: dt.date = dt.date(2026, 6, 1)
    age: int | None = 30
    education: str = "masters"
    first: tuple = (9, 9, 9, 9)  # CLB in listening, reading, writing, speaking
    second: tuple = ()
    spouse_clb: int = 0
    canadian_study: bool = False
    relative: bool = False
    extra: dict = field(default_factory=dict)


@dataclass
class Derived:
    facts: list[dict]
    derived: dict


ABILITIES = ("listening", "reading", "writing", "speaking")


def derive(applicant: PointsApplicant, day, edition, parameters, source) -> Derived:
    person = {
        "t": "person",
        "age": applicant.age or 0,
        "age_known": applicant.age is not None,
        "education": applicant.education,
        "spouse_clb": applicant.spouse_clb,
        "canadian_study": applicant.canadian_study,
        "relative": applicant.relative,
    }
    abilities = [
        {"t": "ability", "name": name, "clb": clb, "first": first}
        for first, levels in ((True, applicant.first), (False, applicant.second))
        for name, clb in zip(ABILITIES, levels)
    ]
    return Derived([person, *abilities], {})


def read_applicant(data, source, limits) -> PointsApplicant:
    return PointsApplicant(**data)


PROGRAM = Program(id="pts", fact_kinds=FACT_KINDS, required_parameters={}, derive=derive, read_applicant=read_applicant)


def copy_fixture(tmp_path: Path) -> Path:
    """A private copy of the fixture rulesets folder, to edit."""
    root = tmp_path / "points"
    shutil.copytree(FIXTURE, root)
    return root
