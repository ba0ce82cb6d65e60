"""`cec diff`: raising the TEER 2/3 language level from CLB 5 to 6 in a copy of the rulesets changes the
decision of exactly the applicants an independent implementation (bench/baseline.py) says it should;
the reports agree with the summary; the HTML opens in a headless browser."""

from __future__ import annotations

import dataclasses
import html
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from support import NEW_EDITION, REPO, copy_rulesets

POPULATION = 1500


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def population(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("population") / "population.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "generate.py"),
            "--count",
            str(POPULATION),
            "--seed",
            "7",
            "--malformed-share",
            "0.01",
            "-o",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture(scope="module")
def report(population, tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("rules")
    new = copy_rulesets(root)
    edition = new / NEW_EDITION
    edition.write_text(
        edition.read_text().replace(
            'value: {"0": 7, "1": 7, "2": 5, "3": 5}', 'value: {"0": 7, "1": 7, "2": 6, "3": 6}'
        )
    )
    old = copy_rulesets(tmp_path_factory.mktemp("old"))
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(
        cli, ["diff", str(old), str(new), "--population", str(population), "-o", str(out), "--workers", "2"]
    )
    assert result.exit_code == 3, result.output  # the population holds malformed records (exit 3, like cec batch)
    return out, json.loads((out / "summary.json").read_text())


WORD = {True: "met", False: "unmet", None: "undetermined"}
BECAME = {True: "eligible", False: "ineligible", None: "undetermined"}


def _independent_changes(population: Path) -> tuple[dict[str, str], dict[str, tuple]]:
    """Per applicant whose language criterion changes, its change ("met -> unmet", "undetermined -> unmet", ...),
    and per applicant whose outcome changes, (eligible before, after): computed three-valued by the
    plain-Python baseline with the TEER 2/3 level raised to 6 (its own thresholds table, not the rulesets)."""
    baseline = _load("baseline")
    old_edition = baseline.EDITION_2021
    new_edition = dataclasses.replace(old_edition, thresholds={"0": 7, "1": 7, "2": 6, "3": 6})
    language, outcome = {}, {}
    for line in population.read_text().splitlines():
        try:
            record = json.loads(line)
            baseline.EDITION_2021 = old_edition
            before = baseline.decide(record)
            baseline.EDITION_2021 = new_edition
            after = baseline.decide(record)
        except ValueError:
            continue
        finally:
            baseline.EDITION_2021 = old_edition
        was, now = before["met"]["language_proficiency"], after["met"]["language_proficiency"]
        if was is not now:
            language[before["applicant_id"]] = f"{WORD[was]} -> {WORD[now]}"
        if before["eligible"] is not after["eligible"]:
            outcome[before["applicant_id"]] = (before["eligible"], after["eligible"])
    return language, outcome


def test_exactly_the_applicants_between_the_levels_change(report, population):
    out, summary = report
    changes = [json.loads(line) for line in (out / "changes.jsonl").read_text().splitlines()]
    language_changes = {
        c["applicant_id"]: c["criteria_changed"]["language_proficiency"]
        for c in changes
        if "language_proficiency" in c["criteria_changed"]
    }
    outcome_flips = {
        c["applicant_id"]: (c["eligible"]["old"], c["eligible"]["new"])
        for c in changes
        if c["eligible"]["old"] is not c["eligible"]["new"]
    }
    expected_language, expected_outcome = _independent_changes(population)

    assert expected_outcome, "the population should contain applicants between the levels"
    assert language_changes == expected_language
    assert outcome_flips == expected_outcome
    assert all(set(c["criteria_changed"]) == {"language_proficiency"} for c in changes)
    assert all(
        c["old"]["language_lowest"] == 5 and c["old"]["language_required"] == 5
        for c in changes
        if c["criteria_changed"]["language_proficiency"] == "met -> unmet"
    )
    became = Counter(f"became_{BECAME[new]}" for _, new in expected_outcome.values())
    assert {k: summary["outcomes"][k] for k in ("became_eligible", "became_ineligible", "became_undetermined")} == {
        k: became[k] for k in ("became_eligible", "became_ineligible", "became_undetermined")
    }
    shown = {change: n for change, n in summary["criteria_changed"]["language_proficiency"].items() if n}
    assert list(summary["criteria_changed"]) == ["language_proficiency"]
    assert shown == dict(Counter(expected_language.values()))


def test_summary_names_the_rule_change_and_counts_everyone(report):
    _, summary = report
    assert summary["total"] == POPULATION and summary["rejected"] > 0
    assert sum(summary["outcomes"].values()) == summary["decided"]
    assert summary["rules_changes"] == [
        {
            "edition": "cec/2022-11-16",
            "kind": "parameter",
            "name": "language_level_by_occupation_level",
            "change": "{0: 7, 1: 7, 2: 5, 3: 5} -> {0: 7, 1: 7, 2: 6, 3: 6}",
        }
    ]


def test_markdown_report_carries_the_numbers(report):
    out, summary = report
    text = (out / "report.md").read_text()
    assert f"| became ineligible | {summary['outcomes']['became_ineligible']:,} |" in text
    assert "language_level_by_occupation_level" in text


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_html_report_opens_in_a_headless_browser_and_matches_the_json(report):
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium on this machine (.ci/run installs it)")
    out, summary = report
    run = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--dump-dom",
            (out / "report.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    dom = run.stdout
    assert "<svg" in dom and "Uncaught" not in run.stderr
    for outcome, count in summary["outcomes"].items():
        assert re.search(rf"data-outcome=\"{outcome}\">{count}<", dom), outcome
    shown = {html.unescape(m[0]): int(m[1]) for m in re.findall(r'data-criterion="([^"]+)" data-count="(\d+)"', dom)}
    expected = {f"{c}|{d}": n for c, v in summary["criteria_changed"].items() for d, n in v.items() if n}
    assert shown == expected
    bars = sum(int(n) for n in re.findall(r'data-hours="[^"]+" data-outcome="[^"]+" data-count="(\d+)"', dom))
    assert bars == summary["decided"]
    for direction, ids in summary["samples"].items():
        assert re.search(rf'data-samples="{direction}">{re.escape(", ".join(ids) or "(none)")}<', dom), direction
    _assert_every_bar_visible(dom)


def _assert_every_bar_visible(dom: str) -> None:
    """Every bar with a count is drawn at least 3 px wide and high (a flip of 1 among thousands still shows)."""
    rects = re.findall(r"<rect ([^>]*)>", dom)
    counted = [dict(re.findall(r'([\w-]+)="([^"]*)"', attrs)) for attrs in rects if "data-count" in attrs]
    assert counted
    for bar in counted:
        assert int(bar["data-count"]) > 0
        assert float(bar["width"]) >= 3 and float(bar["height"]) >= 3, bar
    labels = re.findall(r'data-axis="([^"]+)">([^<]+)<', dom)
    assert ("none", "no value") in labels and all(text != "none" for _, text in labels)


def test_two_editions_can_be_compared(population, tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "diff",
            "cec/2015-01-01",
            "cec/2022-11-16",
            "--population",
            str(population),
            "-o",
            str(tmp_path),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 3, result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["outcomes"]["became_eligible"] + summary["outcomes"]["became_ineligible"] > 0
    names = {c["name"] for c in summary["rules_changes"]}
    assert {"noc_version", "skilled_levels", "language_level_by_occupation_level"} <= names


def test_a_side_that_is_neither_folder_nor_edition_is_a_clear_error(population, tmp_path):
    result = CliRunner().invoke(
        cli, ["diff", "cec/1999-01-01", "cec/2022-11-16", "--population", str(population), "-o", str(tmp_path)]
    )
    assert result.exit_code == 2 and "neither a rulesets folder nor an edition" in result.stderr
