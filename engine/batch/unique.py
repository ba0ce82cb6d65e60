"""Applicant ids must be unique within a batch (the input contract): the later records with an id
already decided are rejects, not second decisions.

Memory: a 128-bit digest per decided record, not the ids themselves, packed in 8,192 buckets by its first
13 bits, each bucket one bytes object of 15-byte rests (the digest without its first byte: the bucket's bits
of the second byte are kept too, so every bit of the digest is compared, as before). About 15 MB for a
million ids, 1 MB for 100,000: 65,536 buckets of 14-byte rests took 20 and 2.2 MB (a quarter of it the
objects' headers and the memory left between them as each bucket grew), a set of digests as Python ints 78
and 9. It is the one thing in a batch's parent that grows with the input. A million ids' bucket is about
1.8 KB: finding a rest in it and copying it to add one cost about a microsecond per id in the parent.
The workers compute the digests (`digest`); the parent only looks them up. On `--resume` the ledger is
rebuilt from the decisions already written, so the check holds across runs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
from pathlib import Path

import orjson

BUCKET_BITS = 13  # the digest's first bits choose its bucket
REST = 15  # bytes of a digest kept in its bucket: all but the first (whose 8 bits, and 5 of the second's, choose the bucket)
_SHIFT, _SKIP = 16 - BUCKET_BITS, 16 - REST


def digest(applicant_id: str) -> bytes:
    """The 16-byte digest an id is known by (any string, lone surrogates included)."""
    return hashlib.blake2b(applicant_id.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class IdLedger:
    """The ids decided so far, by digest."""

    def __init__(self):
        self._buckets: list[bytes] = [b""] * (1 << BUCKET_BITS)

    def add(self, applicant_id: str) -> bool:
        """Record `applicant_id`; False when it was already there."""
        return self.add_digest(digest(applicant_id))

    def add_digest(self, key: bytes) -> bool:
        """Record a digest; False when it was already there."""
        index, rest = (key[0] << 8 | key[1]) >> _SHIFT, key[_SKIP:]
        bucket = self._buckets[index]
        found = bucket.find(rest)
        while found >= 0:
            if not found % REST:
                return False
            found = bucket.find(rest, found + 1)  # a match across two entries is not one
        self._buckets[index] = bucket + rest
        return True

    def add_digests(self, digests: bytes) -> set[int]:
        """Record consecutive 16-byte digests in order; the positions (0, 1, ...) of those already there, or
        seen earlier in `digests`."""
        add = self.add_digest
        return {j for j in range(len(digests) // 16) if not add(digests[16 * j : 16 * j + 16])}

    def read_output(self, path: Path, length: int, output_format: str) -> "IdLedger":
        """Add the ids of the decisions in the first `length` bytes of an output file (resuming)."""
        with open(path, "rb") as handle:
            text = handle.read(length).decode("utf-8")
        if output_format == "csv":  # skip the header, and the rows of rejects (--csv-rejects)
            ids = (
                row[0]
                for row in itertools.islice(csv.reader(io.StringIO(text)), 1, None)
                if row and row[1] != "rejected"
            )
        else:
            ids = (orjson.loads(line)["applicant_id"] for line in text.split("\n") if line)
        for applicant_id in ids:
            self.add(applicant_id)
        return self


def duplicate_reject(applicant_id: str, line: int | None, source: str) -> dict:
    """The reject of a record whose id was decided before in the batch."""
    label = f"{source}:{line}" if line else source
    return {
        "line": line,
        "id": applicant_id,
        "source": source,
        "error": f"{label}: id: duplicate id {applicant_id!r}: an earlier record of this "
        f"batch has the same id, and ids must be unique within a batch",
    }
