"""Score shifts for `cec diff`, with flat memory: per applicant, the old and new score and the factors that
moved; over the population, how many scores rose, fell or stayed, the spread of the shifts, what each
factor moved, and the largest shifts.

A score is a decision's own (`score:` in its ruleset) or, for a ranked program, the score its ranking ranks
by (engine/rank/entry.py `ranked_score`): the same totals `cec rank` shows. `total` counts an undetermined
factor at its least points and `possible_total` at its most (engine/score.py); a factor's shift counts an
undetermined side as 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cec_rules.engine.rank.entry import ranked_score

from .aggregate import keep_largest, largest

BOUNDS = (1, 5, 10, 25, 50, 100)  # the buckets of |shift|: [1, 5), [5, 10), ... [100, and more)


def _labels() -> tuple[str, ...]:
    """The shift buckets, most negative first: `-100 or less`, `-99 to -50`, ..., `0`, ..., `+100 or more`."""
    spans = list(zip(BOUNDS, BOUNDS[1:]))
    falls = [f"-{BOUNDS[-1]} or less"] + [f"-{high - 1} to -{low}" for low, high in reversed(spans)]
    return (*falls, "0", *[f"+{low} to +{high - 1}" for low, high in spans], f"+{BOUNDS[-1]} or more")


SHIFT_BUCKETS = _labels()


def shown_score(score: dict | None) -> dict | None:
    """What `cec diff` keeps of a score (the output contract's `score`): its totals and each factor's points."""
    if score is None:
        return None
    return {
        "total": score["total"],
        "possible_total": score["possible_total"],
        "factors": {factor["id"]: factor["points"] for factor in score.get("factors", [])},
    }


def compared_score(decision, ranking) -> dict | None:
    """The `shown_score` a diff compares: for a ranked program the score its ranking ranks by (engine/rank/entry.py
    `ranked_score`), else the decision's own. A decision's own score is read from its ScoreResult
    (engine/score.py), not from its whole output form (`score_of`, every factor with its reason and citation)."""
    if ranking is not None and decision.program != ranking.score_program:
        return shown_score(ranked_score(decision, ranking))
    score = getattr(decision, "score", None)
    if score is None:
        return None
    return {
        "total": score.total,
        "possible_total": score.possible_total,
        "factors": {factor.id: factor.points for factor in score.factors},
    }


def score_change(old: dict | None, new: dict | None) -> dict | None:
    """One applicant's score under both sides: totals, shifts and the factors that moved (None without a
    score on either side).

    Examples:
        >>> a = {"total": 177, "possible_total": 517, "factors": {"age": None, "work": 53}}
        >>> score_change(a, {"total": 184, "possible_total": 524, "factors": {"age": None, "work": 60}})["factors"]
        {'work': {'old': 53, 'new': 60, 'shift': 7}}
    """
    if old is None and new is None:
        return None
    totals = {
        side: None if s is None else {"total": s["total"], "possible_total": s["possible_total"]}
        for side, s in (("old", old), ("new", new))
    }
    both = old is not None and new is not None
    return {
        **totals,
        "shift": new["total"] - old["total"] if both else None,
        "possible_shift": new["possible_total"] - old["possible_total"] if both else None,
        "factors": moved_factors((old or {}).get("factors", {}), (new or {}).get("factors", {})),
    }


def moved_factors(old: dict, new: dict) -> dict:
    """factor -> {old, new, shift} for each factor whose points differ (undetermined points count 0 in the shift)."""
    return {
        name: {"old": old.get(name), "new": new.get(name), "shift": (new.get(name) or 0) - (old.get(name) or 0)}
        for name in dict.fromkeys([*old, *new])
        if old.get(name) != new.get(name)
    }


def shift_bucket(shift) -> str:
    """The histogram bucket of a shift (points are whole numbers; a fraction falls with its whole part, under 1 in the first).

    Examples:
        >>> shift_bucket(0), shift_bucket(7), shift_bucket(-4), shift_bucket(250), shift_bucket(-50)
        ('0', '+5 to +9', '-4 to -1', '+100 or more', '-99 to -50')
    """
    if shift == 0:
        return "0"
    position = max(
        1, sum(abs(shift) >= bound for bound in BOUNDS)
    )  # 1 for (0, 5), 2 for [5, 10), ...; 6 for 100 or more
    middle = SHIFT_BUCKETS.index("0")
    return SHIFT_BUCKETS[middle + position if shift > 0 else middle - position]


@dataclass
class ScoreShifts:
    """The score part of a diff, added to one applicant at a time."""

    scored: int = 0  # applicants with a score under both sides
    old_only: int = 0  # a score under the old rules only
    new_only: int = 0
    total: dict = field(default_factory=lambda: {"rose": 0, "fell": 0, "same": 0})
    possible_total: dict = field(default_factory=lambda: {"rose": 0, "fell": 0, "same": 0})
    net_shift: int | float = 0
    buckets: dict = field(default_factory=lambda: dict.fromkeys(SHIFT_BUCKETS, 0))
    factors: dict = field(default_factory=dict)  # factor -> {records, rose, fell, total_shift}
    rises: list = field(default_factory=list)  # heaps of (shift, -seq, sample), the largest kept
    falls: list = field(default_factory=list)

    def add(self, seq: int, applicant_id: str, old: dict | None, new: dict | None) -> None:
        """One applicant's scores (`shown_score`) under both sides."""
        if old is not None and old == new:  # most applicants: no need to compare factor by factor
            self.add_same(1)
            return
        change = score_change(old, new)
        if change is None:
            return
        if change["shift"] is None:
            self.old_only += change["new"] is None
            self.new_only += change["old"] is None
            return
        self.scored += 1
        _direction(self.total, change["shift"])
        _direction(self.possible_total, change["possible_shift"])
        self.net_shift += change["shift"]
        self.buckets[shift_bucket(change["shift"])] += 1
        for name, moved in change["factors"].items():
            counts = self.factors.setdefault(name, {"records": 0, "rose": 0, "fell": 0, "total_shift": 0})
            counts["records"] += 1
            counts["rose" if moved["shift"] > 0 else "fell"] += moved["shift"] != 0
            counts["total_shift"] += moved["shift"]
        if change["shift"]:
            sample = {
                "applicant_id": applicant_id,
                "old": change["old"]["total"],
                "new": change["new"]["total"],
                "shift": change["shift"],
                "factors": {name: moved["shift"] for name, moved in change["factors"].items()},
            }
            keep_largest(self.rises if change["shift"] > 0 else self.falls, (abs(change["shift"]), -seq, sample))

    def add_same(self, n: int) -> None:
        """`n` applicants whose score is the same under both sides."""
        self.scored += n
        self.total["same"] += n
        self.possible_total["same"] += n
        self.buckets["0"] += n

    def to_json(self) -> dict:
        return {
            "scored": self.scored,
            "old_only": self.old_only,
            "new_only": self.new_only,
            "total": self.total,
            "possible_total": self.possible_total,
            "net_shift": self.net_shift,
            "shift_buckets": self.buckets,
            "factors": dict(sorted(self.factors.items())),
            "largest_rises": largest(self.rises),
            "largest_falls": largest(self.falls),
        }


def _direction(counts: dict, shift) -> None:
    counts["rose" if shift > 0 else "fell" if shift < 0 else "same"] += 1
