"""The evaluator keeps the edition in force and the compiled stages by day (engine/evaluator.py): a day met
again gives the same objects, days of one parameter period share one compiled ruleset (compiled once, not per
day), and a day with no edition in force is still an input error after other days were kept."""

from __future__ import annotations

import datetime as dt

import pytest

from cec_rules.engine.errors import InputError
from cec_rules.engine.evaluator import Evaluator

# CEC 2022-11-16's two parameter periods: PTE Core is accepted from 2024-01-30 (docs/engine.md).
IN_FIRST_PERIOD = (dt.date(2023, 3, 1), dt.date(2023, 9, 14))
IN_SECOND_PERIOD = dt.date(2025, 5, 2)


@pytest.fixture()
def fresh(library):
    return Evaluator(library, "cec")


def test_days_of_one_period_share_one_compiled_stage(fresh):
    first, second = (fresh._compile(fresh.edition_for(day, "<t>"), day) for day in IN_FIRST_PERIOD)
    assert first is second
    later = fresh._compile(fresh.edition_for(IN_SECOND_PERIOD, "<t>"), IN_SECOND_PERIOD)
    assert later is not first and later.name != first.name


def test_a_day_met_again_gives_the_same_edition_and_stages(fresh):
    day = IN_FIRST_PERIOD[0]
    edition = fresh.edition_for(day, "<t>")
    main, screen = fresh._compile(edition, day), fresh._compile(edition, day, screen=True)
    assert screen is not main
    assert fresh.edition_for(day, "<t>") is edition
    assert fresh._compile(edition, day) is main and fresh._compile(edition, day, screen=True) is screen


def test_a_day_before_every_edition_is_still_an_input_error(fresh):
    fresh.edition_for(IN_SECOND_PERIOD, "<t>")
    with pytest.raises(InputError, match="no cec edition is in force on 1999-01-01") as caught:
        fresh.edition_for(dt.date(1999, 1, 1), "x.jsonl:7")
    assert caught.value.source == "x.jsonl:7" and caught.value.field == "application_date"
