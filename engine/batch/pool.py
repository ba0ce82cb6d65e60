"""Worker processes with crash isolation, returning results in input order.

Why processes: a durable-rules Host is not thread-safe and holds the GIL in C; one Host per process.
Why not concurrent.futures: when one worker dies it breaks the whole pool and every pending future,
so the records held by healthy workers could not be told from the one that crashed. Here each worker
has its own pipe; the pool knows which chunks a dead worker held and retries only those:
- a chunk of several records that was on a dead worker is split into single records;
- a single record that was alone on a worker that died, having crashed before, is rejected with
  reason "engine crash"; the others are decided exactly once.
For `cec batch` and `cec diff` (`chunks`), a chunk of JSON Lines is a block of raw lines and its results come
back packed in one message (engine/batch/chunks.py; a diff's chunk is counted in the worker,
engine/impact/packed.py): the parent's work is per chunk, which matters because the parent's CPU is taken
from the workers' cores.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import selectors
import struct
import sys
from collections import deque
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Callable, Iterable, Iterator

from cec_rules.engine.program import ENTRY_POINT_GROUP

from .chunks import Packed, unpack
from .chunks import packed as packed_results
from .records import Lines, Record, block_records
from .worker import Rejected, worker_main

CRASHES_BEFORE_REJECT = 2
CHUNK_RECORDS = 256  # records in a chunk (in a block of JSON Lines: lines), at most: the parent's work is per chunk
CHUNK_CHARS = 1 << 20  # a chunk closes at this much record text, even before chunk_size records
WINDOW_CHARS = 32 << 20  # record text read ahead of the output, at most (plus one record)


@dataclass
class Slot:
    """One chunk of the input, in input order, until its results are out: one part, or after a crash one
    part per record (each retried alone)."""

    count: int  # records (for a block of lines: lines), for the bound on work in flight
    size: int  # characters (bytes) of input text
    parts: list = field(default_factory=lambda: [None])
    missing: int = 1
    buffers: list = field(default_factory=list)  # the memory its results were received in


@dataclass
class Chunk:
    id: int
    records: list[Record] | Lines
    slot: Slot
    part: int = 0
    suspect: bool = False  # a single record retried after a crash: run alone
    crashes: int = 0  # times a worker died holding these records


@dataclass
class Worker:
    process: multiprocessing.Process
    connection: object
    held: dict[int, Chunk] = field(default_factory=dict)

    def holds_suspect(self) -> bool:
        return any(chunk.suspect for chunk in self.held.values())


class WorkerPool:
    """Decides records on `size` worker processes; yields results strictly in input order."""

    def __init__(
        self, size: int, decider_path: str, decider_args: tuple, chunk_size: int = CHUNK_RECORDS, per_worker: int = 2
    ):
        self.size = max(1, size)
        self.worker_args = (decider_path, decider_args)
        self.chunk_size = chunk_size
        self.per_worker = per_worker
        self.context = multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        if self.context.get_start_method() == "forkserver":
            self.context.set_forkserver_preload(_preloaded(decider_path))
        self.workers: list[Worker] = []
        self.worker_deaths = 0
        self._chunk_ids = 0
        self._selector = selectors.DefaultSelector()  # kept: one per wait costs more than the wait
        self._buffers: list[bytearray] = []  # memory for the messages to come (_receive)
        self._packed = packed_results  # packs a result made here (an engine-crash reject) as the workers pack theirs

    def __enter__(self) -> "WorkerPool":
        starting = [self._spawn() for _ in range(self.size)]  # all build their engines at the same time
        self.workers = [self._ready(worker) for worker in starting]
        return self

    def __exit__(self, *exc) -> None:
        for worker in self.workers:
            self._selector.unregister(worker.connection)
            self._stop(worker)
        self._selector.close()

    def _start_worker(self) -> Worker:
        return self._ready(self._spawn())

    def _spawn(self) -> Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        _widen(parent_end)
        process = self.context.Process(target=worker_main, args=(child_end, *self.worker_args), daemon=True)
        process.start()
        child_end.close()
        return Worker(process, parent_end)

    def _ready(self, worker: Worker) -> Worker:
        """Wait until the worker's engine is built."""
        kind, _ = worker.connection.recv()
        if kind != "ready":
            raise RuntimeError("worker failed to start")
        self._selector.register(worker.connection, selectors.EVENT_READ, worker)
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

    def chunks(
        self, items: Iterable[Record | Lines], packed: Callable[[list], object] = packed_results
    ) -> Iterator[Packed]:
        """Decide every record and every block of lines (records.open_input); yield the results packed
        (engine/batch/chunks.py, or by the decider's own `pack`: then `packed` packs the results made in this
        process the same way), a chunk at a time, in input order, each record exactly once."""
        self._packed = packed
        return self._parts(items)

    def _parts(self, items: Iterable[Record | Lines]) -> Iterator:
        contents = self._contents(iter(items))
        queue: deque[Chunk] = deque()
        slots: deque[Slot] = deque()
        window = self.size * self.per_worker * self.chunk_size * 2
        exhausted = False
        while True:
            exhausted = exhausted or self._fill(queue, slots, contents, window)
            self._dispatch(queue)
            if not any(w.held for w in self.workers) and not queue:
                break
            self._collect(queue)
            while slots and not slots[0].missing:
                slot = slots.popleft()
                yield from slot.parts
                self._buffers += slot.buffers  # its results are handled: their memory serves the next messages
        if slots:
            raise RuntimeError(f"results out of order: {len(slots)} chunk(s) were never completed")

    def _contents(self, items: Iterator[Record | Lines]) -> Iterator[list[Record] | Lines]:
        """What each chunk holds: a block of lines as it is, or up to chunk_size records (CHUNK_CHARS of text)."""
        records, size = [], 0
        for item in items:
            if item.__class__ is Lines:
                if records:
                    yield records
                    records, size = [], 0
                yield item
                continue
            records.append(item)
            size += len(item.text)
            if len(records) == self.chunk_size or size >= CHUNK_CHARS:
                yield records
                records, size = [], 0
        if records:
            yield records

    def _fill(self, queue: deque, slots: deque, contents: Iterator, window: int) -> bool:
        """Read more input while the work not yet given out stays bounded (flat memory), in records and in
        text; True when the input is exhausted."""
        in_flight, chars = sum(s.count for s in slots), sum(s.size for s in slots)
        while in_flight < window and chars < WINDOW_CHARS:
            content = next(contents, None)
            if content is None:
                return True
            if content.__class__ is Lines:
                slot = Slot(content.count, len(content.data))
            else:
                slot = Slot(len(content), sum(len(record.text) for record in content))
            slots.append(slot)
            queue.append(self._chunk(content, slot, 0))
            in_flight += slot.count
            chars += slot.size
        return False

    def _chunk(
        self, records: list[Record] | Lines, slot: Slot, part: int, suspect: bool = False, crashes: int = 0
    ) -> Chunk:
        self._chunk_ids += 1
        return Chunk(self._chunk_ids, records, slot, part, suspect, crashes)

    def _dispatch(self, queue: deque) -> None:
        """Give each worker up to `per_worker` chunks; a suspect record always runs alone."""
        for worker in self.workers:
            while queue and len(worker.held) < self.per_worker and not worker.holds_suspect():
                if queue[0].suspect and worker.held:
                    break
                chunk = queue.popleft()
                worker.held[chunk.id] = chunk
                worker.connection.send((chunk.id, chunk.records, True))  # True: results packed in one message

    def _collect(self, queue: deque) -> None:
        """Take the results of each worker that has some (or has died: then replace it)."""
        for key, _ in self._selector.select():
            worker = key.data
            try:
                message, buffer = _receive(worker.connection, self._buffers)
            except (EOFError, OSError):
                self._replace_dead(worker, queue)
                continue
            head = pickle.loads(message)
            chunk = worker.held.pop(head[0])
            self._done(chunk, unpack(head, message))
            chunk.slot.buffers.append(buffer)

    @staticmethod
    def _done(chunk: Chunk, results) -> None:
        chunk.slot.parts[chunk.part] = results
        chunk.slot.missing -= 1

    def _replace_dead(self, worker: Worker, queue: deque) -> None:
        """Retry what a dead worker held, each record alone; reject a record that killed a worker while alone, again."""
        self.worker_deaths += 1
        worker.process.join(timeout=5)
        retry = []
        for chunk in worker.held.values():
            crashes = chunk.crashes + 1
            if not chunk.suspect:
                retry += self._split(chunk, crashes)
            elif crashes >= CRASHES_BEFORE_REJECT:
                self._done(chunk, self._packed([self._crash_reject(chunk.records[0], crashes)]))
            else:
                retry.append(self._chunk(chunk.records, chunk.slot, chunk.part, True, crashes))
        queue.extendleft(reversed(retry))
        index = self.workers.index(worker)
        self._selector.unregister(worker.connection)
        worker.connection.close()
        self.workers[index] = self._start_worker()

    def _split(self, chunk: Chunk, crashes: int) -> list[Chunk]:
        """A chunk's records as suspects, one per chunk; their results become the parts of its slot."""
        records = block_records(chunk.records) if chunk.records.__class__ is Lines else chunk.records
        chunk.slot.parts, chunk.slot.missing = [None] * len(records), len(records)  # a block of blank lines: none
        return [self._chunk([record], chunk.slot, part, True, crashes) for part, record in enumerate(records)]

    @staticmethod
    def _crash_reject(record: Record, crashes: int) -> Rejected:
        return Rejected(
            record.seq,
            {
                "line": record.line,
                "id": _id_of(record),
                "source": record.source,
                "error": f"{record.source}:{record.line}: engine crash: the worker process died on this record {crashes} times",
            },
        )


