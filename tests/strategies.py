"""Hypothesis generators of applicants in the input contract (DESIGN.md "Input contract"), for the
property tests.

Why generators read the bundled rulesets instead of listing codes and scores here: the properties must
range over what the decision really sees, so NOC codes come from StatCan's tables in `rulesets/data/noc`
(both classifications, with the codes that split in the 2016 <-> 2021 correspondence), scores sit on the
valid steps of each test's own score table for its test date, and provinces come from the edition's
`provinces_and_territories`. The records are plain dicts with ISO date strings, as a JSON or YAML file
gives them, so each property goes through the same validation as `cec evaluate` and `cec batch`.

Dates are drawn around the places where the law turns: both CEC editions (2015-01-01 NOC 2016 and
2022-11-16 NOC 2021, with the days on either side of the change), 29 February, the start of the
3-year counting window, the 2-year language validity edge, results dated after the application, and
the dates the score tables or accepted tests change (TEF Canada 2019-10-01 and 2023-12-11, PTE Core
2024-01-30).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from hypothesis import strategies as st

from cec_rules.engine.evaluator import load_bundled_or
from cec_rules.engine.library import Edition, Library
from cec_rules.facts.tables import ABILITIES, NocTables, ScoreTable
from cec_rules.facts.dates import years_before

FIRST_DAY = dt.date(2015, 1, 1)  # the first edition's effective_from (checked in EDGE_DATES below)
LAST_DAY = dt.date(2029, 12, 31)
EDGE_DATES = [
    dt.date.fromisoformat(d)
    for d in (
        "2015-01-01",
        "2016-02-29",
        "2019-02-28",
        "2019-03-01",
        "2019-10-01",
        "2020-02-29",
        "2022-11-15",
        "2022-11-16",
        "2022-11-17",
        "2023-02-28",
        "2023-03-01",
        "2023-12-11",
        "2024-01-29",
        "2024-01-30",
        "2024-02-29",
        "2025-02-28",
        "2025-11-16",
        "2026-02-28",
        "2026-03-01",
        "2026-11-01",
        "2027-02-28",
        "2028-02-29",
    )
]


@lru_cache(maxsize=1)
def library() -> Library:
    """The bundled rulesets, loaded once per process (the same data the evaluator decides with)."""
    return load_bundled_or(None)


def editions() -> list[Edition]:
    return library().programs["cec"]


def edition_on(day: dt.date) -> Edition:
    edition = library().edition_for("cec", day)
    assert edition is not None, f"no cec edition in force on {day}"
    return edition


def parameter(day: dt.date, name: str):
    """A parameter of the edition in force on `day`, as it stands on that day."""
    return edition_on(day).ruleset.parameters[name].value_on(day)


def noc() -> NocTables:
    return editions()[-1].tables.noc


# --- NOC codes ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _code_pools() -> dict[str, list[tuple[int, str]]]:
    """(version, code) pools: every code of each classification, the codes with several counterparts in
    the correspondence (splits and merges), and the codes each edition counts as skilled."""
    tables = noc()
    pools: dict[str, list[tuple[int, str]]] = {}
    for version in (2016, 2021):
        codes = sorted(tables.units[version])
        pools[f"all_{version}"] = [(version, c) for c in codes]
        pools[f"split_{version}"] = [(version, c) for c in codes if len(tables.counterparts(version, c)) > 1]
    for edition in editions():
        day = edition.ruleset.effective_from
        version, skilled = parameter(day, "noc_version"), {str(s) for s in parameter(day, "skilled_levels")}
        pools[f"skilled_{version}"] = [
            (version, c) for c, o in sorted(tables.units[version].items()) if o.level in skilled
        ]
    return pools


@lru_cache(maxsize=1)
def one_to_one_codes() -> list[tuple[str, str]]:
    """(NOC 2016 code, NOC 2021 code) pairs that correspond only to each other: one unit group, two names."""
    tables = noc()
    pairs = []
    for code in sorted(tables.units[2016]):
        targets = tables.counterparts(2016, code)
        if len(targets) == 1 and [o.code for o in tables.counterparts(2021, targets[0].code)] == [code]:
            pairs.append((code, targets[0].code))
    return pairs


@lru_cache(maxsize=4)
def disputed_codes(edition_from: dt.date) -> list[tuple[int, str]]:
    """Codes of the other classification whose counterparts differ under the edition (skilled or not, or
    the language threshold): the inputs that may leave a criterion undetermined."""
    thresholds = {str(k): v for k, v in parameter(edition_from, "language_level_by_occupation_level").items()}
    skilled = {str(level) for level in parameter(edition_from, "skilled_levels")}
    other = 2016 if parameter(edition_from, "noc_version") == 2021 else 2021
    outcome = lambda o: (o.level in skilled, thresholds.get(o.level))  # noqa: E731
    return [
        pair for pair in _code_pools()[f"split_{other}"] if len({outcome(o) for o in noc().counterparts(*pair)}) > 1
    ]


def other_classification_codes(day: dt.date) -> st.SearchStrategy[tuple[int, str]]:
    """A code of the classification the edition in force on `day` does not use (the edition reads it
    through the correspondence), with counterparts: often one whose counterparts differ under the edition,
    else any that splits, else any."""
    other = 2016 if parameter(day, "noc_version") == 2021 else 2021
    pools = _code_pools()
    mapped = [pair for pair in pools[f"all_{other}"] if noc().counterparts(*pair)]
    disputed = disputed_codes(edition_on(day).ruleset.effective_from)
    return st.one_of(st.sampled_from(disputed), st.sampled_from(pools[f"split_{other}"]), st.sampled_from(mapped))


def counterpart_codes(pair: tuple[int, str]) -> list[tuple[int, str]]:
    """The unit groups of the other classification that the code corresponds to."""
    return [(o.version, o.code) for o in noc().counterparts(*pair)]


def period_code(pair: tuple[int, str]) -> dict:
    return {"noc_version": pair[0], "noc_code": pair[1]}


def noc_codes() -> st.SearchStrategy[dict]:
    """`{noc_version, noc_code}` from the real tables, weighted toward skilled codes and split codes."""
    pools = _code_pools()
    return st.one_of(*(st.sampled_from(pools[name]) for name in sorted(pools))).map(period_code)


@lru_cache(maxsize=4)
def lowest_threshold_codes(edition_from: dt.date) -> list[tuple[int, str]]:
    """Codes whose every reading under the edition has its lowest language threshold (TEER 2/3 from
    2022-11-16, skill level B before): the edition's own codes at such a level, and codes of the other
    classification whose every counterpart is at such a level. Computed from the tables and parameters
    directly, not with the code under test."""
    thresholds = {str(k): v for k, v in parameter(edition_from, "language_level_by_occupation_level").items()}
    lowest = {level for level, value in thresholds.items() if value == min(thresholds.values())}
    version = parameter(edition_from, "noc_version")
    other = 2016 if version == 2021 else 2021
    tables = noc()
    own = [(version, c) for c, o in sorted(tables.units[version].items()) if o.level in lowest]
    crossing = [
        (other, c)
        for c in sorted(tables.units[other])
        if (targets := tables.counterparts(other, c)) and all(t.level in lowest for t in targets)
    ]
    return own + crossing


# --- dates --------------------------------------------------------------------------------------


def application_dates() -> st.SearchStrategy[dt.date]:
    """Any day either edition is in force (to 2029), or one of the edges where the law turns."""
    return st.one_of(st.dates(FIRST_DAY, LAST_DAY), st.sampled_from(EDGE_DATES))


def days_around(anchor: dt.date, before: int, after: int) -> st.SearchStrategy[dt.date]:
    """A day from `before` days before `anchor` to `after` days after it, often exactly at a small offset."""
    return st.one_of(st.integers(-before, after), st.integers(-2, 2)).map(lambda n: anchor + dt.timedelta(days=n))


# --- work and study -----------------------------------------------------------------------------

HOURS = [0, 7.5, 10, 12.25, 15, 20, 29.5, 30, 30.5, 35, 37.5, 40, 44, 60]


def hours_per_week() -> st.SearchStrategy[float]:
    """Weekly hours, including fractions (37.5, 12.25) and tenths, above and below the weekly cap of 30."""
    return st.one_of(st.sampled_from(HOURS), st.integers(0, 800).map(lambda tenths: tenths / 10))


def mostly(value: bool) -> st.SearchStrategy[bool]:
    """`value` nine times out of ten: most generated periods qualify, so the interesting cases are common."""
    return st.sampled_from([value] * 9 + [not value])


def _spans(application_date: dt.date, back_years: int):
    """(start, end), the end often null ("still there"); starts spread over the years before the application
    and cluster on the first day of the counting window."""
    window_start = years_before(application_date, parameter(application_date, "experience_window_years"))
    start = st.one_of(days_around(application_date, back_years * 366, 20), days_around(window_start, 30, 30))
    return start.flatmap(
        lambda s: st.tuples(
            st.just(s), st.one_of(st.none(), st.integers(0, 4 * 366).map(lambda n: s + dt.timedelta(days=n)))
        )
    )


@st.composite
def work_periods(draw, application_date: dt.date, codes: st.SearchStrategy[dict] | None = None) -> dict:
    """One work period: any code (or one from `codes`), mostly paid, employed, authorized and in Canada."""
    start, end = draw(_spans(application_date, 5))
    return {
        **draw(codes if codes is not None else noc_codes()),
        "country": draw(st.sampled_from(["CA"] * 8 + ["US", "IN"])),
        "start": start.isoformat(),
        "end": end.isoformat() if end else None,
        "hours_per_week": draw(hours_per_week()),
        "paid": draw(mostly(True)),
        "self_employed": draw(mostly(False)),
        "authorized": draw(mostly(True)),
    }


@st.composite
def qualifying_work_periods(
    draw, application_date: dt.date, codes: st.SearchStrategy[tuple[int, str]] | None = None
) -> dict:
    """A period that counts under the edition in force: paid, employed, authorized, in Canada, in a code of
    the edition's own classification that it counts as skilled (or one from `codes`), mostly inside the
    counting window."""
    version = parameter(application_date, "noc_version")
    window_start = years_before(application_date, parameter(application_date, "experience_window_years"))
    start = draw(days_around(window_start, 60, (application_date - window_start).days - 30))
    end = draw(
        st.one_of(
            st.none(), _day_in(max(start, application_date - dt.timedelta(days=60)), max(start, application_date))
        )
    )
    code = draw(codes if codes is not None else st.sampled_from(_code_pools()[f"skilled_{version}"]))
    return {
        **period_code(code),
        "country": "CA",
        "start": start.isoformat(),
        "end": end.isoformat() if end else None,
        "hours_per_week": draw(hours_per_week()),
        "paid": True,
        "self_employed": False,
        "authorized": True,
    }


@st.composite
def study_periods(draw, application_date: dt.date) -> dict:
    start, end = draw(_spans(application_date, 6))
    return {
        "start": start.isoformat(),
        "end": end.isoformat() if end else None,
        "full_time": draw(st.booleans()),
        "country": draw(st.sampled_from(["CA", "CA", "FR"])),
    }


# --- language results ---------------------------------------------------------------------------


def score_steps(table: ScoreTable, ability: str) -> int:
    """How many steps above the minimum the table's scale has for `ability`."""
    scale = table.score_range[ability]
    return round((scale.max - scale.min) / scale.step)


