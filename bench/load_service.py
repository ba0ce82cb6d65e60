"""Load test of `cec serve` on loopback: concurrent clients posting single decisions, then the same
records as one streamed batch, against the baseline measured in the same run on the same records: one
Evaluator deciding them in this process, in a loop (no HTTP, no record, one core).

Bounded: at most --count requests and --seconds of load. Reports requests/s, p50/p99 latency, errors
(any 5xx or transport error; a 422 for one of the generator's malformed records is an answer, counted
apart), and the ratios to the baseline. Compare ratios, not absolute numbers, across machines.

Usage: python bench/load_service.py [--count 4000] [--clients 8] [--workers 2] [--seconds 60] [--db sqlite|none]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from service_support import Server  # noqa: E402  (the tests' way of starting a server)


def population(count: int, seed: int, folder: Path) -> Path:
    path = folder / "population.jsonl"
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--count", str(count), "--seed", str(seed), "-o", str(path)],
        check=True,
        capture_output=True,
    )
    return path


def single_requests(server: Server, lines: list[bytes], clients: int, seconds: float) -> dict:
    """`clients` threads, each with its own connection, posting lines until all are sent or time is up."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    cursor = iter(range(len(lines)))
    deadline = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as http:
            while time.monotonic() < deadline:
                with lock:
                    index = next(cursor, None)
                if index is None:
                    return
                started = time.perf_counter()
                try:
                    status = str(http.post("/v1/decisions", content=lines[index]).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": round(wall, 2),
        "per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 1),
        "statuses": statuses,
        "errors": sum(n for s, n in statuses.items() if not s.isdigit() or s.startswith("5")),
    }


def streamed_batch(server: Server, path: Path) -> dict:
    started = time.perf_counter()
    answers = problems = 0
    with httpx.Client(base_url=server.url, timeout=600) as http:
        with http.stream("POST", "/v1/decisions/batch", content=path.read_bytes()) as response:
            for line in response.iter_lines():
                if line:
                    answers += 1
                    problems += '"problem"' in line[:40]
    wall = time.perf_counter() - started
    return {"lines": answers, "problems": problems, "seconds": round(wall, 2), "per_second": round(answers / wall, 1)}


def baseline(lines: list[bytes]) -> dict:
    """One in-process Evaluator: read, validate, decide, serialise each record (what one worker does,
    without the HTTP, the pipe and the record)."""
    import orjson

    from cec_rules.engine.errors import InputError
    from cec_rules.engine.evaluator import Evaluator, load_bundled_or
    from cec_rules.facts.reading import applicant_from_data

    evaluator = Evaluator(load_bundled_or(None), "cec")
    started = time.perf_counter()
    for number, line in enumerate(lines):
        try:
            evaluator.evaluate(applicant_from_data(orjson.loads(line), f"line {number}")).to_json_line()
        except (InputError, ValueError):
            pass
    wall = time.perf_counter() - started
    return {"records": len(lines), "seconds": round(wall, 2), "per_second": round(len(lines) / wall, 1)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "none"], default="sqlite")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cec-load-") as tmp:
        folder = Path(tmp)
        path = population(args.count, args.seed, folder)
        lines = [line for line in path.read_bytes().splitlines() if line.strip()]
        db = f"sqlite:///{folder}/records.db" if args.db == "sqlite" else "none"
        server = Server("--db", db, cwd=folder, workers=args.workers)
        try:
            single = single_requests(server, lines, args.clients, args.seconds)
            batch = streamed_batch(server, path)
        finally:
            server.stop()
        base = baseline(lines)
    result = {
        "workers": args.workers,
        "clients": args.clients,
        "db": args.db,
        "single": single,
        "batch": batch,
        "baseline_one_evaluator": base,
        "single_to_baseline": round(single["per_second"] / base["per_second"], 3),
        "batch_to_baseline": round(batch["per_second"] / base["per_second"], 3),
    }
    print(json.dumps(result, indent=2))
    if single["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
