"""Time `cec rank` on generated pools of several sizes, and show that memory stays flat.

    python bench/rank_pool.py --sizes 10000 50000 --workers 2 [--out bench/out/rank] [--in-process 4000]

For each size N: N applicants from bench/generate.py's seeded generator, most with a `profile_submitted`
timestamp (some sharing one, so the id breaks their tie), then `cec rank` with a category round
(500 invitations, French). Prints, and writes to OUT/results.json, the wall time, records per second
and the largest resident set of any process of the run (the ranking parent or a worker), read from
getrusage after the run: flat memory means it does not grow with N.

First, in this process (`--in-process K`, 0 to skip): the first K profiles of the smallest pool decided
by one rank worker's decider, as `cec rank` decides them: CPU time per profile, and the decision-pattern
hits and misses of each program (the pool and the programs it consumes), which wall-clock figures on a
shared machine cannot show.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import Generator  # noqa: E402  (bench/ is a folder of scripts, not a package)

CEC = str(Path(sys.executable).with_name("cec"))
ROUND_DATE = "2026-11-05"
ROUND = f'date: "{ROUND_DATE}"\ntype: category\ncategory: french\ninvitations: 500\n'


def write_pool(path: Path, count: int, seed: int) -> None:
    """`count` generated applicants; 90% with a submission timestamp in the 12 months before the round (a profile
    stays in the pool 12 months: older ones would be out of it), one in ten of them on a shared second."""
    generator, rng = Generator(seed), random.Random(seed + 1)
    start = dt.datetime(2025, 11, 10, tzinfo=dt.timezone.utc)
    with open(path, "w", encoding="utf-8") as out:
        for n in range(1, count + 1):
            record = generator.applicant(n)
            if rng.random() < 0.9:
                seconds = 0 if rng.random() < 0.1 else rng.randrange(0, 330 * 86400)
                record["profile_submitted"] = (start + dt.timedelta(seconds=seconds)).isoformat()
            out.write(json.dumps(record) + "\n")


def run(size: int, workers: int, out: Path) -> dict:
    pool, ranked, round_file = out / f"pool-{size}.jsonl", out / f"ranked-{size}.jsonl", out / "round.yaml"
    write_pool(pool, size, seed=size)
    round_file.write_text(ROUND)
    started = time.monotonic()
    result = subprocess.run(
        [CEC, "rank", str(pool), "-o", str(ranked), "--workers", str(workers), "--round", str(round_file), "--restart"],
        capture_output=True,
        text=True,
    )
    elapsed = time.monotonic() - started
    if result.returncode not in (0, 3):
        raise SystemExit(f"cec rank failed ({result.returncode}):\n{result.stderr}")
    summary = json.loads(ranked.with_suffix(".summary.json").read_text())
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux; the largest process so far
    return {
        "size": size,
        "workers": workers,
        "seconds": round(elapsed, 1),
        "records_per_second": round(size / elapsed, 1),
        "in_pool": summary["rank"]["in_pool"],
        "rejected": summary["rejected"],
        "invited": summary["rank"]["round"]["invited"],
        "peak_rss_mb_so_far": round(peak_mb, 1),
    }


def in_process(pool: Path, count: int) -> dict:
    """One rank worker's CPU per profile on the first `count` profiles, and each program's pattern-cache counts."""
    from cec_rules.engine.batch.records import Record
    from cec_rules.engine.rank.entry import RankDecider
    from cec_rules.facts.pool.ranking import RANKING

    decider = RankDecider(None, ROUND_DATE, "jsonl", "en", (RANKING.program,), RANKING)
    with open(pool, encoding="utf-8") as lines:
        records = [Record(n, n + 1, str(pool), line.rstrip("\n"), "json") for n, line in zip(range(count), lines)]
    started = time.process_time()
    for record in records:
        decider.decide(record)
    cpu = time.process_time() - started
    return {
        "profiles": len(records),
        "cpu_us_per_profile": round(cpu / len(records) * 1e6),
        "patterns": dict(_pattern_counts(decider.evaluator)),
    }


def _pattern_counts(evaluator):
    """(program, counts) for the evaluator and the ones its chain made for the programs it consumes."""
    stats = evaluator.runtime.patterns.stats if evaluator.runtime.patterns is not None else None
    yield (
        evaluator.program,
        (
            {
                "hits": stats.hits,
                "misses": stats.misses,
                "uncacheable": stats.uncacheable,
                "hit_rate": round(stats.hit_rate, 4),
            }
            if stats
            else "switched off"
        ),
    )
    for consumed in evaluator.chain._evaluators.values():
        yield from _pattern_counts(consumed)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "rank")
    parser.add_argument("--in-process", type=int, default=4000, help="profiles decided in this process first (0: none)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    if args.in_process:
        smallest = min(args.sizes)
        write_pool(args.out / f"pool-{smallest}.jsonl", smallest, seed=smallest)
        results.append({"in_process": in_process(args.out / f"pool-{smallest}.jsonl", args.in_process)})
        print(json.dumps(results[-1]), flush=True)
    for size in sorted(args.sizes):  # ascending: the running peak then shows whether a larger pool needed more memory
        results.append(run(size, args.workers, args.out))
        print(json.dumps(results[-1]), flush=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
