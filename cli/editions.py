"""`cec rulesets new-edition` and `cec rulesets show`: the questions a policy editor asks of a program's
timeline (what is in force on a date, with which values and on what authority) and its first edit
(start a new edition on a date)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from cec_rules.engine.model import wording

from .failures import exit_on_cec_errors
from .paths import from_here


def register(group, library_of, iso_date, rulesets_option) -> None:
    """Add the commands to the `cec rulesets` group."""

    @group.command(name="new-edition", short_help="Start a new edition of PROGRAM on DATE, its test cases re-dated.")
    @click.argument("program")
    @click.argument("day", metavar="DATE", type=iso_date)
    @rulesets_option
    def new_edition_command(program: str, day: dt.date, rulesets_dir: Path | None) -> None:
        """Start a new edition of PROGRAM on DATE: a copy of the edition in force then, with its cases re-dated.

        The previous edition ends the day before DATE; dated parameter values that took effect by DATE are
        collapsed into the value in force on DATE; the copied test cases are moved (every date by the same
        offset) so that they run under the new edition, and the previous edition's cases dated on or after
        DATE are moved back before it. Exit 0 when every case could be moved, 1 otherwise, 141 when the reader
        closes standard output (| head; the new edition is written before its report is printed).
        """
        from cec_rules.engine.new_edition import new_edition

        library_of(rulesets_dir)  # report invalid rulesets before touching anything
        with exit_on_cec_errors(" after the copy"):
            report = new_edition(rulesets_dir, program, day)
        click.echo(from_here(report.path))
        _print_report(report, day)
        if any(c.status == "stuck" for c in report.cases):
            sys.exit(1)

    @group.command(name="show", short_help="The edition in force on a date, its parameter values and citations.")
    @click.argument("program")
    @click.option("--as-of", type=iso_date, help="The date to look at (default: today).")
    @rulesets_option
    def show_command(program: str, as_of: dt.date | None, rulesets_dir: Path | None) -> None:
        """Show the edition of PROGRAM in force on a date, and each parameter's value then, with its citation."""
        library = library_of(rulesets_dir)
        day = as_of or dt.date.today()
        edition = library.edition_for(program, day)
        if edition is None:
            known = ", ".join(sorted(library.programs)) or "none"
            click.echo(
                f"error: no edition of {program!r} is in force on {day} (programs: {known}; see `cec rulesets list`)",
                err=True,
            )
            sys.exit(2)
        click.echo("\n".join(show_lines(edition, day)))


def show_lines(edition, day: dt.date) -> list[str]:
    """The edition's identity and dates, then one block per parameter: value on `day`, unit, citation."""
    ruleset = edition.ruleset
    until = ruleset.effective_to.isoformat() if ruleset.effective_to else "(no end)"
    lines = [
        f"{ruleset.program}/{ruleset.edition}: {ruleset.title}",
        f"  in force {ruleset.effective_from} to {until}; values as of {day}",
        f"  file: {from_here(edition.path)}",
        "",
        "parameters:",
    ]
    for name, parameter in ruleset.parameters.items():
        unit = f" {parameter.unit}" if parameter.unit else ""
        dated = (
            ""
            if parameter.values is None
            else "  (dated values: "
            + ", ".join(f"{d} {show_value(v)}" for d, v in sorted(parameter.values.items()))
            + ")"
        )
        lines += [
            f"  {name} = {show_value(parameter.value_on(day))}{unit}{dated}",
            f"      {parameter.description}",
            f"      citation: {parameter.citation}",
        ]
    lines += ["", "criteria:"]
    lines += [f"  {name}: {wording(c.description)} ({c.citation})" for name, c in ruleset.criteria.items()]
    return lines


def show_value(value) -> str:
    """A parameter value in words: lists comma-separated, tables as `key: value` pairs."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _print_report(report, day: dt.date) -> None:
    previous = report.previous.ruleset
    click.echo(
        f"  copied from {previous.program}/{previous.edition}, in force from {day}; "
        f"{from_here(report.previous.path)} now ends {day - dt.timedelta(days=1)}"
    )
    if report.collapsed:
        click.echo(f"  dated values collapsed to the value in force on {day}: {', '.join(report.collapsed)}")
    by = {status: [c for c in report.cases if c.status == status] for status in ("moved", "left out", "stuck")}
    click.echo(
        f"  test cases: {len(report.cases)} checked, {len(by['moved'])} re-dated, {len(by['left out'])} left out of the copy "
        f"(about a fixed date), {len(by['stuck'])} could not be moved"
    )
    for case in by["moved"]:
        click.echo(f"    {from_here(case.file)}: {case.name}: every date {case.shift}")
    for case in by["left out"]:
        click.echo(f"    left out of {from_here(case.file)} (commented): {case.name}")
    for case in by["stuck"]:
        click.echo(
            f"    NOT MOVED {from_here(case.file)}: {case.name}: no shift of its dates lands it in the edition and passes; edit it by hand"
        )
    click.echo(
        "  next: edit the new ruleset.yaml (title, the change itself), then `cec rulesets validate` and `cec test`"
    )
