"""Rank changes for `cec diff` on a ranked program (its plugin's `ranking`, engine/rank/ranking.py): the
population ranked under the old and under the new rules in `cec rank`'s order (engine/rank/selection.py
`sort_key`), who moved and how far, who joined or left a group (e.g. a category), and, with a round, who
gains or loses an invitation and the cut-off on each side (the same `Selection` as `cec rank`).

Memory stays bounded whatever the population, as in `cec rank`: each applicant's row (id, tie-break value,
and per side its outcome, score and the programs and groups a round selects by; never whole decisions) is
written, one JSON line in input order, to an unnamed temporary file beside `sorting` (a folder of the
report's). Each side's sort keys (the row's number and offset last) go through engine/external_sort.py in
runs of CEC_RANK_SORT_RUN, spilled to `sorting` when there are more; the rows are read back at their
offsets in rank order, and each side's rank and invitation are written, a fixed-size record per row, to
another temporary file, so that the comparison streams the rows and both sides' records in input order.
"""

from __future__ import annotations

import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from cec_rules.engine.rank.ranking import Ranking
from cec_rules.engine.external_sort import external_sort
from cec_rules.engine.rank.selection import Round, Selection, sort_key, sort_run_size

from .aggregate import SAMPLES, keep_largest, largest

OLD, NEW = 0, 1
PLACE = struct.Struct("<qB")  # a row's rank on one side (0: not ranked) and whether the round invites it


@dataclass
class RankChanges:
    """Collects each applicant's place under both sides (`add`), then ranks and compares (`compare`, once: it closes the rows)."""

    ranking: Ranking
    round: Round | None = None
    sorting: Path | None = (
        None  # where sort runs are spilled (None: sort in memory, rows in the system's temporary folder)
    )
    count: int = 0  # rows written
    groups: dict = field(default_factory=dict)  # group -> {"joined": n, "left": n, "samples": {...}}
    _rows: object = None  # the rows file, opened at the first row

    def add(self, result) -> None:
        """One applicant under both sides (a `Compared` whose `ranked` is set)."""
        if result.ranked is not None:
            self.add_rows(rank_row(result), 1, moved_groups({}, result))

    def add_rows(self, rows: bytes, count: int, groups: dict) -> None:
        """`count` applicants' rows (`rank_row`, in input order) and the groups they joined and left (`moved_groups`)."""
        if self._rows is None:
            self._rows = self._temporary()
        self._rows.write(rows)
        self.count += count
        for group, counts in groups.items():
            merged = self.groups.setdefault(group, {"joined": 0, "left": 0, "samples": {"joined": [], "left": []}})
            for direction in ("joined", "left"):
                merged[direction] += counts[direction]
                samples = merged["samples"][direction]
                samples += counts["samples"][direction][: SAMPLES - len(samples)]

    def _temporary(self):
        """An unnamed file beside the sort runs (removed when closed, or when the process ends)."""
        folder = self.sorting.parent if self.sorting is not None else None
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryFile(dir=folder)

    def _line(self, row: list, side: int) -> dict:
        """The applicant's ranked line on one side, with what `sort_key` and `Selection` read."""
        applicant_id, tie, *places = row
        eligible, score, programs, groups = places[side]
        return {
            "applicant_id": applicant_id,
            "eligible": eligible,
            "score": score,
            self.ranking.tie_field: tie,
            "programs": tuple(programs),
            self.ranking.groups: tuple(groups),
        }

    def _stream(self):
        """(row number, offset, row) for every row, in input order."""
        rows, offset = self._rows, 0
        rows.seek(0)
        for index in range(self.count):
            text = rows.readline()
            yield index, offset, orjson.loads(text)
            offset += len(text)

    def _read_at(self, offset: int) -> list:
        self._rows.seek(offset)
        return orjson.loads(self._rows.readline())

    def rank(self, side: int, places) -> tuple[int, Selection]:
        """Write every row's rank on one side (0: not ranked) and whether the round invites it to `places`, a
        record per row; return how many are ranked and the round's selection."""
        ranking = self.ranking
        keys = (
            sort_key(self._line(row, side), ranking.tie_field, index, ranking.entry_first) + (offset,)
            for index, offset, row in self._stream()
        )
        selection, rank = Selection(self.round, ranking.tie_field, ranking.groups), 0
        with external_sort(keys, self.sorting, sort_run_size()) as order:
            for *_, index, offset in order:  # the keys are all read before the first comes out
                line = self._line(self._read_at(offset), side)
                ranked = line["eligible"] is True or not ranking.entry_first
                rank += ranked
                places.seek(index * PLACE.size)
                places.write(PLACE.pack(rank if ranked else 0, bool(selection.decide(line))))
        return rank, selection

    def compare(self, write) -> dict:
        """The rank changes; `write(line)` gets a JSON-ready dict per applicant whose rank or invitation changed."""
        if self._rows is None:
            self._rows = self._temporary()
        with self._rows, self._temporary() as old_places, self._temporary() as new_places:
            (old_ranked, old_selection), (new_ranked, new_selection) = (
                self.rank(OLD, old_places),
                self.rank(NEW, new_places),
            )
            counts, up, down = {"changed": 0, "same": 0, "entered": 0, "left": 0, "unranked": 0}, [], []
            invitations = {"gained": 0, "lost": 0, "gained_samples": [], "lost_samples": []}
            old_places.seek(0)
            new_places.seek(0)
            for index, _, row in self._stream():
                (old, old_invited), (new, new_invited) = (
                    PLACE.unpack(places.read(PLACE.size)) for places in (old_places, new_places)
                )
                kind = _movement(old, new)
                counts[kind] += 1
                if kind == "changed":
                    keep_largest(
                        up if new < old else down,
                        (abs(old - new), -index, {**_sample(row, old, new), "places": old - new}),
                    )
                if kind not in ("same", "unranked") or old_invited != new_invited:
                    write(self._change(row, old, new, old_invited, new_invited))
                if old_invited != new_invited:
                    _invitation(
                        invitations,
                        "gained" if new_invited else "lost",
                        new if new_invited else old,
                        index,
                        row,
                        old,
                        new,
                    )
        return {
            "program": self.ranking.program,
            "score_program": self.ranking.score_program,
            "tie_field": self.ranking.tie_field,
            "entry_first": self.ranking.entry_first,
            "ranked": {"old": old_ranked, "new": new_ranked},
            **counts,
            "largest_up": largest(up),
            "largest_down": largest(down),
            "groups": {"name": self.ranking.groups, "changed": dict(sorted(self.groups.items()))}
            if self.ranking.group_kind
            else None,
            "round": self._round(invitations, old_selection, new_selection),
        }

    def _change(self, row: list, old: int, new: int, old_invited: int, new_invited: int) -> dict:
        change = _sample(row, old, new)
        if self.round is not None:
            change["invited"] = {"old": bool(old_invited), "new": bool(new_invited)}
        return change

    def _round(self, invitations: dict, old_selection, new_selection) -> dict | None:
        """Who gains and who loses an invitation (samples in rank order), and each side's cut-off."""
        if self.round is None:
            return None
        return {
            "description": self.round.describe(),
            "old": {"invited": old_selection.invited, "cutoff": old_selection.cutoff()},
            "new": {"invited": new_selection.invited, "cutoff": new_selection.cutoff()},
            "gained": invitations["gained"],
            "lost": invitations["lost"],
            "gained_samples": largest(invitations["gained_samples"]),
            "lost_samples": largest(invitations["lost_samples"]),
        }


