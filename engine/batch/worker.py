"""The worker process: builds one Evaluator (one durable-rules Host) and decides chunks of records.

Each record becomes either a decision (the output-contract JSON line, a CSV row and the counts the
summary needs) or a reject (line, id when known, error). Nothing a record contains can stop the worker;
only a crash of the process itself, which the pool detects and isolates.

Test-only fault hook: when the environment variable CEC_BATCH_FAULT_ID names a record id, the worker
that reaches that record exits abruptly (os._exit), as a segfault in the C engine would.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import importlib
import os
import queue
import signal
import threading
from typing import NamedTuple
from pathlib import Path

import orjson

from cec_rules.engine.each_program import EachProgram
from cec_rules.engine.errors import CecError, EngineError, InputError
from cec_rules.engine.evaluator import load_bundled_or
from cec_rules.engine.json_source import load_json
from cec_rules.engine.yaml_source import Positions, YamlProblem, load_yaml, locate

from .records import UNREADABLE, Lines, Record, block_records
from .tabular import csv_row

FAULT_ENV = "CEC_BATCH_FAULT_ID"


class Decided(NamedTuple):
    """One decided record (a named tuple: results cross a pipe per record, and tuples pickle cheaply)."""

    seq: int
    line: (
        bytes | str
    )  # the output line without newline: a JSON line as UTF-8 bytes (Decision.to_json_bytes), a CSV row as text
    eligible: bool | None
    unmet: tuple[str, ...]
    edition: str
    undetermined: tuple[str, ...] = ()
    applicant_id: str = ""  # for the parent's check that ids are unique within the batch
    input_line: int | None = None  # where the record is, for a duplicate-id reject
    source: str = ""
    programs: tuple = ()  # several programs: (program, eligible, unmet, edition, undetermined) per decision; `line` has one line each


class Rejected(NamedTuple):
    """One record that could not be decided."""

    seq: int
    reject: dict  # {"line", "id", "source", "error"}


class RecordDecider:
    """Decides records for one worker process, under one program or several (`programs`, in their order)."""

    several = False  # more than one program: each record gives a line per program in force (subclasses decide one)

    def __init__(
        self, rulesets_dir: str | None, as_of: str | None, output_format: str, lang: str = "en", programs: tuple = ()
    ):
        self.lang = lang
        library = load_bundled_or(Path(rulesets_dir) if rulesets_dir else None)
        self.deciders = EachProgram(library, list(programs), translations=lang != "en")
        self.several = len(programs) > 1
        self.evaluator = next(iter(self.deciders.evaluators.values()))  # the first program's
        self.plugin = self.evaluator.plugin  # reads each record into the program's applicant
        self.as_of = dt.date.fromisoformat(as_of) if as_of else None
        self.output_format = output_format
        self.fault_id = os.environ.get(FAULT_ENV)

    @functools.cached_property
    def limits(self):
        """Read once per worker: the limits of the command that started it (subclasses inherit this)."""
        return self.plugin.input_limits()

    def decide(self, record: Record) -> Decided | Rejected:
        whole_file = (
            record.syntax != "json"
        )  # a file of a folder: its errors name their own line, as `cec evaluate`'s do
        label = f"{record.source}:{record.line}" if record.line and not whole_file else record.source
        data = positions = None
        try:
            data, positions = _parse(record, label)
            if self.fault_id is not None and isinstance(data, dict) and data.get("id") == self.fault_id:
                os._exit(70)
            if self.several:
                return self._decided_each(record, self.deciders.decide(data, label, self.as_of, self.limits), label)
            applicant = self.plugin.read_applicant(data, label, self.limits)
            decision = self.evaluate(applicant, label)
        except InputError as exc:
            return self._reject(record, data, str(locate(exc, positions)))
        except EngineError as exc:
            return self._reject(record, data, f"{label}: internal error: {exc}")
        except CecError as exc:
            return self._reject(record, data, f"{label}: {exc}")
        except Exception as exc:  # a bug must cost one record, not the run: it is rejected with its cause
            return self._reject(record, data, f"{label}: internal error: {type(exc).__name__}: {exc}")
        return self.decided(record, decision)

    def decided(self, record: Record, decision) -> Decided:
        line = decision.to_json_bytes() if self.output_format == "jsonl" else csv_row(decision, self.plugin)
        eligible, unmet, undetermined = decision.verdict()
        return Decided(
            record.seq,
            line,
            eligible,
            unmet,
            decision.edition,
            undetermined,
            decision.applicant_id,
            record.line,
            record.source,
        )

    def _decided_each(self, record: Record, results: list, label: str) -> Decided:
        """One record decided under several programs: a JSON line per program in force, in program order; an
        error of any program rejects the record (raised). `eligible` is whether any program accepts it (true
        when one is eligible, else undetermined when one is, else false)."""
        error = next((r.error for r in results if r.error), None)
        if error is not None:
            raise InputError(
                error.source,
                error.field,
                f"program {next(r.program for r in results if r.error)}: {error.detail}",
                line=error.line,
            )
        decisions = [
            self.deciders.evaluators[r.program].plugin.translate(
                self.deciders.evaluators[r.program], r.decision, r.applicant, self.as_of, label, self.lang
            )
            for r in results
        ]
        outcomes = {d.eligible for d in decisions}
        eligible = True if True in outcomes else None if None in outcomes else False
        return Decided(
            record.seq,
            b"\n".join(d.to_json_bytes() for d in decisions),
            eligible,
            (),
            "",
            (),
            decisions[0].applicant_id,
            record.line,
            record.source,
            tuple((d.program, d.eligible, tuple(d.unmet), d.edition, tuple(d.undetermined)) for d in decisions),
        )

    def evaluate(self, applicant, label: str):
        """One decision (its reasons in the run's language); subclasses (e.g. the impact diff) decide twice."""
        decision = self.evaluator.evaluate(applicant, self.as_of, source=label)
        return self.plugin.translate(self.evaluator, decision, applicant, self.as_of, label, self.lang)

    @staticmethod
    def _reject(record: Record, data, error: str) -> Rejected:
        applicant_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
        return Rejected(record.seq, {"line": record.line, "id": applicant_id, "source": record.source, "error": error})


def _parse(record: Record, label: str) -> tuple[object, Positions | None]:
    """The record's data, and where its keys are when it is a whole file (None for a line of JSON Lines or an
    element of a JSON array: the line is the record's). A file is read as `cec evaluate` reads it: a .json file
    by the strict JSON reader (duplicate keys refused), any other by the strict YAML reader."""
    if record.text.startswith(UNREADABLE):
        raise InputError(label, "", record.text[len(UNREADABLE) :])
    if record.syntax == "json":
        try:
            return orjson.loads(record.text), None
        except orjson.JSONDecodeError as exc:
            raise InputError(label, "", f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    try:
        return (load_json if record.syntax == "json-file" else load_yaml)(record.text, label)
    except YamlProblem as exc:
        raise InputError(label, exc.problem.key_path, exc.problem.message, line=exc.problem.line) from None


def worker_main(connection, decider_path: str, decider_args: tuple) -> None:
    """Process entry point: build the decider named by `decider_path` ("module:Class"), then receive
    (chunk id, records or a block of lines, packed) and send back (chunk id, results), or the results packed
    in one message (engine/batch/chunks.py `pack`, or the decider's own `pack`: `cec diff`'s), until None.

    Messages are received on a thread of their own, so the pipe from the parent is always drained:
    otherwise, with large records, the parent blocks sending the next chunk while this process blocks
    sending results the parent is not reading, and the batch hangs forever."""
    from .chunks import pack  # chunks.py imports this module's result types

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers cleanly
    module_name, _, class_name = decider_path.partition(":")
    decider = getattr(importlib.import_module(module_name), class_name)(*decider_args)
    packer = getattr(decider, "pack", pack)
    gc.freeze()  # the library and compiled rulesets live as long as the process: no full collection walks them again
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(connection, inbox), daemon=True).start()
    connection.send(("ready", None))
    while True:
        message = inbox.get()
        if message is None:
            return
        chunk_id, records, *packed = message  # (chunk id, records), as the service sends, or with `packed`
        results = [
            decider.decide(record) for record in (block_records(records) if records.__class__ is Lines else records)
        ]
        if packed and packed[0]:
            connection.send_bytes(packer(chunk_id, results))
        else:
            connection.send((chunk_id, results))


def _receive(connection, inbox: queue.SimpleQueue) -> None:
    """Move every message from the parent into `inbox`; None (stop) when the parent is gone."""
    try:
        while True:
            message = connection.recv()
            inbox.put(message)
            if message is None:
                return
    except (EOFError, OSError):
        inbox.put(None)
