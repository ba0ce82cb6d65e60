"""Undetermined outcomes end to end: a split NOC code that changes the language level makes the criterion
`met: null` with the field to give, and every tool shows it: text, JSON, batch summary and CSV, explain,
diff (flips to and from undetermined), and the ruleset language itself (`undetermined:` conclusions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.errors import RulesetErrors
from cec_rules.engine.evaluator import load_bundled_or
from support import NEW_EDITION, applicant_data, copy_rulesets, criterion, edit, job, lang

CLB6 = lang("ielts_general", "2025-06-01", 5.5, 5.5, 5.5, 5.5)
# NOC 2016 3142 Physiotherapists became 31202 (TEER 1, CLB 7) or 32109 (TEER 2, CLB 5): CLB 6 depends on which.
SPLIT = applicant_data(id="U-SPLIT", language_tests=[CLB6], work_history=[job("3142", "2025-01-06", "2026-01-04", 30)])
SETTLED = applicant_data(
    id="U-SETTLED", language_tests=[CLB6], work_history=[job("32109", "2025-01-06", "2026-01-04", 30)]
)


def _write(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_json_output_carries_null_and_needs(tmp_path):
    result = CliRunner().invoke(cli, ["evaluate", str(_write(tmp_path / "a.json", SPLIT)), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["eligible"] is None
    language = next(c for c in decision["criteria"] if c["id"] == "language_proficiency")
    assert language["met"] is None
    assert language["needs"][0]["field"] == "work_history[0].noc_code"
    assert "31202" in language["needs"][0]["why"] and "32109" in language["needs"][0]["why"]
    assert all("needs" not in c for c in decision["criteria"] if c["met"] is not None)


def test_text_output_says_undetermined_and_what_to_give(tmp_path):
    result = CliRunner().invoke(cli, ["evaluate", str(_write(tmp_path / "a.json", SPLIT))])
    assert result.exit_code == 0, result.stderr
    assert "U-SPLIT: UNDETERMINED for CEC" in result.stdout
    assert "[UNDETERMINED] language_proficiency" in result.stdout
    assert "needs work_history[0].noc_code: the NOC 2021 code of work_history[0]" in result.stdout


def test_giving_the_code_settles_it(evaluator):
    from cec_rules.facts.reading import applicant_from_data

    decision = evaluator.evaluate(applicant_from_data(SETTLED, "settled"))
    assert decision.eligible is True
    assert criterion(decision, "language_proficiency").met is True


def test_explain_says_what_would_settle_it(tmp_path):
    result = CliRunner().invoke(cli, ["explain", str(_write(tmp_path / "a.json", SPLIT))])
    assert result.exit_code == 0, result.stderr
    assert "[UNDETERMINED] language_proficiency" in result.stdout
    assert "To settle it, give work_history[0].noc_code" in result.stdout


def test_batch_counts_undetermined_in_summary_and_csv(tmp_path):
    population = _write(tmp_path / "pool.jsonl", SPLIT, SETTLED)
    out = tmp_path / "out.csv"
    summary = tmp_path / "summary.json"
    result = CliRunner().invoke(
        cli, ["batch", str(population), "-o", str(out), "--format", "csv", "--workers", "1", "--summary", str(summary)]
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(summary.read_text())
    assert (doc["eligible"], doc["ineligible"], doc["undetermined"], doc["decided"]) == (1, 0, 1, 2)
    assert doc["undetermined_by_criterion"] == {"language_proficiency": 1}
    assert "1 undetermined" in result.stderr
    header, *rows = out.read_text().splitlines()
    columns = header.split(",")
    split_row = dict(zip(columns, next(r for r in rows if r.startswith("U-SPLIT")).split(",")))
    assert split_row["eligible"] == "undetermined"
    assert split_row["undetermined_criteria"] == "language_proficiency"


def test_diff_reports_flips_from_undetermined(tmp_path):
    """Raising TEER 2 to CLB 7 makes every reading of 3142 ask for CLB 7: undetermined -> unmet."""
    proposed = copy_rulesets(tmp_path)
    edit(proposed, NEW_EDITION, 'value: {"0": 7, "1": 7, "2": 5, "3": 5}', 'value: {"0": 7, "1": 7, "2": 7, "3": 5}')
    population = _write(tmp_path / "pool.jsonl", SPLIT, SETTLED)
    out = tmp_path / "impact"
    result = CliRunner().invoke(
        cli,
        [
            "diff",
            str(load_bundled_or(None).root),
            str(proposed),
            "--population",
            str(population),
            "-o",
            str(out),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["outcomes"]["became_ineligible"] == 2
    assert summary["criteria_changed"]["language_proficiency"]["undetermined -> unmet"] == 1
    assert summary["criteria_changed"]["language_proficiency"]["met -> unmet"] == 1
    changes = [json.loads(line) for line in (out / "changes.jsonl").read_text().splitlines()]
    split = next(c for c in changes if c["applicant_id"] == "U-SPLIT")
    assert split["eligible"] == {"old": None, "new": False}
    assert split["criteria_changed"] == {"language_proficiency": "undetermined -> unmet"}
    assert "undetermined -> unmet" in (out / "report.md").read_text()


def test_an_undetermined_conclusion_must_name_what_it_needs(tmp_path):
    root = copy_rulesets(tmp_path)
    line = edit(
        root,
        NEW_EDITION,
        "      needs:\n        - field: {ref: code.field}\n          why: {ref: code.why}\n\n  # --- language",
        "\n  # --- language",
    )
    with pytest.raises(RulesetErrors) as caught:
        load_bundled_or(root)
    problem = next(p for p in caught.value.problems if "needs" in p.message)
    assert problem.path.endswith(NEW_EDITION) and "an undetermined conclusion needs `needs`" in problem.message
    assert problem.line is not None and problem.line < line


def test_an_undetermined_conclusion_names_a_known_criterion(tmp_path):
    root = copy_rulesets(tmp_path)
    edit(root, NEW_EDITION, "undetermined: skilled_work_experience", "undetermined: skilled_work_experprience")
    with pytest.raises(RulesetErrors) as caught:
        load_bundled_or(root)
    assert any(
        "unknown criterion 'skilled_work_experprience'" in p.message
        and "did you mean 'skilled_work_experience'" in p.message
        and p.key_path.endswith("then.undetermined")
        for p in caught.value.problems
    )
