"""A round of invitations, and the order of a ranked pool.

Order: profiles in the pool (`eligible: true`) first, then undetermined ones, then the others; within
each, higher score first; on equal scores the earlier tie-break timestamp first (a profile without one
after those with one), then the applicant id. Only profiles in the pool get a rank and can be invited.

A round file (YAML, read safely with positions):

    date: "2026-11-05"          # the day of the round: the assessment date unless --as-of says otherwise
    type: category              # general | program | category
    category: french            # with type category (program: NAME with type program)
    invitations: 500            # how many are invited, in rank order; or instead:
    # cutoff: 480               # everyone at or above this score is invited

The cut-off reported is the score and tie-break timestamp of the last profile invited.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from cec_rules.engine.errors import CecError
from cec_rules.engine.pydantic_problems import problems_from_validation
from cec_rules.engine.yaml_source import YamlProblem, load_yaml

GROUP_ORDER = {True: 0, None: 1, False: 2}  # in the pool, undetermined, not in the pool
SORT_RUN_ENV, SORT_RUN_DEFAULT = (
    "CEC_RANK_SORT_RUN",
    50_000,
)  # sort keys held in memory at once (engine/external_sort.py)


class RoundError(CecError):
    """A round file that cannot be used: every problem, each with file:line and the key."""


class Round(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    type: Literal["general", "program", "category"]
    program: str | None = None
    category: str | None = None
    invitations: int | None = Field(default=None, strict=True, ge=1)
    cutoff: int | float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> "Round":
        if (self.invitations is None) == (self.cutoff is None):
            raise ValueError("a round needs exactly one of invitations (a number of profiles) or cutoff (a score)")
        if self.type in ("program", "category") and getattr(self, self.type) is None:
            raise ValueError(f"a {self.type} round names its {self.type}: add `{self.type}: NAME`")
        unused = [name for name in ("program", "category") if name != self.type and getattr(self, name) is not None]
        if unused:
            raise ValueError(f"a {self.type} round does not take `{unused[0]}`")
        return self

    def admits(self, line: dict, groups: str) -> bool:
        """Whether a profile can be invited in this round: in the pool, and in its program or category."""
        if line["eligible"] is not True:
            return False
        if self.type == "program":
            return self.program in line["programs"]
        if self.type == "category":
            return self.category in line[groups]
        return True

    def describe(self) -> str:
        target = {"program": f" {self.program}", "category": f" {self.category}"}.get(self.type, "")
        size = f"{self.invitations:,} invitations" if self.invitations is not None else f"cut-off score {self.cutoff}"
        return f"{self.type}{target} round of {self.date.isoformat()}, {size}"


def read_round(path: Path) -> Round:
    """The round in `path`; raises RoundError naming file:line and the key of each problem."""
    try:
        data, positions = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except OSError as exc:
        raise RoundError(f"{path}: cannot read: {exc.strerror}") from None
    except YamlProblem as exc:
        raise RoundError(str(exc.problem)) from None
    try:
        return Round.model_validate(data)
    except ValidationError as exc:
        raise RoundError(
            "\n".join(str(p) for p in problems_from_validation(exc, str(path), positions, Round, data))
        ) from None


def sort_key(line: dict, tie_field: str, offset: int, entry_first: bool = True) -> tuple:
    """What the ranked order sorts on (a few numbers and two short texts, a flat tuple of JSON values that
    engine/external_sort.py can spill; `offset` last, so keys are never equal); without `entry_first` (the Ranking's), the outcome does not come first: the score alone orders.

    Examples:
        >>> a = {"eligible": True, "score": 480, "t": "2026-01-01T00:00:00.000000Z", "applicant_id": "B"}
        >>> b = {"eligible": True, "score": 480, "t": None, "applicant_id": "A"}
        >>> sorted([sort_key(b, "t", 1), sort_key(a, "t", 0)])[0][-1]
        0
    """
    stamp = line.get(tie_field)
    return (
        GROUP_ORDER[line["eligible"]] if entry_first else 0,
        -line["score"],
        stamp is None,
        stamp or "",
        line["applicant_id"],
        offset,
    )


def sort_run_size() -> int:
    """How many sort keys a ranking holds in memory at once: CEC_RANK_SORT_RUN, or the default when unset or not
    a positive whole number (it changes memory and speed, never the order)."""
    text = os.environ.get(SORT_RUN_ENV, "")
    return int(text) if text.isdigit() and int(text) > 0 else SORT_RUN_DEFAULT


@dataclass
class Selection:
    """Who a round invites, decided in rank order, and its cut-off (the last one invited)."""

    round: Round | None
    tie_field: str
    groups: str
    invited: int = 0
    last: dict | None = None
    by_program: dict = field(default_factory=dict)
    by_group: dict = field(default_factory=dict)

    def decide(self, line: dict) -> bool | None:
        """Whether this profile (the next in rank order) is invited; None without a round."""
        if self.round is None:
            return None
        chosen = self.round.admits(line, self.groups) and (
            self.invited < self.round.invitations
            if self.round.invitations is not None
            else line["score"] >= self.round.cutoff
        )
        if chosen:
            self.invited += 1
            self.last = line
            for program in line["programs"]:
                self.by_program[program] = self.by_program.get(program, 0) + 1
            for group in line[self.groups]:
                self.by_group[group] = self.by_group.get(group, 0) + 1
        return chosen

    def cutoff(self) -> dict | None:
        """The round's cut-off: the last invited profile's score and tie-break timestamp."""
        if self.round is None:
            return None
        if self.last is None:
            return {"score": None, self.tie_field: None, "applicant_id": None}
        return {
            "score": self.last["score"],
            self.tie_field: self.last.get(self.tie_field),
            "applicant_id": self.last["applicant_id"],
        }
