"""The worker side of `cec diff`: each record decided under both sides, reduced to what the report needs."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import NamedTuple
from pathlib import Path

from cec_rules.engine.batch.records import Record
from cec_rules.engine.batch.worker import RecordDecider
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.engine.rank.entry import eligible_programs, groups_of, utc_text

from . import packed
from .aggregate import criterion_change
from .scores import compared_score, score_change
from .shared import DECISION, FACTS, Alike
from .sides import Side

REASONS_ENV = "CEC_DIFF_REASONS"  # 1: every side decided with its reasons from the start (the comparison of both ways)


class Compared(NamedTuple):
    """One applicant under both sides."""

    seq: int
    applicant_id: str
    line: str | None  # the JSON Lines record when the outcome, a criterion, the score or a group changed, else None
    old: dict
    new: dict
    ranked: tuple | None = None  # for a ranked program: (tie-break value, old place, new place), see `place`


def outcome(decision, plugin) -> dict:
    """The part of a decision the impact report counts: the outcome, the score (the decision's own, or the
    one its ranking ranks by: `compared_score`), and the values the program's plugin keeps for the report
    (`impact_values`). It is counted in the worker for every applicant: the reasons are only in a changed
    one's line (`with_reasons`)."""
    shown = {
        "eligible": decision.eligible,
        "edition": decision.edition,
        "criteria": {c.id: c.met for c in decision.criteria},
        **plugin.impact_values(decision.derived),
    }
    score = compared_score(decision, plugin.ranking)
    if score is not None:
        shown["score"] = score
    return shown


def with_reasons(shown: dict, decision) -> dict:
    """An `outcome` as changes.jsonl shows it: the reasons of the criteria not met follow the criteria, then
    each `not_together` that fired (why a side with no unmet criterion is not eligible)."""
    head = {
        "eligible": shown["eligible"],
        "edition": shown["edition"],
        "criteria": shown["criteria"],
        "reasons": {c.id: c.reason for c in decision.criteria if c.met is not True},
    }
    if decision.not_together:
        head["not_together"] = [record.to_json() for record in decision.not_together]
    return {**head, **shown}


def place(decision, shown: dict, ranking) -> tuple:
    """What ranks a profile on one side, as its ranked line has it (engine/rank/entry.py `entry`): its outcome,
    the score it ranks by, the programs it is eligible for and its groups (what a round selects by). `shown` is
    the decision's `outcome`."""
    consumed = decision.derived.get("consumed", {})
    score = shown.get("score")
    return (
        shown["eligible"],
        score["total"] if score else 0,
        tuple(eligible_programs(consumed, ranking)),
        tuple(groups_of(decision.derived, ranking)),
    )


class Pair(NamedTuple):
    """One applicant decided under both sides (`ImpactDecider.evaluate`), and compared."""

    decisions: list  # [old, new]: one object twice when decided once; with reasons only when `changed`; of
    # the derived values those `impact_values` reads (and more when the plugin derives them)
    applicant_id: str
    old: dict  # each side's `outcome`
    new: dict
    ranked: tuple | None  # `ImpactDecider._ranked`
    changed: dict  # criterion -> its change (`criterion_change`)
    moved: dict  # the score and the groups, when they changed

    @property
    def shows_change(self) -> bool:
        """Whether the applicant's line goes to changes.jsonl: its outcome, a criterion, its score or its groups changed."""
        return bool(self.changed or self.moved or self.old["eligible"] != self.new["eligible"])


