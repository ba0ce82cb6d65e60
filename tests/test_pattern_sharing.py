"""Compiled rulesets that decide alike share their decision patterns (engine/pattern_cache.py `decides_alike`):
CEC 2022's two parameter periods differ only in `accepted_language_tests`, which no rule reads, so a pattern
recorded in one period replays in the other, with the bytes durable-rules gives; a parameter a rule reads
keeps the patterns apart."""

from __future__ import annotations

import dataclasses
import datetime as dt

from cec_rules.engine import pattern_cache
from cec_rules.engine.pattern_cache import decides_alike
from support import applicant, job

BEFORE, AFTER = dt.date(2023, 6, 1), dt.date(2024, 6, 1)  # CEC 2022's periods from 2022-11-16 and from 2024-01-30


def _compiled(evaluator, day: dt.date, screen: bool = False):
    edition = evaluator.edition_for(day, "<test>")
    return evaluator._compile(edition, day, screen=screen)


def test_cec_2022_s_parameter_periods_decide_alike(evaluator):
    for screen in (False, True):
        before, after = _compiled(evaluator, BEFORE, screen), _compiled(evaluator, AFTER, screen)
        assert before.name != after.name
        assert before.parameters["accepted_language_tests"] != after.parameters["accepted_language_tests"]
        assert decides_alike(before) == decides_alike(after)


def test_a_parameter_a_rule_reads_keeps_the_patterns_apart(evaluator):
    compiled = _compiled(evaluator, BEFORE)
    unread = dataclasses.replace(
        compiled, parameters={**compiled.parameters, "accepted_language_tests": ["ielts_general"]}
    )
    assert decides_alike(unread) == decides_alike(compiled)
    for name, value in (("min_qualifying_hours", 1500), ("excluded_provinces", ["QC", "ON"])):
        changed = dataclasses.replace(compiled, parameters={**compiled.parameters, name: value})
        assert decides_alike(changed) != decides_alike(compiled), name
    other_rules = dataclasses.replace(compiled, rules=dict(list(compiled.rules.items())[1:]))
    assert decides_alike(other_rules) != decides_alike(compiled)


def _decision(evaluator, cache, day: dt.date, person: str) -> str:
    evaluator.runtime.patterns = cache
    dated = applicant(
        id=person,
        application_date=day,
        work_history=[job(start=day - dt.timedelta(days=900), hours=35)],
        language_tests=[
            {
                "test": "ielts_general",
                "date": (day - dt.timedelta(days=200)).isoformat(),
                "listening": 8.0,
                "reading": 7.0,
                "writing": 7.0,
                "speaking": 7.0,
            }
        ],
    )
    return evaluator.evaluate(dated).to_json_line()


def test_a_pattern_recorded_in_one_period_replays_in_the_other_with_the_same_bytes(evaluator, monkeypatch):
    monkeypatch.setattr(evaluator.runtime, "patterns", None)
    expected = _decision(evaluator, None, AFTER, "B")
    cache = pattern_cache.PatternCache()
    _decision(evaluator, cache, BEFORE, "A")
    recorded = (cache.stats.misses, cache.stats.hits)
    assert _decision(evaluator, cache, AFTER, "B") == expected
    assert (cache.stats.misses, cache.stats.hits) == (recorded[0], recorded[1] + recorded[0]), (
        "every run of B replays A's"
    )
    assert len({cache._names[_compiled(evaluator, day).name] for day in (BEFORE, AFTER)}) == 1
