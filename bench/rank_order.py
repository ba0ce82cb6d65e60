"""Time and size `cec rank`'s ordering phase alone (engine/rank/run.py `write_ranked`) on a large pool.

    python bench/rank_order.py RANKED.jsonl --count 250000 [--out bench/out/order]
    CEC_RANK_SORT_RUN=10000000 python bench/rank_order.py ...     # the same, sorting in one run in memory

Deciding 250,000 profiles takes about ten minutes; ordering them is what this measures. It builds a decided
file of `count` lines from the lines of an earlier ranked output (bench/rank_pool.py's), repeated with new
ids (`rank` and `invited` removed: a decided line), then orders it with a French category round of 500
invitations and prints the time, the sort's run size and the largest resident set of this process.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import orjson

from cec_rules.engine.rank.run import RankOptions, write_ranked
from cec_rules.engine.rank.selection import Round, sort_run_size
from cec_rules.facts.pool.ranking import RANKING


def write_decided(source: Path, path: Path, count: int) -> None:
    """`count` decided lines: `source`'s lines read again and again (one at a time), each pass with its own ids."""
    with open(path, "wb") as out:
        for n, raw in zip(range(count), _again(source)):
            line = orjson.loads(raw)
            line.pop("rank", None), line.pop("invited", None)
            line["applicant_id"] = f"{line['applicant_id']}-{n}"
            out.write(orjson.dumps(line) + b"\n")


def _again(source: Path):
    while True:
        with open(source, "rb") as lines:
            yield from lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ranked", type=Path)
    parser.add_argument("--count", type=int, default=250_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "order")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    selection = Round(date="2026-11-05", type="category", category="french", invitations=500)
    options = RankOptions(
        "pool.jsonl",
        args.out / "ordered.jsonl",
        args.out / "rejects.jsonl",
        1,
        None,
        None,
        False,
        False,
        RANKING,
        selection,
    )
    write_decided(args.ranked, options.decided, args.count)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.monotonic()
    counts = write_ranked(options)
    print(
        json.dumps(
            {
                "count": args.count,
                "sort_run": sort_run_size(),
                "seconds": round(time.monotonic() - started, 1),
                "in_pool": counts["in_pool"],
                "invited": counts["round"]["invited"],
                "max_rss_mb_before_ordering": round(before),
                "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
