"""Rank changes for `cec diff` on a ranked program (its plugin's `ranking`, engine/rank/ranking.py): the
population ranked under the old and under the new rules in `cec rank`'s order (engine/rank/selection.py
`sort_key`), who moved and how far, who joined or left a group (e.g. a category), and, with a round, who
gains or loses an invitation and the cut-off on each side (the same `Selection` as `cec rank`).

Memory stays bounded per applicant: a compact place per side (outcome, score, and the programs and groups
a round selects by, shared between applicants), the id and the tie-break value; never whole decisions. The
ranks themselves are two arrays of integers. Ordering adds no sort key per applicant: as in `cec rank`, the
keys go through engine/external_sort.py in runs of CEC_RANK_SORT_RUN, spilled to `sorting` (a folder of the
report's) when there are more.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path

from cec_rules.engine.rank.ranking import Ranking
from cec_rules.engine.external_sort import external_sort
from cec_rules.engine.rank.selection import Round, Selection, sort_key, sort_run_size

from .aggregate import SAMPLES, keep_largest, largest

OLD, NEW = 0, 1


@dataclass
class RankChanges:
    """Collects each applicant's place under both sides (`add`), then ranks and compares (`compare`)."""

    ranking: Ranking
    round: Round | None = None
    sorting: Path | None = None                     # where sort runs are spilled (None: sort in memory)
    rows: list = field(default_factory=list)        # (applicant id, tie-break value, old place, new place), input order
    groups: dict = field(default_factory=dict)      # group -> {"joined": n, "left": n, "samples": {...}}
    _shared: dict = field(default_factory=dict)     # one tuple object per distinct list of programs or groups

    def add(self, result) -> None:
        """One applicant under both sides (a `Compared` whose `ranked` is set)."""
        if result.ranked is None:
            return
        tie, old, new = result.ranked
        old = self._compact(old)
        new = old if new == old else self._compact(new)
        self.rows.append((result.applicant_id, tie, old, new))
        for group in old[3]:
            if group not in new[3]:
                self._count(group, "left", result.applicant_id)
        for group in new[3]:
            if group not in old[3]:
                self._count(group, "joined", result.applicant_id)

    def _count(self, group: str, direction: str, applicant_id: str) -> None:
        counts = self.groups.setdefault(group, {"joined": 0, "left": 0, "samples": {"joined": [], "left": []}})
        counts[direction] += 1
        if len(counts["samples"][direction]) < SAMPLES:
            counts["samples"][direction].append(applicant_id)

    def _compact(self, place: tuple) -> tuple:
        eligible, score, programs, groups = place
        return eligible, score, self._shared.setdefault(programs, programs), self._shared.setdefault(groups, groups)

    def line(self, index: int, side: int) -> dict:
        """The applicant's ranked line on one side, with what `sort_key` and `Selection` read."""
        applicant_id, tie, *places = self.rows[index]
        eligible, score, programs, groups = places[side]
        return {"applicant_id": applicant_id, "eligible": eligible, "score": score, self.ranking.tie_field: tie,
                "programs": programs, self.ranking.groups: groups}

    def rank(self, side: int) -> tuple[array, bytearray, Selection]:
        """Every applicant's rank on one side (0: not ranked), who the round invites, and the round's selection."""
        ranking, count = self.ranking, len(self.rows)
        keys = (sort_key(self.line(i, side), ranking.tie_field, i, ranking.entry_first) for i in range(count))
        ranks, invited = array("l", [0]) * count, bytearray(count)
        selection, rank = Selection(self.round, ranking.tie_field, ranking.groups), 0
        with external_sort(keys, self.sorting, sort_run_size()) as order:
            for *_, index in order:
                line = self.line(index, side)
                if line["eligible"] is True or not ranking.entry_first:
                    rank += 1
                    ranks[index] = rank
                invited[index] = bool(selection.decide(line))
        return ranks, invited, selection

    def compare(self, write) -> dict:
        """The rank changes; `write(line)` gets a JSON-ready dict per applicant whose rank or invitation changed."""
        (old_ranks, old_invited, old_selection), (new_ranks, new_invited, new_selection) = self.rank(OLD), self.rank(NEW)
        counts, up, down = {"changed": 0, "same": 0, "entered": 0, "left": 0, "unranked": 0}, [], []
        for index, (old, new) in enumerate(zip(old_ranks, new_ranks)):
            kind = _movement(old, new)
            counts[kind] += 1
            if kind == "changed":
                keep_largest(up if new < old else down, (abs(old - new), -index, {**self._sample(index, old, new), "places": old - new}))
            if kind not in ("same", "unranked") or old_invited[index] != new_invited[index]:
                write(self._change(index, old, new, old_invited[index], new_invited[index]))
        return {"program": self.ranking.program, "score_program": self.ranking.score_program, "tie_field": self.ranking.tie_field,
                "entry_first": self.ranking.entry_first, "ranked": {"old": max(old_ranks, default=0), "new": max(new_ranks, default=0)},
                **counts, "largest_up": largest(up), "largest_down": largest(down),
                "groups": {"name": self.ranking.groups, "changed": dict(sorted(self.groups.items()))} if self.ranking.group_kind else None,
                "round": self._round(old_ranks, new_ranks, old_invited, new_invited, old_selection, new_selection)}

    def _sample(self, index: int, old: int, new: int) -> dict:
        """An applicant's ranks (None: not ranked) and the scores they rank by, under both sides."""
        applicant_id, _, old_place, new_place = self.rows[index]
        return {"applicant_id": applicant_id, "rank": {"old": old or None, "new": new or None},
                "score": {"old": old_place[1], "new": new_place[1]}}

    def _change(self, index: int, old: int, new: int, old_invited: int, new_invited: int) -> dict:
        change = self._sample(index, old, new)
        if self.round is not None:
            change["invited"] = {"old": bool(old_invited), "new": bool(new_invited)}
        return change

    def _round(self, old_ranks, new_ranks, old_invited, new_invited, old_selection, new_selection) -> dict | None:
        """Who gains and who loses an invitation (samples in rank order), and each side's cut-off."""
        if self.round is None:
            return None
        gained = sorted((new_ranks[i], i) for i in range(len(self.rows)) if new_invited[i] and not old_invited[i])
        lost = sorted((old_ranks[i], i) for i in range(len(self.rows)) if old_invited[i] and not new_invited[i])
        return {"description": self.round.describe(),
                "old": {"invited": old_selection.invited, "cutoff": old_selection.cutoff()},
                "new": {"invited": new_selection.invited, "cutoff": new_selection.cutoff()},
                "gained": len(gained), "lost": len(lost),
                "gained_samples": [self._sample(i, old_ranks[i], new_ranks[i]) for _, i in gained[:SAMPLES]],
                "lost_samples": [self._sample(i, old_ranks[i], new_ranks[i]) for _, i in lost[:SAMPLES]]}


def _movement(old: int, new: int) -> str:
    """changed, same, entered (ranked under the new rules only), left, or unranked (0: not ranked)."""
    if old and new:
        return "same" if old == new else "changed"
    return "entered" if new else "left" if old else "unranked"