def score_at(table: ScoreTable, ability: str, step: int):
    """The score `step` steps above the scale's minimum, as an int when the scale is whole numbers."""
    scale = table.score_range[ability]
    value = scale.min + step * scale.step
    return int(value) if float(value).is_integer() and isinstance(scale.step, int) else value


def score_steps_near_levels(table: ScoreTable, ability: str) -> list[int]:
    """The steps of each level's minimum score and of the score just below it: where a level turns."""
    scale = table.score_range[ability]
    steps = {round((minimum - scale.min) / scale.step) for minimum in table.minimum_score[ability].values()}
    return sorted({s + d for s in steps for d in (-1, 0) if 0 <= s + d <= score_steps(table, ability)})


def scores(table: ScoreTable, ability: str) -> st.SearchStrategy:
    """A valid score for `ability` on `table`: anywhere on the scale, or at a level's edge."""
    step = st.one_of(
        st.integers(0, score_steps(table, ability)), st.sampled_from(score_steps_near_levels(table, ability))
    )
    return step.map(lambda s: score_at(table, ability, s))


def scores_reaching(table: ScoreTable, ability: str, level: int) -> st.SearchStrategy:
    """A score at `level`'s minimum for `ability` or a few steps above it (so results pass thresholds often)."""
    scale = table.score_range[ability]
    minimums = table.minimum_score[ability]  # abilities may list different levels: the nearest one at or below
    minimum = max((score for lvl, score in minimums.items() if lvl <= level), default=scale.min)
    first = round((minimum - scale.min) / scale.step)
    return st.integers(first, min(first + 3, score_steps(table, ability))).map(lambda s: score_at(table, ability, s))


