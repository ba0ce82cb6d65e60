"""The fact kinds the pool's rules match: the applicant, its best language results, its experience per
category, and (engine/chaining.py) the decisions of the programs the pool consumes."""

from cec_rules.engine.chaining import CONSUMED_FACT_KINDS

FACT_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "applicant": {
        "id": ("text", "the applicant's id"),
        "as_of": ("date", "the assessment date: --as-of, or the application date"),
    },
    "language_tests": {
        "given": ("count", "how many language results the profile gives"),
        "valid": (
            "count",
            "how many of them are valid on the assessment date (accepted test, less than the validity limit old)",
        ),
    },
    "language_result": {
        "test": ("text", "test id"),
        "test_title": ("text", "test name"),
        "language": ("text", "english or french: the best valid result in each official language"),
        "level_name": ("text", "CLB or NCLC"),
        "date": ("date", "result date"),
        "lowest": ("count", "the lowest of the four levels"),
        "lowest_ability": ("text", "an ability with the lowest level"),
    },
    "profile": {
        "given": ("bool", "whether the applicant gives `profile_submitted`"),
        "submitted": ("date", "the UTC day the profile was submitted (0 when not given)"),
        "expires": (
            "date",
            "the first day the profile is no longer in the pool: `profile_validity_months` later (0 when not given)",
        ),
        "expired": ("bool", "whether the assessment date is on or after `expires` (false when not given)"),
    },
    "profile_after_assessment": {  # asserted only for a profile submitted after the assessment date
        "submitted": ("date", "the UTC day the profile was submitted, later than the assessment date"),
        "as_of": ("date", "the assessment date"),
    },
    "category_experience": {
        "category": ("text", "an occupation category in force (one fact per category of `occupation_categories`)"),
        "hours": (
            "hours",
            "hours in the window in the category's occupations, Canada or abroad (weekly cap across jobs)",
        ),
        "canadian_hours": ("hours", "the same, in Canada only"),
        "longest_run_hours": ("hours", "hours of the best continuous run of work in one of the category's occupations"),
        "longest_canadian_run_hours": ("hours", "the same, in Canada only"),
        "occupation_hours": (
            "hours",
            "hours in the window in the one listed occupation with the most, Canada or abroad (weekly cap)",
        ),
        "canadian_occupation_hours": ("hours", "the same, in Canada only"),
        "unsettled_periods": (
            "count",
            "periods whose NOC 2016 code maps to several NOC 2021 groups, only some in the list (not counted)",
        ),
        "unsettled_fields": (
            "text",
            "the input fields of those periods' codes (work_history[i].noc_code), comma-separated",
        ),
        "possible_hours": ("hours", "`hours` with the unsettled periods counted as their listed unit groups"),
        "possible_occupation_hours": ("hours", "`occupation_hours` with the unsettled periods counted"),
        "possible_canadian_occupation_hours": (
            "hours",
            "`canadian_occupation_hours` with the unsettled periods counted",
        ),
        "possible_run_hours": ("hours", "`longest_run_hours` with the unsettled periods counted"),
        "possible_canadian_run_hours": ("hours", "`longest_canadian_run_hours` with the unsettled periods counted"),
        "job_offer": ("bool", "whether the job offer's occupation is in the category's list"),
        "possible_job_offer": (
            "bool",
            "whether it may be: a NOC 2016 code with some of its NOC 2021 unit groups listed (or `job_offer`)",
        ),
    },
    **CONSUMED_FACT_KINDS,
}
