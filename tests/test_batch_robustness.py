"""`cec batch` with bad input and a hostile environment: every record is decided or rejected exactly once,
never a hang, a lost line, an overwritten input or a raw OSError; every interruption stays resumable."""

from __future__ import annotations

import errno
import os
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.batch import output as output_module
from support import EXAMPLES

CEC = str(Path(sys.executable).with_name("cec"))
EXAMPLE = yaml.safe_load((EXAMPLES / "eligible.yaml").read_text())


def _line(applicant_id: str, **fields) -> str:
    return json.dumps(dict(EXAMPLE, id=applicant_id, **fields))


def _batch(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([CEC, "batch", *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)


def _invoke(*args):
    """The command in this process (so that a test can break the writer), with 1 worker."""
    return CliRunner().invoke(cli, ["batch", *map(str, args), "--workers", "1"])


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_bad_lines_are_single_rejects_and_the_rest_is_decided(tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [
        _line("A-1").encode(),
        b'{"id": "caf\xe9"}',
        _line("A-2").replace(", ", ",\r ").encode(),
        json.dumps([dict(EXAMPLE, id="A-3")]).encode(),
        _line("A-4").encode(),
        _line("A-1").encode(),
    ]
    source.write_bytes(b"\n".join(lines) + b"\n")
    result = _batch(source, "-o", tmp_path / "out.jsonl", "--workers", 2)
    assert result.returncode == 3, result.stderr
    assert [d["applicant_id"] for d in _lines(tmp_path / "out.jsonl")] == ["A-1", "A-2", "A-4"]
    rejects = _lines(tmp_path / "out.jsonl.rejects.jsonl")
    assert [r["line"] for r in rejects] == [2, 4, 6]
    assert "not UTF-8 text: byte 0xe9" in rejects[0]["error"]
    assert "must be a mapping of fields, not list" in rejects[1]["error"]
    assert f"{source}:6: id: duplicate id 'A-1'" in rejects[2]["error"] and rejects[2]["id"] == "A-1"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["long ids", "many periods", "near the size limit"])
def test_large_records_flow_through_two_workers(tmp_path, kind):
    """The parent and the workers once blocked each other on full pipes with records of a few KB."""
    source = tmp_path / "in.jsonl"
    if kind == "long ids":
        records = [_line("X" * 3000 + str(i)) for i in range(128)]
    elif kind == "many periods":
        records = [_line(f"M-{i}", work_history=EXAMPLE["work_history"] * 30) for i in range(128)]
    else:  # JSON whitespace pads each record to just under the default limit of 1 MiB
        records = [_line(f"B-{i}")[:-1] + " " * 1_040_000 + "}" for i in range(40)]
        assert all(1_000_000 < len(r) < 1 << 20 for r in records)
    source.write_text("\n".join(records) + "\n")
    result = _batch(source, "-o", tmp_path / "out.jsonl", "--workers", 2, timeout=240)
    assert result.returncode in (0, 3), result.stderr
    decided = len(_lines(tmp_path / "out.jsonl"))
    rejected = _lines(tmp_path / "out.jsonl.rejects.jsonl")
    assert decided + len(rejected) == len(records)
    if kind == "long ids":
        assert decided == 0 and all("CEC_MAX_STRING_CHARS" in r["error"] for r in rejected)
    else:
        assert rejected == []


def test_a_line_over_the_size_limit_is_one_reject(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([_line("A-1"), _line("x" * 5000), _line("A-2")]) + "\n")
    result = _batch(
        source, "-o", tmp_path / "out.jsonl", "--workers", 1, env={**os.environ, "CEC_MAX_RECORD_BYTES": "4000"}
    )
    assert result.returncode == 3, result.stderr
    assert [d["applicant_id"] for d in _lines(tmp_path / "out.jsonl")] == ["A-1", "A-2"]
    (reject,) = _lines(tmp_path / "out.jsonl.rejects.jsonl")
    assert (
        reject["line"] == 2
        and "larger than the limit of 4,000 bytes per applicant (CEC_MAX_RECORD_BYTES)" in reject["error"]
    )


def test_deep_nesting_and_huge_integers_in_a_line_are_input_rejects(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            [
                _line("A-1").replace('"admissible": true', '"admissible": ' + "[" * 1000 + "]" * 1000),
                _line("A-2").replace('"hours_per_week": 40', '"hours_per_week": ' + "1" * 4301),
                _line("A-3").replace('"hours_per_week": 40', '"hours_per_week": 4e1'),
            ]
        )
        + "\n"
    )
    result = _batch(source, "-o", tmp_path / "out.jsonl", "--workers", 1)
    assert result.returncode == 3, result.stderr
    assert [d["applicant_id"] for d in _lines(tmp_path / "out.jsonl")] == ["A-3"]
    rejects = _lines(tmp_path / "out.jsonl.rejects.jsonl")
    assert "nested deeper than 100 levels" in rejects[0]["error"]
    assert "not valid JSON" in rejects[1]["error"]
    assert not any("internal error" in r["error"] for r in rejects)


@pytest.mark.parametrize("output, message", [("in.jsonl", "is the input file"), ("nowhere/out.jsonl", "the folder")])
def test_bad_output_paths_are_refused_before_anything_is_written(tmp_path, output, message):
    source = tmp_path / "in.jsonl"
    source.write_text(_line("A-1") + "\n")
    result = _batch(source, "-o", tmp_path / output)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert source.read_text() == _line("A-1") + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_dash_streams_decisions_to_stdout(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([_line("A-1"), "{", _line("A-2")]) + "\n")
    to_file = _batch(source, "-o", tmp_path / "out.jsonl", "--workers", 1)
    streamed = _batch(source, "-o", "-", "--rejects", tmp_path / "r.jsonl", "--workers", 1)
    assert streamed.returncode == to_file.returncode == 3
    assert streamed.stdout == (tmp_path / "out.jsonl").read_text()
    assert (tmp_path / "r.jsonl").read_text() == (tmp_path / "out.jsonl.rejects.jsonl").read_text()
    assert not (tmp_path / "-").exists()
    assert "--rejects" in _batch(source, "-o", "-").stderr


def test_an_interrupted_run_is_never_silently_discarded(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(_line("A-1") + "\n")
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.progress").write_text("{}")
    refused = _batch(source, "-o", out)
    assert refused.returncode == 2 and "--resume" in refused.stderr and "--restart" in refused.stderr
    restarted = _batch(source, "-o", out, "--restart", "--workers", 1)
    assert restarted.returncode == 0 and len(_lines(out)) == 1 and not (tmp_path / "out.jsonl.progress").exists()


def test_a_failed_start_leaves_no_partial_files(tmp_path):
    result = _batch(tmp_path / "missing.jsonl", "-o", tmp_path / "out.jsonl")
    assert result.returncode == 2
    assert list(tmp_path.iterdir()) == []


def _population(tmp_path: Path, count: int = 30) -> Path:
    """Records whose ids repeat across the run (every 7th line repeats the id of the line 10 before)."""
    source = tmp_path / "in.jsonl"
    ids = [f"P-{i}" if i % 7 != 6 or i < 10 else f"P-{i - 10}" for i in range(count)]
    source.write_text("\n".join(_line(i) for i in ids) + "\n")
    return source


def _reference(tmp_path: Path, source: Path) -> tuple[bytes, bytes]:
    ref = tmp_path / "ref.jsonl"
    assert _invoke(source, "-o", ref).exit_code == 3
    rejects = (tmp_path / "ref.jsonl.rejects.jsonl").read_text()
    return ref.read_bytes(), rejects.encode()


def _assert_matches_reference(tmp_path: Path, out: Path, reference: tuple[bytes, bytes]) -> None:
    assert out.read_bytes() == reference[0]
    assert (tmp_path / "out.jsonl.rejects.jsonl").read_text().encode() == reference[1]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == [
        "out.jsonl",
        "out.jsonl.rejects.jsonl",
    ]


class _Killed(BaseException):
    """Stands in for a kill: escapes every handler, as SIGKILL would stop everything."""


def test_a_kill_between_the_final_renames_stays_resumable(tmp_path, monkeypatch):
    source = _population(tmp_path)
    reference = _reference(tmp_path, source)
    out = tmp_path / "out.jsonl"
    renames = []
    real_replace = output_module.os.replace

    def replace_then_die(a, b):
        if str(b) == str(out) or renames:
            renames.append(b)
        real_replace(a, b)
        if str(b) == str(out):
            raise _Killed()

    monkeypatch.setattr(output_module.os, "replace", replace_then_die)
    with pytest.raises(_Killed):
        CliRunner().invoke(cli, ["batch", str(source), "-o", str(out), "--workers", "1"], catch_exceptions=False)
    monkeypatch.setattr(output_module.os, "replace", real_replace)
    assert out.exists() and (tmp_path / "out.jsonl.rejects.jsonl.partial").exists()
    assert "--resume" in _invoke(source, "-o", out).output
    resumed = _invoke(source, "-o", out, "--resume")
    assert resumed.exit_code == 3, resumed.output
    _assert_matches_reference(tmp_path, out, reference)


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS])
def test_a_write_failure_mid_run_says_what_happened_and_resume_finishes(tmp_path, monkeypatch, error):
    source = _population(tmp_path)
    reference = _reference(tmp_path, source)
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr("cec_rules.engine.batch.run.CHECKPOINT_RECORDS", 5)
    real_checkpoint, calls = output_module.DurableWriter.checkpoint, []

    def failing_checkpoint(self, progress):
        calls.append(progress.done)
        if progress.done >= 15:
            raise OSError(error, os.strerror(error))
        real_checkpoint(self, progress)

    monkeypatch.setattr(output_module.DurableWriter, "checkpoint", failing_checkpoint)
    failed = _invoke(source, "-o", out)
    assert failed.exit_code == 2
    message = failed.output.strip().splitlines()[-1]
    assert message.startswith("error: cannot write the output") and os.strerror(error) in message
    assert "--resume" in message and "Traceback" not in failed.output
    monkeypatch.setattr(output_module.DurableWriter, "checkpoint", real_checkpoint)
    resumed = _invoke(source, "-o", out, "--resume")
    assert resumed.exit_code == 3, resumed.output
    assert "resumed after 10 records" in resumed.output
    _assert_matches_reference(tmp_path, out, reference)


