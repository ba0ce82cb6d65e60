"""`cec batch`: order, rejects, exit codes, input forms, worker-count independence, crash isolation,
and resumption after SIGKILL. Runs the real command in subprocesses (worker processes and signals)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from support import cec_examples

CEC = str(Path(sys.executable).with_name("cec"))


def _example_records() -> list[dict]:
    """The CEC examples (`cec batch` decides CEC; the fst-*.yaml and fsw-*.yaml ones are FST's and FSW's)."""
    return [yaml.safe_load(path.read_text()) for path in cec_examples()]


def _write_population(path: Path, count: int, bad_every: int = 0) -> list[str]:
    """JSON Lines of `count` records cycling through the examples; every `bad_every`-th line malformed."""
    examples = _example_records()
    lines = []
    for index in range(count):
        if bad_every and index % bad_every == bad_every - 1:
            lines.append('{"id": "BROKEN-%d", "application_date": ' % index)
            continue
        record = dict(examples[index % len(examples)], id=f"P-{index:06d}")
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n")
    return lines


def _batch(*args, env=None, check_codes=(0, 3)) -> subprocess.CompletedProcess:
    result = subprocess.run([CEC, "batch", *map(str, args)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode in check_codes, result.stderr
    return result


def test_decisions_in_input_order_with_rejects_and_summary(tmp_path):
    source = tmp_path / "in.jsonl"
    _write_population(source, 60, bad_every=20)
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    result = _batch(source, "-o", out, "--workers", 2, "--summary", summary)

    assert result.returncode == 3  # some records rejected
    decided = [json.loads(line) for line in out.read_text().splitlines()]
    rejects = [json.loads(line) for line in (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines()]
    assert [d["applicant_id"] for d in decided] == [f"P-{i:06d}" for i in range(60) if i % 20 != 19]
    assert [r["line"] for r in rejects] == [20, 40, 60]
    assert all("not valid JSON" in r["error"] and str(source) in r["error"] for r in rejects)
    doc = json.loads(summary.read_text())
    assert (doc["total"], doc["rejected"], doc["eligible"] + doc["ineligible"]) == (60, 3, 57)
    assert doc["eligible"] == sum(d["eligible"] for d in decided)
    assert "60 records" in result.stderr


def test_all_decided_exits_zero_and_no_partial_files_remain(tmp_path):
    source = tmp_path / "in.jsonl"
    _write_population(source, 12)
    out = tmp_path / "out.jsonl"
    _batch(source, "-o", out, "--workers", 1, check_codes=(0,))
    assert len(out.read_text().splitlines()) == 12
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl", "out.jsonl.rejects.jsonl"]


def test_one_and_two_workers_give_identical_bytes(tmp_path):
    source = tmp_path / "in.jsonl"
    _write_population(source, 400, bad_every=37)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    _batch(source, "-o", one, "--workers", 1)
    _batch(source, "-o", two, "--workers", 2)
    assert one.read_bytes() == two.read_bytes()
    assert (tmp_path / "one.jsonl.rejects.jsonl").read_bytes() == (tmp_path / "two.jsonl.rejects.jsonl").read_bytes()


def test_json_array_folder_and_stdin_inputs_match_json_lines(tmp_path):
    source = tmp_path / "in.jsonl"
    lines = _write_population(source, 9)
    array = tmp_path / "in.json"
    array.write_text("[\n" + ",\n".join(lines) + "\n]\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    for index, line in enumerate(lines):
        (folder / f"{index:03d}.json").write_text(line)
    reference = tmp_path / "ref.jsonl"
    _batch(source, "-o", reference, "--workers", 1)
    for name, given in (("array", array), ("folder", folder)):
        out = tmp_path / f"{name}.jsonl"
        _batch(given, "-o", out, "--workers", 1)
        assert out.read_bytes() == reference.read_bytes(), name
    piped = subprocess.run(
        [CEC, "batch", "-", "-o", tmp_path / "stdin.jsonl", "--workers", "1"],
        input=source.read_text(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert (tmp_path / "stdin.jsonl").read_bytes() == reference.read_bytes()


def test_a_folder_s_files_are_read_as_cec_evaluate_reads_them(tmp_path):
    """A file of a folder is one applicant file: a byte order mark is ignored, a duplicate key in a .json file is
    refused, and an error names the line of its field in that file (not line 1), as `cec evaluate` does."""
    record = _example_records()[0]
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a-bom.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(dict(record, id="BOM")).encode())
    text = json.dumps(dict(record, id="DUP"), indent=1)
    (folder / "b-dup.json").write_text(text.replace('"id": "DUP",', '"id": "DUP", "admissible": false,'))
    bad = yaml.safe_dump(dict(record, id="BAD"), sort_keys=False).replace(
        "  hours_per_week: 37.5", "  hours_per_week: '37.5'"
    )
    (folder / "c-bad.yaml").write_text(bad)
    bad_line = bad.splitlines().index("  hours_per_week: '37.5'") + 1
    out = tmp_path / "out.jsonl"
    _batch(folder, "-o", out, "--workers", 1, check_codes=(3,))
    assert [json.loads(line)["applicant_id"] for line in out.read_text().splitlines()] == ["BOM"]
    rejects = {
        Path(r["source"]).name: r["error"]
        for r in map(json.loads, (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines())
    }
    assert "admissible: duplicate key 'admissible'" in rejects["b-dup.json"]
    assert rejects["c-bad.yaml"].startswith(f"{folder / 'c-bad.yaml'}:{bad_line}: work_history[0].hours_per_week: ")
    for name in ("b-dup.json", "c-bad.yaml"):
        evaluated = subprocess.run([CEC, "evaluate", folder / name], capture_output=True, text=True, timeout=120)
        assert evaluated.returncode == 2 and evaluated.stderr.strip() == f"error: {rejects[name]}"


def test_csv_output_has_a_row_per_applicant(tmp_path):
    source = tmp_path / "in.jsonl"
    _write_population(source, 9)
    out = tmp_path / "out.csv"
    _batch(source, "-o", out, "--format", "csv", "--workers", 1)
    rows = out.read_text().splitlines()
    assert rows[0].startswith("applicant_id,eligible,unmet_criteria,")
    assert len(rows) == 10
    assert any(",false,outside_quebec," in row for row in rows)


def test_a_worker_killed_mid_chunk_loses_nothing_and_isolates_the_poison_record(tmp_path):
    source = tmp_path / "in.jsonl"
    _write_population(source, 300)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "CEC_BATCH_FAULT_ID": "P-000123"}
    result = _batch(source, "-o", out, "--workers", 2, "--summary", tmp_path / "s.json", env=env)

    assert result.returncode == 3
    ids = [json.loads(line)["applicant_id"] for line in out.read_text().splitlines()]
    assert ids == [f"P-{i:06d}" for i in range(300) if i != 123]  # every other record, once, in order
    rejects = [json.loads(line) for line in (tmp_path / "out.jsonl.rejects.jsonl").read_text().splitlines()]
    assert len(rejects) == 1 and rejects[0]["id"] == "P-000123" and rejects[0]["line"] == 124
    assert "engine crash" in rejects[0]["error"]
    assert json.loads((tmp_path / "s.json").read_text())["worker_deaths"] >= 2


def _wait_for_progress(progress: Path, minimum: int, process: subprocess.Popen, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if progress.exists():
            try:
                done = json.loads(progress.read_text())["done"]
            except (ValueError, KeyError):
                done = 0
            if done >= minimum:
                return done
        assert process.poll() is None, "the batch finished before it could be killed"
        time.sleep(0.05)
    raise AssertionError("no progress")


def test_sigkill_then_resume_matches_an_uninterrupted_run(tmp_path):
    source = tmp_path / "in.jsonl"
    total = 6000
    _write_population(source, total, bad_every=250)
    reference = tmp_path / "ref.jsonl"
    _batch(source, "-o", reference, "--workers", 2)

    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [CEC, "batch", source, "-o", out, "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    done = _wait_for_progress(Path(str(out) + ".progress"), 500, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not out.exists() and done < total  # the final name never exists half-written

    resumed = _batch(source, "-o", out, "--workers", 2, "--resume", "--summary", tmp_path / "s.json")
    assert out.read_bytes() == reference.read_bytes()
    assert (tmp_path / "out.jsonl.rejects.jsonl").read_bytes() == (tmp_path / "ref.jsonl.rejects.jsonl").read_bytes()
    doc = json.loads((tmp_path / "s.json").read_text())
    assert doc["total"] == total and doc["resumed_from"] >= 500
    assert "resumed after" in resumed.stderr


def test_resume_refuses_a_different_run(tmp_path):
    source = tmp_path / "in.jsonl"
    _write_population(source, 5)
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.progress").write_text(
        json.dumps(
            {
                "done": 1,
                "output_bytes": 0,
                "rejects_bytes": 0,
                "counts": {},
                "elapsed": 0,
                "fingerprint": {"input": "elsewhere"},
            }
        )
    )
    result = _batch(source, "-o", out, "--resume", check_codes=(2,))
    assert "different run" in result.stderr


def test_unreadable_input_is_a_clear_error(tmp_path):
    result = _batch(tmp_path / "missing.jsonl", "-o", tmp_path / "o.jsonl", check_codes=(2,))
    assert "missing.jsonl" in result.stderr and "Traceback" not in result.stderr
