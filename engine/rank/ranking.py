"""How a program's decisions are ranked: a plain value a program's plugin gives (`Program.ranking`), read by
`cec rank` (engine/rank/) and by `cec diff`'s rank changes (engine/impact/ranks.py). It imports nothing, so
that a plugin can name its ranking without loading the ranking machinery."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ranking:
    """How a program's pool is ranked.

    - `program`: the program whose decision says who is in the pool (and consumes the others);
    - `score_program`: the program whose score total ranks profiles: a consumed program (0 while it gives no
      score), or `program` itself when its own decisions carry the score;
    - `tie_field`: the applicant's timestamp field; on equal scores the earlier wins, a missing one ranks after;
    - `group_kind`, `group_field`: the derived list of the groups a profile belongs to, and the field naming each
      (None: no groups); `groups`: what the ranked line, the CSV and the reports call them (and what a round
      selects by);
    - `entry_first`: whether profiles are first ordered by the decision's outcome (in the pool, undetermined,
      not) and only those in the pool get a rank; False: every profile ranks by its score alone (a score
      program ranked on its own, as `cec diff` does).
    """

    program: str
    score_program: str
    tie_field: str
    group_kind: str | None = None
    group_field: str | None = None
    groups: str = "groups"
    entry_first: bool = True
