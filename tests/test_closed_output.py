"""A reader that closes standard output early (`cec … | head -1`) ends a command quietly with exit 141, not
exit 1 (an internal error) with a traceback or "Exception ignored" on stderr. Real processes and real pipes:
`head -1` for the commands whose output can be made larger than a pipe's buffer, and a pipe whose read end
is closed before the command starts for every command family (the first write fails, whatever the size)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import REPO, cec_examples

CEC = str(Path(sys.executable).with_name("cec"))
READER_GONE = 141
MANY_FILES = [str(path) for path in cec_examples()] * 10  # far more output than a pipe holds


def _into_head(command: list[str], cwd: Path = REPO) -> tuple[int, bytes, str]:
    """Run `cec COMMAND | head -1`: cec's exit code, head's line, cec's stderr."""
    cec = subprocess.Popen([CEC, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    head = subprocess.Popen(["head", "-1"], stdin=cec.stdout, stdout=subprocess.PIPE)
    cec.stdout.close()  # head holds the only read end: when it exits, the pipe is closed
    line = head.communicate(timeout=300)[0]
    stderr = cec.stderr.read().decode()
    cec.stderr.close()
    return cec.wait(timeout=300), line, stderr


def _into_closed_pipe(command: list[str], cwd: Path = REPO) -> tuple[int, str]:
    """Run `cec COMMAND` with standard output a pipe whose reader is already gone: exit code, stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [CEC, *command], stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=cwd, timeout=300
        )
    finally:
        os.close(write_end)
    return result.returncode, result.stderr


def _assert_quiet(stderr: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr and "error" not in stderr.lower(), stderr


@pytest.mark.parametrize(
    "command",
    [
        ["evaluate", *MANY_FILES],
        ["evaluate", "--format", "json", "--program", "all", *MANY_FILES],
        ["evaluate", "--lang", "fr", *MANY_FILES],
        ["explain", *MANY_FILES],
    ],
)
def test_evaluate_and_explain_into_head_exit_141_quietly(command):
    code, line, stderr = _into_head(command)
    assert code == READER_GONE, stderr
    assert line.startswith(b'{"applicant_id"') if "json" in command else b"EX-TEF: " in line
    _assert_quiet(stderr)


def _population(path: Path, count: int) -> Path:
    """JSON Lines: the third line is not JSON (a reject), the others the eligible example under new ids."""
    example = yaml.safe_load((REPO / "examples" / "eligible.yaml").read_text())
    lines = [json.dumps(dict(example, id=f"H-{i}")) for i in range(count)]
    lines[2] = "{not json"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("program", ["cec", "all"])
def test_batch_to_standard_output_into_head_exits_141_and_keeps_the_rejects_found(tmp_path, program):
    source, rejects = _population(tmp_path / "in.jsonl", 3000), tmp_path / "bad.jsonl"
    code, line, stderr = _into_head(
        ["batch", str(source), "-o", "-", "--rejects", str(rejects), "--workers", "2", "--program", program]
    )
    assert code == READER_GONE, stderr
    assert json.loads(line)["applicant_id"] == "H-0"
    _assert_quiet(stderr)
    # the run did not finish: no final rejects file, the ones found so far flushed under .partial, no checkpoint
    assert not rejects.exists() and not list(tmp_path.glob("*.progress"))
    found = [json.loads(text) for text in (tmp_path / "bad.jsonl.partial").read_text().splitlines()]
    assert [reject["line"] for reject in found] == [3]


@pytest.mark.parametrize(
    "command",
    [
        ["evaluate", "examples/eligible.yaml"],
        ["explain", "examples/fsw-eligible.yaml", "--program", "fsw"],
        ["batch", "{tmp}/in.jsonl", "-o", "-", "--rejects", "{tmp}/bad.jsonl", "--workers", "1"],
        ["rulesets", "show", "fsw"],
        ["rulesets", "list"],
        ["schema", "applicant"],
        ["test", "--program", "cec"],
        ["--version"],
        ["--help"],
        ["evaluate", "--help"],
    ],
)
def test_every_command_family_exits_141_quietly_when_its_reader_is_gone(tmp_path, command):
    _population(tmp_path / "in.jsonl", 5)
    code, stderr = _into_closed_pipe([part.format(tmp=tmp_path) for part in command])
    assert code == READER_GONE, stderr
    _assert_quiet(stderr)
