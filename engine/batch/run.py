"""`cec batch` as a library call: read, decide on workers, write durably, count, report."""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass
from pathlib import Path

from cec_rules.engine.errors import CecError
from cec_rules.engine.evaluator import load_bundled_or

from .chunks import Packed
from .output import DurableWriter, Progress, StreamWriter
from .pool import CHUNK_RECORDS, WorkerPool
from .progress import ProgressReporter, count_lines
from .records import open_input
from .summary import count_outcome, count_rejected, new_counts, summary
from .tabular import csv_header, csv_reject_row
from .unique import IdLedger, duplicate_reject

DECIDER = "cec_rules.engine.batch.worker:RecordDecider"
CHECKPOINT_SECONDS = 1.0
CHECKPOINT_RECORDS = 2_000


@dataclass(frozen=True)
class BatchOptions:
    input: str
    output: Path  # Path("-"): decisions to standard output
    rejects: Path
    workers: int
    as_of: str | None
    rulesets: str | None
    resume: bool
    output_format: str  # jsonl | csv
    csv_rejects: bool = False  # CSV only: rejected records also as rows of the output, with their error
    lang: str = "en"  # of the reasons: en or fr
    restart: bool = False  # discard an interrupted run's checkpoint instead of refusing to start
    decider: str = DECIDER  # "module:Class" each worker decides with (e.g. one that also stores decisions)
    decider_options: tuple = ()  # extra arguments for that class, after the usual ones
    programs: tuple[str, ...] = ()  # the programs each record is decided under, in their order (one line each)


class OutputError(CecError):
    """The output cannot be written where the options say (a bad path), or stopped being writable mid-run."""


def run_batch(options: BatchOptions) -> dict:
    """Decide every record of the input; return the summary. Raises CecError subclasses for fatal problems."""
    check_paths(options)
    library = load_bundled_or(Path(options.rulesets) if options.rulesets else None)  # fail fast, once
    plugin = _first_plugin(options, library)
    records = open_input(
        options.input, plugin.input_limits().record_bytes, CHUNK_RECORDS
    )  # a missing input fails here, before any file exists
    writer = _writer(options, plugin)
    with WorkerPool(
        options.workers,
        options.decider,
        (
            options.rulesets,
            options.as_of,
            options.output_format,
            options.lang,
            options.programs,
            *options.decider_options,
        ),
    ) as pool:
        progress = _start(writer, options, _fingerprint(options, library))
        try:
            return _run(pool, writer, progress, records(progress.done), options, plugin)
        except OSError as exc:
            if _reader_gone(exc, options):
                raise  # not a failure of ours: the caller stops quietly (see _reader_gone)
            raise OutputError(_write_failure(exc, options)) from None
        except BaseException:
            if progress.done == 0:
                writer.discard()  # a failed start leaves no .partial files behind
            raise
        finally:
            writer.close()


class ProgramsError(CecError):
    """The programs asked for cannot be decided as asked."""


def _first_plugin(options: BatchOptions, library):
    """The plugin of the first program (its reader's limits; its CSV columns); every program must be usable,
    and a CSV row has one program's columns."""
    if not options.programs:
        raise ProgramsError("no program to decide")
    for program in options.programs:
        if program not in library.programs:
            found = len(library.unavailable.get(program, []))
            raise ProgramsError(
                f"program {program} is unavailable: its rulesets have {found} problem(s) (cec rulesets validate)"
            )
    if options.output_format == "csv" and len(options.programs) > 1:
        raise ProgramsError(
            f"--format csv has one program's columns: decide one program per CSV file (not {', '.join(options.programs)})"
        )
    return library.plugins[options.programs[0]]


def check_paths(options: BatchOptions) -> None:
    """Refuse outputs that would overwrite the input or each other, or land in a folder that does not exist."""
    written = [("-o", options.output), ("--rejects", options.rejects)]
    for option, path in written:
        if str(path) == "-" and option == "-o":
            continue
        if not path.parent.is_dir():
            raise OutputError(f"{option} {path}: the folder {path.parent} does not exist; create it first")
        if options.input != "-" and _same_file(path, Path(options.input)):
            raise OutputError(
                f"{option} {path} is the input file: choose another name (the input would be overwritten)"
            )
    if _same_file(options.output, options.rejects):
        raise OutputError(
            f"-o and --rejects are the same file ({options.rejects}): choose another name for one of them"
        )


def _same_file(a: Path, b: Path) -> bool:
    if str(a) == "-" or str(b) == "-":
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def _writer(options: BatchOptions, plugin) -> DurableWriter:
    header = csv_header(plugin) if options.output_format == "csv" else None
    if str(options.output) == "-":
        return StreamWriter(options.rejects, header)
    return DurableWriter(options.output, options.rejects, header)


def _start(writer: DurableWriter, options: BatchOptions, fingerprint: dict) -> Progress:
    try:
        return writer.start(options.resume, fingerprint, options.restart)
    except OSError as exc:
        writer.discard()
        if _reader_gone(exc, options):
            raise
        raise OutputError(
            f"cannot create the output files: {exc.strerror or exc} ({exc.filename or options.output})"
        ) from None


