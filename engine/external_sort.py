"""Sorting more keys than should be held in memory at once: an external merge sort.

Keys are flat tuples of JSON values (numbers, texts, booleans, None). They are sorted in runs of at most
`run_size` keys; each full run is written, one JSON array a line, to a file in a folder the caller owns,
then the runs are read back together and merged (`heapq.merge`). Memory holds at most one run, then one key
and a read buffer per run; beyond `FAN_IN` runs, the earliest runs are first merged into one, so the number
of open files stays bounded too. Keys that fit in one run never touch the disk.

The order is exactly `sorted(keys)`'s, stable included: runs are consecutive slices of the input, and
`heapq.merge` gives equal keys from the earlier run first.
"""

from __future__ import annotations

import heapq
import shutil
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import orjson

FAN_IN = 64  # runs merged at once


@contextmanager
def external_sort(keys: Iterable[tuple], folder: Path | None, run_size: int) -> Iterator[Iterator[tuple]]:
    """The keys in sorted order, spilling runs of `run_size` keys to files in `folder` (None: sort in memory).

    `folder` is the sort's alone: one left by a killed process is emptied first, and it is removed when the
    block ends, also on an error or an interruption.

    Examples:
        >>> with external_sort([(2, "b"), (1, "z"), (2, "a")], None, 2) as ordered:
        ...     list(ordered)
        [(1, 'z'), (2, 'a'), (2, 'b')]
    """
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    ordered = _sorted(keys, folder, run_size if folder is not None else None)
    try:
        yield ordered
    finally:
        ordered.close()  # its open run files
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _sorted(keys: Iterable[tuple], folder: Path | None, run_size: int | None) -> Iterator[tuple]:
    runs, batch = [], []
    for key in keys:
        if len(batch) == run_size:  # a full run, and more keys: spill it (the last run stays in memory)
            batch.sort()
            runs.append(_spill(batch, folder, str(len(runs))))
            batch = []
        batch.append(key)
    batch.sort()
    if not runs:
        yield from batch
        return
    while len(runs) > FAN_IN:
        runs = [_merge_runs(runs[:FAN_IN], folder, f"merged-{len(runs)}")] + runs[FAN_IN:]
    with ExitStack() as files:
        yield from heapq.merge(*[_read(files.enter_context(open(run, "rb"))) for run in runs], batch)


def _spill(keys: Iterable[tuple], folder: Path, name: str) -> Path:
    """Write sorted keys to a new run file of `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.run"
    with open(path, "wb") as out:
        out.writelines(orjson.dumps(key, option=orjson.OPT_APPEND_NEWLINE) for key in keys)
    return path


def _merge_runs(runs: list[Path], folder: Path, name: str) -> Path:
    """The runs merged into one new run file (the merged ones removed); the number of runs falls at each
    merge, so `merged-<runs left>` names are never reused."""
    with ExitStack() as files:
        merged = _spill(heapq.merge(*[_read(files.enter_context(open(run, "rb"))) for run in runs]), folder, name)
    for run in runs:
        run.unlink()
    return merged


def _read(handle) -> Iterator[tuple]:
    return (tuple(orjson.loads(line)) for line in handle)
