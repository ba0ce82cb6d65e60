"""`cec diff` decides each side without reasons first, and decides again with reasons only the applicants whose
line goes to changes.jsonl (engine/impact/decider.py, `Evaluator.evaluate(reasons=False)`). Proved here:
- a decision without reasons is the decision with reasons less its reasons, needs and trace (generated
  applicants, every edition of CEC, each program on the examples);
- on a generated population (with malformed records) and the examples, each applicant's result (its line,
  both outcomes, its place) and each reject is the same when every side is decided with its reasons from
  the start (`CEC_DIFF_REASONS=1`), for a CEC threshold (decided once and derived once), a weekly cap (derived
  twice), two CEC editions, a CRS table row (scores) and a pool category (groups and consumed decisions);
- `cec diff` writes the same files both ways."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from cec_rules.engine.batch.records import Record
from cec_rules.engine.batch.worker import Rejected
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.engine.impact.decider import REASONS_ENV, ImpactDecider
from cec_rules.engine.impact.sides import Side
from cec_rules.facts.applicant import Applicant
from strategies import applicants
from support import EXAMPLES, NEW_EDITION, copy_rulesets, diff_population, edit

CRS_ROW = "- {when: {years: {eq: 2}, with_spouse: {eq: false}}, value: 53}"
STEM = 'value: ["20011", "21220", "21300"'


def _without_reasons(decision) -> dict:
    """A decision's output form less what a decision without reasons leaves out."""
    data = decision.to_json()
    data["trace"] = []
    for criterion in data["criteria"]:
        criterion.pop("needs", None)
        if criterion["reason"] != "not established: no rule concluded this criterion":
            criterion["reason"] = None
    return data


@pytest.fixture(scope="module")
def cec_evaluator() -> Evaluator:
    return Evaluator(load_bundled_or(None), "cec")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=applicants())
def test_a_decision_without_reasons_is_the_decision_less_its_reasons(cec_evaluator, record):
    applicant = Applicant.model_validate(record)
    for edition in cec_evaluator.library.programs["cec"]:
        try:
            full = cec_evaluator.evaluate(applicant, edition=edition)
        except Exception as error:  # the same error both ways
            with pytest.raises(type(error)) as raised:
                cec_evaluator.evaluate(applicant, edition=edition, reasons=False)
            assert str(raised.value) == str(error)
            continue
        verdict = cec_evaluator.evaluate(applicant, edition=edition, reasons=False)
        assert all(c.reason is None or c.reason.startswith("not established") for c in verdict.criteria)
        assert verdict.trace == [] and all(c.needs == [] for c in verdict.criteria)
        assert _without_reasons(verdict) == _without_reasons(full)


def test_every_program_decides_the_examples_alike_without_reasons():
    library, checked = load_bundled_or(None), 0
    for program in library.plugins:
        evaluator = Evaluator(library, program)
        for example in sorted(EXAMPLES.glob("*.yaml")):
            try:
                applicant = evaluator.plugin.read_applicant(
                    yaml.safe_load(example.read_text(encoding="utf-8")), example.name, None
                )
                full = evaluator.evaluate(applicant, source=example.name)
            except Exception:  # an example of another program
                continue
            assert _without_reasons(
                evaluator.evaluate(applicant, source=example.name, reasons=False)
            ) == _without_reasons(full)
            checked += 1
    assert checked > 20


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[Record]:
    """Generated applicants (some malformed), every other one with a profile submission time, then the examples."""
    path = tmp_path_factory.mktemp("population") / "population.jsonl"
    lines = diff_population(path, 600, 13)
    return [Record(i, i + 1, path.name, line, "json") for i, line in enumerate(lines)]


@pytest.fixture(scope="module")
def rulesets(tmp_path_factory) -> dict[str, Path]:
    """The bundled rules copied, and copies with a CEC threshold, a CEC weekly cap, a CRS row or a pool category changed."""

    def variant(name: str, path: str, old: str, new: str) -> Path:
        root = copy_rulesets(tmp_path_factory.mktemp(name), programs=None)
        edit(root, path, old, new)
        return root

    return {
        "old": copy_rulesets(tmp_path_factory.mktemp("old"), programs=None),
        "threshold": variant("threshold", NEW_EDITION, "unit: hours\n    value: 1560", "unit: hours\n    value: 1500"),
        "cap": variant(
            "cap", NEW_EDITION, "unit: hours per week\n    value: 30", "unit: hours per week\n    value: 25"
        ),
        "crs": variant("crs", "crs/2022-11-16/ruleset.yaml", CRS_ROW, CRS_ROW.replace("value: 53", "value: 60")),
        "pool": variant("pool", "pool/2026-02-18/ruleset.yaml", STEM, 'value: ["20011", "21220", "21231", "21300"'),
    }