def _run(pool: WorkerPool, writer: DurableWriter, progress: Progress, records, options: BatchOptions, plugin) -> dict:
    counts = progress.counts or new_counts()
    resumed_from = progress.done
    started = time.monotonic()
    if progress.finished:  # a run killed during its final renames: start() completed them
        return summary(counts, progress.elapsed, options.workers, 0, resumed_from)
    ledger = IdLedger()
    if options.resume and progress.done:
        ledger.read_output(writer.output_partial, progress.output_bytes, options.output_format)
    reporter = ProgressReporter(
        functools.partial(count_lines, options.input)
        if options.input != "-" and os.path.isfile(options.input)
        else None,
        progress.done,
    )
    try:
        reject_row = (
            functools.partial(csv_reject_row, plugin=plugin)
            if options.output_format == "csv" and options.csv_rejects
            else None
        )
        _Consumer(writer, progress, counts, reporter, ledger, reject_row).consume(pool.chunks(records))
        progress.counts, progress.elapsed = counts, progress.elapsed + time.monotonic() - started
        writer.finish(progress)
    finally:
        reporter.close()
    return summary(counts, time.monotonic() - started, options.workers, pool.worker_deaths, resumed_from)


def _reader_gone(exc: OSError, options: BatchOptions) -> bool:
    """Whether the decisions stopped because the reader of standard output (`-o -`) closed it (`| head`).

    The run stops there: the decisions written before reached the pipe, the rejects found so far stay in
    REJECTS.partial (flushed; the name says the run did not finish), and there is nothing to resume (a
    stream has no checkpoint). The BrokenPipeError goes up for the CLI to exit quietly (141)."""
    return isinstance(exc, BrokenPipeError) and str(options.output) == "-" and exc.filename is None


def _write_failure(exc: OSError, options: BatchOptions) -> str:
    where = exc.filename or (options.output.parent if str(options.output) != "-" else "standard output")
    return (
        f"cannot write the output ({where}): {exc.strerror or exc}; the decisions up to the last checkpoint are kept: "
        f"fix the cause (disk space, the folder or its permissions) and run the same command with --resume to finish"
    )


class _Consumer:
    """Writes, counts and checkpoints the results, in input order, a chunk at a time (engine/batch/chunks.py).

    A chunk is cut where a checkpoint falls due (every CHECKPOINT_RECORDS records; the CHECKPOINT_SECONDS one
    waits for the end of a part), and each part is handled whole unless a record in it needs handling of its
    own (an id decided before, or a reject row to put among the CSV rows): then its records are handled one by
    one, as they always were. Either way, the same bytes and the same checkpoints."""

    def __init__(
        self,
        writer: DurableWriter,
        progress: Progress,
        counts: dict,
        reporter: ProgressReporter,
        ledger: IdLedger,
        reject_row=None,
    ):
        self.writer, self.progress, self.counts, self.reporter = writer, progress, counts, reporter
        self.ledger, self.reject_row = ledger, reject_row
        self.last_checkpoint, self.since = time.monotonic(), 0

    def consume(self, chunks) -> None:
        for packed in chunks:
            while self.since + packed.count > CHECKPOINT_RECORDS:
                head, packed = packed.split(CHECKPOINT_RECORDS - self.since)
                self._part(head)
            if packed.count:
                self._part(packed)

    def _part(self, packed: Packed) -> None:
        duplicates = self.ledger.add_digests(packed.digests)
        if duplicates or (packed.rejects and self.reject_row is not None):
            self._one_by_one(packed, duplicates)
        else:
            self.writer.write_decisions(packed.text)
            for _, reject in packed.rejects:
                self.writer.write_reject(reject)
            count_rejected(self.counts, len(packed.rejects))
            for outcome, n in packed.outcomes:
                count_outcome(self.counts, outcome, n)
        self._advance(packed.count)

    def _one_by_one(self, packed: Packed, duplicates: set[int]) -> None:
        """Each record of the chunk in turn; the decided ones numbered j (0, 1, ...) for `duplicates`."""
        j = 0
        for item in packed.items():
            if item[0] == "rejected":
                self._reject(item[1])
                continue
            _, text, applicant_id, line, source, outcome = item
            if j in duplicates:
                self._reject(duplicate_reject(applicant_id, line, source))
            else:
                self.writer.write_decisions(text)
                count_outcome(self.counts, outcome)
            j += 1

    def _reject(self, reject: dict) -> None:
        self.writer.write_reject(reject)
        if self.reject_row is not None:
            self.writer.write_decision(self.reject_row(reject))
        count_rejected(self.counts)

    def _advance(self, n: int) -> None:
        """`n` more records done; a checkpoint when one is due."""
        self.progress.done += n
        self.since += n
        self.reporter.advance(n)
        now = time.monotonic()
        if self.since >= CHECKPOINT_RECORDS or now - self.last_checkpoint >= CHECKPOINT_SECONDS:
            self.progress.counts = self.counts
            self.writer.checkpoint(self.progress)
            self.last_checkpoint, self.since = now, 0


def _fingerprint(options: BatchOptions, library) -> dict:
    """What must not change between a run and its resumption."""
    editions = sorted(
        f"{e.ruleset.program}/{e.ruleset.edition}:{e.sha256}" for eds in library.programs.values() for e in eds
    )
    return {
        "input": os.path.abspath(options.input) if options.input != "-" else "-",
        "as_of": options.as_of,
        "format": options.output_format,
        "rulesets": editions,
        "programs": list(options.programs),
        **({"csv_rejects": True} if options.csv_rejects else {}),
        **({"lang": options.lang} if options.lang != "en" else {}),
    }
