"""How `cec rank` ranks the pool: entry by the pool program, order by the CRS score it consumes, ties by
the earlier Express Entry profile submission (MI 2017-1, from 2017-06-06), rounds by category."""

from cec_rules.engine.rank.ranking import Ranking

RANKING = Ranking(
    program="pool",
    score_program="crs",
    tie_field="profile_submitted",
    group_kind="in_category",
    group_field="category",
    groups="categories",
)
