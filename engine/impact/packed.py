"""A chunk of `cec diff` results as it crosses from a worker to the parent: counted in the worker, so that the
parent adds a chunk's counts instead of counting each applicant.

Per applicant, the parent used to unpickle a `Compared` (both sides' outcomes as dicts), count it
(`ImpactCounts`, `ScoreShifts`, `RankChanges`) and write its lines: 12-20 µs of the two cores' time, taken
from the workers. Now a worker sends one message per chunk, framed as `cec batch`'s (engine/batch/chunks.py:
a small pickled head, then bytes): the chunk's `ImpactCounts`, how many scores stayed the same, the scores
that moved (few), the groups joined and left, and as bytes the changed applicants' lines and the rank rows.
The parent merges them in input order (`Merger`); every merge gives what adding the applicants one at a time
gave: sums of whole numbers, the first samples in input order, keys in the order first seen, and the scores
that moved still added one by one (a sum of fractions depends on its order).
"""

from __future__ import annotations

import json
import pickle
from typing import Iterable, NamedTuple

from cec_rules.engine.batch.worker import Rejected

from .aggregate import ImpactCounts
from .ranks import RankChanges, moved_groups, rank_row
from .scores import ScoreShifts


class ComparedChunk(NamedTuple):
    """The results of one chunk, in input order; `text` holds the changed applicants' lines (changes.jsonl,
    each with its newline: the first `changes` bytes), then the `ranked` rank rows (engine/impact/ranks.py)."""

    count: int  # records in the chunk, rejected ones included
    rejects: list  # (index in the chunk, reject)
    counts: ImpactCounts  # the chunk's
    same_scores: int  # applicants with a score, the same under both sides
    moved_scores: list  # (index in the chunk, applicant id, old score, new score): the others with a score on a side
    groups: dict  # group -> joined and left, with samples (ranks.py `moved_groups`)
    ranked: int  # rank rows in `text`
    changes: int  # bytes of changed lines at the start of `text`
    text: bytes | memoryview = b""


def pack(chunk_id: int, results: list, distributions: tuple) -> bytes:
    """A chunk's `Compared` and `Rejected` results (`ImpactDecider.decide`) as one message: the pickled (chunk
    id, ComparedChunk without its text, the text's length), then the text."""
    counts, rejects, same, moved, groups, lines, rows = ImpactCounts(distributions), [], 0, [], {}, [], []
    for index, result in enumerate(results):
        counts.add(result)
        if result.__class__ is Rejected:
            rejects.append((index, result.reject))
            continue
        old, new = result.old.get("score"), result.new.get("score")
        if old != new:
            moved.append((index, result.applicant_id, old, new))
        elif old is not None:
            same += 1
        if result.line is not None:
            lines += result.line.encode("utf-8"), b"\n"
        if result.ranked is not None:
            rows.append(rank_row(result))
            moved_groups(groups, result)
    changes = b"".join(lines)
    chunk = ComparedChunk(len(results), rejects, counts, same, moved, groups, len(rows), len(changes))
    text = changes + b"".join(rows)
    return pickle.dumps((chunk_id, chunk, len(text)), pickle.HIGHEST_PROTOCOL) + text


def packed_rejects(results: list) -> ComparedChunk:
    """Rejects made in the parent (an engine crash), as a worker would have sent them."""
    counts = ImpactCounts()
    for result in results:
        counts.add(result)
    return ComparedChunk(len(results), list(enumerate(r.reject for r in results)), counts, 0, [], {}, 0, 0)


class Merger:
    """Adds each chunk, in input order, to the diff's counts, score shifts and ranks, and writes its lines."""

    def __init__(self, counts: ImpactCounts, scores: ScoreShifts, ranks: RankChanges | None, changes, rejects):
        self.counts, self.scores, self.ranks, self.changes, self.rejects = counts, scores, ranks, changes, rejects
        self.done = 0  # records before the next chunk: a chunk's index plus this is the record's place in the input

    def merge(self, chunks: Iterable[ComparedChunk], advance) -> None:
        for chunk in chunks:
            self.counts.merge(chunk.counts)
            for _, reject in chunk.rejects:
                self.rejects.write(json.dumps(reject, ensure_ascii=False))
            self.scores.add_same(chunk.same_scores)
            for index, applicant_id, old, new in chunk.moved_scores:
                self.scores.add(self.done + index, applicant_id, old, new)
            if chunk.ranked:
                self.ranks.add_rows(chunk.text[chunk.changes :], chunk.ranked, chunk.groups)
            self.changes.write_bytes(chunk.text[: chunk.changes])
            self.done += chunk.count
            advance(chunk.count)
