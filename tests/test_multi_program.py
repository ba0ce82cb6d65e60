"""Several programs from one command line (issue 9, item 5): `--program P|all` on evaluate, explain,
batch, test and diff; `cec rulesets list` shows every program's timeline.

The tests install stub programs the way a separate
package would: a distribution on sys.path whose entry points publish them in `cec_rules.programs`.
Each stub is CEC's plugin under another id and order, deciding a copy of CEC's newest edition.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine import program as program_module
from support import EXAMPLES, NEW_EDITION, copy_rulesets, edit

# Stubs: id -> order. `aip` sorts before `pnp` by name but comes last by its declared order (names no bundled program takes).
STUBS = {"pnp": 20, "aip": 90}


def _install_stubs(site: Path) -> None:
    """A distribution `stub-programs` in `site` publishing each stub plugin."""
    plugins = "\n".join(
        f"{name.upper()} = dataclasses.replace(CEC, id={name!r}, order={order})" for name, order in STUBS.items()
    )
    (site / "stub_programs.py").write_text(
        f"import dataclasses\nfrom cec_rules.facts.cec_program import PROGRAM as CEC\n{plugins}\n", encoding="utf-8"
    )
    dist = site / "stub_programs-0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: stub-programs\nVersion: 0\n", encoding="utf-8")
    entries = "\n".join(f"{name} = stub_programs:{name.upper()}" for name in STUBS)
    (dist / "entry_points.txt").write_text(f"[cec_rules.programs]\n{entries}\n", encoding="utf-8")


def _add_stub_rulesets(root: Path, name: str) -> Path:
    """`<root>/<name>/2026-01-01/`: CEC's newest edition renamed, with one test case."""
    folder = root / name / "2026-01-01"
    (folder / "tests").mkdir(parents=True)
    (folder / "ruleset.yaml").write_text((root / NEW_EDITION).read_text(encoding="utf-8"), encoding="utf-8")
    edit(root, f"{name}/2026-01-01/ruleset.yaml", "program: cec\n", f"program: {name}\n")
    edit(root, f"{name}/2026-01-01/ruleset.yaml", 'edition: "2022-11-16"', 'edition: "2026-01-01"')
    (folder / "tests" / "cases.yaml").write_text(
        textwrap.dedent(f"""\
        - name: the eligible example, decided by {name}
          applicant_file: {os.path.relpath(EXAMPLES / "eligible.yaml", folder / "tests")}
          expect: {{eligible: true, edition: "2026-01-01"}}
        """),
        encoding="utf-8",
    )
    return folder / "ruleset.yaml"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """The stub programs installed (for this process, and for subprocesses through PYTHONPATH)."""
    folder = tmp_path / "site"
    folder.mkdir()
    _install_stubs(folder)
    monkeypatch.syspath_prepend(str(folder))
    program_module._discover.cache_clear()
    yield folder
    monkeypatch.undo()
    program_module._discover.cache_clear()


@pytest.fixture
def root(tmp_path, site):
    """A copy of the rulesets with the stub programs' folders."""
    rulesets = copy_rulesets(tmp_path)
    for name in STUBS:
        _add_stub_rulesets(rulesets, name)
    return rulesets


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_all_gives_one_decision_per_program_in_declared_order(root):
    result = _run(
        "evaluate", str(EXAMPLES / "eligible.yaml"), "--rulesets", str(root), "--program", "all", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    decisions = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["program"] for d in decisions] == ["cec", "pnp", "aip"]
    assert all(d["eligible"] is True for d in decisions)
    assert {d["ruleset"]["edition"] for d in decisions[1:]} == {"2026-01-01"}


def test_one_named_program_decides_alone_and_the_default_is_cec(root):
    pnp = _run("evaluate", str(EXAMPLES / "eligible.yaml"), "--rulesets", str(root), "--program", "pnp")
    assert pnp.exit_code == 0, pnp.stderr
    assert (
        pnp.stdout.startswith("EX-ELIGIBLE: ELIGIBLE for PNP (edition 2026-01-01")
        and pnp.stdout.count("ELIGIBLE for") == 1
    )
    default = _run("evaluate", str(EXAMPLES / "eligible.yaml"), "--rulesets", str(root))
    named = _run("evaluate", str(EXAMPLES / "eligible.yaml"), "--rulesets", str(root), "--program", "cec")
    assert default.stdout == named.stdout and "ELIGIBLE for CEC" in default.stdout


def test_an_unknown_program_is_a_usage_error_naming_the_installed_ones(root):
    result = _run("evaluate", str(EXAMPLES / "eligible.yaml"), "--rulesets", str(root), "--program", "pnq")
    assert result.exit_code == 2
    assert "unknown program 'pnq' (did you mean 'pnp'?); installed programs: cec, pnp, aip, or all" in result.stderr


def test_a_broken_program_is_an_error_while_the_others_decide(root):
    edit(root, "pnp/2026-01-01/ruleset.yaml", "  min_qualifying_hours:\n", "  min_qualifying_hourz:\n")
    result = _run(
        "evaluate", str(EXAMPLES / "eligible.yaml"), "--rulesets", str(root), "--program", "all", "--format", "json"
    )
    assert result.exit_code == 2
    assert [json.loads(line)["program"] for line in result.stdout.splitlines()] == ["cec", "aip"]
    assert "warning: program pnp is unavailable" in result.stderr
    assert "eligible.yaml: program pnp is unavailable: its rulesets have" in result.stderr


