"""The fact kinds FST's derivation asserts, their fields and each field's type: the vocabulary its rules match.

The validator checks every pattern, field and reason placeholder of an FST ruleset against this catalog.
Types drive how reasons show values (dates travel as integers YYYYMMDD; hours and amounts print with
thousands separators).
"""

FACT_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "applicant": {
        "id": ("text", "the applicant's id"),
        "as_of": ("date", "the assessment date: --as-of, or the application date"),
        "intended_province": ("text", "two-letter province or territory code"),
        "admissible": ("bool", "false when found inadmissible elsewhere"),
        "authorized_in_canada": ("bool", "an authorized work period in Canada covers the day before the assessment date (read as: authorized to work in Canada now)"),
    },
    "work_experience": {
        "window_start": ("date", "first day of the counting window"),
        "window_end": ("date", "last day of the counting window (the day before the assessment date)"),
        "most_hours": ("hours", "the most qualifying hours in one skilled trade, counting only periods whose trade is settled"),
        "most_possible_hours": ("hours", "the most qualifying hours one trade could have if every period whose split NOC code might be that trade counts"),
        "most_hours_trade": ("text", "the trade with the most settled hours (code and title), or 'none'"),
        "unsettled_periods": ("count", "periods whose split NOC code leaves their trade (or whether it is a trade) open"),
    },
    "trade": {
        "noc_code": ("text", "the unit group's code in the edition's classification"),
        "noc_version": ("count", "2016 or 2021: the edition's classification"),
        "title": ("text", "the unit group's title"),
        "hours": ("hours", "qualifying hours in this trade in the window, weekly cap applied within the trade (periods whose trade is settled)"),
        "possible_hours": ("hours", "the same, also counting periods whose split NOC code might be this trade"),
        "certificate": ("bool", "a certificate of qualification in this trade from a Canadian provincial, territorial or federal authority"),
        "offer": ("bool", "the job offer is in this trade"),
    },
    "job_offer": {
        "noc_code": ("text", "the offer's unit group in the edition's classification (the reported code when it splits)"),
        "title": ("text", "the offer's unit group title"),
        "in_trade": ("bool", "the offer's occupation is a skilled trade of the edition (false when its split code leaves it open)"),
        "lmia": ("bool", "supported by an LMIA or an exemption that qualifies as arranged employment"),
        "full_time": ("bool", "an offer of full-time work"),
        "open_ended": ("bool", "the offer has no end date"),
        "duration_months": ("count", "the offer's length in months (0 when open-ended)"),
    },
    "documents": {
        "described": ("text", "the job offer and certificates given, in words (for reasons)"),
        "unsettled": ("count", "job offers or certificates whose split NOC code leaves their trade open"),
    },
    "unresolved_code": {
        "field": ("text", "the input field that would settle it, e.g. work_history[0].noc_code"),
        "why": ("text", "what is unknown: the code and the unit groups it became"),
        "document": ("bool", "true for a job offer or certificate, false for a work period"),
    },
    "language_result": {
        "test": ("text", "test id"),
        "test_title": ("text", "test name"),
        "language": ("text", "english or french"),
        "level_name": ("text", "CLB or NCLC"),
        "date": ("date", "result date"),
        "listening": ("count", "CLB/NCLC level"),
        "reading": ("count", "CLB/NCLC level"),
        "writing": ("count", "CLB/NCLC level"),
        "speaking": ("count", "CLB/NCLC level"),
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
    "funds_needed": {  # asserted only when the family size is given and the amounts in force are known
        "amount": ("amount", "funds required for the family size on the assessment date (CAD)"),
        "family_size": ("count", "the family size"),
    },
}

FIELD_TYPES: dict[str, dict[str, str]] = {kind: {name: spec[0] for name, spec in fields.items()} for kind, fields in FACT_KINDS.items()}
