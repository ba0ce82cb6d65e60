"""Programs as plugins (issue 9): the engine finds programs through the `cec_rules.programs` entry points,
knows nothing of any one program, and one program's broken rulesets never stop another from deciding."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.evaluator import Evaluator
from cec_rules.engine.library import load_library
from cec_rules.engine.program import ENTRY_POINT_GROUP, Program, installed_programs
from cec_rules.facts.cec_program import PROGRAM as CEC
from cec_rules.facts.reading import read_applicant_file
from support import NEW_EDITION, copy_rulesets, edit

ENGINE = Path(__file__).resolve().parent.parent / "engine"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def add_stub_program(root: Path) -> Path:
    """A `stub` program folder (no plugin of that name) whose one edition is CEC's newest with its program renamed."""
    edition = root / "stub" / "2026-01-01"
    edition.mkdir(parents=True)
    (edition / "ruleset.yaml").write_text((root / NEW_EDITION).read_text(encoding="utf-8"), encoding="utf-8")
    edit(root, "stub/2026-01-01/ruleset.yaml", "program: cec\n", "program: stub\n")
    edit(root, "stub/2026-01-01/ruleset.yaml", 'edition: "2022-11-16"', 'edition: "2026-01-01"')
    return edition / "ruleset.yaml"


def test_cec_is_found_through_the_entry_point_group():
    assert ENTRY_POINT_GROUP == "cec_rules.programs"
    assert installed_programs()["cec"] is CEC
    assert isinstance(CEC, Program) and "work_experience" in CEC.fact_kinds


def test_engine_imports_no_program_code():
    """No module of engine/ imports facts/ (where CEC's plugin and derivations live) or any program."""
    for path in sorted(ENGINE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            assert not any(re.match(r"(cec_rules\.)?facts\b", name) for name in names), f"{path}: imports {names}"


def test_a_program_without_a_plugin_is_unavailable_and_cec_still_decides(tmp_path):
    root = copy_rulesets(tmp_path)
    add_stub_program(root)
    installed = installed_programs()  # cec and the other bundled programs (fst, fsw), but no stub
    library = load_library(root, installed)
    assert "stub" not in installed and set(library.programs) == {"cec"}
    assert [p.message for p in library.unavailable["stub"]] == [
        f"program 'stub' cannot be decided: no plugin is installed for it; working plugins: {', '.join(sorted(installed))} (docs/engine.md, 'Programs as plugins')"
    ]
    result = CliRunner().invoke(cli, ["evaluate", str(EXAMPLES / "eligible.yaml"), "--rulesets", str(root)])
    assert result.exit_code == 0, result.stderr
    assert "ELIGIBLE for CEC" in result.stdout
    assert "warning: program stub is unavailable: 1 problem(s)" in result.stderr


def test_validate_and_list_report_the_unavailable_program(tmp_path):
    root = copy_rulesets(tmp_path)
    add_stub_program(root)
    validate = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert validate.exit_code == 2
    assert re.search(
        r"stub/2026-01-01/ruleset\.yaml:5:\d+: program: program 'stub' cannot be decided: no plugin is installed",
        validate.stderr,
    ), validate.stderr
    listed = CliRunner().invoke(cli, ["rulesets", "list", "--rulesets", str(root)])
    assert listed.exit_code == 0, listed.stderr
    assert "stub: unavailable, 1 problem(s) in its rulesets" in listed.stdout
    assert "cec:" in listed.stdout and "2022-11-16" in listed.stdout


def test_a_plugin_with_a_broken_ruleset_leaves_cec_deciding(tmp_path):
    """stub has a plugin (CEC's, renamed) but its ruleset misses a parameter the plugin requires."""
    root = copy_rulesets(tmp_path)
    add_stub_program(root)
    edit(root, "stub/2026-01-01/ruleset.yaml", "  min_qualifying_hours:\n", "  min_qualifying_hourz:\n")
    stub = dataclasses.replace(CEC, id="stub")
    library = load_library(root, {"cec": CEC, "stub": stub})
    assert set(library.programs) == {"cec"}
    assert any("min_qualifying_hours" in p.message for p in library.unavailable["stub"])
    cec = Evaluator(library, "cec")
    assert cec.evaluate(read_applicant_file(EXAMPLES / "eligible.yaml")).eligible is True


def test_a_plugin_that_cannot_be_loaded_costs_only_its_program(tmp_path, monkeypatch):
    """A third-party plugin that fails to import is reported as its program's problem; CEC loads."""
    from importlib.metadata import EntryPoint

    from cec_rules.engine import program

    entries = [
        EntryPoint("cec", "cec_rules.facts.cec_program:PROGRAM", ENTRY_POINT_GROUP),
        EntryPoint("stub", "no_such_package.stub:PROGRAM", ENTRY_POINT_GROUP),
    ]
    monkeypatch.setattr(program, "entry_points", lambda group: entries)
    program._discover.cache_clear()
    try:
        root = copy_rulesets(tmp_path)
        add_stub_program(root)
        library = load_library(root, program.installed_programs())
        assert set(library.programs) == {"cec"}
        [problem] = library.unavailable["stub"]
        assert "its plugin no_such_package.stub:PROGRAM cannot be loaded: ModuleNotFoundError" in problem.message
    finally:
        monkeypatch.undo()
        program._discover.cache_clear()
