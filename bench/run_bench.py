"""Benchmark `cec batch` end to end (parse, derive, decide, write) against two peers measured in the
same run on the same file: a plain-Python baseline (`baseline.py`, one process) and the same pipeline
deciding with zen-engine (`zen_pipeline.py`, a JDM graph; with as many workers as the batch run; needs
the `bench` extra), on generated populations of 100k and 1M records, with 1 and 2 workers.

Reports records/s, peak resident memory of the whole process tree (parent and workers, sampled every
50 ms from /proc), and the ratio of each run to the baseline's records/s. Timings are for this machine
at this moment: compare the ratios, not the absolute numbers, across machines.

Also: the decision-pattern hit rate, and a run with the pattern cache off (CEC_PATTERN_CACHE=0) whose
output must be byte-identical.

Usage: python bench/run_bench.py [--sizes 100000,1000000] [--workers 1,2] [--seed 1] [--out bench/out] [--no-cache-off-run]
Writes bench/out/results.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ZEN_AVAILABLE = importlib.util.find_spec("zen") is not None
CEC = shutil.which("cec") or str(Path(sys.executable).with_name("cec"))


def tree_rss_kib(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as handle:
                pages = int(handle.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measure(command: list[str], env: dict | None = None) -> dict:
    """Wall time and peak tree RSS of one command."""
    peak = [0]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss_kib(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.monotonic() - started
    sampler.join()
    if process.returncode not in (0, 3):
        raise RuntimeError(f"{command} failed ({process.returncode}): {stderr[-2000:]}")
    return {
        "seconds": round(elapsed, 2),
        "peak_rss_mib": round(peak[0] / 1024, 1),
        "stderr_tail": stderr.strip().splitlines()[-1:],
    }


def population(size: int, seed: int, out: Path) -> Path:
    path = out / f"population-{size}-{seed}.jsonl"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--count", str(size), "--seed", str(seed), "-o", str(path)],
            check=True,
            stderr=subprocess.DEVNULL,
        )
    return path


def run(sizes: list[int], workers: list[int], seed: int, out: Path, cache_off_check: bool = True) -> list[dict]:
    results = []
    for size in sizes:
        source = population(size, seed, out)
        base = measure([sys.executable, str(HERE / "baseline.py"), str(source), "-o", str(out / "baseline.jsonl")])
        base_rate = size / base["seconds"]
        results.append(
            {"size": size, "run": "baseline (plain Python, 1 process)", **base, "records_per_second": round(base_rate)}
        )
        for count in workers:
            if ZEN_AVAILABLE:
                zen = measure(
                    [
                        sys.executable,
                        str(HERE / "zen_pipeline.py"),
                        str(source),
                        "-o",
                        str(out / f"zen-{count}.jsonl"),
                        "--workers",
                        str(count),
                    ]
                )
                zen_rate = size / zen["seconds"]
                results.append(
                    {
                        "size": size,
                        "run": f"zen-engine pipeline --workers {count}",
                        **zen,
                        "records_per_second": round(zen_rate),
                        "ratio_to_baseline": round(zen_rate / base_rate, 3),
                    }
                )
            result = measure(
                [CEC, "batch", str(source), "-o", str(out / f"decisions-{count}.jsonl"), "--workers", str(count)]
            )
            rate = size / result["seconds"]
            results.append(
                {
                    "size": size,
                    "run": f"cec batch --workers {count}",
                    **result,
                    "records_per_second": round(rate),
                    "ratio_to_baseline": round(rate / base_rate, 3),
                }
            )
            if ZEN_AVAILABLE:
                results[-1]["ratio_to_zen"] = round(rate / zen_rate, 3)
        results.append(
            {
                "size": size,
                "run": "decision-pattern cache (one process, first 20,000 records)",
                **pattern_hit_rate(source, 20_000),
            }
        )
        same = all(
            (out / f"decisions-{c}.jsonl").read_bytes() == (out / f"decisions-{workers[0]}.jsonl").read_bytes()
            for c in workers
        )
        results.append({"size": size, "run": "outputs identical across worker counts", "identical": same})
        if cache_off_check:
            off = measure(
                [CEC, "batch", str(source), "-o", str(out / "decisions-nocache.jsonl"), "--workers", str(workers[-1])],
                env={**os.environ, "CEC_PATTERN_CACHE": "0"},
            )
            off_rate = size / off["seconds"]
            results.append(
                {
                    "size": size,
                    "run": f"cec batch --workers {workers[-1]}, pattern cache off",
                    **off,
                    "records_per_second": round(off_rate),
                    "ratio_to_baseline": round(off_rate / base_rate, 3),
                }
            )
            identical = (out / "decisions-nocache.jsonl").read_bytes() == (
                out / f"decisions-{workers[-1]}.jsonl"
            ).read_bytes()
            results.append(
                {"size": size, "run": "output identical with the pattern cache on and off", "identical": identical}
            )
    return results


def cold_start(runs: int = 5) -> list[dict]:
    """Median wall time of `cec evaluate` on one example, each a new process: with the library cache
    (after one run that fills it) and without it (CEC_RULES_CACHE=0)."""
    example = HERE.parent / "examples" / "eligible.yaml"
    results = []
    for label, env in (
        ("library cache on", dict(os.environ)),
        ("library cache off", {**os.environ, "CEC_RULES_CACHE": "0"}),
    ):
        subprocess.run([CEC, "evaluate", str(example)], env=env, check=True, capture_output=True)
        times = []
        for _ in range(runs):
            started = time.monotonic()
            subprocess.run([CEC, "evaluate", str(example)], env=env, check=True, capture_output=True)
            times.append(time.monotonic() - started)
        results.append(
            {"run": f"cold cec evaluate, {label}", "median_ms": round(statistics.median(times) * 1000), "runs": runs}
        )
    return results


def cpu_per_record(source: Path, limit: int, rounds: int = 3) -> dict:
    """CPU microseconds per record of each pipeline, one process, on the same first `limit` records.

    On a shared machine wall-clock runs taken minutes apart see different loads; CPU time of the same
    process, with the pipelines interleaved round after round, compares them under the same conditions.
    Each pipeline produces its full output line per record (written nowhere)."""
    import io

    sys.path.insert(0, str(HERE))
    import baseline
    from cec_rules.engine.batch.records import Record
    from cec_rules.engine.batch.worker import RecordDecider

    lines = source.read_text(encoding="utf-8").splitlines()[:limit]
    records = [Record(seq, seq + 1, source.name, line, "json") for seq, line in enumerate(lines)]
    pipelines = {"baseline": lambda: baseline.run(lines, io.StringIO())}
    for label, setting in (("cec, pattern cache on", "1"), ("cec, pattern cache off", "0")):
        os.environ["CEC_PATTERN_CACHE"] = setting
        decider = RecordDecider(None, None, "jsonl", programs=("cec",))
        pipelines[label] = lambda decider=decider: [decider.decide(r) for r in records]
    os.environ.pop("CEC_PATTERN_CACHE")
    if ZEN_AVAILABLE:
        from zen_pipeline import ZenDecider

        zen = ZenDecider()
        encoded = [line.encode() for line in lines]
        pipelines["zen-engine"] = lambda: [zen.decide(line, n) for n, line in enumerate(encoded, 1)]
    spent = dict.fromkeys(pipelines, 0.0)
    for round_ in range(rounds + 1):  # round 0 warms up (caches, first compile)
        for label, pipeline in pipelines.items():
            started = time.process_time()
            pipeline()
            if round_:
                spent[label] += time.process_time() - started
    per_record = {label: round(seconds / (rounds * len(lines)) * 1e6, 1) for label, seconds in spent.items()}
    cec = per_record["cec, pattern cache on"]
    return {
        "records": len(lines),
        "cpu_us_per_record": per_record,
        "cec_speed_ratio": {label: round(value / cec, 3) for label, value in per_record.items()},
    }


def pattern_hit_rate(source: Path, limit: int) -> dict:
    """How often the runtime replayed a recorded decision pattern instead of running durable-rules: the
    same decider `cec batch` uses, in one process over the first `limit` records of the file."""
    from cec_rules.engine.batch.records import Record
    from cec_rules.engine.batch.worker import RecordDecider

    decider = RecordDecider(None, None, "jsonl", programs=("cec",))
    with source.open(encoding="utf-8") as lines:
        for seq, line in zip(range(limit), lines):
            decider.decide(Record(seq, seq + 1, source.name, line.rstrip("\n"), "json"))
    patterns = decider.evaluator.runtime.patterns
    if patterns is None:
        return {"hit_rate": None, "note": "switched off (CEC_PATTERN_CACHE=0)"}
    stats = patterns.stats
    return {
        "hit_rate": round(stats.hit_rate, 4),
        "hits": stats.hits,
        "misses": stats.misses,
        "uncacheable": stats.uncacheable,
        "patterns_kept": len(patterns._entries),
    }


def table(results: list[dict]) -> str:
    lines = [
        "| records | run | seconds | records/s | ratio to baseline | ratio to zen-engine | peak RSS (MiB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "seconds" in r:
            lines.append(
                f"| {r['size']:,} | {r['run']} | {r['seconds']} | {r['records_per_second']:,} | {r.get('ratio_to_baseline', 1.0)} "
                f"| {r.get('ratio_to_zen', '')} | {r['peak_rss_mib']} |"
            )
        elif "hit_rate" in r:
            lines.append(
                f"| {r['size']:,} | {r['run']}: hit rate {r['hit_rate']} ({r.get('hits')} hits, {r.get('misses')} misses, "
                f"{r.get('uncacheable')} uncacheable) | | | | | |"
            )
        else:
            lines.append(f"| {r['size']:,} | {r['run']} | | | | | {r['identical']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument(
        "--no-cache-off-run", action="store_true", help="skip the run with the decision-pattern cache off"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    results = run(
        [int(s) for s in args.sizes.split(",")],
        [int(w) for w in args.workers.split(",")],
        args.seed,
        args.out,
        not args.no_cache_off_run,
    )
    starts = cold_start()
    cpu = cpu_per_record(population(int(args.sizes.split(",")[0]), args.seed, args.out), 5000)
    (args.out / "results.json").write_text(json.dumps(results + starts + [cpu], indent=2) + "\n")
    print(table(results))
    for start in starts:
        print(f"{start['run']}: median of {start['runs']} {start['median_ms']} ms")
    print(f"CPU per record, one process, first {cpu['records']:,} records (speed of cec relative to each):")
    for label, value in cpu["cpu_us_per_record"].items():
        print(f"  {label}: {value} us (cec with the cache is {cpu['cec_speed_ratio'][label]}x its speed)")


if __name__ == "__main__":
    main()
