"""The fact kinds the derivation asserts, their fields and each field's type: the vocabulary rules match.

The validator checks every `fact:`, `where:` field, `{ref: alias.field}` and reason placeholder in a
ruleset against this catalog (plus the kinds the ruleset derives itself), so a misspelt name fails
validation with a "did you mean" instead of silently never matching. Types drive how reasons show
values: `date` fields travel as integers YYYYMMDD (durable-rules has no dates) and print as ISO dates.
"""

FACT_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "applicant": {
        "id": ("text", "the applicant's id"),
        "as_of": ("date", "the assessment date: --as-of, or the application date"),
        "intended_province": ("text", "two-letter province or territory code"),
        "admissible": ("bool", "false when found inadmissible elsewhere"),
    },
    "work_experience": {
        "qualifying_hours": ("hours", "qualifying hours in the window: the exact sum as a float (sums are multiples of 1/700 h or coarser, far above float precision)"),
        "occupations_with_hours": ("count", "number of occupations (NOC unit groups) with qualifying hours"),
        "window_start": ("date", "first day of the counting window"),
        "window_end": ("date", "last day of the counting window (the day before the assessment date)"),
        "unresolved_periods": ("count", "periods not counted because their NOC code could not be resolved for the edition"),
    },
    "primary_occupation": {
        "noc_code": ("text", "the code as reported"),
        "noc_version": ("count", "2016 or 2021"),
        "title": ("text", "the unit group's title"),
        "level": ("text", "its level under the edition: the TEER digit (NOC 2021) or 0/A/B/C/D (NOC 2016)"),
        "hours": ("hours", "its qualifying hours (exact sum as a float)"),
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
        "lowest": ("count", "the lowest of the four levels"),
        "lowest_ability": ("text", "an ability with the lowest level"),
    },
}
