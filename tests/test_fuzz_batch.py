"""A seeded fuzz test of `cec batch`: thousands of mutated applicant records (wrong types and values, deep
nesting, broken encodings, oversized text, dropped and duplicated keys, truncated JSON) through the real
command. Whatever the input, no traceback, no internal error, exit 0 or 3, and every input line is
either decided or rejected, exactly once."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import applicant_data, cec_examples, job, lang, study

CEC = str(Path(sys.executable).with_name("cec"))
SEED = 20261201
RECORDS = 2000

ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1e308,
    -0.0,
    4e1,
    10**30,
    "",
    " ",
    "x" * 300,
    "2026-02-30",
    "2026-13-01",
    "ON",
    "QC",
    "XX",
    "21231",
    "1234",
    "9999",
    "ielts_general",
    "tef_canada",
    [],
    {},
    [1, 2],
    {"a": 1},
    "2:30",
    "0x28",
    "\u00e9\u4e2d\U0001f600",
    "\u202e",
    "\t",
]


def _seeds() -> list[dict]:
    """Valid applicants to start from: the examples and the test builders."""
    examples = [yaml.safe_load(path.read_text()) for path in cec_examples()]
    built = [
        applicant_data(
            work_history=[job(), job("1311", start="2022-01-01", end="2023-06-30", hours=20)],
            study_history=[study("2020-09-01", "2023-04-30")],
        ),
        applicant_data(
            language_tests=[
                lang("celpip_general", "2025-01-01", 9, 9, 9, 9),
                lang("tef_canada", "2024-12-01", 400, 400, 400, 400),
            ]
        ),
    ]
    return examples + built


def _paths(value, path=()):
    """Every key path inside `value` (down to 8 levels)."""
    yield path
    if len(path) >= 8:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


def _set(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _delete(data, path):
    for part in path[:-1]:
        data = data[part]
    del data[path[-1]]


def _mutate_data(rng: random.Random, data: dict) -> dict:
    """One to three structural mutations of the parsed record."""
    for _ in range(rng.randint(1, 3)):
        path = rng.choice([p for p in _paths(data) if p])
        kind = rng.randrange(6)
        if kind == 0:
            _set(data, path, rng.choice(ODD_VALUES))
        elif kind == 1:
            _delete(data, path)
        elif kind == 2:
            _set(
                data,
                path,
                {"nested": rng.choice(ODD_VALUES)}
                if rng.random() < 0.5
                else [rng.choice(ODD_VALUES)] * rng.randint(1, 5),
            )
        elif kind == 3 and isinstance(path[-1], str):
            _set(data, path[:-1] + (path[-1] + rng.choice(["_", "s", "X"]),), 1) if len(path) > 1 else data.update(
                {path[0] + "_x": 1}
            )
        elif kind == 4 and isinstance(data.get("work_history"), list) and data["work_history"]:
            data["work_history"] = data["work_history"] * rng.choice([2, 50, 210])
        else:
            nested: object = rng.choice(ODD_VALUES)
            for _ in range(rng.choice([5, 50, 150, 400])):
                nested = [nested]
            _set(data, path, nested)
    return data


def _mutate_text(rng: random.Random, line: bytes) -> bytes:
    """Byte-level damage: truncation, duplicated keys, bad encodings, stray characters (never a newline)."""
    kind = rng.randrange(7)
    if kind == 0:
        return line[: rng.randrange(1, len(line))]
    if kind == 1:
        return line[:-1] + b', "id": "DUP-KEY"}'
    if kind == 2:
        cut = rng.randrange(len(line))
        return (
            line[:cut] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\r", b"\xef\xbb\xbf"]) + line[cut:]
        )
    if kind == 3:
        return b"\xef\xbb\xbf" + line
    if kind == 4:
        return line.replace(b": ", b":\r\t ", rng.randint(1, 5))
    if kind == 5:
        return bytes(rng.choice(b'{}[]",:0123456789aeflnrstu \\') for _ in range(rng.randint(1, 80))) or b"{"
    return line.replace(b'"', b"'", 1)


def _population(rng: random.Random) -> list[bytes]:
    seeds = _seeds()
    lines = []
    for index in range(RECORDS):
        data = json.loads(json.dumps(rng.choice(seeds)))
        data["id"] = f"F-{index % (RECORDS - 40)}"  # the last 40 repeat earlier ids
        roll = rng.random()
        if roll < 0.55:
            data = _mutate_data(rng, data)
        line = json.dumps(data, ensure_ascii=rng.random() < 0.5).encode("utf-8")
        if 0.55 <= roll < 0.85:
            line = _mutate_text(rng, line)
        line = line.replace(b"\n", b" ")[:1_100_000]  # past the 1 MiB record limit, more bytes add nothing but time
        lines.append(line if line.strip() else b"{")
    return lines


@pytest.mark.slow
def test_mutated_records_are_each_decided_or_rejected_exactly_once(tmp_path):
    lines = _population(random.Random(SEED))
    source, out = tmp_path / "fuzz.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    result = subprocess.run(
        [CEC, "batch", str(source), "-o", str(out), "--workers", "2"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode in (0, 3), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    decided = out.read_bytes().decode("utf-8").splitlines()
    rejects = [
        json.loads(line) for line in (tmp_path / "out.jsonl.rejects.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(decided) + len(rejects) == len(lines)
    reject_lines = [r["line"] for r in rejects]
    assert reject_lines == sorted(set(reject_lines)) and set(reject_lines) <= set(range(1, len(lines) + 1))
    internal = [r["error"] for r in rejects if "internal error" in r["error"] or "engine crash" in r["error"]]
    assert internal == []
    ids = [json.loads(line)["applicant_id"] for line in decided]
    assert len(ids) == len(set(ids))  # ids are unique: later duplicates were rejected
    assert 0 < len(decided) < len(lines)  # the mutations left some records valid and broke others
