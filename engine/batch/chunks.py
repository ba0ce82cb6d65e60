"""A chunk's results as they cross from a worker to the `cec batch` parent: packed once in the worker, so that
the parent handles a chunk, not each record.

Per record, the parent of a batch used to unpickle a `Decided` (its output line as text), encode the line,
hash the id, count the outcome, and advance the progress: about 20 µs of the two cores' time, taken from the
workers. Now the worker sends the chunk's output lines as one block of bytes, the ids' digests, and the
counts gathered by outcome; in the usual case the parent writes the block, checks the digests and adds the
counts. The per-record details ride along for the unusual cases (a duplicate id, a checkpoint or a CSV
reject row inside the chunk), where the parent walks the records one by one (`Packed.items`) exactly as it
did before.
"""

from __future__ import annotations

from array import array
from typing import Iterator, NamedTuple

from .unique import digest
from .worker import Decided, Rejected

# A decision's outcome as the summary counts it (engine/batch/summary.py): eligible, unmet criteria, edition,
# undetermined criteria, and for several programs each program's own.
OutcomeKey = tuple


class Packed(NamedTuple):
    """The results of one chunk, in input order. `text` holds the decided records' output lines (each ends
    with a newline); record i's lines end at `ends[i]` (a rejected record has none). The decided records, in
    order, have the id digests `digests` (16 bytes each), the ids `ids`, their input lines and sources
    (`places`), and the outcome `outcomes[keys[j]]`; `outcomes` lists each outcome with how many decided
    records of the chunk have it, in the order first seen."""

    count: int
    text: bytes
    ends: array
    rejects: list            # (index in the chunk, the reject's dict)
    digests: bytes
    ids: list
    places: list             # (input line, source) of each decided record
    outcomes: list           # [(OutcomeKey, number of decided records)]
    keys: bytes              # array("H") of each decided record's index in `outcomes`

    def items(self) -> Iterator[tuple]:
        """Each record in order: ("rejected", reject) or ("decided", output bytes, digest, id, line, source,
        outcome key)."""
        outcomes, keys = [key for key, _ in self.outcomes], array("H", self.keys)
        rejected = dict(self.rejects)
        start, j = 0, 0
        for i in range(self.count):
            if i in rejected:
                yield ("rejected", rejected[i])
                continue
            line, source = self.places[j]
            yield ("decided", self.text[start:self.ends[i]], self.digests[16 * j:16 * j + 16], self.ids[j], line, source, outcomes[keys[j]])
            start, j = self.ends[i], j + 1


def outcome_key(result: Decided) -> OutcomeKey:
    return result.eligible, result.unmet, result.edition, result.undetermined, result.programs


def pack(results: list) -> tuple[Packed, bytes]:
    """A chunk's `Decided` and `Rejected` results as (Packed without its text, the text): the worker sends the
    text as raw bytes after the rest, so that it is never pickled or decoded on the way."""
    parts, ends, rejects, digests, ids, places, outcomes, keys = [], array("I"), [], [], [], [], {}, array("H")
    end = 0
    for index, result in enumerate(results):
        if result.__class__ is Rejected:
            rejects.append((index, result.reject))
            ends.append(end)
            continue
        line = result.line
        line = (line if line.__class__ is bytes else line.encode("utf-8")) + b"\n"
        parts.append(line)
        end += len(line)
        ends.append(end)
        digests.append(digest(result.applicant_id))
        ids.append(result.applicant_id)
        places.append((result.input_line, result.source))
        key = outcome_key(result)
        found = outcomes.get(key)
        if found is None:
            found = outcomes[key] = [len(outcomes), 0]
        found[1] += 1
        keys.append(found[0])
    packed = Packed(len(results), b"", ends, rejects, b"".join(digests), ids, places,
                    [(key, n) for key, (_, n) in outcomes.items()], keys.tobytes())
    return packed, b"".join(parts)