def _sides(rulesets: dict, name: str) -> tuple[Side, Side, str | None]:
    if name == "editions":
        return (
            Side("cec/2015-01-01", None, "cec", "2015-01-01"),
            Side("cec/2022-11-16", None, "cec", "2022-11-16"),
            "2024-06-01",
        )
    program, as_of = {
        "threshold": ("cec", None),
        "cap": ("cec", None),
        "crs": ("crs", "2026-11-01"),
        "pool": ("pool", "2026-11-01"),
    }[name]
    return Side("old", str(rulesets["old"]), program, None), Side("new", str(rulesets[name]), program, None), as_of


@pytest.mark.parametrize("name", ["threshold", "cap", "editions", "crs", "pool"])
def test_deciding_reasons_only_for_the_changed_gives_the_same_results(records, rulesets, monkeypatch, name):
    monkeypatch.delenv(REASONS_ENV, raising=False)
    lazy = ImpactDecider(*_sides(rulesets, name))
    monkeypatch.setenv(REASONS_ENV, "1")
    full = ImpactDecider(*_sides(rulesets, name))
    assert (lazy.reasons, full.reasons) == (False, True)
    lazy_results = [lazy.decide(record) for record in records]
    assert lazy_results == [full.decide(record) for record in records]
    lines = [r.line for r in lazy_results if not isinstance(r, Rejected) and r.line is not None]
    assert sum(isinstance(r, Rejected) for r in lazy_results) > 10 and lines
    assert all('"reasons":{' in line for line in lines)


def test_only_the_changed_are_decided_with_reasons(records, rulesets, monkeypatch):
    monkeypatch.delenv(REASONS_ENV, raising=False)
    decider = ImpactDecider(*_sides(rulesets, "editions"))
    with_reasons = without = 0
    for record in records:
        try:
            applicant = decider.plugin.read_applicant(json.loads(record.text), "x", decider.limits)
            pair = decider.evaluate(applicant, "x")
        except Exception:  # a malformed record
            continue
        concluded = [c for decision in pair.decisions for c in decision.criteria if c.rule is not None]
        changed = bool(pair.changed or pair.moved or pair.old["eligible"] != pair.new["eligible"])
        assert all((c.reason is not None) == changed for c in concluded)
        with_reasons, without = with_reasons + changed, without + (not changed)
    assert with_reasons > 10 and without > 10 * with_reasons


def _diff(rulesets: dict, population: Path, out: Path, reasons: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k != REASONS_ENV} | ({REASONS_ENV: "1"} if reasons else {})
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "cec"),
            "diff",
            str(rulesets["old"]),
            str(rulesets["threshold"]),
            "--population",
            str(population),
            "--workers",
            "2",
            "-o",
            str(out),
        ],
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 3, done.stderr  # done, with rejected records


def test_cec_diff_writes_the_same_files_both_ways(records, rulesets, tmp_path):
    population = tmp_path / "population.jsonl"
    population.write_text("".join(record.text + "\n" for record in records), encoding="utf-8")
    _diff(rulesets, population, tmp_path / "lazy", reasons=False)
    _diff(rulesets, population, tmp_path / "full", reasons=True)
    for name in ("changes.jsonl", "rejects.jsonl", "report.md"):
        lazy, full = ((tmp_path / side / name).read_text(encoding="utf-8") for side in ("lazy", "full"))
        assert lazy.replace(str(tmp_path / "lazy"), "OUT") == full.replace(str(tmp_path / "full"), "OUT")
    summaries = [
        json.loads((tmp_path / side / "summary.json").read_text(encoding="utf-8")) for side in ("lazy", "full")
    ]
    for summary in summaries:
        del summary["elapsed_seconds"], summary["files"]
    assert summaries[0] == summaries[1] and summaries[0]["changed_outcome"] > 0
