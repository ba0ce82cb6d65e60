"""ruff's lint over the whole repository (the rules in pyproject.toml `[tool.ruff]`): unused imports,
undefined names, a loop variable a closure does not bind, a re-raise that hides its cause. It runs from
the suite so that CI and a contributor's machine check the same thing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", str(ROOT)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
