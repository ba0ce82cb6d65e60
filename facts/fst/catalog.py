"""The fact kinds FST's derivation asserts, their fields and each field's type: the vocabulary its rules match.

The validator checks every pattern, field and reason placeholder of an FST ruleset against this catalog.
Types drive how reasons show values (dates travel as integers YYYYMMDD; hours and amounts print with
thousands separators). Kinds that mean the same as CEC's (the applicant, a language result) start from
CEC's fields (facts/catalog.py), so the two programs describe them alike.
"""

from ..catalog import FACT_KINDS as CEC_FACT_KINDS
from ..funds import DISPUTE_FACT

FACT_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "applicant": {
        **CEC_FACT_KINDS["applicant"],
        "authorized_in_canada": (
            "bool",
            "an authorized work period in Canada covers the day before the assessment date (read as: authorized to work in Canada now)",
        ),
    },
    "work_experience": {
        "window_start": ("date", "first day of the counting window"),
        "window_end": ("date", "last day of the counting window (the day before the assessment date)"),
        "most_hours": (
            "hours",
            "the most qualifying hours in one skilled trade, counting only periods whose trade is settled (and, when self_employment_counts is open, not self-employed)",
        ),
        "most_possible_hours": (
            "hours",
            "the most qualifying hours one trade could have if every period whose split NOC code might be that trade counts, and every self-employed period when self_employment_counts is open",
        ),
        "most_hours_trade": ("text", "the trade with the most settled hours (code and title), or 'none'"),
        "unsettled_periods": (
            "count",
            "periods whose split NOC code leaves their trade (or whether it is a trade) open",
        ),
        "most_hours_every_reading": (
            "hours",
            "the most qualifying hours one skilled trade has in every reading of the split NOC codes: most_hours, or more when a period whose every counterpart is a trade has them in whichever trade it is (with that trade's settled periods)",
        ),
        "every_reading_work": (
            "text",
            "the period that gives most_hours_every_reading and what its split code became, or '' when a settled trade gives them",
        ),
    },
    "trade": {
        "noc_code": ("text", "the unit group's code in the edition's classification"),
        "noc_version": ("count", "2016 or 2021: the edition's classification"),
        "title": ("text", "the unit group's title"),
        "hours": (
            "hours",
            "qualifying hours in this trade in the window, weekly cap applied within the trade (periods whose trade is settled; not self-employed ones when self_employment_counts is open)",
        ),
        "possible_hours": (
            "hours",
            "the same, also counting periods whose split NOC code might be this trade and, when self_employment_counts is open, self-employed ones",
        ),
        "certificate": (
            "bool",
            "a certificate of qualification in this trade from a Canadian provincial, territorial or federal authority",
        ),
        "offer": ("bool", "the job offer is in this trade"),
    },
    "job_offer": {
        "noc_code": (
            "text",
            "the offer's unit group in the edition's classification (the reported code when it splits)",
        ),
        "title": ("text", "the offer's unit group title"),
        "in_trade": (
            "bool",
            "every employer's offer is in the same skilled trade of the edition (false when a split code leaves it open)",
        ),
        "lmia": (
            "bool",
            "every employer's offer is supported by an LMIA or an exemption that qualifies as arranged employment",
        ),
        "full_time": ("bool", "every employer's offer is of full-time work"),
        "open_ended": ("bool", "no employer's offer has an end date"),
        "duration_months": ("count", "the shortest employer's offer with an end date, in months (0 when open-ended)"),
        "employers": ("count", "how many employers the offer is from (job_offer and its other_employers)"),
    },
    "documents": {
        "described": ("text", "the job offer and certificates given, in words (for reasons)"),
    },
    "unresolved_code": {  # of a work period; a document's split code is a split_document
        "field": ("text", "the input field that would settle it, e.g. work_history[0].noc_code"),
        "why": ("text", "what is unknown: the code and the unit groups it became"),
    },
    "self_employed_work": {  # a self-employed period counted only in some readings (self_employment_counts: open)
        "field": ("text", "the input field that makes the period self-employed, e.g. work_history[0].self_employed"),
        "work": ("text", "the period in words: its index, its NOC code and title, its dates"),
        "possible_hours": (
            "hours",
            "the most qualifying hours a trade the period may be in could have, counting the self-employed work (possible_hours of that trade)",
        ),
    },
    "split_document": {  # a certificate that counts, or an employer's offer, whose split NOC code may name a trade
        "field": ("text", "the input field that would settle it, e.g. certificates_of_qualification[0].noc_code"),
        "why": ("text", "what is unknown: the code and the unit groups it became"),
        "code": ("text", "the code and the unit groups it became"),
        "offer": (
            "bool",
            "an employer's job offer (its terms are the job_offer fact's); false: a certificate of qualification",
        ),
        "every_reading_a_trade": (
            "bool",
            "the document is for a skilled trade however its code is read (a certificate or a one-employer offer whose every counterpart is a trade)",
        ),
        "possible_hours": (
            "hours",
            "the most qualifying hours a trade the document may be for could have (possible_hours of that trade)",
        ),
    },
    "language_result": {  # CEC's fields of a result and its levels; the threshold comparison is per ability here
        **{
            name: spec
            for name, spec in CEC_FACT_KINDS["language_result"].items()
            if name not in ("lowest", "lowest_ability")
        },
        "margin": ("number", "the smallest level minus the level required, over the four abilities (negative: short)"),
        "weakest_ability": ("text", "the ability with the smallest margin"),
        "weakest_level": ("count", "its level"),
        "weakest_required": ("count", "the level required in it"),
    },
    "funds": {
        "funds_given": ("bool", "settlement_funds is given"),
        "family_size_given": ("bool", "family_size is given"),
        "amounts_known": ("bool", "the ruleset has the amounts in force on the assessment date"),
        "available": ("amount", "settlement funds available (CAD; 0 when not given)"),
    },
    "funds_needed": {  # asserted only when the family size is given and the amounts in force are known (and not disputed for these funds)
        "amount": ("amount", "funds required for the family size on the assessment date (CAD)"),
        "family_size": ("count", "the family size"),
    },
    "funds_dispute": DISPUTE_FACT,  # only on a day where the sources disagree, for funds between the two amounts
}

FIELD_TYPES: dict[str, dict[str, str]] = {
    kind: {name: spec[0] for name, spec in fields.items()} for kind, fields in FACT_KINDS.items()
}