def rank_row(result) -> bytes:
    """A `Compared` applicant's row: its id, tie-break value and place on each side, a JSON line."""
    return orjson.dumps((result.applicant_id, *result.ranked), option=orjson.OPT_APPEND_NEWLINE)


def moved_groups(groups: dict, result) -> dict:
    """Count in `groups` (group -> joined, left, the first SAMPLES ids of each) the groups a `Compared` applicant
    left and joined; return `groups`."""
    _, old, new = result.ranked
    for direction, before, after in (("left", old[3], new[3]), ("joined", new[3], old[3])):
        for group in before:
            if group not in after:
                counts = groups.setdefault(group, {"joined": 0, "left": 0, "samples": {"joined": [], "left": []}})
                counts[direction] += 1
                if len(counts["samples"][direction]) < SAMPLES:
                    counts["samples"][direction].append(result.applicant_id)
    return groups


def _sample(row: list, old: int, new: int) -> dict:
    """An applicant's ranks (None: not ranked) and the scores they rank by, under both sides."""
    applicant_id, _, old_place, new_place = row
    return {
        "applicant_id": applicant_id,
        "rank": {"old": old or None, "new": new or None},
        "score": {"old": old_place[1], "new": new_place[1]},
    }


def _invitation(invitations: dict, direction: str, rank: int, index: int, row: list, old: int, new: int) -> None:
    """Count an invitation gained or lost, keeping the samples first in rank order (the smallest rank, then
    row number, on the side that invites)."""
    invitations[direction] += 1
    keep_largest(invitations[f"{direction}_samples"], (-rank, -index, _sample(row, old, new)))


def _movement(old: int, new: int) -> str:
    """changed, same, entered (ranked under the new rules only), left, or unranked (0: not ranked)."""
    if old and new:
        return "same" if old == new else "changed"
    return "entered" if new else "left" if old else "unranked"
