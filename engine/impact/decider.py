"""The worker side of `cec diff`: each record decided under both sides, reduced to what the report needs."""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple
from pathlib import Path

from cec_rules.engine.batch.records import Record
from cec_rules.engine.batch.worker import RecordDecider
from cec_rules.engine.evaluator import Evaluator, load_bundled_or

from .aggregate import criterion_change
from .sides import Side


class Compared(NamedTuple):
    """One applicant under both sides."""

    seq: int
    applicant_id: str
    line: str | None   # the JSON Lines record when the outcome or a criterion changed, else None
    old: dict
    new: dict


def outcome(decision, plugin) -> dict:
    """The part of a decision the impact report looks at: the outcome, and the values the program's plugin
    keeps for the report (`impact_values`)."""
    return {"eligible": decision.eligible, "edition": decision.edition,
            "criteria": {c.id: c.met for c in decision.criteria},
            "reasons": {c.id: c.reason for c in decision.criteria if c.met is not True},
            **plugin.impact_values(decision.derived)}


class ImpactDecider(RecordDecider):
    """Decides each record twice, once per side."""

    def __init__(self, old: Side, new: Side, as_of: str | None):
        self.as_of = dt.date.fromisoformat(as_of) if as_of else None
        self.fault_id = None
        self.sides = [(side, self._evaluator(side)) for side in (old, new)]
        self.plugin = self.sides[0][1][0].plugin  # both sides decide one program

    @staticmethod
    def _evaluator(side: Side) -> tuple[Evaluator, object]:
        evaluator = Evaluator(load_bundled_or(Path(side.root) if side.root else None), side.program)
        return evaluator, side.pick(evaluator.library)

    def evaluate(self, applicant, label: str):
        return [evaluator.evaluate(applicant, self.as_of, source=label, edition=edition) for _, (evaluator, edition) in self.sides]

    def decided(self, record: Record, decisions) -> Compared:
        old, new = (outcome(d, self.plugin) for d in decisions)
        changed = {c: criterion_change(old["criteria"].get(c, False), met)
                   for c, met in new["criteria"].items() if old["criteria"].get(c, False) != met}
        line = None
        if changed or old["eligible"] != new["eligible"]:
            line = json.dumps({"applicant_id": decisions[0].applicant_id, "line": record.line,
                               "eligible": {"old": old["eligible"], "new": new["eligible"]},
                               "criteria_changed": changed, "old": old, "new": new}, ensure_ascii=False, separators=(",", ":"))
        return Compared(record.seq, decisions[0].applicant_id, line, old, new)
