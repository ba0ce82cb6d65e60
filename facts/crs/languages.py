"""Which result of each official language counts for the CRS, and which language is "first".

The MI let the candidate say which language is first, and the profile holds one result per language
(domain sheet §2.1: one test result per language); the input may list several valid results and has no
such field, so the derivation takes the choice a candidate would make: the results and order worth more
points (`worth`, facts/crs/choice.py: the edition's grid). Interpretation (docs/programs/crs.md): every
combination of one valid result per language, in either order, is priced; on equal points the pick of
`best_per_language` (per language the highest lowest ability, then the later) is kept, then the first
language whose result has the higher sum of the four CLB/NCLC levels, then the higher lowest level; on a
full tie the edition's `first_language_on_tie` parameter decides (english: the four levels are then the
same multiset, so the points are the same either way).
"""

from __future__ import annotations

from itertools import product

from cec_rules.facts.language import ConvertedResult, best_per_language


def ordered(valid: list[ConvertedResult], on_tie: str, worth=lambda first, others: 0) -> list[ConvertedResult]:
    """The counted result per official language, first official language first (`worth(first, others)`:
    the points of the order with `first` first).

    Examples:
        >>> from types import SimpleNamespace as R
        >>> a = R(test=R(language="english"), levels={"l": 9, "r": 9, "w": 7, "s": 7}, lowest=7, date=1)
        >>> b = R(test=R(language="french"), levels={"l": 8, "r": 8, "w": 8, "s": 8}, lowest=8, date=1)
        >>> [r.test.language for r in ordered([a, b], "english")], [r.test.language for r in ordered([a, b], "french")]
        (['french', 'english'], ['french', 'english'])
        >>> [r.test.language for r in ordered([a, b], "english", lambda first, others: first.levels["l"])]
        ['english', 'french']
        >>> c = R(test=R(language="english"), levels={"l": 10, "r": 10, "w": 10, "s": 4}, lowest=4, date=2)
        >>> [r.levels["l"] for r in ordered([a, c], "english")], [r.levels["l"] for r in ordered([a, c], "english", lambda f, o: f.levels["l"])]
        ([9], [10])
    """
    best = best_per_language(valid)
    if len(best) == len(valid) < 2:  # one result (or none): nothing to choose
        return list(best.values())
    per_language = [[r for r in valid if r.test.language == language] for language in best]
    choices = []
    for picks in product(*per_language):
        kept = sum(pick is best[pick.test.language] for pick in picks)
        for first in picks:
            others = [pick for pick in picks if pick is not first]
            key = (
                -worth(first, others),
                -kept,
                -sum(first.levels.values()),
                -first.lowest,
                first.test.language != on_tie,
            )
            choices.append((key, [first, *others]))
    return min(choices, key=lambda choice: choice[0])[1]
