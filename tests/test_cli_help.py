"""`--help` everywhere: summaries not cut short, every option explained, one spelling of the rulesets
option, `--population` a path, batch's exit codes (with 130 and 141) listed, 141 in every other help that lists exit
codes of a command writing to standard output, and `--version` naming the rulesets."""

from __future__ import annotations

import re

import click
from click.testing import CliRunner

from cec_rules.cli.main import cli


def _commands(group: click.Group, prefix: str = "cec"):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


def test_no_summary_is_truncated():
    for path, _group in [("cec", cli)] + [(p, c) for p, c in _commands(cli) if isinstance(c, click.Group)]:
        listing = CliRunner().invoke(cli, path.split()[1:] + ["--help"]).output
        commands = listing.split("Commands:")[1]
        assert "..." not in commands, f"{path}: {commands}"


def test_every_option_has_help_and_rulesets_has_one_spelling():
    for path, command in _commands(cli):
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{path} {param.opts}"
                if "rulesets" in param.name:
                    assert param.opts == ["--rulesets"], f"{path} {param.opts}"


def test_population_is_a_path():
    diff = cli.commands["diff"]
    population = next(p for p in diff.params if p.name == "population")
    assert isinstance(population.type, click.Path)


def test_batch_help_lists_every_exit_code():
    text = CliRunner().invoke(cli, ["batch", "--help"]).output
    for code in ("0", "1", "2", "3", "130", "141"):
        assert re.search(rf"\n\s+{code}\s+\w", text), code


def test_every_help_listing_exit_codes_of_a_command_writing_to_stdout_lists_141():
    """cli/closed_output.py makes every command exit 141 when its reader closes standard output; `cec rank`
    writes its ranking to a file and only the summary to stderr, so 141 is not one of its exit codes."""
    writes_stdout = {"cec diff", "cec replay", "cec test", "cec rulesets new-edition", "cec batch"}
    cli.list_commands(click.Context(cli))  # registers the commands of other modules (diff, rank, replay, test, ...)
    for path, _ in _commands(cli):
        text = " ".join(CliRunner().invoke(cli, path.split()[1:] + ["--help"]).output.split())
        if "Exit codes" in text or re.search(r"\bExit 0\b", text):
            assert ("141" in text) == (path in writes_stdout), path


def test_version_names_the_package_and_the_rulesets_editions():
    text = CliRunner().invoke(cli, ["--version"]).output
    assert text.startswith("cec-rules ") and "cec: 2015-01-01 (sha256 " in text and "2022-11-16" in text


def test_shell_completion_is_documented_and_works():
    import os
    import subprocess
    import sys
    from pathlib import Path

    from support import REPO

    assert "_CEC_COMPLETE=bash_source cec" in (REPO / "README.md").read_text()
    cec = Path(sys.executable).parent / "cec"
    script = subprocess.run(
        [str(cec)], env={**os.environ, "_CEC_COMPLETE": "bash_source"}, capture_output=True, text=True, timeout=60
    )
    assert script.returncode == 0 and "complete" in script.stdout and "_cec_completion" in script.stdout
