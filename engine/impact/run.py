"""`cec diff` as a library call: decide a population under two sides on the batch worker pool, count,
describe the rule changes, and write the reports."""

from __future__ import annotations

import functools
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from cec_rules.engine.batch.pool import CHUNK_RECORDS, WorkerPool
from cec_rules.engine.batch.progress import ProgressReporter, count_lines
from cec_rules.engine.batch.records import open_input
from cec_rules.engine.evaluator import load_bundled_or
from cec_rules.engine.rank.selection import Round

from .aggregate import ImpactCounts
from .packed import Merger, packed_rejects
from .ranks import RankChanges
from .report import html_report, markdown
from .rules_diff import compare_editions
from .scores import ScoreShifts
from .sides import Side, SideError

DECIDER = "cec_rules.engine.impact.decider:ImpactDecider"
RECORD_BYTES = 1 << 20  # a record larger than this is rejected (records.py), as it always was for a diff


@dataclass(frozen=True)
class DiffOptions:
    old: Side
    new: Side
    population: str
    out_dir: Path
    workers: int
    as_of: str | None
    round: Round | None = None  # a ranked program's round (engine/rank/selection.py): invitations gained and lost


def run_diff(options: DiffOptions) -> dict:
    """Write changes.jsonl, rejects.jsonl, summary.json, report.md and report.html (and ranks.jsonl for a ranked
    program); return the summary."""
    editions = [_editions(side) for side in (options.old, options.new)]
    options.out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        name: options.out_dir / name
        for name in ("changes.jsonl", "rejects.jsonl", "summary.json", "report.md", "report.html", "ranks.jsonl")
    }
    plugin = _plugin(options.old)
    if options.round is not None and plugin.ranking is None:
        raise SideError(f"a round needs a ranked program; {plugin.id!r} is not ranked (its plugin gives no ranking)")
    counts, scores = ImpactCounts(plugin.impact_distributions), ScoreShifts()
    ranks = RankChanges(plugin.ranking, options.round, options.out_dir / "ranks.sorting") if plugin.ranking else None
    started = time.monotonic()
    known = options.population != "-" and os.path.isfile(
        options.population
    )  # counted when first shown: 1 s for 250k lines
    reporter = ProgressReporter(functools.partial(count_lines, options.population) if known else None, 0, label="diff")
    records = open_input(options.population, RECORD_BYTES, CHUNK_RECORDS)(
        0
    )  # a missing population fails here, before any output
    with (
        _Writer(files["changes.jsonl"]) as changes,
        _Writer(files["rejects.jsonl"]) as rejects,
        WorkerPool(options.workers, DECIDER, (options.old, options.new, options.as_of)) as pool,
    ):
        Merger(counts, scores, ranks, changes, rejects).merge(pool.chunks(records, packed_rejects), reporter.advance)
    reporter.close()
    summary = {
        "old": options.old.label,
        "new": options.new.label,
        "population": options.population,
        **counts.to_json(),
        "scores": scores.to_json() if scores.scored or scores.old_only or scores.new_only else None,
        "ranks": _ranks(ranks, files["ranks.jsonl"]),
        "rules_changes": compare_editions(*editions, pairs=counts.editions) + _consumed_changes(options, editions),
        "thresholds": thresholds(*editions, plugin.impact_distributions),
        "elapsed_seconds": round(time.monotonic() - started, 3),
        "files": {
            "changes": str(files["changes.jsonl"]),
            "rejects": str(files["rejects.jsonl"]),
            **({"ranks": str(files["ranks.jsonl"])} if ranks is not None else {}),
        },
    }
    summary = dict(sorted(summary.items()))  # top-level keys sorted; histogram buckets keep their numeric order
    _write(files["summary.json"], json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    _write(files["report.md"], markdown(summary))
    _write(files["report.html"], html_report(summary, plugin.impact_distributions))
    return summary


def _ranks(ranks: RankChanges | None, path: Path) -> dict | None:
    """Rank the population under both sides and compare (ranks.jsonl: each applicant whose rank or invitation
    changed); None for a program that is not ranked."""
    if ranks is None:
        return None
    with _Writer(path) as changed:
        return ranks.compare(lambda change: changed.write(json.dumps(change, ensure_ascii=False)))


def thresholds(old: list, new: list, distributions: tuple) -> dict:
    """The values of the deciding thresholds on each side (each distribution's `parameter`), to mark them
    on the distributions."""

    def values(editions: list, name: str) -> list:
        found = set()
        for edition in editions:
            parameter = edition.ruleset.parameters.get(name)
            if parameter is None:
                continue
            for value in [parameter.value] if parameter.values is None else parameter.values.values():
                found.update(value.values() if isinstance(value, dict) else [value])
        return sorted(found)

    return {
        d.thresholds: {"old": values(old, d.parameter), "new": values(new, d.parameter)}
        for d in distributions
        if d.thresholds
    }


def _consumed_changes(options: DiffOptions, editions: list) -> list[dict]:
    """The changes to the programs the compared editions consume (engine/chaining.py), when OLD and NEW are
    folders: a change to a consumed program's table changes the decisions too, and must be named."""
    if options.old.edition is not None or options.new.edition is not None:
        return []
    libraries = [load_bundled_or(Path(side.root) if side.root else None) for side in (options.old, options.new)]
    consumed = dict.fromkeys(program for side in editions for edition in side for program in edition.ruleset.consumes)
    return [
        change
        for program in consumed
        for change in compare_editions(*(list(library.programs.get(program, [])) for library in libraries))
    ]


def _editions(side: Side):
    """The editions a side decides with: its one edition, or every edition of its program in its folder."""
    library = load_bundled_or(Path(side.root) if side.root else None)
    picked = side.pick(library)
    return [picked] if picked is not None else list(library.programs.get(side.program, []))


def _plugin(side: Side):
    """The plugin of the program both sides decide (its impact values and distributions)."""
    library = load_bundled_or(Path(side.root) if side.root else None)
    if side.program not in library.plugins:
        raise SideError(
            f"no plugin is installed for program {side.program!r}; installed: {', '.join(sorted(library.plugins)) or 'none'}"
        )
    return library.plugins[side.program]


class _Writer:
    """Lines to `<path>.partial`, renamed to `path` when complete."""

    def __init__(self, path: Path):
        self.path, self.partial = path, path.with_name(path.name + ".partial")

    def __enter__(self):
        self.handle = open(self.partial, "wb")
        return self

    def write(self, line: str) -> None:
        self.handle.write(line.encode("utf-8") + b"\n")

    def write_bytes(self, lines: bytes | memoryview) -> None:
        """Lines already encoded, each ending with its newline."""
        self.handle.write(lines)

    def __exit__(self, kind, *rest):
        self.handle.close()
        if kind is None:
            os.replace(self.partial, self.path)


def _write(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