class ImpactDecider(RecordDecider):
    """Decides each record under both sides: the screen stage and the derivation once when the two editions
    derive alike, the whole decision once when they are the same (engine/impact/shared.py). Each side is
    first decided without reasons (`Evaluator.evaluate`): what the comparison reads is all there; the few
    applicants whose line goes to changes.jsonl are decided again, with reasons, from the same facts."""

    def __init__(self, old: Side, new: Side, as_of: str | None):
        self.as_of = dt.date.fromisoformat(as_of) if as_of else None
        self.fault_id = None
        self.sides = [self._evaluator(side) for side in (old, new)]
        self.plugin = self.sides[0][0].plugin  # both sides decide one program
        self.alike = Alike(self.plugin)
        self.reasons = os.environ.get(REASONS_ENV, "") == "1"  # every side with its reasons from the start
        self._in_force: tuple[dict, dict] = ({}, {})  # per side, day -> the edition in force then (a few thousand days)

    @staticmethod
    def _evaluator(side: Side) -> tuple[Evaluator, object]:
        evaluator = Evaluator(load_bundled_or(Path(side.root) if side.root else None), side.program)
        return evaluator, side.pick(evaluator.library)

    def evaluate(self, applicant, label: str) -> Pair:
        """Both decisions, in the order (and so with the errors) of deciding the old side, then the new one,
        compared. Each side is derived and decided for the comparison (`Evaluator.facts` without `shown`:
        of the derived values, those `impact_values` reads; `Evaluator.evaluate` without reasons). An
        applicant with a change is decided again with its reasons, from the facts each side was decided from
        (which deciding does not change): the same decisions, with reasons, needs and trace (its line shows
        the reasons and the compared values, not the derivation's summaries)."""
        day = self.as_of or applicant.application_date
        (old_evaluator, _), (new_evaluator, _) = self.sides
        old_edition = self._edition(0, day, label)
        old_facts = old_evaluator.facts(applicant, day, old_edition, label, self.reasons)
        old = old_evaluator.evaluate(applicant, day, label, old_edition, old_facts, self.reasons)
        new_edition = self._edition(1, day, label)
        shared = self.alike(old_edition, new_edition)
        if shared == DECISION:  # decided once: nothing can have changed
            shown = outcome(old, self.plugin)
            return Pair(
                [old, old], old.applicant_id, shown, shown, self._ranked([old, old], applicant, shown, shown), {}, {}
            )
        new_facts = (
            old_facts if shared == FACTS else new_evaluator.facts(applicant, day, new_edition, label, self.reasons)
        )
        pair = self._compared(
            [old, new_evaluator.evaluate(applicant, day, label, new_edition, new_facts, self.reasons)], applicant
        )
        if not self.reasons and pair.shows_change:
            return pair._replace(
                decisions=[
                    old_evaluator.evaluate(applicant, day, label, old_edition, old_facts),
                    new_evaluator.evaluate(applicant, day, label, new_edition, new_facts),
                ]
            )
        return pair

    def _edition(self, side: int, day: dt.date, label: str):
        """The side's edition, or the one in force on `day` (remembered; a day with none raises each time)."""
        evaluator, edition = self.sides[side]
        if edition is None:
            edition = self._in_force[side].get(day)
            if edition is None:
                edition = self._in_force[side][day] = evaluator.edition_for(day, label)
        return edition

    def _compared(self, decisions: list, applicant) -> Pair:
        """Two decisions compared on what the report shows: outcomes, criteria, score and groups."""
        old, new = outcome(decisions[0], self.plugin), outcome(decisions[1], self.plugin)
        changed = (
            {}
            if old["criteria"] == new["criteria"]
            else {
                c: criterion_change(old["criteria"].get(c, False), met)
                for c, met in new["criteria"].items()
                if old["criteria"].get(c, False) != met
            }
        )
        moved = {}  # the score and the groups, when they changed
        if old.get("score") != new.get("score"):
            moved["score"] = score_change(old.get("score"), new.get("score"))
        ranked = self._ranked(decisions, applicant, old, new)
        if ranked is not None and ranked[1][3] != ranked[2][3]:
            moved[self.plugin.ranking.groups] = {"old": list(ranked[1][3]), "new": list(ranked[2][3])}
        return Pair(decisions, decisions[0].applicant_id, old, new, ranked, changed, moved)

    def decided(self, record: Record, pair: Pair) -> Compared:
        """The applicant's result, with its line for changes.jsonl when its outcome, a criterion, its score or
        its groups changed (then its decisions have their reasons: `evaluate`)."""
        old, new = pair.old, pair.new
        line = None
        if pair.shows_change:
            line = json.dumps(
                {
                    "applicant_id": pair.applicant_id,
                    "line": record.line,
                    "eligible": {"old": old["eligible"], "new": new["eligible"]},
                    "criteria_changed": pair.changed,
                    **pair.moved,
                    "old": with_reasons(old, pair.decisions[0]),
                    "new": with_reasons(new, pair.decisions[1]),
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
        return Compared(record.seq, pair.applicant_id, line, old, new, pair.ranked)

    def pack(self, chunk_id: int, results: list) -> bytes:
        """A chunk's results as one message, counted here (engine/impact/packed.py); the pool's worker sends it."""
        return packed.pack(chunk_id, results, self.plugin.impact_distributions)

    def _ranked(self, decisions, applicant, old_shown: dict, new_shown: dict) -> tuple | None:
        """(tie-break value, old place, new place) for a ranked program; an unchanged place is one object, which
        the rank rows write once."""
        ranking = self.plugin.ranking
        if ranking is None:
            return None
        old = place(decisions[0], old_shown, ranking)
        new = old if decisions[1] is decisions[0] else place(decisions[1], new_shown, ranking)
        return utc_text(getattr(applicant, ranking.tie_field, None)), old, old if new == old else new
