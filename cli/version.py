"""`cec --version`: the package version and the editions of the bundled rulesets (what a decision depends on)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import click


def version_text() -> str:
    """`cec-rules 0.1.0` then one line per program: its editions, each with the start of its sha256."""
    try:
        package = version("cec-rules")
    except PackageNotFoundError:
        package = "(not installed)"
    from cec_rules.engine.evaluator import load_bundled_or

    library = load_bundled_or(None)
    lines = [f"cec-rules {package}", f"rulesets: {library.root}"]
    for program, editions in sorted(library.programs.items()):
        lines.append(f"  {program}: " + ", ".join(f"{e.ruleset.edition} (sha256 {e.sha256[:12]})" for e in editions))
    return "\n".join(lines)


def show_version(ctx: click.Context, _param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_text())
        ctx.exit()


version_option = click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=show_version,
    help="Show the package version and the bundled rulesets' editions, and exit.",
)
