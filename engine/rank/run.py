"""`cec rank` as a library call, in two phases.

1. Decide: the batch engine (engine/batch/) decides every record with the ranking program's
   `RankDecider`, in input order, into `RANKED.decided`: the same workers, rejects file, progress,
   checkpoints and `--resume` as `cec batch` (it *is* `run_batch`).
2. Order: read `RANKED.decided` once, taking per profile only its sort key and byte offset (a few
   numbers and two short texts); sort them with an external merge sort (engine/external_sort.py: runs of
   CEC_RANK_SORT_RUN keys, default 50,000, spilled to `RANKED.sorting/` and merged), so memory does not
   grow with the pool; then read each line at its offset in rank order, give it its rank and invitation,
   and write the JSON Lines, the CSV, the summary and the HTML report (each to a `.partial` file renamed
   when whole).

`RANKED.run` records what the run is (input, date, rulesets folder, ranking, round) from its start; a
killed run is finished with `--resume` (phase 1 from its last checkpoint, or phase 2 again from the
decided file, emptying the sort folder a killed run left) and refused with anything else changed; without `--resume`, an unfinished run is never
silently replaced (`--restart` discards it).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import orjson

from cec_rules.engine.batch.output import ResumeError
from cec_rules.engine.batch.run import BatchOptions, OutputError, run_batch
from cec_rules.engine.external_sort import external_sort

from .entry import Ranking
from .report import Counts, csv_header, csv_row, html_report
from .selection import Round, Selection, sort_key, sort_run_size

DECIDER = "cec_rules.engine.rank.entry:RankDecider"


@dataclass(frozen=True)
class RankOptions:
    input: str
    output: Path
    rejects: Path
    workers: int
    as_of: str | None
    rulesets: str | None
    resume: bool
    restart: bool
    ranking: Ranking
    round: Round | None = None

    @property
    def csv(self) -> Path:
        return self.output.with_suffix(".csv")

    @property
    def html(self) -> Path:
        return self.output.with_suffix(".html")

    @property
    def summary(self) -> Path:
        return self.output.with_suffix(".summary.json")

    @property
    def decided(self) -> Path:
        return self.output.with_name(self.output.name + ".decided")

    @property
    def sorting(self) -> Path:
        return self.output.with_name(self.output.name + ".sorting")

    @property
    def run_file(self) -> Path:
        return self.output.with_name(self.output.name + ".run")


def run_rank(options: RankOptions) -> dict:
    """Decide, order and report; return the summary document. Raises CecError subclasses for fatal problems."""
    _check_paths(options)
    started = time.monotonic()
    record = _start(options)
    if "batch" not in record:
        record["batch"] = run_batch(_batch_options(options))
        _write_json(options.run_file, record)
    summary = {
        "input": options.input,
        "as_of": options.as_of,
        **record["batch"],
        "rank": write_ranked(options),
        "files": {name: str(getattr(options, name)) for name in ("output", "csv", "html", "rejects")},
    }
    summary["elapsed_seconds"] = round(time.monotonic() - started, 3)
    _replace(options.summary, json.dumps(summary, indent=2, sort_keys=True) + "\n")
    _replace(options.html, html_report(summary, options.ranking))
    options.decided.unlink()
    options.run_file.unlink()
    return summary


def _check_paths(options: RankOptions) -> None:
    written = [options.output, options.csv, options.html, options.summary, options.rejects]
    if len({os.path.abspath(p) for p in written}) < len(written):
        raise OutputError(
            f"-o {options.output}: its CSV, HTML or summary file would be the same file as another output; name it NAME.jsonl"
        )
    if options.input == "-":
        raise OutputError(
            "cec rank reads a file or folder, not standard input (a killed run must be able to read it again)"
        )


def _fingerprint(options: RankOptions) -> dict:
    return {
        "input": os.path.abspath(options.input),
        "as_of": options.as_of,
        "rulesets": options.rulesets,
        "ranking": asdict(options.ranking),
        "round": options.round.model_dump(mode="json") if options.round else None,
    }


def _start(options: RankOptions) -> dict:
    """The run's record: a new one, or (with --resume) the unfinished one, which must be this same run."""
    unfinished = options.run_file.exists() or options.decided.exists()
    if unfinished and not (options.resume or options.restart):
        raise ResumeError(
            f"{options.run_file} exists: an earlier cec rank writing {options.output} did not finish; run the same command "
            f"with --resume to finish it, or with --restart to start over"
        )
    if options.resume and options.run_file.exists():
        record = json.loads(options.run_file.read_text())
        if record.get("fingerprint") != _fingerprint(options):
            raise ResumeError(
                f"{options.run_file} was written by a different run (input, date, rulesets, ranking or round); "
                f"remove it or use --restart"
            )
        if "batch" in record and options.decided.exists():
            return record
        record.pop("batch", None)
        return record
    options.decided.unlink(missing_ok=True)
    record = {"fingerprint": _fingerprint(options)}
    _write_json(options.run_file, record)
    return record


def _batch_options(options: RankOptions) -> BatchOptions:
    return BatchOptions(
        options.input,
        options.decided,
        options.rejects,
        options.workers,
        options.as_of,
        options.rulesets,
        options.resume,
        "jsonl",
        restart=options.restart,
        decider=DECIDER,
        decider_options=(options.ranking,),
        programs=(options.ranking.program,),
    )


def write_ranked(options: RankOptions) -> dict:
    """Phase 2: rank order, ranks, invitations, the JSON Lines and CSV outputs; returns the counts."""
    ranking = options.ranking
    selection, counts, rank = Selection(options.round, ranking.tie_field, ranking.groups), Counts(ranking), 0
    with (
        external_sort(_sort_keys(options.decided, ranking.tie_field), options.sorting, sort_run_size()) as keys,
        open(options.decided, "rb") as source,
        _Partial(options.output) as ranked,
        _Partial(options.csv) as table,
    ):
        table.write((csv_header(ranking) + "\n").encode("utf-8"))
        for key in keys:
            source.seek(key[-1])
            line = orjson.loads(source.readline())
            rank += line["eligible"] is True
            invited = selection.decide(line)
            ordered = {"rank": rank if line["eligible"] is True else None, **line}
            if invited is not None:
                ordered["invited"] = invited
            ranked.write(orjson.dumps(ordered) + b"\n")
            table.write((csv_row(ordered, ranking) + "\n").encode("utf-8"))
            counts.add(ordered)
    return counts.to_json(selection)


def _sort_keys(path: Path, tie_field: str) -> Iterator[tuple]:
    """Each decided line's sort key, its byte offset last, read one line at a time."""
    offset = 0
    with open(path, "rb") as source:
        for raw in source:
            yield sort_key(orjson.loads(raw), tie_field, offset)
            offset += len(raw)


class _Partial:
    """A file written as `<name>.partial` and renamed to its name once complete (a reader never sees half)."""

    def __init__(self, path: Path):
        self.path, self.partial = path, path.with_name(path.name + ".partial")

    def __enter__(self):
        self.handle = open(self.partial, "wb")
        return self.handle

    def __exit__(self, kind, *rest) -> None:
        self.handle.close()
        if kind is None:
            os.replace(self.partial, self.path)


def _replace(path: Path, text: str) -> None:
    with _Partial(path) as handle:
        handle.write(text.encode("utf-8"))


def _write_json(path: Path, document: dict) -> None:
    _replace(path, json.dumps(document, sort_keys=True))