def test_a_program_not_in_force_is_left_out_of_all(root):
    result = _run(
        "evaluate",
        str(EXAMPLES / "eligible.yaml"),
        "--rulesets",
        str(root),
        "--program",
        "all",
        "--as-of",
        "2020-01-01",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["program"] for line in result.stdout.splitlines()] == ["cec"]


def test_explain_all_explains_each_program(root):
    result = _run(
        "explain",
        str(EXAMPLES / "ineligible-language.yaml"),
        "--rulesets",
        str(root),
        "--program",
        "all",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["program"] for d in docs] == ["cec", "pnp", "aip"]
    assert all(any(c["met"] is False and c.get("to_meet") for c in d["criteria"]) for d in docs)


def test_rulesets_list_shows_every_timeline_in_order_with_sha_and_problems(root):
    edit(root, "aip/2026-01-01/ruleset.yaml", "program: aip\n", "program: aip\nunknown_key: 1\n")
    result = _run("rulesets", "list", "--rulesets", str(root))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines if not line.startswith(" ")] == ["cec", "pnp", "aip"]
    pnp = lines[lines.index("pnp:") + 1]
    assert pnp.startswith("  2026-01-01  2022-11-16 to (no end)  sha256 ") and pnp.endswith(
        "[rulesets/pnp/2026-01-01/ruleset.yaml]"
    )
    assert "aip: unavailable, 1 problem(s) in its rulesets" in result.stdout
    assert any("aip/2026-01-01/ruleset.yaml:" in line and "unknown_key" in line for line in lines)


def test_cec_test_runs_every_programs_cases_and_filters_by_program(root):
    every = _run("test", "--rulesets", str(root))
    assert every.exit_code == 0, every.stdout
    only = _run("test", "--rulesets", str(root), "--program", "pnp", "--coverage")
    assert only.exit_code == 0, only.stdout
    assert only.stdout.splitlines()[-1] == "1 passed, 0 failed"
    assert int(every.stdout.splitlines()[-1].split()[0]) > 2
    assert [line.split(":")[0] for line in only.stdout.splitlines()[:-1]] == ["pnp/2026-01-01"]


def test_diff_for_one_program_and_for_all(root, tmp_path):
    population = tmp_path / "pool.jsonl"
    population.write_text(
        "".join(
            json.dumps(json.loads(json.dumps(_example(name)))) + "\n" for name in ("eligible", "ineligible-language")
        )
    )
    new = tmp_path / "new"
    shutil.copytree(root, new)
    one = _run(
        "diff",
        str(root),
        str(new),
        "--population",
        str(population),
        "-o",
        str(tmp_path / "one"),
        "--program",
        "pnp",
        "--workers",
        "1",
    )
    assert one.exit_code == 0, one.stderr
    assert json.loads((tmp_path / "one" / "summary.json").read_text())["editions_used"][0]["old"] == "2026-01-01"
    every = _run(
        "diff",
        str(root),
        str(new),
        "--population",
        str(population),
        "-o",
        str(tmp_path / "all"),
        "--program",
        "all",
        "--workers",
        "1",
    )
    assert every.exit_code == 0, every.stderr
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["aip", "cec", "pnp"]
    assert [line.split(":")[0] for line in every.stdout.splitlines() if not line.startswith(" ")] == [
        "cec",
        "pnp",
        "aip",
    ]


def _example(name: str) -> dict:
    import yaml

    return yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))


def test_batch_all_writes_a_line_per_applicant_per_program_and_counts_each(root, site, tmp_path):
    population = tmp_path / "pool.jsonl"
    population.write_text("".join(json.dumps(_example(name)) + "\n" for name in ("eligible", "ineligible-language")))
    out = tmp_path / "decisions.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "cec"),
            "batch",
            str(population),
            "-o",
            str(out),
            "--rulesets",
            str(root),
            "--program",
            "all",
            "--workers",
            "2",
            "--summary",
            str(tmp_path / "summary.json"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    ids = [_example(name)["id"] for name in ("eligible", "ineligible-language")]
    assert [(d["applicant_id"], d["program"]) for d in lines] == [(a, p) for a in ids for p in ("cec", "pnp", "aip")]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["total"] == 2 and summary["eligible"] == 1 and summary["ineligible"] == 1
    assert sorted(summary["programs"]) == ["aip", "cec", "pnp"]  # summary.json sorts its keys
    assert all(
        counts["eligible"] == 1 and counts["unmet_by_criterion"] == {"language_proficiency": 1}
        for counts in summary["programs"].values()
    )
    assert "  pnp: 1 eligible, 1 not eligible, 0 undetermined" in done.stderr


def test_batch_csv_decides_one_program(root, tmp_path):
    population = tmp_path / "pool.jsonl"
    population.write_text(json.dumps(_example("eligible")) + "\n")
    result = _run(
        "batch",
        str(population),
        "-o",
        str(tmp_path / "out.csv"),
        "--rulesets",
        str(root),
        "--program",
        "all",
        "--format",
        "csv",
    )
    assert result.exit_code == 2
    assert "--format csv has one program's columns: decide one program per CSV file" in result.stderr
