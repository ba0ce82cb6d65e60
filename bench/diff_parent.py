"""What a `cec diff` costs, process by process: runs `cec diff ARGS` in this process and reports the parent's CPU
per applicant (user and system time of `run_diff`: reading, sending, receiving, counting, writing, ranking, the
reports; not the start), each worker's CPU (read from /proc just before it stops, start-up included), the wall
time of `run_diff` and the parent's peak resident set.

    python bench/diff_parent.py old/ new/ --population p20k.jsonl --workers 2 -o impact/
    python bench/diff_parent.py cec/2015-01-01 cec/2022-11-16 --population p20k.jsonl --workers 2 --as-of 2024-06-01 -o impact/

Run main's and a branch's alternately (their own venvs): the machine is shared, and its load moves every
figure; the load average is printed with them.
"""

from __future__ import annotations

import os
import resource
import sys

import click

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from batch_parent import measured  # noqa: E402  (the sibling file, not a package)


def main(argv: list[str]) -> None:
    from cec_rules.engine.batch import pool
    from cec_rules.engine.impact import run
    from cec_rules.cli.main import cli

    stats: dict = {}
    measured(run, "run_diff", pool, stats)
    try:
        cli.main(["diff", *argv], standalone_mode=False)
    except (SystemExit, click.exceptions.Exit):  # exit code 3: some records were rejected
        pass
    done = _records(argv[argv.index("--population") + 1])
    workers = stats.get("workers", [])
    print(
        f"parent {(stats['user'] + stats['system']) / done * 1e6:.1f} us/applicant (user {stats['user'] / done * 1e6:.1f}, "
        f"system {stats['system'] / done * 1e6:.1f}); workers' CPU {workers} s ({sum(workers) / done * 1e6:.0f} us/applicant); "
        f"run_diff {stats['wall']:.2f} s wall; parent's peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; "
        f"load {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )


def _records(path: str) -> int:
    """Records of the population (non-blank lines), for the per-applicant figures."""
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.strip())


if __name__ == "__main__":
    main(sys.argv[1:])