def test_diff_exits_3_when_records_were_rejected(tmp_path):
    population = tmp_path / "pop.jsonl"
    population.write_text("\n".join([_line("A-1"), "{not json", _line("A-2")]) + "\n")
    result = CliRunner().invoke(
        cli,
        [
            "diff",
            "cec/2015-01-01",
            "cec/2022-11-16",
            "--population",
            str(population),
            "-o",
            str(tmp_path / "report"),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 3, result.output
    assert "1 record(s) rejected" in result.stderr
    assert len(_lines(tmp_path / "report" / "rejects.jsonl")) == 1


@pytest.mark.parametrize("name", ["in.json", "in.txt"])
def test_json_lines_starting_with_a_list_are_not_read_as_one_array(tmp_path, name):
    source = tmp_path / name
    source.write_text("\n".join([json.dumps([dict(EXAMPLE, id="L-1")]), _line("A-1"), _line("A-2")]) + "\n")
    result = _batch(source, "-o", tmp_path / "out.jsonl", "--workers", 1)
    assert result.returncode == 3, result.stderr
    assert [d["applicant_id"] for d in _lines(tmp_path / "out.jsonl")] == ["A-1", "A-2"]
    assert [r["line"] for r in _lines(tmp_path / "out.jsonl.rejects.jsonl")] == [1]


def test_text_after_a_json_array_is_an_error_not_ignored(tmp_path):
    source = tmp_path / "in.json"
    source.write_text("[" + _line("A-1") + ",\n" + _line("A-2") + "]\n" + _line("A-3") + "\n")
    result = _batch(source, "-o", tmp_path / "out.jsonl", "--workers", 1)
    assert result.returncode == 2 and f"{source}:3: text after the end of the JSON array" in result.stderr


@pytest.mark.slow
def test_the_output_folder_removed_mid_run_is_a_clear_error_and_resume_finishes(tmp_path):
    source, folder = tmp_path / "in.jsonl", tmp_path / "results"
    source.write_text("\n".join(_line(f"R-{i}") for i in range(3000)) + "\n")
    folder.mkdir()
    out = folder / "out.jsonl"
    process = subprocess.Popen(
        [CEC, "batch", str(source), "-o", str(out), "--workers", "1"], stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while not (folder / "out.jsonl.progress").exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    shutil.rmtree(folder)
    stderr = process.communicate(timeout=300)[1]
    assert process.returncode == 2, stderr
    (message,) = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert "cannot write the output" in message and "No such file or directory" in message and "--resume" in message
    assert "Traceback" not in stderr
    assert "does not exist" in _batch(source, "-o", out, "--resume").stderr
    folder.mkdir()
    resumed = _batch(source, "-o", out, "--resume", "--workers", 2)
    assert resumed.returncode == 0, resumed.stderr
    assert len(out.read_text().splitlines()) == 3000
