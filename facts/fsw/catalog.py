"""The facts FSW's derivation (derive.py) asserts, their fields and each field's type: what its rules match.

The validator checks every pattern, `{ref: …}` and reason placeholder of an FSW ruleset against this
catalog. Types drive how reasons show values (`date`: YYYYMMDD integers shown as ISO dates; `hours`:
separators and two decimals; money travels as a float `number`, shown with separators).
"""

from ..catalog import FACT_KINDS as CEC_FACT_KINDS
from ..funds import DISPUTE_FACT

FACT_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "applicant": CEC_FACT_KINDS["applicant"],
    "experience": {
        "continuous_hours": (
            "hours",
            "the most hours of one continuous run of days in one skilled unit group (known codes only), in the window",
        ),
        "possible_continuous_hours": (
            "hours",
            "the same if every period whose split NOC code might be that unit group counts in it (equals continuous_hours when no code is unsettled)",
        ),
        "run_noc_code": ("text", "the unit group of that run, empty when none"),
        "run_title": ("text", "its title"),
        "run_level": (
            "text",
            "its level under the edition (TEER digit, or 0/A/B), of every unit group of the edition the code shown can be (`0 or B`)",
        ),
        "run_start": ("date", "first day of the run (0 when none)"),
        "run_end": ("date", "last day of the run (0 when none)"),
        "skilled_hours": (
            "hours",
            "hours of skilled work in the window, all occupations, each week capped (IRPR 80(4)); periods whose code might not be skilled left out",
        ),
        "possible_skilled_hours": ("hours", "the same with those periods counted"),
        "years": (
            "count",
            "completed years of skilled work in the window: skilled_hours / hours_per_year_of_experience, rounded down",
        ),
        "possible_years": ("count", "the same from possible_skilled_hours"),
        "years_settled": (
            "bool",
            "whether every count from years to possible_years gives the same experience points (split codes cannot change them)",
        ),
        "window_start": ("date", "first day of the window"),
        "window_end": ("date", "last day of the window (the day before the assessment date)"),
        "unsettled_periods": ("count", "periods whose split NOC code leaves their unit group or skill unsettled"),
        "self_employed_periods": ("count", "counted periods of self-employment (an interpretation: see the ruleset)"),
    },
    "age": {
        "known": ("bool", "whether a date of birth was given"),
        "years": ("count", "completed years on the assessment date (0 when unknown)"),
    },
    "official_language": {  # the best valid result in one official language: CEC's language_result, and which is first
        **CEC_FACT_KINDS["language_result"],
        "first": (
            "bool",
            "whether it is the first official language: the one giving more points (the applicant chooses, IRPR 79(1))",
        ),
    },
    "education": {
        "credentials": ("count", "completed credentials given"),
        "recognized": ("count", "Canadian credentials, and foreign ones with a valid ECA"),
        "level": ("text", "the level of the recognized credential worth most points, or none"),
        "years": ("count", "its full-time length in years (0 when not given)"),
        "second_credential": ("bool", "whether another recognized post-secondary credential exists"),
        "settled": (
            "bool",
            "false when a credential's missing length, or the credentials left out, could change the points",
        ),
        "given": ("bool", "whether the input gives `education` at all (left out is not none: undetermined)"),
        "unrecognized": ("text", "the foreign credentials without a valid ECA, for reasons (empty when none)"),
    },
    "canada_ties": {
        "canadian_work_hours": (
            "hours",
            "hours of authorized full-time skilled work in Canada before the assessment date (weekly cap)",
        ),
        "possible_canadian_work_hours": ("hours", "the same counting periods whose split code might be skilled"),
        "canadian_study_years": (
            "count",
            "the longest full-time length of a completed Canadian credential at canadian_study_levels (0: none)",
        ),
        "canadian_study_unknown": (
            "count",
            "completed Canadian credentials at canadian_study_levels whose length is not given",
        ),
        "relatives": (
            "count",
            "relatives of the applicant who qualify (relation, 18+, citizen or PR, living in Canada)",
        ),
    },
    "spouse": {
        "accompanying": ("bool", "whether the spouse or partner accompanies the applicant"),
        "citizen_or_pr": ("bool", "whether the spouse or partner is a Canadian citizen or permanent resident"),
        "language_lowest": ("count", "the lowest CLB/NCLC level of the spouse's best valid result (0: none)"),
        "language_test": ("text", "that result's test name (empty: none)"),
        "canadian_study_years": ("count", "as for the applicant, the spouse's Canadian credentials"),
        "canadian_study_unknown": ("count", "as for the applicant"),
        "canadian_work_hours": ("hours", "hours of authorized full-time work in Canada, any occupation"),
        "relatives": ("count", "relatives of the spouse who qualify"),
    },
    "job_offer": {
        "noc_code": ("text", "the offer's unit group, in the edition's classification when known, else as given"),
        "title": ("text", "its title"),
        "skilled": ("text", "yes, no, or unsettled (a split NOC code with skilled and unskilled counterparts)"),
        "lmia": ("bool", "supported by an LMIA or an exemption that qualifies as arranged employment"),
        "full_time": ("bool", "full-time work"),
        "open_ended": ("bool", "no end date"),
        "duration_months": ("count", "its length in months (0 when open-ended)"),
    },
    "settlement_funds": {
        "status": (
            "text",
            "sufficient, short, disputed (between the two amounts of a day where the sources disagree), not_given (settlement_funds or family_size missing) or amounts_unknown (the edition has no amounts for the date)",
        ),
        "funds_given": (
            "bool",
            "settlement_funds is given (0 CAD falls short of every amount, even with the family size not given)",
        ),
        "available": ("number", "CAD available (0 when not given)"),
        "required": (
            "number",
            "CAD required for the family size on the assessment date (0 when unknown or disputed; on a day where the sources disagree, the amount that decides: the higher when sufficient, the lower when short)",
        ),
        "family_size": ("count", "members counted (0 when not given)"),
        "shortfall": ("number", "required - available when short, else 0"),
        "working_in_canada": ("bool", "a paid work period in Canada, with authorization, covers the assessment date"),
    },
    "funds_dispute": DISPUTE_FACT,  # only on a day where the sources disagree, for funds between the two amounts
    "missing_input": {
        "topic": ("text", "the criterion or score factor it leaves open"),
        "field": ("text", "the input field that would settle it"),
        "why": ("text", "what to give there"),
    },
}
