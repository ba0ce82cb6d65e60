"""Test cases as data: YAML files that policy editors write beside each edition, and their runner.

A case file (`rulesets/<program>/<edition>/tests/*.yaml`) holds a list of cases:

    - name: exactly the pass mark is enough
      as_of: "2026-11-01"                 # optional; default: the applicant's application_date
      applicant: {...}                    # inline, in the input contract, or:
      applicant_file: ../../../../examples/eligible.yaml   # relative to the case file
      expect:
        eligible: true                    # optional
        edition: "2022-11-16"             # optional
        criteria: {points_grid: met, admissibility: unmet}   # optional, any subset
        derived: {score.total: 67}        # optional: values of decision.derived, dotted paths allowed
                                          # (lists and mappings compare whole: `findings: []`)
        reasons: {admissibility: "inadmissible"}   # optional: text the reason must contain
        score: {total: 72, possible_total: 72, age: 12, adaptability: 10}   # optional (rulesets with a score:):
                                          # totals, a factor's points (null: undetermined; [11, 13]:
                                          # undetermined, with those least and most points), a cap's points

`cec test` and the pytest plugin both run cases through `run_case`, so they agree, each case under the
program of the folder it sits in (`program_of`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from .errors import InputError, Problem
from .pydantic_problems import problems_from_validation
from .yaml_source import Positions, YamlProblem, load_yaml

CASES_FOLDER = "tests"


class Expectation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    eligible: StrictBool | Literal["undetermined"] | None = None
    edition: StrictStr | None = None
    criteria: dict[str, Literal["met", "unmet", "undetermined"]] = {}
    needs: dict[str, list[str]] = {}  # criterion -> input fields its `needs` must name
    derived: dict[str, StrictInt | StrictFloat | StrictStr | StrictBool | list | dict | None] = {}
    reasons: dict[str, str] = {}
    # groups of criteria a `not_together` rule must have concluded (in any order); [] : none may have
    not_together: list[list[str]] | None = None
    # total, possible_total, factor or cap id -> points; a factor -> [least, most]: undetermined, within those bounds
    score: dict[
        str,
        StrictInt | StrictFloat | None | Annotated[list[StrictInt | StrictFloat], Field(min_length=2, max_length=2)],
    ] = {}


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    as_of: dt.date | None = None
    applicant: dict | None = None
    applicant_file: str | None = None
    expect: Expectation

    @model_validator(mode="after")
    def _one_applicant(self) -> "Case":
        if (self.applicant is None) == (self.applicant_file is None):
            raise ValueError("a case needs exactly one of applicant or applicant_file")
        return self


@dataclass
class LoadedCase:
    case: Case
    path: Path
    line: int | None
    index: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass
class CaseResult:
    """The outcome of one case: its failures (empty when it passed) and what the decision covered."""

    loaded: LoadedCase
    failures: list[str] = field(default_factory=list)
    rules_fired: set[str] = field(default_factory=set)
    outcomes: set[tuple[str, bool]] = field(default_factory=set)
    ruleset: str | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


def find_case_files(paths: list[Path]) -> list[Path]:
    """Case files under each path: a case file itself, or every `*/tests/*.yaml` below a folder."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.name == CASES_FOLDER:
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            found.extend(sorted(p for p in path.rglob(f"{CASES_FOLDER}/*.yaml") if p.is_file()))
            found.extend(sorted(p for p in path.rglob(f"{CASES_FOLDER}/*.yml") if p.is_file()))
    return list(dict.fromkeys(found))


def load_cases(path: Path) -> tuple[list[LoadedCase], list[Problem]]:
    """Every case of a file, with its line; problems (bad YAML, unknown keys) instead of exceptions."""
    try:
        data, positions = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except YamlProblem as exc:
        return [], [exc.problem]
    except OSError as exc:
        return [], [Problem(str(path), None, None, "", f"cannot read: {exc.strerror}")]
    if not isinstance(data, list):
        return [], [Problem(str(path), 1, 1, "", "a case file is a list of cases (each starting with '- name:')")]
    cases, problems = [], []
    for index, item in enumerate(data):
        try:
            case = Case.model_validate(item)
        except ValidationError as exc:
            problems.extend(
                _shift(problems_from_validation(exc, str(path), _sub_positions(positions, index), Case, item), index)
            )
            continue
        cases.append(LoadedCase(case, path, positions.find((index,))[0], index))
    return cases, problems


def _sub_positions(positions: Positions, index: int) -> Positions:
    return Positions({key[1:]: mark for key, mark in positions.marks.items() if key[:1] == (index,)})


def _shift(problems: list[Problem], index: int) -> list[Problem]:
    return [
        Problem(p.path, p.line, p.column, f"[{index}]" + (f".{p.key_path}" if p.key_path else ""), p.message)
        for p in problems
    ]


def applicant_data(loaded: LoadedCase) -> tuple[dict, str]:
    """The case's applicant as data, and a label for messages."""
    case = loaded.case
    if case.applicant is not None:
        return case.applicant, f"{loaded.where} (case {case.name!r})"
    target = (loaded.path.parent / case.applicant_file).resolve()
    try:
        data, _ = load_yaml(target.read_text(encoding="utf-8"), str(target))
    except (OSError, YamlProblem) as exc:
        raise InputError(loaded.where, "applicant_file", f"cannot read {case.applicant_file}: {exc}") from None
    return data, str(target)


