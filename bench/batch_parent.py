"""What the `cec batch` parent costs: runs `cec batch ARGS` in this process and reports the parent's CPU per
record while deciding (user and system time of `run._run`: reading, sending, receiving, writing, checkpoints,
counts, the duplicate-id ledger, progress; not the start), its page faults per record, each worker's CPU,
the records per second and the parent's peak resident set. `--canned` makes the workers answer with one
canned decision line per record (no engine), so that the parent's own cost shows without the workers' load
on the same cores.

    python bench/batch_parent.py pool.jsonl -o out.jsonl --workers 2
    python bench/batch_parent.py --canned pool.jsonl -o out.jsonl --workers 2

Run main's and a branch's alternately (their own venvs): the machine is shared, and its load moves every
figure; `uptime` is printed with them.
"""

from __future__ import annotations

import os
import re
import resource
import sys
import time

import click

from cec_rules.engine.batch.worker import Decided, RecordDecider, Rejected

CANNED = "bench.batch_parent:CannedDecider"


class CannedDecider(RecordDecider):
    """Answers every record with the same decision line (about 3 KB, like a CEC decision), its id found by a
    regular expression: the engine's cost taken out."""

    ID = re.compile(r'"id": "([^"]*)"')
    LINE = '{"applicant_id": "canned", "program": "cec", "reasons": "' + "x" * 3000 + '"}'

    def __init__(self, *args):
        pass

    def decide(self, record):
        found = self.ID.search(record.text)
        if found is None:
            return Rejected(record.seq, {"line": record.line, "id": None, "source": record.source, "error": "no id"})
        return Decided(
            record.seq,
            self.LINE,
            False,
            ("language_proficiency",),
            "2022-11-16",
            (),
            found.group(1),
            record.line,
            record.source,
        )


def measured(module, name: str, pool_module, stats: dict) -> None:
    """Wrap `module.name` (its rusage and wall time into `stats`) and each worker's stop (its CPU from /proc,
    read just before, appended to `stats["workers"]`). bench/diff_parent.py measures `cec diff` with it."""
    deciding, stop = getattr(module, name), pool_module.WorkerPool._stop

    def timed_run(*args, **kwargs):
        before, started = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
        try:
            return deciding(*args, **kwargs)
        finally:
            after = resource.getrusage(resource.RUSAGE_SELF)
            stats.update(
                user=after.ru_utime - before.ru_utime,
                system=after.ru_stime - before.ru_stime,
                faults=after.ru_minflt - before.ru_minflt,
                wall=time.monotonic() - started,
            )

    def stop_after_reading(worker):
        try:
            with open(f"/proc/{worker.process.pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            stats.setdefault("workers", []).append(
                round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)
            )
        except OSError:
            pass
        stop(worker)

    setattr(module, name, timed_run)
    pool_module.WorkerPool._stop = staticmethod(stop_after_reading)


def main(argv: list[str]) -> None:
    canned = argv[:1] == ["--canned"]
    from cec_rules.engine.batch import pool, run
    from cec_rules.engine.batch.run import BatchOptions

    stats: dict = {}
    measured(run, "_run", pool, stats)
    if canned:  # the CLI has no option for the decider: the options it would build, with ours
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        real = run.BatchOptions
        run.BatchOptions = lambda *args, **kwargs: real(*args, **{**kwargs, "decider": CANNED})
    from cec_rules.cli.main import cli

    try:
        cli.main(["batch", *argv[canned:]], standalone_mode=False)
    except (SystemExit, click.exceptions.Exit):  # exit code 3: some records were rejected
        pass
    finally:
        run.BatchOptions = BatchOptions
    done = _records(argv[canned:])
    print(
        f"parent while deciding: {(stats['user'] + stats['system']) / done * 1e6:.1f} us/record "
        f"(user {stats['user'] / done * 1e6:.1f}, system {stats['system'] / done * 1e6:.1f}), "
        f"{stats['faults'] / done:.2f} page faults/record; workers' CPU {stats.get('workers')} s; "
        f"{done / stats['wall']:,.0f} records/s; parent's peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; "
        f"load {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )


def _records(args: list[str]) -> int:
    """Records of the input file (non-blank lines), for the per-record figures."""
    with open(args[0], "rb") as handle:
        return sum(1 for line in handle if line.strip())


if __name__ == "__main__":
    main(sys.argv[1:])
