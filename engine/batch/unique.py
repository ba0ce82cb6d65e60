"""Applicant ids must be unique within a batch (the input contract): the later records with an id
already decided are rejects, not second decisions.

Memory: one 128-bit digest per decided record (an int in a set, ~80 bytes), not the ids themselves.
On `--resume` the set is rebuilt from the decisions already written, so the check holds across runs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
from pathlib import Path

import orjson

from .worker import Decided, Rejected


class IdLedger:
    """The ids decided so far."""

    def __init__(self):
        self._seen: set[int] = set()

    def add(self, applicant_id: str) -> bool:
        """Record `applicant_id`; False when it was already there."""
        digest = int.from_bytes(hashlib.blake2b(applicant_id.encode("utf-8", "surrogatepass"), digest_size=16).digest(), "big")
        if digest in self._seen:
            return False
        self._seen.add(digest)
        return True

    def check(self, result: Decided | Rejected) -> Decided | Rejected:
        """The result itself, or a reject when it decides an id that was decided before."""
        if not isinstance(result, Decided) or self.add(result.applicant_id):
            return result
        label = f"{result.source}:{result.input_line}" if result.input_line else result.source
        return Rejected(result.seq, {"line": result.input_line, "id": result.applicant_id, "source": result.source,
                                     "error": f"{label}: id: duplicate id {result.applicant_id!r}: an earlier record of this "
                                              f"batch has the same id, and ids must be unique within a batch"})

    def read_output(self, path: Path, length: int, output_format: str) -> "IdLedger":
        """Add the ids of the decisions in the first `length` bytes of an output file (resuming)."""
        with open(path, "rb") as handle:
            text = handle.read(length).decode("utf-8")
        if output_format == "csv":  # skip the header, and the rows of rejects (--csv-rejects)
            ids = (row[0] for row in itertools.islice(csv.reader(io.StringIO(text)), 1, None) if row and row[1] != "rejected")
        else:
            ids = (orjson.loads(line)["applicant_id"] for line in text.split("\n") if line)
        for applicant_id in ids:
            self.add(applicant_id)
        return self