def run_case(loaded: LoadedCase, evaluator) -> CaseResult:
    """Decide the case's applicant and compare with its expectations."""
    result = CaseResult(loaded)
    try:
        data, label = applicant_data(loaded)
        decision = evaluator.evaluate(
            evaluator.plugin.read_applicant(data, label, None), loaded.case.as_of, source=label
        )
    except InputError as exc:
        result.failures.append(f"the applicant could not be decided: {exc}")
        return result
    result.ruleset = f"{decision.program}/{decision.edition}"
    result.rules_fired = {firing["rule"] for firing in decision.trace}
    result.outcomes = {(c.id, c.met) for c in decision.criteria}
    result.failures = compare(loaded.case.expect, decision)
    return result


OUTCOME_WORDS = {True: "met", False: "unmet", None: "undetermined"}
ELIGIBLE_WORDS = {None: "undetermined"}


def compare(expect: Expectation, decision) -> list[str]:
    """Each expectation that the decision does not meet, as 'what: expected X, got Y'."""
    failures = []
    if expect.eligible is not None and expect.eligible != ELIGIBLE_WORDS.get(decision.eligible, decision.eligible):
        failures.append(
            f"eligible: expected {expect.eligible}, got {ELIGIBLE_WORDS.get(decision.eligible, decision.eligible)} "
            f"(unmet: {', '.join(decision.unmet) or 'none'}; undetermined: {', '.join(decision.undetermined) or 'none'})"
        )
    if expect.edition is not None and expect.edition != decision.edition:
        failures.append(f"edition: expected {expect.edition}, got {decision.edition}")
    criteria = {c.id: c for c in decision.criteria}
    for name, wanted in expect.criteria.items():
        got = criteria.get(name)
        if got is None:
            failures.append(f"criteria.{name}: no such criterion in {decision.program} {decision.edition}")
        elif wanted != OUTCOME_WORDS[got.met]:
            failures.append(f"criteria.{name}: expected {wanted}, got {OUTCOME_WORDS[got.met]} ({got.reason})")
    for name, fields in expect.needs.items():
        named = [need["field"] for need in criteria[name].needs] if name in criteria else []
        missing = [f for f in fields if f not in named]
        if missing or (not fields and named):
            failures.append(f"needs.{name}: expected {fields}, got {named}")
    for path, wanted in expect.derived.items():
        got = _dig(decision.derived, path)
        if not _same(wanted, got):
            failures.append(f"derived.{path}: expected {wanted!r}, got {got!r}")
    failures += _compare_score(expect.score, decision)
    failures += _compare_not_together(expect.not_together, decision)
    for name, text in expect.reasons.items():
        got = criteria.get(name)
        if got is None or text not in got.reason:
            failures.append(f"reasons.{name}: expected to contain {text!r}, got {got.reason if got else None!r}")
    return failures


_MISSING = "<missing>"


def _compare_not_together(expected: list[list[str]] | None, decision) -> list[str]:
    """`not_together:` expectations: each group was concluded (its criteria in any order); an empty list, none was."""
    if expected is None:
        return []
    got = [sorted(record.criteria) for record in decision.not_together]
    missing = [group for group in expected if sorted(group) not in got]
    if missing or (not expected and got):
        return [f"not_together: expected {expected}, got {got}"]
    return []


def _compare_score(expected: dict, decision) -> list[str]:
    """`score:` expectations: the totals, each factor's points (None: undetermined; [least, most]: undetermined
    with those bounds) and each cap's points."""
    if not expected:
        return []
    if decision.score is None:
        return [f"score: {decision.program} {decision.edition} has no score: section"]
    score = decision.score
    got = {
        "total": score.total,
        "possible_total": score.possible_total,
        **{f.id: f.points for f in score.factors},
        **{c.id: c.points for c in score.caps},
    }
    bounds = {f.id: list(f.between) for f in score.factors if f.points is None}
    failures = []
    for name, wanted in expected.items():
        if isinstance(wanted, list) and name in got:
            have = bounds.get(name, got[name])
            if not (isinstance(have, list) and all(_same(w, h) for w, h in zip(wanted, have))):
                failures.append(
                    f"score.{name}: expected undetermined between {wanted[0]!r} and {wanted[1]!r}, got {have!r}"
                )
        elif name not in got:
            failures.append(f"score.{name}: no such total, factor or cap; known: {', '.join(got)}")
        elif not (_same(wanted, got[name]) if wanted is not None and got[name] is not None else wanted is got[name]):
            failures.append(f"score.{name}: expected {wanted!r}, got {got[name]!r}")
    return failures


def _dig(data, path: str):
    for part in path.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return _MISSING
    return data


def _same(wanted, got) -> bool:
    if (
        isinstance(wanted, (int, float))
        and not isinstance(wanted, bool)
        and isinstance(got, (int, float))
        and not isinstance(got, bool)
    ):
        return abs(wanted - got) < 0.005
    return wanted == got


def program_of(case_file: Path) -> str | None:
    """The program whose cases a case file holds, from its path `<root>/<program>/<edition>/tests/<file>`
    (None outside a rulesets folder)."""
    if rulesets_root_of(case_file) is None:
        return None
    return case_file.resolve().parents[2].name


def rulesets_root_of(case_file: Path) -> Path | None:
    """The rulesets folder a case file belongs to: `<root>/<program>/<edition>/tests/<file>`."""
    candidate = case_file.resolve().parents[3] if len(case_file.resolve().parents) > 3 else None
    if candidate is not None and any(candidate.glob("*/*/ruleset.yaml")):
        return candidate
    return None
