"""Worker processes for the service: one Evaluator per process, shared by the event loop's requests.

Why not the batch `WorkerPool`: it decides one ordered stream; the service has many concurrent requests.
Why not `concurrent.futures.ProcessPoolExecutor`: one dead worker breaks every pending request. Here
each worker has its own pipe (the batch worker's protocol and entry point, `worker_main`): a request
waits for a free worker, its round trip runs in a thread (the pipe blocks; durable-rules never runs in
this process), and a worker that dies mid-request is replaced and the request retried on the new one.
Reload replaces workers one at a time, each only when it is free, so the others keep answering.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cec_rules.engine.batch.pool import WorkerPool, _widen
from cec_rules.engine.batch.worker import worker_main

from .logs import log

DECIDER = "cec_rules.service.decider:ServiceDecider"
ATTEMPTS = 3  # a request is tried on up to three workers before it is answered as an internal error


class WorkerLost(RuntimeError):
    """Workers kept dying on a request."""


@dataclass(eq=False)
class Slot:
    process: multiprocessing.Process
    connection: object
    generation: int

    def round_trip(self, chunk_id: int, jobs: list) -> list:
        self.connection.send((chunk_id, jobs))
        received_id, answers = self.connection.recv()
        if received_id != chunk_id:
            raise RuntimeError(f"worker answered request {received_id}, expected {chunk_id}")
        return answers


class DeciderPool:
    """`size` worker processes built from `decider_args` (rulesets folder, database URL)."""

    def __init__(self, size: int, decider_args: tuple):
        self.size = max(1, size)
        self.decider_args = decider_args
        self.generation = 0
        self.deaths = 0
        self.context = multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        self._threads = ThreadPoolExecutor(self.size + 2, thread_name_prefix="cec-pipe")
        self._free: asyncio.Queue[Slot] = asyncio.Queue()
        self._slots: list[Slot] = []
        self._ids = itertools.count(1)
        self._reload = asyncio.Lock()
        self.started = False

    async def start(self) -> None:
        slots = await asyncio.gather(*(self._in_thread(self._spawn, self.decider_args, 0) for _ in range(self.size)))
        for slot in slots:
            self._slots.append(slot)
            self._free.put_nowait(slot)
        self.started = True

    async def stop(self) -> None:
        self.started = False
        await asyncio.gather(*(self._in_thread(_stop, slot) for slot in self._slots))
        self._threads.shutdown(wait=False)

    async def run(self, jobs: list) -> list:
        """Decide `jobs` on one worker; a worker that dies is replaced and the jobs go to another."""
        for _ in range(ATTEMPTS):
            slot = await self._free.get()
            future = self._in_thread(slot.round_trip, next(self._ids), jobs)
            try:
                return await asyncio.shield(future)
            except asyncio.CancelledError:  # the client left: the worker is still busy with the jobs
                asyncio.get_running_loop().create_task(self._release_after(slot, future))
                slot = None
                raise
            except (EOFError, OSError):
                self.deaths += 1
                slot = await self._replace(slot, slot.generation, self.decider_args)
            finally:
                if slot is not None:
                    self._free.put_nowait(slot)
        raise WorkerLost(f"a worker process died on this request {ATTEMPTS} times")

    async def _release_after(self, slot: Slot, future) -> None:
        """Give a worker back only once it has answered (or replace it if it died meanwhile)."""
        try:
            await future
        except (EOFError, OSError):
            self.deaths += 1
            slot = await self._replace(slot, slot.generation, self.decider_args)
        except Exception:
            pass
        self._free.put_nowait(slot)

    async def reload(self, decider_args: tuple) -> int:
        """Replace every worker, one at a time, with one built from `decider_args`; returns the generation.

        The caller validates the rulesets first; a worker that fails to start stops the reload (the
        workers not yet replaced keep the old rules) and raises."""
        async with self._reload:
            generation = self.generation + 1
            pending = set(self._slots)
            while pending:
                slot = await self._free.get()
                if slot not in pending:
                    self._free.put_nowait(slot)
                    await asyncio.sleep(0.005)  # every free worker is new: wait for a busy old one
                    continue
                pending.discard(slot)
                try:
                    new = await self._in_thread(self._spawn, decider_args, generation)
                except Exception:
                    self._free.put_nowait(slot)
                    raise
                self._swap(slot, new)
                self._free.put_nowait(new)
                await self._in_thread(_stop, slot)
            self.generation, self.decider_args = generation, decider_args
            return generation

    async def _replace(self, dead: Slot, generation: int, decider_args: tuple) -> Slot:
        dead.process.join(timeout=1)
        dead.connection.close()
        new = await self._in_thread(self._spawn, decider_args, generation)
        self._swap(dead, new)
        log("worker_replaced", dead_pid=dead.process.pid, exit_code=dead.process.exitcode, new_pid=new.process.pid)
        return new

    def _swap(self, old: Slot, new: Slot) -> None:
        self._slots[self._slots.index(old)] = new

    def _spawn(self, decider_args: tuple, generation: int) -> Slot:
        parent_end, child_end = self.context.Pipe(duplex=True)
        _widen(parent_end)
        process = self.context.Process(target=worker_main, args=(child_end, DECIDER, decider_args), daemon=True)
        process.start()
        child_end.close()
        try:
            kind, _ = parent_end.recv()
        except EOFError:
            process.join(timeout=5)
            raise RuntimeError(f"a worker failed to start (exit code {process.exitcode})") from None
        if kind != "ready":
            raise RuntimeError("a worker failed to start")
        return Slot(process, parent_end, generation)

    def _in_thread(self, function, *args):
        return asyncio.get_running_loop().run_in_executor(self._threads, function, *args)

    def pids(self) -> list[int]:
        return [slot.process.pid for slot in self._slots]


_stop = WorkerPool._stop  # ask the worker to finish, then kill it if it does not (a Slot has the same fields)
