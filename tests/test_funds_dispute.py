"""Settlement funds on the days the sources disagree about (domain sheet §9.7): FSW and FST give the same answer.

The 2024 amounts take effect on 2024-05-28 per one source and on 2024-06-03 per another. Both programs read
those days alike: funds at or above both amounts meet the requirement, funds below both fail it, funds between
them are undetermined. The YAML cases (rulesets/{fsw,fst}/2022-11-16/tests/funds-disputed-days.yaml) pin each
program's reasons; this checks that the two programs agree on the same facts, and that their rulesets hold the
same amounts and the same disputed days, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cec_rules.engine.evaluator import Evaluator
from support import applicant, criterion

FUNDS_PARAMETERS = (
    "settlement_funds_by_family_size",
    "settlement_funds_each_additional_member",
    "settlement_funds_disputed_by_family_size",
    "settlement_funds_disputed_each_additional_member",
    "settlement_funds_dispute_days",
)
# (day, funds for a family of 2, expected): 17,127 CAD (2023 amounts) and 18,288 CAD (2024 amounts).
DAYS = [
    ("2024-05-27", 17127, True),
    ("2024-05-27", 17126.99, False),
    ("2024-05-30", 18288, True),
    ("2024-05-30", 17700, None),
    ("2024-05-30", 17127, None),
    ("2024-05-30", 17126.99, False),
    ("2024-06-02", 17700, None),
    ("2024-06-03", 17700, False),
    ("2024-06-03", 18288, True),
]


@pytest.fixture(scope="module")
def programs(library):
    return {name: Evaluator(library, name) for name in ("fsw", "fst")}


@pytest.mark.parametrize("day, funds, expected", DAYS)
def test_fsw_and_fst_give_the_same_funds_answer(programs, day, funds, expected):
    person = applicant(
        id="T-funds", application_date=day, settlement_funds=funds, family_size=2, date_of_birth="1992-05-02"
    )
    answers = {
        name: criterion(evaluator.evaluate(person), "settlement_funds").met for name, evaluator in programs.items()
    }
    assert answers == {"fsw": expected, "fst": expected}


def _newest(library, program: str):
    return max(library.programs[program], key=lambda e: e.ruleset.effective_from).ruleset


def _normal(value):
    """Table keys as text: FSW's YAML writes family sizes as numbers, FST's as quoted text."""
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value


def test_fsw_and_fst_hold_the_same_amounts_and_disputed_days(library):
    fsw, fst = _newest(library, "fsw"), _newest(library, "fst")
    days = {d for r in (fsw, fst) for n in FUNDS_PARAMETERS for d in (r.parameters[n].values or {})}
    for day in sorted(days):
        for name in FUNDS_PARAMETERS:
            assert _normal(fsw.parameters[name].value_on(day)) == _normal(fst.parameters[name].value_on(day)), (
                name,
                day,
            )


@pytest.mark.parametrize("program", ["fsw", "fst"])
def test_a_disputed_table_is_the_one_in_force_the_day_before_and_names_two_days(library, program):
    """The disputed amounts are those in force until the later day (the previous table), each disputed period
    names the two days the sources give, the first of them the day it starts, and the edition has rules for it
    (the 2015-01-01 editions, with no disputed day, have none)."""
    for edition in library.programs[program]:
        parameters = edition.ruleset.parameters
        disputed = parameters["settlement_funds_disputed_by_family_size"]
        for start, table in (disputed.values or {}).items():
            days = parameters["settlement_funds_dispute_days"].value_on(start)
            assert bool(table) == bool(days), start
            if table:
                assert table == parameters["settlement_funds_by_family_size"].value_on(start - dt.timedelta(days=1))
                assert len(days) == 2 and min(days.values()) == start.isoformat()
                assert any(
                    p.fact == "funds_dispute" for rule in edition.ruleset.rules for p in rule.when if hasattr(p, "fact")
                )
