"""How CRS decisions rank on their own (`cec diff --program crs`: rank changes): by the CRS score alone,
every profile ranked whatever its outcome (an undetermined factor counts 0, as the pool ranks a profile by
its certain total), ties by the earlier Express Entry profile submission (MI 2017-1), then the id. The pool
ranks by the same score, after entry (facts/pool/ranking.py)."""

from cec_rules.engine.rank.ranking import Ranking

RANKING = Ranking(program="crs", score_program="crs", tie_field="profile_submitted", entry_first=False)
