"""YAML test cases: `cec test` and the pytest plugin pass on the bundled cases and report a wrong case
with its file:line, name, and expected vs actual; coverage lists what no case exercises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cec_rules.cli.main import cli
from support import copy_rulesets

WRONG_CASE = """\
# A deliberately wrong case: this applicant has 1,217 hours, not enough.
- name: part-time work wrongly expected to be enough
  as_of: "2026-11-01"
  applicant:
    id: WRONG
    application_date: "2026-11-01"
    intended_province: "ON"
    language_tests:
      - {test: ielts_general, date: "2025-06-01", listening: 8.0, reading: 7.0, writing: 7.0, speaking: 7.0}
    work_history:
      - {noc_code: "21231", noc_version: 2021, country: "CA", start: "2025-09-01", end: null,
         hours_per_week: 20, paid: true, self_employed: false, authorized: true}
  expect:
    eligible: true
    derived: {qualifying_hours: 1300}
"""


def _with_wrong_case(tmp_path: Path) -> tuple[Path, Path]:
    root = copy_rulesets(tmp_path)
    case_file = root / "cec" / "2022-11-16" / "tests" / "wrong.yaml"
    case_file.write_text(WRONG_CASE)
    return root, case_file


# Safety nets no bundled case can fire, each fired on a copy by its own test:
# - StatCan's correspondence gives every bundled code a counterpart, so the exclusion of a code without one is
#   there for a future table (tests/test_screen.py);
# - every entry program has editions in force whenever the pool does, so the pool's rule for a program that
#   gave no decision needs a rulesets folder without one (tests/test_chaining.py).
NO_COUNTERPART_RULE = "occupation_without_counterpart_excluded"
SAFETY_NETS = {"cec": NO_COUNTERPART_RULE, "crs": NO_COUNTERPART_RULE, "pool": "a_program_is_not_decided"}


# The CRS's score_computed is met or undetermined, never unmet (a score is not a pass mark).
CRS_NEVER_SEEN = "score_computed unmet"


def _uncovered(line: str) -> tuple[str, str]:
    """(rules never fired, criterion outcomes never seen) of one edition's coverage line."""
    rules, outcomes = line.split("rules never fired: ")[1].split("; criterion outcomes never seen: ")
    return rules, outcomes


def test_bundled_cases_all_pass_and_cover_every_rule():
    result = CliRunner().invoke(cli, ["test", "--coverage"])
    assert result.exit_code == 0, result.stdout
    assert " 0 failed" in result.stdout
    editions = {line.split(":")[0]: _uncovered(line) for line in result.stdout.splitlines() if " case(s); " in line}
    expected = {name: (SAFETY_NETS.get(name.split("/")[0], "none"), "none") for name in editions}
    expected.update({name: (NO_COUNTERPART_RULE, CRS_NEVER_SEEN) for name in editions if name.startswith("crs/")})
    assert len(editions) >= 13 and editions == expected


def test_a_wrong_case_fails_with_file_line_name_expected_and_actual(tmp_path):
    root, case_file = _with_wrong_case(tmp_path)
    result = CliRunner().invoke(cli, ["test", str(case_file)])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert (
        f"FAIL {case_file}:2: part-time work wrongly expected to be enough: eligible: expected True, got False"
        in lines[0]
    )
    assert any("derived.qualifying_hours: expected 1300, got 1217.14" in line for line in lines)
    assert result.stdout.strip().endswith("0 passed, 1 failed")


def test_invalid_case_file_is_reported_with_its_line(tmp_path):
    root, case_file = _with_wrong_case(tmp_path)
    case_file.write_text(WRONG_CASE.replace("  expect:", "  expekt:"))
    result = CliRunner().invoke(cli, ["test", str(case_file)])
    assert result.exit_code == 1
    assert f"INVALID {case_file}:13:3: [0].expekt: unknown key 'expekt' (did you mean 'expect'?)" in result.stdout


def test_coverage_names_what_no_case_exercises(tmp_path):
    root, case_file = _with_wrong_case(tmp_path)
    result = CliRunner().invoke(cli, ["test", "--coverage", str(case_file)])
    line = next(text for text in result.stdout.splitlines() if text.startswith("cec/2022-11-16:"))
    assert "1 case(s)" in line and "intends_to_live_in_quebec" in line and "outside_quebec unmet" in line


def test_pytest_collects_the_same_cases(tmp_path):
    root, case_file = _with_wrong_case(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(case_file)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert run.returncode == 1
    assert (
        f"{case_file}:2: part-time work wrongly expected to be enough: eligible: expected True, got False" in run.stdout
    )
    assert "1 failed" in run.stdout
