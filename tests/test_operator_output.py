"""What an operator reads: the CSV has a reasons column and, with --csv-rejects, a row per rejected
record; progress lines without a terminal give percent and time left when the input size is known."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.batch.progress import ProgressReporter
from support import EXAMPLES


def _records(tmp_path):
    good = json.loads(json.dumps(__import__("yaml").safe_load((EXAMPLES / "ineligible-language.yaml").read_text())))
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(good) + "\n" + '{"id": "BROKEN", "application_date": "2026-13-01"}\n')
    return path


def test_csv_has_reasons_and_with_csv_rejects_every_input_row(tmp_path):
    source = _records(tmp_path)
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        cli, ["batch", str(source), "-o", str(out), "--format", "csv", "--csv-rejects", "--workers", "1"]
    )
    assert result.exit_code == 3, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 2
    decided = next(r for r in rows if r["eligible"] != "rejected")
    assert decided["reasons"].startswith("language_proficiency: ") and "CLB" in decided["reasons"]
    rejected = next(r for r in rows if r["eligible"] == "rejected")
    assert rejected["applicant_id"] == "BROKEN" and "application_date" in rejected["error"]


def test_without_csv_rejects_the_csv_holds_decisions_only(tmp_path):
    out = tmp_path / "out.csv"
    CliRunner().invoke(cli, ["batch", str(_records(tmp_path)), "-o", str(out), "--format", "csv", "--workers", "1"])
    assert [r["eligible"] for r in csv.DictReader(io.StringIO(out.read_text()))] == ["false"]


class _Log(io.StringIO):
    def isatty(self):
        return False


def test_progress_line_has_percent_and_time_left_when_the_total_is_known():
    log = _Log()
    reporter = ProgressReporter(1000, 0, interval=0.0, stream=log, label="diff")
    reporter.advance(250)
    line = log.getvalue().splitlines()[-1]
    assert line.startswith("diff: 250 of 1,000 records (25%)") and "left" in line
    unknown = _Log()
    ProgressReporter(None, 0, interval=0.0, stream=unknown).advance(5)
    assert "%" not in unknown.getvalue() and "5 records done" in unknown.getvalue()


def test_lang_fr_on_evaluate_and_batch(tmp_path):
    text = CliRunner().invoke(cli, ["evaluate", str(EXAMPLES / "ineligible-language.yaml"), "--lang", "fr"])
    assert text.exit_code == 0 and "NON ADMISSIBLE" in text.output and "le CLB 7 est exigé" in text.output
    assert "(RIPR 87.1(2)(d)-(e), 74(1))" in text.output and "(titre anglais)" in text.output
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["batch", str(_records(tmp_path)), "-o", str(out), "--lang", "fr", "--workers", "1"]
    )
    assert result.exit_code == 3, result.output
    decision = json.loads(out.read_text().splitlines()[0])
    language = next(c for c in decision["criteria"] if c["id"] == "language_proficiency")
    assert "le CLB 7 est exigé" in language["reason"] and language["citation"].startswith("RIPR")
