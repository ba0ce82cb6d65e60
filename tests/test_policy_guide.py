"""docs/policy-editing.md, followed literally: every ```bash block of its "Adding a new edition" section is
run, command by command and in order, in a temporary folder laid out like a checkout (rulesets/,
examples/, bench/), with the installed `cec` first on PATH. A command passes when it exits 0, or with the
code its trailing comment announces (`# exits 1: ...`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cec_rules.engine.library import bundled_root
from support import REPO

GUIDE = REPO / "docs" / "policy-editing.md"


def guide_commands() -> list[tuple[str, int]]:
    """(command, expected exit code) for each line of the section's bash blocks."""
    text = GUIDE.read_text()
    section = text[text.index("## Adding a new edition") : text.index("## Changing a table")]
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", section, re.DOTALL):
        for line in block.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            expected = re.search(r"#\s*exits (\d+)", line)
            commands.append((line, int(expected[1]) if expected else 0))
    return commands


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("checkout")
    shutil.copytree(bundled_root(), folder / "rulesets", ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    shutil.copytree(REPO / "examples", folder / "examples")
    shutil.copytree(REPO / "bench", folder / "bench", ignore=shutil.ignore_patterns("__pycache__", "results*"))
    return folder


def test_the_guide_runs_as_written(checkout):
    commands = guide_commands()
    assert len(commands) >= 12 and any(c.startswith("cec rulesets new-edition") for c, _ in commands)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    outputs = {}
    for command, expected in commands:
        run = subprocess.run(command, shell=True, cwd=checkout, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == expected, f"{command}\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
        outputs[command] = run.stdout
    _check_what_the_guide_says(outputs, checkout)


def _check_what_the_guide_says(outputs: dict, checkout: Path) -> None:
    """The guide's claims about each step's result."""
    by_start = lambda prefix: next(out for cmd, out in outputs.items() if cmd.startswith(prefix))
    first_test = by_start("cec test my-rules --coverage")
    assert " 0 failed" in first_test
    assert (
        "cec/2027-01-01:" in first_test
        and "rules never fired: occupation_without_counterpart_excluded;"
        in first_test.split("cec/2027-01-01:")[1].splitlines()[0]
    )
    assert "NOT ELIGIBLE" in by_start(
        "cec evaluate examples/eligible-teer3-clb5.yaml --rulesets my-rules --as-of 2027-01-01"
    )
    assert ": ELIGIBLE" in by_start(
        "cec evaluate examples/eligible-teer3-clb5.yaml --rulesets my-rules --as-of 2026-12-31"
    )
    failures = [line for line in by_start("cec test my-rules/cec/2027-01-01").splitlines() if line.startswith("FAIL")]
    assert failures and all("language" in line for line in failures)
    assert "language_level_by_occupation_level: {0: 7, 1: 7, 2: 5, 3: 5} -> {0: 7, 1: 7, 2: 6, 3: 6}" in by_start(
        "cec diff"
    )
    assert "Sample applicants" in by_start("head -20 impact/report.md") or (checkout / "impact" / "report.md").is_file()
