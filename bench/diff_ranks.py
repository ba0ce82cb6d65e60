"""Time and size `cec diff`'s score and rank comparison (the main process's part) on a large population.

    python bench/diff_ranks.py --count 250000 [--seed 3]

Deciding is the batch engine's (measured by bench/run_bench.py and bench/rank_pool.py); what `cec diff`
adds in its main process is per applicant a row with its place under each side, written to a temporary file,
then two sorts in `cec rank`'s order (engine/external_sort.py, runs spilled to a temporary folder) reading
the rows back by offset, a round on each side, and the comparison streaming the rows and ranks. This feeds `count` results shaped
like the workers' (`Compared`, with the pool's ranking: entry first, categories, a category round of 500
invitations; a tenth of the scores moved by a table change, a twentieth gaining a category) straight into
`ScoreShifts` and `RankChanges`, and prints the time and the largest resident set of the process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from cec_rules.engine.impact.decider import Compared
from cec_rules.engine.impact.ranks import RankChanges
from cec_rules.engine.impact.scores import ScoreShifts
from cec_rules.engine.rank.ranking import Ranking
from cec_rules.engine.rank.selection import Round

RANKING = Ranking(
    program="pool",
    score_program="score",
    tie_field="submitted",
    group_kind="in_group",
    group_field="group",
    groups="categories",
)
CATEGORIES = [(), (), (), ("stem",), ("healthcare",), ("french", "healthcare"), ("trades",)]
PROGRAMS = [("a",), ("b",), ("a", "b"), ()]


def results(count: int, seed: int):
    """`count` results like the diff workers send: both sides' scores with factors, and the ranked places."""
    rng, start = random.Random(seed), dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    for seq in range(count):
        eligible = rng.choice((True, True, False, None))
        score = rng.randrange(250, 600)
        factors = {"age": rng.choice((0, 83, 110)), "work": rng.choice((0, 40, 53, 64)), "language": score - 200}
        moved = rng.random() < 0.1
        new_factors = {**factors, "work": factors["work"] + 7} if moved else factors
        old_score = {"total": score, "possible_total": score, "factors": factors}
        new_score = (
            {"total": score + 7 * moved, "possible_total": score + 7 * moved, "factors": new_factors}
            if moved
            else old_score
        )
        stamp = (start + dt.timedelta(seconds=rng.randrange(0, 600 * 86400))).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        groups = rng.choice(CATEGORIES)
        old = (eligible, score, rng.choice(PROGRAMS), groups)
        new = (
            eligible,
            score + 7 * moved,
            old[2],
            groups + ("stem",) if rng.random() < 0.05 and "stem" not in groups else groups,
        )
        yield Compared(
            seq,
            f"A-{seq:07d}",
            None,
            {"score": old_score},
            {"score": new_score},
            (stamp, old, old if new == old else new),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:  # where `cec diff` spills sort runs: a folder of its report's
        measure(args, started, Path(folder) / "ranks.sorting")


def measure(args, started: float, sorting: Path) -> None:
    scores = ScoreShifts()
    ranks = RankChanges(RANKING, Round(date="2026-11-05", type="category", category="stem", invitations=500), sorting)
    for result in results(args.count, args.seed):
        scores.add(result.seq, result.applicant_id, result.old["score"], result.new["score"])
        ranks.add(result)
    collected = time.monotonic()
    written = []
    summary = ranks.compare(lambda change: written.append(1))
    done = time.monotonic()
    print(
        json.dumps(
            {
                "count": args.count,
                "collect_seconds": round(collected - started, 1),
                "compare_seconds": round(done - collected, 1),
                "ranks_changed": summary["changed"],
                "ranks_lines": len(written),
                "gained": summary["round"]["gained"],
                "scores_rose": scores.to_json()["total"]["rose"],
                "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
