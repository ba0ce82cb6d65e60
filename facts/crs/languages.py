"""Which official language is "first" for the CRS, from each language's best valid result.

The MI lets the candidate say which language is first; the input has no such field, so the derivation
takes the one that scores better. Interpretation (docs/programs/crs.md): the first official language is
the one whose best valid result has the higher sum of the four CLB/NCLC levels, then the higher lowest
level; on a full tie the edition's `first_language_on_tie` parameter decides (english: the four levels
are then the same multiset, so the first-language points are the same either way, and only the French
bonus, which does not depend on the order, could tell them apart).
"""

from __future__ import annotations

from cec_rules.facts.language import ConvertedResult, best_per_language


def ordered(valid: list[ConvertedResult], on_tie: str) -> list[ConvertedResult]:
    """The best result per official language, first official language first.

    Examples:
        >>> from types import SimpleNamespace as R
        >>> a = R(test=R(language="english"), levels={"l": 9, "r": 9, "w": 7, "s": 7}, lowest=7, date=1)
        >>> b = R(test=R(language="french"), levels={"l": 8, "r": 8, "w": 8, "s": 8}, lowest=8, date=1)
        >>> [r.test.language for r in ordered([a, b], "english")], [r.test.language for r in ordered([a, b], "french")]
        (['french', 'english'], ['french', 'english'])
    """
    best = best_per_language(valid)
    return sorted(best.values(), key=lambda r: (-sum(r.levels.values()), -r.lowest, r.test.language != on_tie))
