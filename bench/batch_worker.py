"""What a `cec batch` worker costs in the real batch, part by part: runs `cec batch ARGS` in this process with
workers that decide as usual but time themselves, and each worker prints, as it stops, its CPU per record:
deciding (`RecordDecider.decide`: reading, derivation, rules, the output line), packing the chunk's results
(engine/batch/chunks.py), sending them, splitting the blocks of lines it receives into records, the rest of
its main loop, and its receiving thread; also its start (CPU before its first record), and the same
worker's user and system time, page faults and context switches.

Why not `run_bench.py`'s CPU per record: that one decides the same 5,000 records again and again in one
process (every run a replay, every lookup cache warm); a batch's worker meets each record once, among
misses, and shares the two cores with the other worker and the parent. `BATCH_WORKER_PROFILE=path` also
writes a cProfile of each worker's deciding to `path.<pid>` (slow: for where, not how much).

    python bench/batch_worker.py pool.jsonl -o out.jsonl --workers 2

Run main's and a branch's alternately (their own venvs): the machine is shared, and its load moves every
figure; each line ends with the load.
"""

from __future__ import annotations

import cProfile
import os
import resource
import sys
import time
from multiprocessing import connection as connections
from multiprocessing import util

import click

from cec_rules.engine.batch import worker as worker_module
from cec_rules.engine.batch.chunks import pack
from cec_rules.engine.batch.worker import RecordDecider

TIMED = "bench.batch_worker:TimedDecider"
PROFILE_ENV = "BATCH_WORKER_PROFILE"
CLOCK = time.thread_time  # the worker's main thread: its receiving thread is counted apart


class TimedDecider(RecordDecider):
    """The batch's decider, timing its own parts and those of the loop around it (worker_main)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.started, self.started_thread = time.process_time(), CLOCK()
        self.spent = {"decide": 0.0, "pack": 0.0, "send": 0.0, "blocks": 0.0}
        self.records = 0
        self.profile = cProfile.Profile() if os.environ.get(PROFILE_ENV) else None
        connections.Connection.send_bytes = self._timed(connections.Connection.send_bytes, "send")
        worker_module.block_records = self._timed(worker_module.block_records, "blocks")
        util.Finalize(self, _report, args=(self.spent, self), exitpriority=100)

    def _timed(self, function, part: str):
        def timed(*args, **kwargs):
            started = CLOCK()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[part] += CLOCK() - started

        return timed

    def decide(self, record):
        started = CLOCK()
        if self.profile is not None:
            self.profile.enable()
        try:
            return super().decide(record)
        finally:
            if self.profile is not None:
                self.profile.disable()
            self.spent["decide"] += CLOCK() - started
            self.records += 1

    def pack(self, chunk_id: int, results: list) -> bytes:
        started = CLOCK()
        try:
            return pack(chunk_id, results)
        finally:
            self.spent["pack"] += CLOCK() - started


def _report(spent: dict, decider: TimedDecider) -> None:
    n = max(decider.records, 1)
    main_thread = CLOCK() - decider.started_thread
    receiving = time.process_time() - decider.started - main_thread
    parts = {**spent, "rest of the loop": main_thread - sum(spent.values()), "receiving thread": receiving}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"worker {os.getpid()}: {decider.records} records, start {decider.started:.2f} s; per record (us): "
        + ", ".join(f"{part} {seconds / n * 1e6:.1f}" for part, seconds in parts.items())
        + f"; all {(time.process_time() - decider.started) / n * 1e6:.1f} (user {usage.ru_utime:.2f} s, system {usage.ru_stime:.2f} s, "
        f"{usage.ru_minflt} page faults, {usage.ru_nivcsw} involuntary switches); load {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
        flush=True,
    )
    if decider.profile is not None:
        decider.profile.dump_stats(f"{os.environ[PROFILE_ENV]}.{os.getpid()}")


def main(argv: list[str]) -> None:
    from cec_rules.engine.batch import run

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the workers import TIMED
    real = run.BatchOptions
    run.BatchOptions = lambda *args, **kwargs: real(*args, **{**kwargs, "decider": TIMED})
    from cec_rules.cli.main import cli

    try:
        cli.main(["batch", *argv], standalone_mode=False)
    except (SystemExit, click.exceptions.Exit):  # exit code 3: some records were rejected
        pass
    finally:
        run.BatchOptions = real


if __name__ == "__main__":  # (the workers import this module too: only the parent runs the batch)
    main(sys.argv[1:])
