"""Worker processes with crash isolation, returning results in input order.

Why processes: a durable-rules Host is not thread-safe and holds the GIL in C; one Host per process.
Why not concurrent.futures: when one worker dies it breaks the whole pool and every pending future,
so the records held by healthy workers could not be told from the one that crashed. Here each worker
has its own pipe; the pool knows which chunks a dead worker held and retries only those:
- a chunk of several records that was on a dead worker is split into single records;
- a single record that was alone on a worker that died, having crashed before, is rejected with
  reason "engine crash"; the others are decided exactly once.
"""

from __future__ import annotations

import json
import multiprocessing
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Iterable, Iterator

from .records import Record
from .worker import Decided, Rejected, worker_main

CRASHES_BEFORE_REJECT = 2
CHUNK_CHARS = 1 << 20        # a chunk closes at this much record text, even before chunk_size records
WINDOW_CHARS = 32 << 20      # record text read ahead of the output, at most (plus one record)


@dataclass
class Chunk:
    id: int
    records: list[Record]
    suspect: bool = False  # a single record retried after a crash: run alone
    size: int = field(init=False)  # characters of record text: bounds memory and each pipe message when records are large

    def __post_init__(self) -> None:
        """Counted once: the pool sums the sizes of the chunks in flight before reading each chunk of input."""
        self.size = sum(len(record.text) for record in self.records)


@dataclass
class Worker:
    process: multiprocessing.Process
    connection: object
    held: dict[int, Chunk] = field(default_factory=dict)

    def holds_suspect(self) -> bool:
        return any(chunk.suspect for chunk in self.held.values())


class WorkerPool:
    """Decides records on `size` worker processes; yields results strictly in input order."""

    def __init__(self, size: int, decider_path: str, decider_args: tuple, chunk_size: int = 64, per_worker: int = 2):
        self.size = max(1, size)
        self.worker_args = (decider_path, decider_args)
        self.chunk_size = chunk_size
        self.per_worker = per_worker
        self.context = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
        self.workers: list[Worker] = []
        self.crashes: dict[int, int] = {}  # seq -> times a worker died holding it
        self.worker_deaths = 0
        self._chunk_ids = 0

    def __enter__(self) -> "WorkerPool":
        starting = [self._spawn() for _ in range(self.size)]  # all build their engines at the same time
        self.workers = [self._ready(worker) for worker in starting]
        return self

    def __exit__(self, *exc) -> None:
        for worker in self.workers:
            self._stop(worker)

    def _start_worker(self) -> Worker:
        return self._ready(self._spawn())

    def _spawn(self) -> Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        _widen(parent_end)
        process = self.context.Process(target=worker_main, args=(child_end, *self.worker_args), daemon=True)
        process.start()
        child_end.close()
        return Worker(process, parent_end)

    @staticmethod
    def _ready(worker: Worker) -> Worker:
        """Wait until the worker's engine is built."""
        kind, _ = worker.connection.recv()
        if kind != "ready":
            raise RuntimeError("worker failed to start")
        return worker

    @staticmethod
    def _stop(worker: Worker) -> None:
        try:
            worker.connection.send(None)
        except (OSError, ValueError):
            pass
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.kill()
        worker.connection.close()

    def run(self, records: Iterable[Record], first_seq: int = 0) -> Iterator[Decided | Rejected]:
        """Decide every record (numbered from `first_seq`); yield results in input order, each exactly once."""
        source = iter(records)
        queue: deque[Chunk] = deque()
        done: dict[int, Decided | Rejected] = {}
        next_seq = first_seq
        exhausted = False
        window = self.size * self.per_worker * self.chunk_size * 2
        while True:
            exhausted = self._fill(queue, source, exhausted, done, window)
            self._dispatch(queue)
            if not any(w.held for w in self.workers) and not queue:
                break
            self._collect(done, queue)
            while next_seq in done:
                yield done.pop(next_seq)
                next_seq += 1
        if done:
            raise RuntimeError(f"results out of order: {len(done)} result(s) after record {next_seq} were never yielded")

    def _fill(self, queue: deque, source: Iterator, exhausted: bool, done: dict, window: int) -> bool:
        """Read more input while the amount of work in flight stays bounded (flat memory), in records and in text."""
        chunks = [c for w in self.workers for c in w.held.values()] + list(queue)
        in_flight = sum(len(c.records) for c in chunks) + len(done)
        chars = sum(c.size for c in chunks)
        while not exhausted and in_flight < window and chars < WINDOW_CHARS:
            records, size = [], 0
            for record in source:
                records.append(record)
                size += len(record.text)
                if len(records) == self.chunk_size or size >= CHUNK_CHARS:
                    break
            if not records:
                return True
            queue.append(self._chunk(records))
            in_flight += len(records)
            chars += size
        return exhausted

    def _chunk(self, records: list[Record], suspect: bool = False) -> Chunk:
        self._chunk_ids += 1
        return Chunk(self._chunk_ids, records, suspect)

    def _dispatch(self, queue: deque) -> None:
        """Give each worker up to `per_worker` chunks; a suspect record always runs alone."""
        for worker in self.workers:
            while queue and len(worker.held) < self.per_worker and not worker.holds_suspect():
                if queue[0].suspect and worker.held:
                    break
                chunk = queue.popleft()
                worker.held[chunk.id] = chunk
                worker.connection.send((chunk.id, chunk.records))

    def _collect(self, done: dict, queue: deque) -> None:
        busy = {w.connection: w for w in self.workers if w.held}
        for connection in wait(list(busy)):
            worker = busy[connection]
            try:
                chunk_id, results = connection.recv()
            except (EOFError, OSError):
                self._replace_dead(worker, done, queue)
                continue
            worker.held.pop(chunk_id)
            for result in results:
                done[result.seq] = result

    def _replace_dead(self, worker: Worker, done: dict, queue: deque) -> None:
        """Retry what a dead worker held; reject a record that killed a worker while alone, again."""
        self.worker_deaths += 1
        worker.process.join(timeout=5)
        retry = []
        for chunk in worker.held.values():
            for record in chunk.records:
                self.crashes[record.seq] = self.crashes.get(record.seq, 0) + 1
            if len(chunk.records) == 1 and chunk.suspect and self.crashes[chunk.records[0].seq] >= CRASHES_BEFORE_REJECT:
                record = chunk.records[0]
                done[record.seq] = Rejected(record.seq, {"line": record.line, "id": _id_of(record), "source": record.source,
                                                         "error": f"{record.source}:{record.line}: engine crash: the worker process died on this record {self.crashes[record.seq]} times"})
            else:
                retry.extend(self._chunk([record], suspect=True) for record in chunk.records)
        queue.extendleft(reversed(retry))
        index = self.workers.index(worker)
        worker.connection.close()
        self.workers[index] = self._start_worker()


def _id_of(record: Record) -> str | None:
    """The record's id, for the reject line, when it can be read without the engine."""
    try:
        data = json.loads(record.text) if record.syntax == "json" else None
    except (ValueError, RecursionError):
        return None
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None


_F_SETPIPE_SZ = 1031  # Linux fcntl: a pipe's buffer size


def _widen(connection) -> None:
    """A 1 MiB pipe buffer: a chunk of results (about 200 KB) then crosses in one read, not a dozen wake-ups.
    Best effort: other systems (or a lower limit) keep the default."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), _F_SETPIPE_SZ, 1 << 20)
    except (ImportError, OSError):
        pass
