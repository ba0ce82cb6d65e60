"""Cross-check the engine against the independent baseline, record by record.

Why: the engine (rulesets + durable-rules + derivations) and bench/baseline.py (plain Python written from
DESIGN.md) share only the data files. Where they disagree, one of them misreads the design; every
disagreement is reported with its record so that it can be judged and turned into a test.

Compared per record, three-valued: eligible (True, False or None = undetermined), each criterion's `met`
(True, False or None), and qualifying_hours_exact (the hours that count in every reading of split NOC
codes). Malformed records must be rejected by both: the engine with InputError, the baseline with ValueError.

Usage: python bench/crosscheck.py INPUT.jsonl [--report FILE] [--show N]
       (make INPUT with bench/generate.py; the report gets one JSON line per disagreement)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import baseline  # noqa: E402  (the sibling file, not a package)
from cec_rules.engine.errors import InputError  # noqa: E402
from cec_rules.engine.evaluator import Evaluator, load_bundled_or  # noqa: E402
from cec_rules.facts.reading import applicant_from_data  # noqa: E402


COMPARED = ("eligible", "met", "qualifying_hours_exact")


class Sides:
    """Runs both implementations on one parsed record, timing each."""

    def __init__(self, evaluator: Evaluator | None = None):
        self.evaluator = evaluator or Evaluator(load_bundled_or(None), "cec")
        self.seconds = Counter()

    def engine(self, record) -> dict:
        began = time.perf_counter()
        try:
            decision = self.evaluator.evaluate(applicant_from_data(record, "x"))
            return {
                "eligible": decision.eligible,
                "met": {c.id: c.met for c in decision.criteria},
                "qualifying_hours_exact": decision.derived["qualifying_hours_exact"],
            }
        except InputError as exc:
            return {"rejected": str(exc)}
        except Exception as exc:  # noqa: BLE001 (any other exception is an engine crash to report)
            return {"crashed": f"{type(exc).__name__}: {exc}"}
        finally:
            self.seconds["engine"] += time.perf_counter() - began

    def baseline(self, record) -> dict:
        began = time.perf_counter()
        try:
            decision = baseline.decide(record)
            return {k: decision[k] for k in COMPARED}
        except ValueError as exc:
            return {"rejected": str(exc)}
        finally:
            self.seconds["baseline"] += time.perf_counter() - began


def classify(engine: dict, base: dict) -> str | None:
    """None when the two agree; otherwise a short name for the kind of disagreement."""
    if "crashed" in engine:
        return "engine_crashed"
    if "rejected" in engine or "rejected" in base:
        if "rejected" in engine and "rejected" in base:
            return None
        return "engine_rejects_baseline_accepts" if "rejected" in engine else "engine_accepts_baseline_rejects"
    differing = ["eligible"] if engine["eligible"] is not base["eligible"] else []
    differing += [
        f"met.{c}"
        for c in sorted(engine["met"].keys() | base["met"].keys())
        if engine["met"].get(c, "absent") is not base["met"].get(c, "absent")
    ]
    differing += (
        ["qualifying_hours_exact"] if engine["qualifying_hours_exact"] != base["qualifying_hours_exact"] else []
    )
    return "differ:" + ",".join(differing) if differing else None


OUTCOME = {False: "unmet", None: "undetermined"}


def check(lines, sides: Sides, report) -> Counter:
    """Compare every line; write each disagreement to `report`; return the tallies."""
    tally = Counter()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        tally["records"] += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            tally["invalid_json_rejected_by_both"] += 1  # neither side gets a record to decide
            continue
        engine, base = sides.engine(record), sides.baseline(record)
        tally[
            "rejected_by_both"
            if "rejected" in engine and "rejected" in base
            else "decided_by_both"
            if "eligible" in engine and "eligible" in base
            else "mixed"
        ] += 1
        if "eligible" in base:
            tally[f"baseline_eligible:{base['eligible']}"] += 1
            tally.update(f"{OUTCOME[met]}:{criterion}" for criterion, met in base["met"].items() if met is not True)
        kind = classify(engine, base)
        if kind:
            tally[f"disagree:{kind}"] += 1
            report.write(
                json.dumps({"line": number, "kind": kind, "engine": engine, "baseline": base, "record": record}) + "\n"
            )
    return tally


def summarise(tally: Counter, seconds: Counter, report_path: str) -> str:
    """Counts, the speed of each side (parsed records per second of its own time), and disagreements by kind."""
    parsed = tally["records"] - tally["invalid_json_rejected_by_both"]
    lines = [
        f"records: {tally['records']:,}  decided by both: {tally['decided_by_both']:,}  "
        f"rejected by both: {tally['rejected_by_both'] + tally['invalid_json_rejected_by_both']:,}  "
        f"eligible (baseline): {tally['baseline_eligible:True']:,} yes, {tally['baseline_eligible:False']:,} no, "
        f"{tally['baseline_eligible:None']:,} undetermined"
    ]
    for outcome in OUTCOME.values():
        lines.append(
            f"{outcome} (baseline): "
            + ", ".join(f"{k.split(':', 1)[1]} {v:,}" for k, v in sorted(tally.items()) if k.startswith(outcome + ":"))
        )
    for side in ("engine", "baseline"):
        rate = parsed / seconds[side] if seconds[side] else 0
        lines.append(f"{side}: {seconds[side]:.2f}s, {rate:,.0f} records/s")
    disagreements = {k[len("disagree:") :]: v for k, v in sorted(tally.items()) if k.startswith("disagree:")}
    lines.append(f"disagreements: {sum(disagreements.values())} (details in {report_path})")
    lines += [f"  {kind}: {count}" for kind, count in disagreements.items()]
    return "\n".join(lines)


def show(report_path: str, count: int) -> None:
    """Print the first `count` disagreements in full, for a quick look."""
    with open(report_path, encoding="utf-8") as handle:
        for _, line in zip(range(count), handle):
            print(line.rstrip())


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="JSON Lines of applicants (from bench/generate.py)")
    parser.add_argument("--report", default="crosscheck-disagreements.jsonl", help="one JSON line per disagreement")
    parser.add_argument("--show", type=int, default=0, help="print the first N disagreements")
    args = parser.parse_args(argv)
    sides = Sides()
    with open(args.input, encoding="utf-8") as lines, open(args.report, "w", encoding="utf-8") as report:
        tally = check(lines, sides, report)
    print(summarise(tally, sides.seconds, args.report))
    if args.show:
        show(args.report, args.show)


if __name__ == "__main__":
    main()
