"""One profile's line of a ranked pool, made in the batch worker from its decision.

What to rank by is the ranking program's (its plugin says, in a `Ranking`): the program that decides
entry, the program whose score ranks (a consumed decision's `score.total`, engine/chaining.py, or its own), the
applicant field that breaks ties (earlier first), and the derived list that names the groups (e.g.
categories) a round may select. This module names no program: only those values.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import orjson

from cec_rules.engine.batch.records import Record
from cec_rules.engine.batch.worker import FAULT_ENV, Decided, RecordDecider
from cec_rules.engine.chaining import score_of
from cec_rules.engine.evaluator import Evaluator, load_bundled_or

from .ranking import Ranking


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
    score = ranked_score(decision, ranking)
    line = {
        "applicant_id": decision.applicant_id,
        "eligible": decision.eligible,
        "edition": decision.edition,
        "score": score["total"] if score else 0,
        "score_possible": score["possible_total"] if score else None,
        "score_note": None if score else _no_score(ranking.score_program, consumed.get(ranking.score_program, {})),
        ranking.tie_field: utc_text(getattr(applicant, ranking.tie_field, None)),
        "programs": eligible_programs(consumed, ranking),
        "programs_undetermined": [
            p
            for p, shown in consumed.items()
            if p != ranking.score_program and "absent" not in shown and shown.get("eligible") is None
        ],
        ranking.groups: groups_of(derived, ranking),
        "reasons": {c.id: c.reason for c in decision.criteria if c.met is not True},
        "score_breakdown": _breakdown(score),
    }
    return line


def eligible_programs(consumed: dict, ranking: Ranking) -> list[str]:
    """The consumed programs (other than the score's) the profile is eligible for: what a round may select by."""
    return [p for p, shown in consumed.items() if p != ranking.score_program and shown.get("eligible") is True]


def groups_of(derived: dict, ranking: Ranking) -> list:
    """The profile's groups (e.g. categories), from the derived facts the ranking names."""
    return [g[ranking.group_field] for g in derived.get(ranking.group_kind, [])] if ranking.group_kind else []


def ranked_score(decision, ranking: Ranking) -> dict | None:
    """The score that ranks `decision` (`total`, `possible_total`, `max`, `factors`), or None: the decision's
    own when its program is the ranking's score program, else the consumed decision's (engine/chaining.py)."""
    if decision.program == ranking.score_program:
        return score_of(decision)
    return decision.derived.get("consumed", {}).get(ranking.score_program, {}).get("score")


def _no_score(program: str, shown: dict) -> str:
    if "absent" in shown:
        return f"{program} {shown['absent']}"
    return f"{program} gave no score"


def _breakdown(score: dict | None) -> dict | None:
    """The score's factors and caps, without their reasons (the full decision has them)."""
    if not score:
        return None
    return {
        "max": score.get("max"),
        "factors": [{k: f.get(k) for k in ("id", "points", "max")} for f in score.get("factors", [])],
        "caps": score.get("caps", []),
    }


class RankDecider(RecordDecider):
    """Decides each record with the ranking program and returns its ranked line (a batch worker's decider)."""

    def __init__(
        self,
        rulesets_dir: str | None,
        as_of: str | None,
        output_format: str,
        lang: str,
        programs: tuple,
        ranking: Ranking,
    ):
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
        return Decided(
            record.seq,
            line,
            decision.eligible,
            tuple(decision.unmet),
            decision.edition,
            tuple(decision.undetermined),
            decision.applicant_id,
            record.line,
            record.source,
        )
