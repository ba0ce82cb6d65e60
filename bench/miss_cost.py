"""CPU per record of one `cec batch` worker from a cold start over the first records of a file, and how much of
it went to the runs that missed the decision-pattern cache (durable-rules ran and its firings were recorded).

Why: on a worker's first records the misses are the largest single cost (a few hundred microseconds each, a
replayed run a few tens), and `run_bench.py`'s CPU per record counts warm passes only, where every run is a
hit. A run counts as a miss when the cache's miss count grows during it.

    python bench/generate.py --count 1000000 --seed 11 -o /tmp/p1m.jsonl
    python bench/miss_cost.py /tmp/p1m.jsonl --count 25000     # a worker's share of a 50,000-record run

Run it with two installs alternately (e.g. main's venv and a branch's) to compare them.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cec_rules.engine import runtime as runtime_module
from cec_rules.engine.batch.records import Record
from cec_rules.engine.batch.worker import RecordDecider, Rejected

CLOCK = time.process_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("population", type=Path, help="JSON Lines (bench/generate.py)")
    parser.add_argument("--count", type=int, default=25000, help="records decided, from the first")
    options = parser.parse_args()
    decider = RecordDecider(None, None, "jsonl", programs=("cec",))
    rejected = 0
    if decider.evaluator.runtime.patterns is None:
        parser.error("the decision-pattern cache is off (CEC_PATTERN_CACHE=0): nothing hits or misses")
    missed = _timed_misses()
    started = CLOCK()
    with options.population.open(encoding="utf-8") as lines:
        for seq, line in zip(range(options.count), lines):
            rejected += (
                decider.decide(Record(seq, seq + 1, options.population.name, line.rstrip("\n"), "json")).__class__
                is Rejected
            )
    total = CLOCK() - started
    stats = decider.evaluator.runtime.patterns.stats
    print(
        f"{options.count} records: {total / options.count * 1e6:.1f} us CPU each; {stats.hits} hits, {stats.misses} misses "
        f"({missed[0] / max(stats.misses, 1) * 1e6:.0f} us each, {missed[0] / options.count * 1e6:.1f} us a record); {rejected} rejected"
    )


def _timed_misses() -> list[float]:
    """Wrap `Runtime.run` so that the CPU of the runs that missed adds up in the returned list's one item."""
    missed = [0.0]
    run = runtime_module.Runtime.run

    def timed(self, compiled, facts, *args, **kwargs):  # (Runtime.run's own arguments, whatever they become)
        before, started = self.patterns.stats.misses, CLOCK()
        try:
            return run(self, compiled, facts, *args, **kwargs)
        finally:
            if self.patterns.stats.misses != before:
                missed[0] += CLOCK() - started

    runtime_module.Runtime.run = timed
    return missed


if __name__ == "__main__":
    main()
