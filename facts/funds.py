"""Settlement funds: half of the low-income cut-off for the family size (IRPR 76(1)(b)(i), 87.2(5)).

IRCC publishes the amounts for family sizes 1 to 7 and an amount for each additional member; a ruleset
gives both as dated parameters (they change every year), and this computes the amount for any size.
"""

from __future__ import annotations


def funds_required(family_size: int, by_size: dict, each_additional: float) -> float:
    """The amount for `family_size`: the table's entry, or its largest size plus `each_additional` per
    member beyond it. Table keys may be numbers or their text (YAML mappings often quote them).

    Examples:
        >>> table = {1: 15263, 2: 19001, 7: 40392}
        >>> funds_required(2, table, 4112), funds_required(9, table, 4112)
        (19001, 48616)
    """
    sizes = {int(size): amount for size, amount in by_size.items()}
    if family_size in sizes:
        return sizes[family_size]
    largest = max(sizes)
    return sizes[largest] + (family_size - largest) * each_additional
