"""ruff over the whole repository (the settings in pyproject.toml `[tool.ruff]`): the lint (unused imports,
undefined names, a loop variable a closure does not bind, a re-raise that hides its cause) and the
formatter, which settles the layout and the line length once. It runs from the suite so that CI and a
contributor's machine check the same thing; `ruff format .` fixes what the second test finds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments, "--no-cache", str(ROOT)], capture_output=True, text=True, cwd=ROOT
    )


def test_ruff_lint_finds_nothing():
    result = _ruff("check", "--output-format", "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted():
    result = _ruff("format", "--check")
    assert result.returncode == 0, "run `ruff format .`:\n" + result.stdout + result.stderr
