"""`cec diff`: what a ruleset change does to a population, before it goes live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cec_rules.engine.each_program import ALL_PROGRAMS

from .failures import exit_on_cec_errors
from .programs import check_installed, chosen_programs, program_option


def register(cli, iso_date) -> None:
    """Add the command to the `cec` group."""

    @cli.command(name="diff", short_help="Compare two rulesets on a population: who changes outcome, and why.")
    @click.argument("old")
    @click.argument("new")
    @click.option(
        "--population",
        required=True,
        type=click.Path(allow_dash=True),
        help="Applicants: JSON Lines (- for stdin), a JSON array, or a folder.",
    )
    @click.option(
        "-o",
        "--output",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("diff-report"),
        show_default=True,
        help="Folder for changes.jsonl, summary.json, report.md, report.html.",
    )
    @click.option(
        "--rulesets",
        "rulesets_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Where OLD/NEW editions are looked up (default: the bundled rulesets).",
    )
    @click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU count).")
    @click.option(
        "--as-of", type=iso_date, help="Assess everyone on this date (default: the round's date, with --round)."
    )
    @click.option(
        "--round",
        "round_path",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        help="A round file, as cec rank reads it: who gains and who loses an invitation, and both cut-offs (a ranked program).",
    )
    @program_option(all_help="all: one report per program, in OUTPUT/<program>/ (OLD and NEW then name folders).")
    def diff_command(old, new, population, out_dir, rulesets_dir, workers, as_of, round_path, program):
        """Decide the population under OLD and NEW and report who changes outcome and why; for a scoring
        program, the score shifts and the factors that moved; for a ranked program (crs, pool), the rank
        changes and, with --round, the invitations gained and lost.

        Exit codes: 0 every record decided; 3 done, with rejected records (see rejects.jsonl);
        2 unreadable population or invalid rulesets; 1 fatal internal error; 141 the reader closed standard
        output (| head): the reports written until then are kept, and with --program all the programs after
        it are not compared.

        OLD and NEW are rulesets folders (each applicant decided by the edition of --program in force on
        its date) or editions such as cec/2015-01-01 (everyone decided by that edition).
        """
        from cec_rules.engine.impact.run import DiffOptions, run_diff
        from cec_rules.engine.impact.sides import parse_side

        rejected = False
        with exit_on_cec_errors():
            selection_round, day = _round(round_path, as_of)
            programs = _programs(old, new, rulesets_dir, program)
            for name in programs:
                folder = out_dir / name if len(programs) > 1 else out_dir
                options = DiffOptions(
                    parse_side(old, rulesets_dir, name),
                    parse_side(new, rulesets_dir, name),
                    population,
                    folder,
                    workers or os.cpu_count() or 1,
                    day.isoformat() if day else None,
                    selection_round if len(programs) == 1 or _ranked(name) else None,
                )
                rejected = _report(run_diff(options), folder, f"{name}: " if len(programs) > 1 else "") or rejected
        if rejected:
            sys.exit(3)


def _round(round_path: Path | None, as_of):
    """The round (None without --round) and the assessment date: --as-of, else the round's date, as cec rank."""
    from cec_rules.engine.rank.selection import read_round

    if round_path is None:
        return None, as_of
    selection_round = read_round(round_path)
    if as_of and as_of != selection_round.date:
        raise click.UsageError(
            f"--as-of {as_of} differs from the round's date {selection_round.date} ({round_path}): give one of them"
        )
    return selection_round, selection_round.date


def _ranked(program: str) -> bool:
    """Whether the program's plugin ranks its decisions (with --program all, a round applies to those only;
    one program named with --round that is not ranked is an error)."""
    from cec_rules.engine.program import installed_programs

    return installed_programs()[program].ranking is not None


def _programs(old: str, new: str, rulesets_dir: Path | None, program: str) -> list[str]:
    """The programs to compare: the one named, or (all) every usable program of the OLD folder."""
    if check_installed(program) != ALL_PROGRAMS:
        return [program]
    if not all(Path(side).is_dir() for side in (old, new)):
        raise click.UsageError("--program all compares two rulesets folders; name editions with one --program")
    from cec_rules.engine.evaluator import load_bundled_or

    library = load_bundled_or(Path(old))
    return [name for name in chosen_programs(library, program) if name in library.programs]


def _report(summary: dict, out_dir: Path, prefix: str) -> bool:
    """The summary in a few lines; whether records were rejected."""
    outcomes = summary["outcomes"]
    click.echo(
        f"{prefix}diff: {summary['total']:,} records: {outcomes['became_eligible']:,} became eligible, "
        f"{outcomes['became_ineligible']:,} became ineligible, {outcomes['became_undetermined']:,} became undetermined, "
        f"{summary['rejected']:,} rejected; "
        f"reports in {out_dir}/ (report.md, report.html, summary.json, changes.jsonl{', ranks.jsonl' if summary['ranks'] else ''})"
    )
    for line in [*_score_lines(summary["scores"]), *_rank_lines(summary["ranks"])]:
        click.echo(f"{prefix}  {line}")
    for change in summary["rules_changes"]:
        click.echo(f"  {change['edition']} {change['kind']} {change['name']}: {change['change']}")
    if summary["rejected"]:
        click.echo(f"{prefix}diff: {summary['rejected']:,} record(s) rejected: see {out_dir}/rejects.jsonl", err=True)
    return bool(summary["rejected"])


def _score_lines(scores: dict | None) -> list[str]:
    """The score shifts in a line, with the factors that moved (records, net points)."""
    if not scores:
        return []
    total = scores["total"]
    line = f"scores: {total['rose']:,} rose, {total['fell']:,} fell, {total['same']:,} stayed (net {scores['net_shift']:+,})"
    moved = ", ".join(f"{name} {f['records']:,} ({f['total_shift']:+,})" for name, f in scores["factors"].items())
    return [f"{line}; factors moved: {moved}" if moved else line]


def _rank_lines(ranks: dict | None) -> list[str]:
    """The rank changes in a line, and the round's invitations gained and lost with both cut-offs."""
    if not ranks:
        return []
    lines = [
        f"ranks: {ranks['changed']:,} changed rank, {ranks['same']:,} kept it, {ranks['entered']:,} entered, {ranks['left']:,} left"
    ]
    groups = ranks["groups"]
    for name, change in (groups["changed"] if groups else {}).items():
        lines.append(f"{groups['name']}: {name}: {change['joined']:,} joined, {change['left']:,} left")
    selection = ranks["round"]
    if selection:
        cutoff = {
            side: "(none)" if selection[side]["cutoff"]["score"] is None else selection[side]["cutoff"]["score"]
            for side in ("old", "new")
        }
        lines.append(
            f"round: {selection['description']}: {selection['gained']:,} gain an invitation, {selection['lost']:,} lose one; "
            f"cut-off {cutoff['old']} -> {cutoff['new']}"
        )
    return lines
