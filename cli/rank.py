"""`cec rank`: the Express Entry pool ranked by score with the tie-break, and a round's invitations."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cec_rules.engine.errors import CecError, RulesetErrors

from .main import IsoDate, rulesets_option  # imported lazily by main, so main is loaded

EXIT_BAD_INPUT, EXIT_REJECTS = 2, 3


@click.command(name="rank", short_help="Rank a pool of profiles by score and tie-break; mark a round's invitations.")
@click.argument("input_path", metavar="POOL")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ranked profiles, JSON Lines in rank order (the CSV, HTML and summary go beside it: NAME.csv, NAME.html, NAME.summary.json).",
)
@click.option(
    "--as-of",
    type=IsoDate(),
    help="Assess every profile on this date (default: the round's date, else each application_date).",
)
@click.option(
    "--round",
    "round_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A round file (YAML: date, type general|program|category, program or category, invitations or cutoff).",
)
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU count).")
@rulesets_option
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Records that could not be decided (default: OUTPUT.rejects.jsonl).",
)
@click.option("--resume", is_flag=True, help="Finish a run that was interrupted.")
@click.option("--restart", is_flag=True, help="Start over, discarding an interrupted run.")
def rank_command(input_path, output, as_of, round_path, workers, rulesets_dir, rejects, resume, restart) -> None:
    """Decide every profile of POOL (JSON Lines, a JSON array or a folder) for the Express Entry pool and
    rank it: in the pool first, by score (the consumed CRS decision's total; 0 while CRS is not installed),
    ties by the earlier profile_submitted, then by id. See docs/rank.md.

    \b
    Exit codes:
      0    every record decided and ranked
      3    done, some records rejected (see the rejects file)
      2    unreadable input or round file, invalid rulesets, refused output path or resume
      1    fatal internal error
      130  interrupted: run the same command with --resume
    """
    from cec_rules.engine.rank.run import RankOptions, run_rank
    from cec_rules.engine.rank.selection import read_round
    from cec_rules.facts.pool.ranking import RANKING

    if resume and restart:
        _fail("--resume and --restart exclude each other: --resume finishes the interrupted run, --restart discards it")
    try:
        selection_round = read_round(round_path) if round_path else None
    except CecError as exc:
        _fail(str(exc))
    day = as_of or (selection_round.date if selection_round else None)
    if as_of and selection_round and as_of != selection_round.date:
        _fail(f"--as-of {as_of} differs from the round's date {selection_round.date} ({round_path}): give one of them")
    options = RankOptions(
        input_path,
        output,
        rejects or output.with_name(output.name + ".rejects.jsonl"),
        workers or os.cpu_count() or 1,
        day.isoformat() if day else None,
        str(rulesets_dir) if rulesets_dir else None,
        resume,
        restart,
        RANKING,
        selection_round,
    )
    try:
        summary = run_rank(options)
    except KeyboardInterrupt:
        _fail(f"interrupted; what was decided is kept: run the same command with --resume to finish {output}", 130)
    except RulesetErrors as exc:
        _fail(f"the rulesets are not valid ({len(exc.problems)} problem(s)):\n{exc}")
    except CecError as exc:
        _fail(str(exc))
    click.echo(summary_text(summary, RANKING), err=True)
    if summary["rejected"]:
        click.echo(f"rank: {summary['rejected']:,} record(s) rejected: see {options.rejects}", err=True)
        sys.exit(EXIT_REJECTS)


def summary_text(summary: dict, ranking) -> str:
    """A few lines for the operator: the pool, what ranked it, and the round's cut-off."""
    rank = summary["rank"]
    lines = [
        f"rank: {summary['total']:,} records: {rank['in_pool']:,} in the pool, {rank['undetermined']:,} undetermined, "
        f"{rank['not_in_pool']:,} not in the pool, {summary['rejected']:,} rejected; {summary['elapsed_seconds']:.1f} s"
    ]
    lines += [f"  {note}: {n:,} profiles ranked with score 0" for note, n in rank["score_notes"].items()]
    if rank["round"]:
        cutoff = rank["round"]["cutoff"]
        lines.append(f"  round: {rank['round']['description']}: {rank['round']['invited']:,} invited")
        lines.append(f"  cut-off: score {cutoff['score']}, {ranking.tie_field} {cutoff[ranking.tie_field] or '(none)'}")
    lines.append(f"  written: {summary['files']['output']}, {summary['files']['csv']}, {summary['files']['html']}")
    return "\n".join(lines)


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)
