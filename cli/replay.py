"""`cec replay`: re-decide a stored decision under today's rules and say what, if anything, changed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cec_rules.engine.errors import CecError

EXIT_DIFFERENT = 3


@click.command(name="replay", short_help="Re-decide a stored decision with today's rules; show changes.")
@click.argument("record_id")
@click.option(
    "--db", "db_url", default=None, help="The decision record (default: sqlite:///cec-decisions.db, as `cec serve`)."
)
@click.option(
    "--rulesets",
    "rulesets_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Today's rules: this folder instead of the bundled one.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json: one object with the stored and today's outcomes and every difference.",
)
def replay_command(record_id: str, db_url: str | None, rulesets_dir: Path | None, output_format: str) -> None:
    """Decide stored record RECORD_ID again, on its date, with today's rules.

    Exit codes: 0 the same decision (byte for byte); 3 a different decision (what differs is shown);
    2 no such record, unreadable store or invalid rulesets; 141 the reader closed standard output (| head).
    """
    import orjson

    from cec_rules.service.replay import replay, replay_text
    from cec_rules.service.store import DEFAULT_URL, DecisionStore

    from .main import EXIT_BAD_INPUT, _fail, _library

    library = _library(rulesets_dir)
    try:
        with DecisionStore(db_url or DEFAULT_URL) as store:
            result = replay(store, record_id, library)
    except CecError as exc:
        _fail(str(exc), EXIT_BAD_INPUT)
    click.echo(orjson.dumps(result.to_json()).decode("utf-8") if output_format == "json" else replay_text(result))
    if not result.same:
        sys.exit(EXIT_DIFFERENT)
