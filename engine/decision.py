"""The decision for one applicant, in the output contract of DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson


@dataclass
class CriterionResult:
    """`met` is True, False, or None when the input does not settle the law's answer (then `needs` says
    which input fields would)."""

    id: str
    met: bool | None
    reason: str
    citation: str
    rule: str | None = None
    outcomes: list = field(default_factory=list)  # the runtime's Outcomes (rule, matched facts), for explanations
    needs: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        data = {"id": self.id, "met": self.met, "reason": self.reason, "citation": self.citation}
        if self.met is None:
            data["needs"] = self.needs
        return data


@dataclass
class NotTogether:
    """A rule's `not_together`: in every reading of the input at least one of `criteria` is unmet, although
    each may be undetermined on its own; `reason` rendered from the applicant's values (None in a verdict
    without reasons), `facts` the facts the rule matched (to word the reason in another language)."""

    criteria: tuple[str, ...]
    reason: str | None
    citation: str | None
    rule: str
    facts: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How the decision's `unmet` names it: `not_together:A+B`."""
        return NOT_TOGETHER_LABEL + "+".join(self.criteria)

    def to_json(self) -> dict:
        return {"criteria": list(self.criteria), "reason": self.reason, "citation": self.citation}


NOT_TOGETHER_LABEL = "not_together:"


@dataclass
class Decision:
    """Criteria met/unmet with reasons and citations, derived values, and the trace of rule firings."""

    applicant_id: str
    program: str
    ruleset_id: str
    edition: str
    sha256: str
    as_of: str
    criteria: list[CriterionResult]
    derived: dict
    trace: list[dict] = field(default_factory=list)
    score: object | None = None  # engine/score.py's ScoreResult, for a ruleset with a `score:` section
    not_together: list[NotTogether] = field(default_factory=list)  # rules' `not_together`, in firing order

    @property
    def eligible(self) -> bool | None:
        """Kleene conjunction: False when any criterion is unmet or a `not_together` fired (some criterion
        of it is unmet in every reading), else None when any criterion is undetermined."""
        if self.not_together:
            return False
        eligible = True
        for criterion in self.criteria:
            if criterion.met is False:
                return False
            if criterion.met is None:
                eligible = None
        return eligible

    def verdict(self) -> tuple[bool | None, tuple[str, ...], tuple[str, ...]]:
        """`eligible`, `unmet` and `undetermined` at once (a batch worker sends all three for every record)."""
        unmet = tuple(self.unmet)
        undetermined = tuple([c.id for c in self.criteria if c.met is None])
        return (False if unmet else None if undetermined else True), unmet, undetermined

    @property
    def unmet(self) -> list[str]:
        """The unmet criteria, then each `not_together` as `not_together:A+B` (unmet as a whole, though
        its criteria may be undetermined): whatever shows `unmet` (batch summaries and CSV, a consumed
        decision's facts) then says why a decision is not eligible."""
        unmet = [c.id for c in self.criteria if c.met is False]
        if self.not_together:
            unmet += dict.fromkeys(record.label for record in self.not_together)
        return unmet

    @property
    def undetermined(self) -> list[str]:
        return [c.id for c in self.criteria if c.met is None]

    def to_json(self) -> dict:
        """The output contract; `score` only for a ruleset with a points grid (other decisions are unchanged)."""
        data = {
            "applicant_id": self.applicant_id,
            "program": self.program,
            "ruleset": {"id": self.ruleset_id, "edition": self.edition, "sha256": self.sha256},
            "as_of": self.as_of,
            "eligible": self.eligible,
            "criteria": [c.to_json() for c in self.criteria],
        }
        if self.not_together:
            data["not_together"] = [record.to_json() for record in self.not_together]
        if self.score is not None:
            data["score"] = self.score.to_json()
        data["derived"] = self.derived
        data["trace"] = self.trace
        return data

    def to_json_line(self) -> str:
        """One line of JSON in the output contract (orjson: same bytes as json.dumps, four times faster)."""
        return self.to_json_bytes().decode("utf-8")

    def to_json_bytes(self) -> bytes:
        """`to_json_line` as UTF-8 bytes, as orjson writes them: what `cec batch` writes, never decoded (most lines
        hold a non-ASCII character, and a 4 KB line decoded to text and encoded again cost a worker about 1.6 µs)."""
        return orjson.dumps(self.to_json())
