"""CPU time per applicant of one `cec diff` worker's loop (`ImpactDecider.decide` and `pack`, a chunk of 256 at a
time), in this process, over records START+1..END of a population after warming on the first START (the
pattern cache and the lookup caches filled, as in a worker well into a run); with --profile, cProfile's
table of the same loop instead.

Why a worker's loop alone: the wall time of `cec diff` is the workers' CPU over the cores, and on a shared
machine the CPU time of one process moves less with the load than any wall time (bench/diff_parent.py
measures the whole run).

    python bench/diff_loop.py old/ new/ --population pool.jsonl --start 5000 --end 20000
    python bench/diff_loop.py cec/2015-01-01 cec/2022-11-16 --population pool.jsonl --as-of 2024-06-01 --profile
    python bench/diff_loop.py old/ new/ --population pool.jsonl --repeat 3    # the least of 3 passes
    PYTHONHASHSEED=0 valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/dev/null \
        python bench/diff_loop.py old/ new/ --population pool.jsonl --start 1000 --end 2000 --repeat 2 --callgrind
        # "Collected": the instructions of the second pass (no new pattern), deterministic on a shared machine

Run main's and a branch's alternately (their own venvs) to compare them: this script under main's venv
imports main's code (`/work/main/.venv/bin/python bench/diff_loop.py ...`).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import time

from cec_rules.engine.batch.records import Record
from cec_rules.engine.impact.decider import ImpactDecider
from cec_rules.engine.impact.sides import parse_side

CHUNK = 256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--population", required=True)
    parser.add_argument("--program", default="cec")
    parser.add_argument("--as-of")
    parser.add_argument("--start", type=int, default=5000, help="records that warm the caches first")
    parser.add_argument("--end", type=int, default=20000)
    parser.add_argument("--profile", action="store_true", help="cProfile's table (by own time) instead of the CPU time")
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="under valgrind --tool=callgrind --instr-atstart=no: instrument the last pass only (callgrind_control)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="passes over the measured records, the least CPU time shown (later passes meet no new pattern)",
    )
    args = parser.parse_args()
    decider = ImpactDecider(
        parse_side(args.old, None, args.program), parse_side(args.new, None, args.program), args.as_of
    )
    records = _records(args.population, args.end)
    _loop(decider, records[: args.start])
    measured = records[args.start :]
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(_loop, decider, measured)
        pstats.Stats(profile).sort_stats("tottime").print_stats(40)
        return
    passes = []
    for number in range(args.repeat):
        counted = args.callgrind and number == args.repeat - 1
        if counted:
            _instrument("on")
        started = time.process_time()
        _loop(decider, measured)
        passes.append(time.process_time() - started)
        if counted:
            _instrument("off")
    shown = ", ".join(f"{seconds / len(measured) * 1e6:.1f}" for seconds in passes)
    print(
        f"{min(passes) / len(measured) * 1e6:.1f} us CPU per applicant over {len(measured):,} records"
        f"{f' (least of {shown})' if len(passes) > 1 else ''} (load {os.getloadavg()[0]:.1f})"
    )


def _instrument(state: str) -> None:
    """Switch callgrind's instrumentation of this process on or off (its `Collected` count is then the pass's)."""
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], check=True, capture_output=True)


def _records(path: str, end: int) -> list[Record]:
    """The first `end` lines as records (JSON Lines, one record a line, as the pool's blocks give them)."""
    records = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if number > end:
                break
            records.append(Record(number - 1, number, os.path.basename(path), line.strip(), "json"))
    return records


def _loop(decider: ImpactDecider, records: list[Record]) -> None:
    for start in range(0, len(records), CHUNK):
        decider.pack(0, [decider.decide(record) for record in records[start : start + CHUNK]])


if __name__ == "__main__":
    main()
