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
        "qualifying_hours": (
            "hours",
            "qualifying hours in the window, counting only periods that count however split NOC codes are read (the exact sum as a float never above it)",
        ),
        "possible_hours": (
            "hours",
            "qualifying hours if every period whose split NOC code might be skilled counts (equals qualifying_hours when no code is unsettled)",
        ),
        "occupations_with_hours": (
            "count",
            "number of unit groups with qualifying hours, among periods whose unit group is known",
        ),
        "window_start": ("date", "first day of the counting window"),
        "window_end": ("date", "last day of the counting window (the day before the assessment date)"),
        "unsettled_periods": (
            "count",
            "periods that count only if their split NOC code is read as a skilled unit group",
        ),
    },
    "occupation_reading": {
        "reading": ("count", "the reading's number: one way of reading the split NOC codes (0 when no code splits)"),
        "occupations": (
            "count",
            "how many occupations share the most qualifying hours in this reading (0: none has hours)",
        ),
        "readings": ("count", "how many distinct readings there are"),
        "most_hours": (
            "hours",
            "the most qualifying hours in the window (all occupations together, weekly cap across jobs) that this reading may give: a reading with less never reaches the minimum",
        ),
    },
    "primary_occupation": {
        "reading": ("count", "the reading in which this unit group has the most qualifying hours"),
        "noc_code": ("text", "the unit group's code in the edition's classification"),
        "noc_version": ("count", "2016 or 2021: the edition's classification"),
        "title": ("text", "the unit group's title"),
        "level": ("text", "its level under the edition: the TEER digit (NOC 2021) or 0/A/B/C/D (NOC 2016)"),
        "hours": ("hours", "its qualifying hours in this reading (exact sum as a float never above it)"),
        "tied": ("bool", "whether other unit groups have as many qualifying hours in this reading"),
        "tied_with": ("text", "the codes and titles of the unit groups it is tied with, or empty"),
    },
    "unresolved_code": {
        "period": ("count", "index of the work period"),
        "field": ("text", "the input field that would settle it, e.g. work_history[0].noc_code"),
        "why": ("text", "what is unknown: the code and the unit groups it became"),
        "affects_experience": ("bool", "whether some of the unit groups it became are skilled and some are not"),
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

# The screen's facts (phase: screen rules decide which work periods count; facts/derive.py `screen_facts`).
# Each work period is screened in a session of its own, with the study periods over some of its days in the
# counting window (so a study_period fact always overlaps the work_period it is screened with). Every field a
# rule compares is categorical (flags, codes), so that periods which differ only in dates and hours share a
# decision pattern (engine/pattern_cache.py); dates are there for reasons and `during`.
SCREEN_KINDS: dict[str, dict[str, tuple[str, str]]] = {
    "work_period": {
        "item": ("count", "the period's index in work_history: what an exclusion names"),
        "paid": ("bool", "false: unpaid, volunteer, unpaid internship"),
        "self_employed": ("bool", "self-employed work"),
        "authorized": ("bool", "worked with authorization and temporary resident status"),
        "country": ("text", "ISO 3166 alpha-2 code of the country worked in"),
        "start": ("date", "first day"),
        "end": ("date", "last day (an open period: the day before the assessment date)"),
        "in_window": ("bool", "whether it has days in the counting window (its own clipping stays Python: the window)"),
        "skilled": (
            "bool",
            "skilled under the edition: true, false, or null when a split code's counterparts disagree",
        ),
        "counterparts": ("count", "unit groups of the edition's classification the code can be (0: no counterpart)"),
        "via_correspondence": (
            "bool",
            "whether the code is in the other classification, read through StatCan's correspondence",
        ),
        "occupation": (
            "text",
            "the reported code, its title and level, e.g. NOC 2021 73300 Transport truck drivers (TEER 3)",
        ),
        "correspondence": (
            "text",
            "what a code of the other classification became, e.g. NOC 2016 7511 (...) became 73300 ... (TEER 3); empty otherwise",
        ),
    },
    "study_period": {
        "study": ("count", "the period's index in study_history"),
        "full_time": ("bool", "full-time study"),
        "country": ("text", "ISO 3166 alpha-2 code of the country of study"),
        "start": ("date", "first day"),
        "end": ("date", "last day (an open period: the day before the assessment date)"),
    },
}
FACT_KINDS.update(SCREEN_KINDS)

FIELD_TYPES: dict[str, dict[str, str]] = {
    kind: {name: spec[0] for name, spec in fields.items()} for kind, fields in FACT_KINDS.items()
}

# How values of these types (and parameters whose unit says hours) show in reasons: the engine's
# "measure", grouped with at most two decimals (1,559.57), integers too.
FORMATS = {"hours": "measure"}
