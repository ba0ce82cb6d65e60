"""The fact kinds the CRS derivation asserts: the vocabulary the CRS rulesets match.

Each field is typed as in facts/catalog.py (`date` travels as YYYYMMDD, `count` is a whole number).
A value the input cannot settle is never guessed: its `*_settled` field is false and a `crs_unsettled`
fact names the input field that would settle it, so the rules can say the factor is undetermined.
"""

FACT_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "crs_applicant": {
        "id": ("text", "the applicant's id"),
        "as_of": ("date", "the day points are assigned"),
        "with_spouse": ("bool", "an accompanying spouse or partner who is not a Canadian citizen or PR"),
        "age": ("count", "completed years on the assessment date (0 when unknown)"),
        "age_known": ("bool", "whether a date of birth was given"),
        "education": (
            "text",
            "the highest education level (education_ranking): none, secondary, one_year, two_year, three_year, two_or_more, masters, doctoral",
        ),
        "education_settled": ("bool", "whether the input settles the education level"),
        "first_language": ("text", "english, french or none: the official language with the higher valid result"),
        "first_lowest": ("count", "the lowest CLB/NCLC of the four abilities in the first official language (0: none)"),
        "english_lowest": ("count", "the lowest CLB of the best valid English result (0: none)"),
        "french_lowest": ("count", "the lowest NCLC of the best valid French result (0: none)"),
        "canadian_years": ("count", "whole years (full-time equivalent) of skilled Canadian work in the window"),
        "canadian_hours": ("hours", "those hours, exact sum as a float never above it"),
        "canadian_settled": ("bool", "whether the years are the same however split NOC codes are read"),
        "foreign_years": (
            "count",
            "whole years (full-time equivalent) of skilled foreign work in one occupation in the window",
        ),
        "foreign_settled": ("bool", "whether the foreign years are the same however split NOC codes are read"),
        "certificate": ("bool", "holds a Canadian certificate of qualification issued by the assessment date"),
        "nominated": ("bool", "holds a provincial or territorial nomination dated by the assessment date"),
        "canadian_credential": (
            "text",
            "the highest Canadian credential's level: none, secondary, one_year, two_year, three_year, masters, doctoral",
        ),
        "canadian_credential_settled": ("bool", "whether the input settles that level"),
    },
    "crs_ability": {
        "role": ("text", "first or second (the applicant's official languages) or spouse (the spouse's first)"),
        "language": ("text", "english or french"),
        "ability": ("text", "listening, reading, writing or speaking"),
        "clb": ("count", "the CLB/NCLC level of the ability"),
        "level_name": ("text", "CLB or NCLC"),
        "test_title": ("text", "the test the level comes from"),
        "with_spouse": ("bool", "as on crs_applicant"),
    },
    "crs_spouse": {
        "education": ("text", "the spouse's highest education level (as crs_applicant.education)"),
        "education_settled": ("bool", "whether the input settles it"),
        "canadian_years": ("count", "whole years of the spouse's skilled Canadian work in the window"),
        "canadian_settled": ("bool", "whether they are the same however split NOC codes are read"),
        "language": ("text", "english, french or none: the spouse's first official language"),
    },
    "crs_job_offer": {
        "noc_code": ("text", "the offer's NOC code as given"),
        "title": ("text", "its unit group's title"),
        "lmia": ("bool", "supported by an LMIA or an exemption that qualifies as arranged employment"),
        "full_time": ("bool", "full-time work"),
        "indefinite": ("bool", "no end date"),
        "duration_months": ("count", "months of work offered (0 when indefinite)"),
        "skilled": ("bool", "its unit group is of a skilled level under the edition (false when unsettled)"),
        "senior": ("bool", "its unit group is in the senior-management major group (false when unsettled)"),
        "settled": ("bool", "whether the code settles both (a split NOC code may not)"),
    },
    "crs_relative": {
        "index": ("count", "its place in relatives_in_canada"),
        "relation": ("text", "parent, grandparent, child, grandchild, sibling, aunt_uncle or niece_nephew"),
        "of": ("text", "applicant or spouse"),
        "citizen_or_pr": ("bool", "a Canadian citizen or permanent resident"),
        "lives_in_canada": ("bool", "lives in Canada"),
        "age_18_plus": ("bool", "18 or older"),
        "spouse_accompanying": ("bool", "whether the applicant's spouse or partner comes to Canada"),
    },
    "crs_unsettled": {
        "input": (
            "text",
            "what is unsettled: age, education, canadian_experience, foreign_experience, canadian_credential, spouse_education, spouse_canadian_experience, job_offer",
        ),
        "field": ("text", "the input field that would settle it"),
        "why": ("text", "what is unknown and what it decides"),
        # Only on the work inputs (canadian_experience and foreign_experience: both counts on each, when the
        # choice of language results is the same for every count between; spouse_canadian_experience: the
        # spouse's): the whole years every reading of the split codes gives at least and at most.
        "canadian_years": ("count", "the fewest years of Canadian work any reading gives (work inputs only)"),
        "canadian_possible_years": ("count", "the most years of Canadian work any reading gives (work inputs only)"),
        "foreign_years": (
            "count",
            "the fewest years of foreign work any reading gives (the applicant's work inputs only)",
        ),
        "foreign_possible_years": (
            "count",
            "the most years of foreign work any reading gives (the applicant's work inputs only)",
        ),
    },
}
