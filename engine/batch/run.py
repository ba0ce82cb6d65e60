"""`cec batch` as a library call: read, decide on workers, write durably, count, report."""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass
from pathlib import Path

from cec_rules.engine.evaluator import load_bundled_or

from .output import DurableWriter
from .pool import WorkerPool
from .progress import ProgressReporter, count_lines
from .records import open_records
from .summary import count, new_counts, summary
from .tabular import csv_header, csv_reject_row
from .worker import Rejected

DECIDER = "cec_rules.engine.batch.worker:RecordDecider"
CHECKPOINT_SECONDS = 1.0
CHECKPOINT_RECORDS = 2_000


@dataclass(frozen=True)
class BatchOptions:
    input: str
    output: Path
    rejects: Path
    workers: int
    as_of: str | None
    rulesets: str | None
    resume: bool
    output_format: str  # jsonl | csv
    csv_rejects: bool = False  # CSV only: rejected records also as rows of the output, with their error
    language: str = "en"       # of the reasons


def run_batch(options: BatchOptions) -> dict:
    """Decide every record of the input; return the summary. Raises CecError subclasses for fatal problems."""
    library = load_bundled_or(Path(options.rulesets) if options.rulesets else None)  # fail fast, once
    writer = DurableWriter(options.output, options.rejects, csv_header() if options.output_format == "csv" else None)
    progress = writer.start(options.resume, _fingerprint(options, library))
    counts = progress.counts or new_counts()
    resumed_from = progress.done
    started = time.monotonic()
    records = itertools.islice(open_records(options.input), progress.done, None)
    reporter = ProgressReporter(count_lines(options.input) if options.input != "-" and os.path.isfile(options.input) else None, progress.done)
    try:
        with WorkerPool(options.workers, DECIDER, (options.rulesets, options.as_of, options.output_format, options.language)) as pool:
            _consume(pool.run(records, first_seq=progress.done), writer, progress, counts, reporter, started,
                     options.output_format == "csv" and options.csv_rejects)
            deaths = pool.worker_deaths
        progress.counts, progress.elapsed = counts, progress.elapsed + time.monotonic() - started
        writer.finish(progress)
    finally:
        reporter.close()
        writer.close()
    return summary(counts, time.monotonic() - started, options.workers, deaths, resumed_from)


def _consume(results, writer: DurableWriter, progress, counts: dict, reporter: ProgressReporter, started: float,
             reject_rows: bool = False) -> None:
    last_checkpoint, since = time.monotonic(), 0
    for result in results:
        if isinstance(result, Rejected):
            writer.write_reject(result.reject)
            if reject_rows:
                writer.write_decision(csv_reject_row(result.reject))
        else:
            writer.write_decision(result.line)
        count(counts, result)
        progress.done += 1
        since += 1
        reporter.advance()
        now = time.monotonic()
        if since >= CHECKPOINT_RECORDS or now - last_checkpoint >= CHECKPOINT_SECONDS:
            progress.counts = counts
            writer.checkpoint(progress)
            last_checkpoint, since = now, 0


def _fingerprint(options: BatchOptions, library) -> dict:
    """What must not change between a run and its resumption."""
    editions = sorted(f"{e.ruleset.program}/{e.ruleset.edition}:{e.sha256}" for eds in library.programs.values() for e in eds)
    return {"input": os.path.abspath(options.input) if options.input != "-" else "-", "as_of": options.as_of,
            "format": options.output_format, "rulesets": editions, **({"csv_rejects": True} if options.csv_rejects else {}),
            **({"language": options.language} if options.language != "en" else {})}
