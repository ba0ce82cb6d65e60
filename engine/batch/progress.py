"""Progress on stderr: a tqdm bar on a terminal; otherwise a plain line every few seconds (for logs)."""

from __future__ import annotations

import sys
import time


class ProgressReporter:
    """Shows records done, rate and (when the total is known) ETA."""

    def __init__(self, total: int | None, initial: int, interval: float = 10.0, stream=None):
        self.stream = stream or sys.stderr
        self.interval = interval
        self.done = initial
        self.started = time.monotonic()
        self.initial = initial
        self._last = self.started
        self._bar = None
        if self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=initial, unit="rec", unit_scale=True, file=self.stream, smoothing=0.1)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            rate = (self.done - self.initial) / (now - self.started)
            print(f"batch: {self.done:,} records done, {rate:,.0f}/s", file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def count_lines(path: str) -> int | None:
    """Lines of a regular file (fast, binary); None for stdin or folders. Used only for the bar's ETA."""
    try:
        with open(path, "rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return None
