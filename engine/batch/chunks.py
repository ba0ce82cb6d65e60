"""A chunk's results as they cross from a worker to the `cec batch` parent: packed once in the worker, so that
the parent handles a chunk, not each record.

Per record, the parent of a batch used to unpickle a `Decided` (its output line as text), encode the line,
hash the id, count the outcome, and advance the progress: about 20 µs of the two cores' time, taken from the
workers. Now a chunk's results are one message: a small pickled head (the id digests, the counts gathered by
outcome, the rejects) followed by the chunk's output lines as raw bytes, never pickled, decoded or copied by
the parent. In the usual case the parent checks the digests, writes the bytes and adds the counts. The
per-record details (where each record's lines end, its id, input line and outcome) ride along pickled on
their own, read only for the unusual chunks (a duplicate id, a checkpoint or a CSV reject row inside the
chunk), whose records the parent then handles one by one (`Packed.items`), as it did before.
"""

from __future__ import annotations

import pickle
from array import array
from collections import Counter
from typing import Iterator, NamedTuple

from .unique import digest
from .worker import Rejected


class Details(NamedTuple):
    """Per record, what only the unusual chunks need: where record i's lines end in the text (`ends`), and
    for each decided record in order its id, (input line, source), and index in the chunk's outcomes (`keys`)."""

    ends: array  # "I"
    ids: list
    places: list
    keys: array  # "H"


class Packed(NamedTuple):
    """The results of one chunk, in input order. `text` holds the decided records' output lines (each ends
    with a newline); `digests` the decided records' id digests (16 bytes each, in order); `outcomes` each
    outcome (engine/batch/summary.py count_outcome) with how many decided records of the chunk have it, in
    the order first seen; `rejects` (index in the chunk, reject) of the rejected records."""

    count: int
    rejects: list
    digests: bytes
    outcomes: list
    details: bytes | Details  # pickled until needed
    text: bytes | memoryview = b""

    def unpacked(self) -> Details:
        return self.details if self.details.__class__ is Details else pickle.loads(self.details)

    def items(self) -> Iterator[tuple]:
        """Each record in order: ("rejected", reject) or ("decided", output bytes, id, input line, source, outcome)."""
        ends, ids, places, keys = self.unpacked()
        rejected, outcomes = dict(self.rejects), [key for key, _ in self.outcomes]
        start, j = 0, 0
        for i in range(self.count):
            if i in rejected:
                yield ("rejected", rejected[i])
                continue
            line, source = places[j]
            yield ("decided", self.text[start : ends[i]], ids[j], line, source, outcomes[keys[j]])
            start, j = ends[i], j + 1

    def split(self, k: int) -> tuple["Packed", "Packed"]:
        """The first `k` records (0 < k < count), and the others: each a Packed of its own."""
        ends, ids, places, keys = self.unpacked()
        cut, decided = ends[k - 1], k - sum(1 for i, _ in self.rejects if i < k)
        (head_outcomes, head_keys), (tail_outcomes, tail_keys) = (
            self._tally(keys[:decided]),
            self._tally(keys[decided:]),
        )
        head = Packed(
            k,
            [(i, r) for i, r in self.rejects if i < k],
            self.digests[: 16 * decided],
            head_outcomes,
            Details(ends[:k], ids[:decided], places[:decided], head_keys),
            self.text[:cut],
        )
        tail = Packed(
            self.count - k,
            [(i - k, r) for i, r in self.rejects if i >= k],
            self.digests[16 * decided :],
            tail_outcomes,
            Details(array("I", (end - cut for end in ends[k:])), ids[decided:], places[decided:], tail_keys),
            self.text[cut:],
        )
        return head, tail

    def _tally(self, keys: array) -> tuple[list, array]:
        """The outcomes of some of the decided records (their `keys`), in the order first seen, and their keys among those."""
        seen = Counter(keys)  # in the order first seen
        renumber = {old: new for new, old in enumerate(seen)}
        return [(self.outcomes[old][0], n) for old, n in seen.items()], array("H", map(renumber.__getitem__, keys))


def pack(chunk_id: int, results: list) -> bytes:
    """A chunk's `Decided` and `Rejected` results as one message: the pickled (chunk id, Packed without its
    text, the text's length), then the text."""
    parts, ends, rejects, digests, ids, places, outcomes, keys = [b""], array("I"), [], [], [], [], {}, array("H")
    end = 0
    for index, result in enumerate(results):
        if result.__class__ is Rejected:
            rejects.append((index, result.reject))
            ends.append(end)
            continue
        line = result.line if result.line.__class__ is bytes else result.line.encode("utf-8")
        parts += line, b"\n"  # joined once, with the rest of the message: each line is copied once
        end += len(line) + 1
        ends.append(end)
        digests.append(digest(result.applicant_id))
        ids.append(result.applicant_id)
        places.append((result.input_line, result.source))
        key = result.eligible, result.unmet, result.edition, result.undetermined, result.programs
        found = outcomes.get(key)
        if found is None:
            found = outcomes[key] = [len(outcomes), 0]
        found[1] += 1
        keys.append(found[0])
    details = pickle.dumps(Details(ends, ids, places, keys), pickle.HIGHEST_PROTOCOL)
    packed = Packed(len(results), rejects, b"".join(digests), [(key, n) for key, (_, n) in outcomes.items()], details)
    parts[0] = pickle.dumps((chunk_id, packed, end), pickle.HIGHEST_PROTOCOL)
    return b"".join(parts)


def unpack(head: tuple, message: bytes) -> Packed:
    """The Packed of a message from `pack`, whose pickle gave `head`; its text is a view of the message, not a copy."""
    _, packed, length = head
    return packed._replace(text=memoryview(message)[len(message) - length :])


def packed(results: list) -> Packed:
    """Results packed in the parent (an engine-crash reject), as if a worker had sent them."""
    message = pack(0, results)
    return unpack(pickle.loads(message), message)
