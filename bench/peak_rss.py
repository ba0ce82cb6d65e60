"""Each process's peak memory under a command: the command and every process it starts (a batch's workers,
its fork server and resource tracker), sampled every 0.5 s from /proc.

Why polling: a process's peak resident set (VmHWM) is gone when it exits, and a batch's workers exit before
the command does; `resource.getrusage` gives only the largest child, not each one. VmHWM is itself a peak,
so a sample misses only what a process reaches in its last half second.

    python bench/peak_rss.py report.json cec batch p1m.jsonl --workers 2 -o out.jsonl

prints each process's role (parent, worker, fork server, resource tracker), its peak VmHWM and largest VmRSS
(MiB) and the tree's sum of peaks; writes the same as JSON. Linux only (/proc).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

INTERVAL = 0.5


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] in ("-h", "--help"):
        print("usage: python bench/peak_rss.py REPORT.json COMMAND [ARGS...]", file=sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    report_path, command = argv[0], argv[1:]
    try:
        process = subprocess.Popen(command)
    except OSError as error:
        print(f"peak_rss: cannot start {command[0]!r}: {error.strerror}", file=sys.stderr)
        return 127
    seen: dict[int, dict] = {}
    while process.poll() is None:
        for pid, parent in _tree(process.pid):
            _sample(seen, pid, parent)
        time.sleep(INTERVAL)
    report = _report(seen, process.returncode)
    with open(report_path, "w") as handle:
        json.dump(report, handle, indent=1)
    for pid, row in sorted(report["processes"].items(), key=lambda item: item[1]["role"]):
        print(
            f"{row['role']:17} pid {pid:>7}  peak VmHWM {row['hwm_kib'] / 1024:6.1f} MiB  largest VmRSS {row['rss_kib'] / 1024:6.1f} MiB",
            file=sys.stderr,
        )
    print(
        f"tree: sum of peaks {report['sum_of_peaks_kib'] / 1024:.1f} MiB; exit code {process.returncode}",
        file=sys.stderr,
    )
    return process.returncode


def _tree(root: int) -> list[tuple[int, int | None]]:
    """(pid, parent pid) of `root` and all its descendants."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as handle:
                    stat = handle.read()
            except OSError:
                continue
            children.setdefault(int(stat[stat.rfind(")") + 2 :].split()[1]), []).append(int(name))
    found, stack = [], [(root, None)]
    while stack:
        pid, parent = stack.pop()
        found.append((pid, parent))
        stack += [(child, pid) for child in children.get(pid, [])]
    return found


def _sample(seen: dict[int, dict], pid: int, parent: int | None) -> None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            fields = dict(line.split(":", 1) for line in handle if line.startswith(("VmHWM", "VmRSS")))
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return
    if "VmHWM" not in fields:
        return
    row = seen.setdefault(pid, {"parent": parent, "command": command, "hwm_kib": 0, "rss_kib": 0})
    row["hwm_kib"] = max(row["hwm_kib"], int(fields["VmHWM"].split()[0]))
    row["rss_kib"] = max(row["rss_kib"], int(fields["VmRSS"].split()[0]))


def _role(row: dict, seen: dict[int, dict]) -> str:
    if row["parent"] is None:
        return "parent"
    if "resource_tracker" in row["command"]:
        return "resource tracker"
    if "forkserver" in row["command"]:
        forked = "forkserver" in seen.get(row["parent"], {}).get("command", "")
        return "worker" if forked else "fork server"
    return "child"


def _report(seen: dict[int, dict], returncode: int) -> dict:
    processes = {
        pid: {"role": _role(row, seen), "hwm_kib": row["hwm_kib"], "rss_kib": row["rss_kib"]}
        for pid, row in seen.items()
    }
    return {
        "exit_code": returncode,
        "processes": processes,
        "sum_of_peaks_kib": sum(row["hwm_kib"] for row in seen.values()),
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