@st.composite
def result_scores(draw, table: ScoreTable) -> dict:
    """Four scores, usually all reaching one level drawn from the table (CLB/NCLC 4 to 10), else any four."""
    if draw(st.integers(0, 4)) == 0:
        return {a: draw(scores(table, a)) for a in ABILITIES}
    level = draw(st.sampled_from(sorted(table.minimum_score[ABILITIES[0]], reverse=True)))
    return {a: draw(scores_reaching(table, a, level)) for a in ABILITIES}


def language_test_names() -> list[str]:
    return sorted(editions()[-1].tables.language_tests)


def _accepted_from(day: dt.date) -> dict[str, dt.date]:
    """Per test, the first result date that counts (a test designated later), from the edition's table."""
    return {
        test: dt.date.fromisoformat(str(first))
        for test, first in parameter(day, "language_results_accepted_from").items()
    }


def _day_in(first: dt.date, last: dt.date) -> st.SearchStrategy[dt.date]:
    """A day from `first` to `last`, often one of the two ends."""
    return st.one_of(
        st.integers(0, (last - first).days).map(lambda n: first + dt.timedelta(days=n)), st.sampled_from([first, last])
    )


def _not_valid(application_date: dt.date, oldest: dt.date, accepted: list[str], first: dict[str, dt.date]):
    """(test, date) of a result that does not count, for one of the reasons `why_not_valid` gives."""
    day = dt.timedelta(days=1)
    expired = st.one_of(st.just(oldest), st.integers(1, 400).map(lambda n: oldest - n * day))  # 2 years old, or older
    reasons = [
        st.tuples(st.sampled_from(language_test_names()), expired),
        st.tuples(st.sampled_from(language_test_names()), st.integers(1, 60).map(lambda n: application_date + n * day)),
    ]
    refused = [name for name in language_test_names() if name not in accepted]
    if refused:
        reasons.append(st.tuples(st.sampled_from(refused), _day_in(oldest + day, application_date)))
    for name in accepted:
        if first.get(name, oldest) > oldest + day:  # designated within the validity period: dated just before
            reasons.append(
                st.tuples(st.just(name), _day_in(oldest + day, min(first[name], application_date + day) - day))
            )
    return st.one_of(reasons)


