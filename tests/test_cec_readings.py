"""A CEC decision on split NOC codes is what every way of settling them agrees on (DESIGN.md "Editions").

A code reported in the classification the edition does not use can correspond to several unit groups; the
applicant settles it by giving the one they meant. Deciding every settlement of every such code (each is
a plain decision, no code left open) gives the answer the law gives in each reading; the decision on the
unsettled input must be their Kleene join: eligible when every settlement is, not eligible when none is,
undetermined otherwise. The "none is" half is where rule `experience_and_language_never_together` comes
in: the hours may be reached in some readings and the language level met in others, each criterion open,
yet never both in the same reading (YAML cases: rulesets/cec/*/tests/never-together.yaml).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json

from click.testing import CliRunner
from hypothesis import event, given, settings
from hypothesis import strategies as st

from cec_rules.cli.main import cli
from cec_rules.engine.evaluator import load_bundled_or
from cec_rules.facts.reading import applicant_from_data

import strategies as gen
from support import NEW_EDITION, copy_rulesets, edit

SOURCE = "<generated>"
MOST_SETTLEMENTS = 64  # deciding each is a full decision; the readings never reach the enumeration bound


def decide(evaluator, record: dict):
    return evaluator.evaluate(applicant_from_data(record, SOURCE), source=SOURCE)


def settlements(record: dict) -> list[dict]:
    """The record with each code of the other classification replaced by one of its counterparts, every way."""
    version = gen.parameter(gen.application_day(record), "noc_version")
    work = record["work_history"]
    choices = [
        [gen.period_code(pair) for pair in gen.counterpart_codes((p["noc_version"], p["noc_code"]))] or [{}]
        if p["noc_version"] != version
        else [{}]
        for p in work
    ]
    return [
        {**record, "work_history": [{**p, **code} for p, code in zip(work, chosen)]}
        for chosen in itertools.product(*choices)
    ]


def kleene_join(outcomes: list[bool | None]) -> bool | None:
    return True if all(o is True for o in outcomes) else False if all(o is False for o in outcomes) else None


@st.composite
def with_split_codes(draw) -> dict:
    """An applicant with one to three more qualifying periods in codes of the other classification, most of
    which split (several readings, hours and levels that differ between them)."""
    record = draw(gen.applicants(max_work=2, min_tests=1))
    day = gen.application_day(record)
    more = st.lists(gen.qualifying_work_periods(day, gen.other_classification_codes(day)), min_size=1, max_size=3)
    return {**record, "work_history": record["work_history"] + draw(more)}


def full_time(pair: tuple[int, str], end: dt.date, weeks: int) -> dict:
    """`weeks` of paid, authorized full-time work in Canada ending on `end`."""
    start = end - dt.timedelta(days=7 * weeks - 1)
    return {
        **gen.period_code(pair),
        "country": "CA",
        "start": start.isoformat(),
        "end": end.isoformat(),
        "hours_per_week": 30,
        "paid": True,
        "self_employed": False,
        "authorized": True,
    }


@st.composite
def levels_and_hours_in_dispute(draw) -> dict:
    """Full-time work at the edition's lowest language level, short of the hours alone, then before it work in
    a code whose counterparts differ under the edition (skilled or not, or the language level) that may make
    up the hours, and one valid CELPIP result at CLB 5 or 6: the records where the hours and the language
    may each be open, in the same reading or in different ones."""
    day = draw(gen.application_dates())
    edition_from = gen.edition_on(day).ruleset.effective_from
    level = draw(st.sampled_from([5, 6]))
    taken = day - dt.timedelta(days=draw(st.integers(1, 700)))
    result = {
        "test": "celpip_general",
        "date": taken.isoformat(),
        **{a: level for a in ("listening", "reading", "writing", "speaking")},
    }
    recent_end = day - dt.timedelta(days=draw(st.integers(1, 30)))
    recent = full_time(
        draw(st.sampled_from(gen.lowest_threshold_codes(edition_from))), recent_end, draw(st.integers(20, 51))
    )
    earlier_end = gen.day_of(recent["start"]) - dt.timedelta(days=draw(st.integers(1, 60)))
    earlier = full_time(draw(st.sampled_from(gen.disputed_codes(edition_from))), earlier_end, draw(st.integers(20, 60)))
    return {
        "id": "P-1",
        "application_date": day.isoformat(),
        "intended_province": "ON",
        "language_tests": [result],
        "work_history": [recent, earlier],
        "study_history": [],
    }


@settings(max_examples=400)  # (the ci profile's 120 meet no record whose criteria are never met together)
@given(record=st.one_of(with_split_codes(), levels_and_hours_in_dispute()))
def test_the_decision_is_the_join_of_every_settlement(evaluator, record):
    every = settlements(record)
    if len(every) > MOST_SETTLEMENTS:
        event("too many settlements to decide")
        return
    decision = decide(evaluator, record)
    settled = [decide(evaluator, one).eligible for one in every]
    assert all(o is not None for o in settled), "a settled record left a criterion open"
    event(f"eligible {decision.eligible}, not_together {bool(decision.not_together)}")
    assert decision.eligible is kleene_join(settled), (
        f"eligible {decision.eligible} but the settlements give {sorted(map(str, settled))}\nrecord: {record}"
    )


NEVER_TOGETHER = {
    "id": "NT22-clb6",
    "application_date": "2026-11-02",
    "intended_province": "ON",
    "language_tests": [
        {
            "test": "ielts_general",
            "date": "2025-06-01",
            "listening": 5.5,
            "reading": 5.0,
            "writing": 5.5,
            "speaking": 5.5,
        }
    ],
    "work_history": [
        full_time((2016, "4216"), dt.date(2025, 11, 2), 40),
        full_time((2016, "1123"), dt.date(2024, 12, 29), 52),
    ],
    "study_history": [],
}


def test_cec_diff_shows_why_a_side_is_not_eligible(tmp_path):
    """changes.jsonl shows a side's not_together beside its reasons: eligible false with no unmet criterion
    would otherwise say nothing about why. Raising TEER 2-3 to CLB 7 makes the language unmet in every reading."""
    proposed = copy_rulesets(tmp_path)
    edit(proposed, NEW_EDITION, 'value: {"0": 7, "1": 7, "2": 5, "3": 5}', 'value: {"0": 7, "1": 7, "2": 7, "3": 7}')
    population = tmp_path / "pool.jsonl"
    population.write_text(json.dumps(NEVER_TOGETHER) + "\n", encoding="utf-8")
    out = tmp_path / "impact"
    result = CliRunner().invoke(
        cli,
        [
            "diff",
            str(load_bundled_or(None).root),
            str(proposed),
            "--population",
            str(population),
            "-o",
            str(out),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(row) for row in (out / "changes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert line["eligible"] == {"old": False, "new": False}
    assert line["criteria_changed"] == {"language_proficiency": "undetermined -> unmet"}
    assert [record["criteria"] for record in line["old"]["not_together"]] == [
        ["skilled_work_experience", "language_proficiency"]
    ]
    assert "meets the level needed only in readings of the NOC codes" in line["old"]["not_together"][0]["reason"]
    assert "not_together" not in line["new"]
