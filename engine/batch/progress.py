"""Progress on stderr: a tqdm bar on a terminal; otherwise a plain line every few seconds (for logs), with the
percentage and an estimate of the time left when the input size is known."""

from __future__ import annotations

import sys
import time
from typing import Callable


class ProgressReporter:
    """Shows records done, rate and (when the total is known) ETA."""

    def __init__(
        self,
        total: int | None | Callable[[], int | None],
        initial: int,
        interval: float = 10.0,
        stream=None,
        label: str = "batch",
    ):
        """`total` may be a function, called when the total is first shown: counting the input's lines reads the
        whole input once more, which a run over before its first progress line never needs."""
        self.stream = stream or sys.stderr
        self._total, self.label = total, label
        self.interval = interval
        self.done = initial
        self.started = time.monotonic()
        self.initial = initial
        self._last = self.started
        self._bar = None
        if self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(
                total=self.total, initial=initial, unit="rec", unit_scale=True, file=self.stream, smoothing=0.1
            )

    @property
    def total(self) -> int | None:
        if callable(self._total):
            self._total = self._total()
        return self._total

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            print(self.line(now), file=self.stream, flush=True)

    def line(self, now: float) -> str:
        """`batch: 12,000 of 50,000 records (24%), 850/s, about 45s left`; without a total, no percent or ETA."""
        rate = (self.done - self.initial) / max(now - self.started, 1e-9)
        if not self.total:
            return f"{self.label}: {self.done:,} records done, {rate:,.0f}/s"
        left = max(self.total - self.done, 0)
        eta = f"about {_duration(left / rate)} left" if rate > 0 else "time left unknown"
        return f"{self.label}: {self.done:,} of {self.total:,} records ({100 * self.done / self.total:.0f}%), {rate:,.0f}/s, {eta}"

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _duration(seconds: float) -> str:
    """`45s`, `12m 5s`, `2h 3m`: short enough for a log line."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60}m"


def count_lines(path: str) -> int | None:
    """Lines of a regular file (fast, binary); None for stdin or folders. Used only for the bar's ETA."""
    try:
        with open(path, "rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return None
