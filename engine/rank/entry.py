"""One profile's line of a ranked pool, made in the batch worker from its decision.

What to rank by is the ranking program's (its plugin says, in a `Ranking`): the program that decides
entry, the consumed program whose score ranks (its decision's `score.total`, engine/chaining.py), the
applicant field that breaks ties (earlier first), and the derived list that names the groups (e.g.
categories) a round may select. This module names no program: only those values.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import orjson

from cec_rules.engine.batch.records import Record
from cec_rules.engine.batch.worker import FAULT_ENV, Decided, RecordDecider
from cec_rules.engine.evaluator import Evaluator, load_bundled_or


@dataclass(frozen=True)
class Ranking:
    """How a program's pool is ranked.

    - `program`: the program whose decision says who is in the pool (and consumes the others);
    - `score_program`: the consumed program whose score total ranks profiles (0 while it gives no score);
    - `tie_field`: the applicant's timestamp field; on equal scores the earlier wins, a missing one ranks after;
    - `group_kind`, `group_field`: the derived list of the groups a profile belongs to, and the field naming each;
      `groups`: what the ranked line, the CSV and the reports call them (and what a round selects by).
    """

    program: str
    score_program: str
    tie_field: str
    group_kind: str
    group_field: str
    groups: str


def utc_text(moment: dt.datetime | None) -> str | None:
    """A timestamp as UTC text of fixed width, so that text order is time order (None stays None).

    Examples:
        >>> utc_text(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone(-dt.timedelta(seconds=5 * 3600))))
        '2026-01-02T08:04:05.000000Z'
    """
    if moment is None:
        return None
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry(decision, applicant, ranking: Ranking) -> dict:
    """The ranked line of one profile (before its rank and invitation are known)."""
    derived = decision.derived
    consumed = derived.get("consumed", {})
    scored = consumed.get(ranking.score_program, {})
    score = scored.get("score")
    line = {"applicant_id": decision.applicant_id, "eligible": decision.eligible, "edition": decision.edition,
            "score": score["total"] if score else 0, "score_possible": score["possible_total"] if score else None,
            "score_note": None if score else _no_score(ranking.score_program, scored),
            ranking.tie_field: utc_text(getattr(applicant, ranking.tie_field, None)),
            "programs": [p for p, shown in consumed.items() if p != ranking.score_program and shown.get("eligible") is True],
            "programs_undetermined": [p for p, shown in consumed.items() if p != ranking.score_program and "absent" not in shown
                                      and shown.get("eligible") is None],
            ranking.groups: [g[ranking.group_field] for g in derived.get(ranking.group_kind, [])],
            "reasons": {c.id: c.reason for c in decision.criteria if c.met is not True},
            "score_breakdown": _breakdown(score)}
    return line


def _no_score(program: str, shown: dict) -> str:
    if "absent" in shown:
        return f"{program} {shown['absent']}"
    return f"{program} gave no score"


def _breakdown(score: dict | None) -> dict | None:
    """The score's factors and caps, without their reasons (the full decision has them)."""
    if not score:
        return None
    return {"max": score.get("max"), "factors": [{k: f.get(k) for k in ("id", "points", "max")} for f in score.get("factors", [])],
            "caps": score.get("caps", [])}


class RankDecider(RecordDecider):
    """Decides each record with the ranking program and returns its ranked line (a batch worker's decider)."""

    def __init__(self, rulesets_dir: str | None, as_of: str | None, output_format: str, lang: str, programs: tuple, ranking: Ranking):
        self.lang = "en"
        self.several = False  # one program decides: the ranking program (`programs` is the batch's, unused)
        self.evaluator = Evaluator(load_bundled_or(Path(rulesets_dir) if rulesets_dir else None), ranking.program)
        self.plugin = self.evaluator.plugin
        self.as_of = dt.date.fromisoformat(as_of) if as_of else None
        self.output_format = output_format
        self.ranking = ranking
        self.fault_id = os.environ.get(FAULT_ENV)  # the batch's test-only crash hook works here too

    def evaluate(self, applicant, label: str):
        return self.evaluator.evaluate(applicant, self.as_of, source=label), applicant

    def decided(self, record: Record, outcome) -> Decided:
        decision, applicant = outcome
        line = orjson.dumps(entry(decision, applicant, self.ranking)).decode("utf-8")
        return Decided(record.seq, line, decision.eligible, tuple(decision.unmet), decision.edition, tuple(decision.undetermined),
                       decision.applicant_id, record.line, record.source)
