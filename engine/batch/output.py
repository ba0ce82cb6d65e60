"""Durable, resumable output: nothing lost, nothing twice, no torn lines, no half-written final file.

Decisions and rejects are appended to `<file>.partial`; every checkpoint flushes and fsyncs both, then
atomically replaces `<output>.progress` with the number of records done, the byte length of each
file at that point, and the summary counts. After a kill (even SIGKILL), `--resume` truncates both
files back to the lengths of the last checkpoint (dropping any torn or unrecorded tail) and skips the
records already done. At the end the last checkpoint is marked `finished`, then the partial files are
renamed to their final names: a kill between the renames leaves a run that `--resume` completes.
An existing `.progress` file without `--resume` is refused (or discarded with `--restart`): an
interrupted run is never silently thrown away.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cec_rules.engine.errors import CecError


class ResumeError(CecError):
    """The saved progress does not belong to this run."""


@dataclass
class Progress:
    """What the last checkpoint recorded."""

    done: int = 0
    output_bytes: int = 0
    rejects_bytes: int = 0
    counts: dict = field(default_factory=dict)
    elapsed: float = 0.0
    fingerprint: dict = field(default_factory=dict)
    finished: bool = False  # every record is written; only the final renames may remain


class DurableWriter:
    """Appends decision lines and reject lines; checkpoints so that a killed run can resume exactly."""

    def __init__(self, output: Path, rejects: Path, header: str | None):
        self.output, self.rejects, self.header = output, rejects, header
        self.progress_path = output.with_name(output.name + ".progress")
        self.output_partial = output.with_name(output.name + ".partial")
        self.rejects_partial = rejects.with_name(rejects.name + ".partial")
        self._out = self._rej = None

    def start(self, resume: bool, fingerprint: dict, restart: bool = False) -> Progress:
        """Open the partial files: fresh, or cut back to the last checkpoint when resuming."""
        progress = self._load_progress() if resume else None
        if not resume and not restart and self.progress_path.exists():
            raise ResumeError(
                f"{self.progress_path} exists: an earlier run writing {self.output} did not finish; run the same "
                f"command with --resume to finish it, or with --restart to start over"
            )
        if progress is not None:
            if progress.fingerprint != fingerprint:
                raise ResumeError(
                    f"{self.progress_path} was written by a different run ({_difference(progress.fingerprint, fingerprint)}); remove it or drop --resume"
                )
            if progress.finished:
                self._rename_final()
                return progress
            self._out = _open_truncated(self.output_partial, progress.output_bytes)
            self._rej = _open_truncated(self.rejects_partial, progress.rejects_bytes)
            return progress
        self._out = open(self.output_partial, "wb")
        self._rej = open(self.rejects_partial, "wb")
        if self.header:
            self._out.write((self.header + "\n").encode("utf-8"))
        progress = Progress(fingerprint=fingerprint)
        self.checkpoint(progress)
        return progress

    def write_decision(self, line: str) -> None:
        self._out.write((line + "\n").encode("utf-8"))

    def write_decisions(self, text: bytes) -> None:
        """Output lines already encoded, each with its newline."""
        self._out.write(text)

    def write_reject(self, reject: dict) -> None:
        self._rej.write((json.dumps(reject, ensure_ascii=False) + "\n").encode("utf-8"))

    def checkpoint(self, progress: Progress) -> None:
        """Make everything written so far durable, then record it atomically."""
        for handle in (self._out, self._rej):
            handle.flush()
            os.fsync(handle.fileno())
        progress.output_bytes, progress.rejects_bytes = self._out.tell(), self._rej.tell()
        temporary = self.progress_path.with_name(self.progress_path.name + ".tmp")
        temporary.write_text(json.dumps(progress.__dict__, sort_keys=True))
        os.replace(temporary, self.progress_path)

    def finish(self, progress: Progress) -> None:
        """Last checkpoint (marked finished), then the final names appear whole (rename is atomic)."""
        progress.finished = True
        self.checkpoint(progress)
        self.close()
        self._rename_final()

    def _rename_final(self) -> None:
        """The renames of a finished run; each is skipped when an earlier, killed attempt already did it."""
        for partial, final in ((self.output_partial, self.output), (self.rejects_partial, self.rejects)):
            if partial.exists():
                os.replace(partial, final)
        self.progress_path.unlink(missing_ok=True)

    def discard(self) -> None:
        """Remove what a run that failed before deciding anything created (best effort)."""
        self.close()
        for path in (self.output_partial, self.rejects_partial, self.progress_path):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass

    def close(self) -> None:
        for handle in (self._out, self._rej):
            if handle is not None and not handle.closed:
                handle.close()

    def _load_progress(self) -> Progress | None:
        if not self.progress_path.exists():
            return None
        try:
            return Progress(**json.loads(self.progress_path.read_text()))
        except (ValueError, TypeError) as exc:
            raise ResumeError(f"{self.progress_path} is unreadable ({exc}); remove it to start over") from None


def _open_truncated(path: Path, length: int):
    if not path.exists() or path.stat().st_size < length:
        raise ResumeError(
            f"{path} is shorter than its last checkpoint; it was changed or removed: start over without --resume"
        )
    handle = open(path, "r+b")
    handle.truncate(length)
    handle.seek(length)
    return handle


def _difference(saved: dict, current: dict) -> str:
    keys = sorted(k for k in set(saved) | set(current) if saved.get(k) != current.get(k))
    return ", ".join(f"{k}: {saved.get(k)!r} then, {current.get(k)!r} now" for k in keys)


class StreamWriter(DurableWriter):
    """`-o -`: decisions go to standard output as they are decided (no resume); rejects still go to a file."""

    def __init__(self, rejects: Path, header: str | None, stream=None):
        super().__init__(rejects.with_name(rejects.name + ".stdout"), rejects, header)
        self.stream = stream

    def start(self, resume: bool, fingerprint: dict, restart: bool = False) -> Progress:
        if resume:
            raise ResumeError("--resume needs -o FILE: decisions streamed to standard output cannot be resumed")
        self._out = self.stream or sys.stdout.buffer
        self._rej = open(self.rejects_partial, "wb")
        if self.header:
            self._out.write((self.header + "\n").encode("utf-8"))
        return Progress(fingerprint=fingerprint)

    def checkpoint(self, progress: Progress) -> None:
        self._out.flush()
        self._rej.flush()

    def finish(self, progress: Progress) -> None:
        self.checkpoint(progress)
        self.close()
        os.replace(self.rejects_partial, self.rejects)

    def close(self) -> None:
        if self._rej is not None and not self._rej.closed:
            self._rej.close()

    def discard(self) -> None:
        self.close()
        self.rejects_partial.unlink(missing_ok=True)