@st.composite
def language_results(draw, application_date: dt.date, validity: str = "any") -> dict:
    """One result of a designated test, with dates around the 2-year validity edge, inside it, before the
    test was designated, or after the application date. `validity` "valid" keeps to results that count on
    `application_date` (see `why_not_valid`); "not valid" to results that do not."""
    oldest = years_before(application_date, parameter(application_date, "language_validity_years"))
    accepted, first = sorted(parameter(application_date, "accepted_language_tests")), _accepted_from(application_date)
    countable = [name for name in accepted if first.get(name, oldest) <= application_date]
    if validity == "valid":
        name = draw(st.sampled_from(countable))
        date = draw(_day_in(max(oldest + dt.timedelta(days=1), first.get(name, oldest)), application_date))
    elif validity == "not valid":
        name, date = draw(_not_valid(application_date, oldest, accepted, first))
    else:
        name = draw(st.sampled_from(language_test_names()))
        not_valid = _not_valid(application_date, oldest, accepted, first).map(lambda pair: pair[1])
        date = draw(st.one_of(_day_in(oldest + dt.timedelta(days=1), application_date), not_valid))
    table = editions()[-1].tables.language_tests[name].table_for(date)
    return {"test": name, "date": date.isoformat(), **draw(result_scores(table))}


# --- applicants ---------------------------------------------------------------------------------


def provinces(day: dt.date, quebec: bool = True) -> st.SearchStrategy[str]:
    """Any province or territory of the edition, Quebec more often than its share (or never)."""
    others = [code for code in parameter(day, "provinces_and_territories") if code != "QC"]
    return (
        st.one_of(st.sampled_from(others), st.sampled_from(others), st.just("QC"))
        if quebec
        else st.sampled_from(others)
    )


@st.composite
def applicants(draw, max_work: int = 4, min_tests: int = 0, max_tests: int = 3, max_study: int = 2) -> dict:
    """A whole applicant record; the admissible field is sometimes left out (it defaults to true)."""
    day = draw(application_dates())
    record = {
        "id": "P-1",
        "application_date": day.isoformat(),
        "intended_province": draw(provinces(day)),
        "language_tests": draw(
            st.lists(
                st.one_of(language_results(day, "valid"), language_results(day)), min_size=min_tests, max_size=max_tests
            )
        ),
        "work_history": draw(st.lists(st.one_of(qualifying_work_periods(day), work_periods(day)), max_size=max_work)),
        "study_history": draw(st.lists(study_periods(day), max_size=max_study)),
    }
    admissible = draw(st.sampled_from([True, True, True, True, False, None, None]))
    if admissible is not None:
        record["admissible"] = admissible
    return record


def day_of(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def application_day(record: dict) -> dt.date:
    return day_of(record["application_date"])


def why_not_valid(result: dict, application_date: dt.date) -> str | None:
    """Why a result does not count on `application_date`, or None when it counts. DESIGN.md and the
    editions: a test accepted on that day, a result dated on or after the day its test was designated,
    less than 2 years old (so dated after the day 2 years before), and not after the application."""
    date = day_of(result["date"])
    oldest = years_before(application_date, parameter(application_date, "language_validity_years"))
    if result["test"] not in parameter(application_date, "accepted_language_tests"):
        return "test not accepted"
    if date < _accepted_from(application_date).get(result["test"], date):
        return "dated before the test was designated"
    if date <= oldest:
        return "expired" if date < oldest else "exactly 2 years old"
    if date > application_date:
        return "dated after the application"
    return None


def valid_on(result: dict, application_date: dt.date) -> bool:
    return why_not_valid(result, application_date) is None
