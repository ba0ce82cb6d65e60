"""bench/settlement_join.py: a decision on split NOC codes against the join of deciding each settlement."""

from __future__ import annotations

import json
import sys

import yaml

from support import REPO

sys.path.insert(0, str(REPO / "bench"))

import settlement_join  # noqa: E402  (bench/ is a folder of scripts, not a package)


def test_the_join_of_the_settlements():
    assert settlement_join.verdict(True, [True, True]) == "ok"
    assert settlement_join.verdict(None, [True, False]) == "ok"
    assert settlement_join.verdict(False, [False, False]) == "ok"
    assert settlement_join.verdict(None, [False, False]) == "None where the settlements give False"
    assert settlement_join.verdict(True, [True, None]) == "eligible though a settlement is not"
    assert settlement_join.verdict(None, [True, None]) == "ok (a settlement open)"


def test_the_never_together_cases_are_the_join_of_their_settlements(tmp_path):
    """The YAML cases of both CEC editions with split codes, as a population: every one is checked and ok."""
    records = [
        case["applicant"]
        for edition in ("2015-01-01", "2022-11-16")
        for case in yaml.safe_load(
            (REPO / f"rulesets/cec/{edition}/tests/never-together.yaml").read_text(encoding="utf-8")
        )
    ]
    population = tmp_path / "split.jsonl"
    population.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    assert settlement_join.check(str(population), "cec", 64, 0) == {"ok": len(records)}
    assert settlement_join.main([str(population), "--program", "cec"]) == 0
