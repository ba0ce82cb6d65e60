"""Which official language is "first" for the CRS, from each language's best valid result.

The MI lets the candidate say which language is first; the input has no such field, so the derivation
takes the one that scores better. Interpretation (docs/programs/crs.md): the first official language is
the one whose order is worth more points (`worth`, facts/crs/choice.py: the edition's grid); on equal
points the one whose best valid result has the higher sum of the four CLB/NCLC levels, then the higher
lowest level; on a full tie the edition's `first_language_on_tie` parameter decides (english: the four
levels are then the same multiset, so the points are the same either way, and only the French bonus,
which does not depend on the order, could tell them apart).
"""

from __future__ import annotations

from cec_rules.facts.language import ConvertedResult, best_per_language


def ordered(valid: list[ConvertedResult], on_tie: str, worth=lambda first, others: 0) -> list[ConvertedResult]:
    """The best result per official language, first official language first (`worth(first, others)`: the
    points of the order with `first` first).

    Examples:
        >>> from types import SimpleNamespace as R
        >>> a = R(test=R(language="english"), levels={"l": 9, "r": 9, "w": 7, "s": 7}, lowest=7, date=1)
        >>> b = R(test=R(language="french"), levels={"l": 8, "r": 8, "w": 8, "s": 8}, lowest=8, date=1)
        >>> [r.test.language for r in ordered([a, b], "english")], [r.test.language for r in ordered([a, b], "french")]
        (['french', 'english'], ['french', 'english'])
        >>> [r.test.language for r in ordered([a, b], "english", lambda first, others: first.levels["l"])]
        ['english', 'french']
    """
    best = list(best_per_language(valid).values())
    if len(best) < 2:  # one language (or none): no order to price
        return best
    return sorted(best, key=lambda r: (-worth(r, [o for o in best if o is not r]), -sum(r.levels.values()), -r.lowest, r.test.language != on_tie))