def _preloaded(decider_path: str) -> list[str]:
    """What the fork server imports once for every worker it forks (when this pool starts it): the main module
    (the default), the decider's module and the installed program plugins' modules, each of them one that this
    process imported without error (an import that fails would stop the fork server, not cost one program).
    Each worker imported its plugins itself: about 70 ms of CPU per worker, a microsecond per record at 100k."""
    modules = [decider_path.partition(":")[0], *(entry.module for entry in entry_points(group=ENTRY_POINT_GROUP))]
    return ["__main__", *(module for module in dict.fromkeys(modules) if module in sys.modules)]


def _id_of(record: Record) -> str | None:
    """The record's id, for the reject line, when it can be read without the engine."""
    try:
        data = json.loads(record.text) if record.syntax in ("json", "json-file") else None
    except (ValueError, RecursionError):
        return None
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None


def _receive(connection, buffers: list[bytearray]) -> tuple[memoryview, bytearray]:
    """The next message of `connection` (framed as Connection.send_bytes frames it: a 4-byte length, or -1 and an
    8-byte length), read into a buffer taken from `buffers` (or a new one), and that buffer. A chunk's message is
    a megabyte or so: read into fresh memory each time, half its pages were faulted in anew, at a few µs each on
    this machine; Connection.recv_bytes also copies it twice more."""
    handle = connection.fileno()
    (size,) = struct.unpack("!i", _read_into(handle, bytearray(4)))
    if size == -1:
        (size,) = struct.unpack("!Q", _read_into(handle, bytearray(8)))
    buffer = buffers.pop() if buffers else bytearray()
    if len(buffer) < size:
        try:
            buffer.extend(bytes(size - len(buffer)))
        except BufferError:  # a view of its last message is still held somewhere: leave it to the collector
            buffer = bytearray(size)
    return _read_into(handle, memoryview(buffer)[:size]), buffer


def _read_into(handle: int, view) -> memoryview:
    """Fill `view` from `handle`; EOFError when the other end is gone."""
    view, got = memoryview(view), 0
    while got < len(view):
        n = os.readv(handle, [view[got:]])
        if not n:
            raise EOFError
        got += n
    return view


_F_SETPIPE_SZ = 1031  # Linux fcntl: a pipe's buffer size


def _widen(connection) -> None:
    """A 1 MiB pipe buffer: a chunk of results (about 200 KB) then crosses in one read, not a dozen wake-ups.
    Best effort: other systems (or a lower limit) keep the default."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), _F_SETPIPE_SZ, 1 << 20)
    except (ImportError, OSError):
        pass
