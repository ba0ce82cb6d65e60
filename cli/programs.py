"""`--program P|all`: which program a command decides (default `cec`, so commands written before there
were several programs keep their meaning), checked against the programs installed and loaded."""

from __future__ import annotations

import click

from cec_rules.engine.each_program import ALL_PROGRAMS, program_order
from cec_rules.engine.program import installed_programs
from cec_rules.engine.pydantic_problems import suggest

DEFAULT_PROGRAM = "cec"  # what a command decides when it names no program


def program_option(
    default: str | None = DEFAULT_PROGRAM,
    all_help: str = "all: every program in force, CEC first.",
    what: str = "The program to decide",
):
    """The `--program` option of a command (its value checked later, against the loaded library)."""
    shown = f" [default: {default}]" if default else " [default: every program]"
    return click.option(
        "--program",
        "program",
        default=default,
        metavar="P|all",
        help=f"{what} (cec, fsw, ...; `cec rulesets list` shows them); {all_help}{shown}",
    )


def unknown_program(choice: str, known: list[str]) -> click.UsageError:
    """The usage error (exit 2) for a program nobody installed: "did you mean", and the programs there are."""
    return click.UsageError(
        f"unknown program {choice!r}{suggest(choice, known)}; installed programs: {', '.join(known) or 'none'}, or all"
    )


def check_installed(choice: str) -> str:
    """`choice` when it is `all` or a program whose plugin is installed; else the usage error."""
    known = sorted(installed_programs())
    if choice != ALL_PROGRAMS and choice not in known:
        raise unknown_program(choice, known)
    return choice


def chosen_programs(library, choice: str | None) -> list[str]:
    """The programs `choice` names (None or `all`: every program of the library, in their order); an
    unknown name is a usage error (exit 2) with "did you mean" and the installed programs."""
    known = program_order(library)
    if choice is None or choice == ALL_PROGRAMS:
        return known
    if choice not in known:
        raise unknown_program(choice, known)
    return [choice]
