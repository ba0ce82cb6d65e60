"""Builders and paths shared by the test modules (plain functions, importable as `support`).

Applicants are built in the input contract of DESIGN.md from a few overrides, so each test shows only
what matters to it: by default an Ontario applicant assessed on 2026-11-01 (counting window
2023-11-01 <= d < 2026-11-01) with one good IELTS result (CLB 9 in all four abilities) and no work.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from cec_rules.engine.library import bundled_root
from cec_rules.facts.applicant import Applicant

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
OTHER_PROGRAM_EXAMPLES = ("fsw-", "fst-")  # examples/fsw-*.yaml and fst-*.yaml are FSW's and FST's applicants


def cec_examples(pattern: str = "*.yaml") -> list[Path]:
    """The CEC example applicants (`examples/` also holds other programs' files, named by their program)."""
    return sorted(p for p in EXAMPLES.glob(pattern) if not p.name.startswith(OTHER_PROGRAM_EXAMPLES))


APPLICATION_DATE = "2026-11-01"
NEW_EDITION = "cec/2022-11-16/ruleset.yaml"
OLD_EDITION = "cec/2015-01-01/ruleset.yaml"

GOOD_IELTS = {
    "test": "ielts_general",
    "date": "2025-06-01",
    "listening": 8.0,
    "reading": 7.0,
    "writing": 7.0,
    "speaking": 7.0,
}


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def iso(value: dt.date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def job(
    noc_code: str = "21231",
    start: dt.date | str = "2024-01-01",
    end: dt.date | str | None = None,
    hours: float = 40,
    **overrides,
) -> dict:
    """One work period: paid, authorized, in Canada, not self-employed unless overridden."""
    period = {
        "noc_code": noc_code,
        "noc_version": 2021 if len(noc_code) == 5 else 2016,
        "country": "CA",
        "start": iso(start),
        "end": iso(end),
        "hours_per_week": hours,
        "paid": True,
        "self_employed": False,
        "authorized": True,
    }
    period.update(overrides)
    return period


def study(start: dt.date | str, end: dt.date | str | None, full_time: bool = True, country: str = "CA") -> dict:
    return {"start": iso(start), "end": iso(end), "full_time": full_time, "country": country}


def lang(test: str, date: dt.date | str, listening, reading, writing, speaking) -> dict:
    """One language test result."""
    return {
        "test": test,
        "date": iso(date),
        "listening": listening,
        "reading": reading,
        "writing": writing,
        "speaking": speaking,
    }


def applicant_data(**fields) -> dict:
    data = {
        "id": "T-1",
        "application_date": APPLICATION_DATE,
        "intended_province": "ON",
        "language_tests": [dict(GOOD_IELTS)],
        "work_history": [],
        "study_history": [],
        "admissible": True,
    }
    for key, value in fields.items():
        data[key] = iso(value) if key == "application_date" else value
    return data


def applicant(**fields) -> Applicant:
    """An `Applicant` from the defaults above and `fields` (dates as ISO strings or dates)."""
    return Applicant.model_validate(applicant_data(**fields))


def criterion(decision, name: str):
    return next(c for c in decision.criteria if c.id == name)


def copy_rulesets(tmp_path: Path, programs: tuple[str, ...] | None = ("cec",)) -> Path:
    """A private, editable copy of the bundled rulesets folder at `tmp_path/rulesets`: the shared data and the
    folders of `programs` (None: every program). CEC's alone by default, so that a broken CEC edition makes
    the whole load fail, as the tests of CEC's rulesets expect (with another program loaded, CEC would only
    be set aside as unavailable)."""
    target = tmp_path / "rulesets"
    root = bundled_root()
    usual = shutil.ignore_patterns("__pycache__", "__init__.py")

    def ignore(folder: str, names: list[str]) -> set[str]:
        other_programs = (
            set()
            if programs is None or Path(folder) != root
            else {
                n
                for n in names
                if (root / n / "").is_dir()
                and n != "data"
                and n not in programs
                and any((root / n).glob("*/ruleset.yaml"))
            }
        )
        return set(usual(folder, names)) | other_programs

    shutil.copytree(root, target, ignore=ignore)
    return target


def edit(root: Path, relative: str, old: str, new: str) -> int:
    """Replace the single occurrence of `old` in `root/relative`; return the 1-based line where `new` starts."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{relative}: expected exactly one {old!r}, found {text.count(old)}"
    start = text.index(old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[:start].count("\n") + 1


def line_of(root: Path, relative: str, needle: str) -> int:
    """The 1-based line of the first occurrence of `needle` in `root/relative`."""
    text = (root / relative).read_text(encoding="utf-8")
    assert needle in text, f"{needle!r} not in {relative}"
    return text[: text.index(needle)].count("\n") + 1


def diff_population(path: Path, count: int, seed: int) -> list[str]:
    """A population for `cec diff`'s tests, written to `path` and returned as lines: `count` generated
    applicants (3% malformed), then the examples; every other record gets a profile submission time, so
    that the ranked programs have tie-breaks to compare."""
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "generate.py"),
            "--count",
            str(count),
            "--seed",
            str(seed),
            "--malformed-share",
            "0.03",
            "-o",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    lines += [
        json.dumps(yaml.safe_load(example.read_text(encoding="utf-8")), default=str)
        for example in sorted(EXAMPLES.glob("*.yaml"))
    ]
    for index, line in enumerate(lines):
        try:
            record = json.loads(line)
        except ValueError:  # a malformed record stays as it is
            continue
        if index % 2 and isinstance(record, dict):
            record["profile_submitted"] = f"2026-0{1 + index % 9}-0{1 + index % 7}T10:00:00Z"
            lines[index] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines
