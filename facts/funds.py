"""Settlement funds: half of the low-income cut-off for the family size (IRPR 76(1)(b)(i), 87.2(5)).

IRCC publishes the amounts for family sizes 1 to 7 and an amount for each additional member; a ruleset
gives both as dated parameters (they change every year), and this computes the amount for any size. Where the
sources disagree on the day new amounts took effect (domain sheet §9.7), a ruleset also gives, for those days,
the amounts in force if the later day is right; FSW and FST read both the same way (`amount_or_dispute`).
"""

from __future__ import annotations

import datetime as dt

from .dates import as_int


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


# The fact both FSW and FST assert on a disputed day when the funds fall between the two amounts (the rules
# match it to say undetermined, naming both amounts); a plugin's catalog includes it as it is.
DISPUTE_FACT = {
    "family_size": ("count", "the family size"),
    "available": ("number", "CAD available"),
    "earlier_amount": ("number", "CAD needed if the amounts took effect on the earlier day one source gives"),
    "later_amount": (
        "number",
        "CAD needed if they took effect on the later day another source gives (the amounts in force until then)",
    ),
    "enough": ("number", "the higher of the two: funds of at least this much meet the requirement on either day"),
    "earlier_day": ("date", "the earlier day a source gives for the amounts"),
    "earlier_source": ("text", "the source that gives it"),
    "later_day": ("date", "the later day another source gives"),
    "later_source": ("text", "the source that gives it"),
}


def amount_or_dispute(family_size: int, available: float | None, params: dict) -> tuple[float | None, dict | None]:
    """The amount `available` is compared with, or None and a `funds_dispute` fact. On a day where the sources
    disagree on when the amounts in force took effect (`settlement_funds_disputed_by_family_size` is not empty:
    the amounts in force if the later day is right), funds at or above both amounts meet either reading (the
    higher is compared), funds below both fail either (the lower is compared), and funds between them are
    decided by neither: the fact names both amounts and the day each source gives
    (`settlement_funds_dispute_days`). Funds not given are compared with the earlier day's amount
    (on any other day there is one amount). `settlement_funds_by_family_size` must not be empty.

    Examples:
        >>> params = {"settlement_funds_by_family_size": {1: 14690}, "settlement_funds_each_additional_member": 3958,
        ...           "settlement_funds_disputed_by_family_size": {1: 13757}, "settlement_funds_disputed_each_additional_member": 3706,
        ...           "settlement_funds_dispute_days": {"a.com": "2024-05-28", "b.com": "2024-06-03"}}
        >>> amount_or_dispute(1, 14690, params), amount_or_dispute(1, 13756, params), amount_or_dispute(2, None, params)
        ((14690, None), (13757, None), (18648, None))
        >>> amount_or_dispute(1, 14000, params)[1]["later_amount"]
        13757.0
        >>> amount_or_dispute(1, 14000, {**params, "settlement_funds_disputed_by_family_size": {}})
        (14690, None)
    """
    earlier = funds_required(
        family_size, params["settlement_funds_by_family_size"], params["settlement_funds_each_additional_member"]
    )
    disputed = params["settlement_funds_disputed_by_family_size"]
    later = (
        funds_required(family_size, disputed, params["settlement_funds_disputed_each_additional_member"])
        if disputed
        else earlier
    )
    if available is None:
        return earlier, None
    if available >= max(earlier, later):
        return max(earlier, later), None
    if available < min(earlier, later):
        return min(earlier, later), None
    return None, {
        "t": "funds_dispute",
        "family_size": family_size,
        "available": float(available),
        "earlier_amount": float(earlier),
        "later_amount": float(later),
        "enough": float(max(earlier, later)),
        **_dispute_days(params["settlement_funds_dispute_days"]),
    }


def _dispute_days(days: dict) -> dict:
    """The earliest and the latest day of `settlement_funds_dispute_days` (source -> ISO day), with their sources.

    Examples:
        >>> _dispute_days({"b.com": "2024-06-03", "a.com": "2024-05-28"})["earlier_source"]
        'a.com'
    """
    (first, early), (last, late) = min(days.items(), key=lambda e: e[1]), max(days.items(), key=lambda e: e[1])
    return {
        "earlier_day": as_int(dt.date.fromisoformat(early)),
        "earlier_source": first,
        "later_day": as_int(dt.date.fromisoformat(late)),
        "later_source": last,
    }
