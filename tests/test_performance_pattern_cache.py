"""Deciding once per decision pattern (engine/pattern_cache.py) must never change a decision: the
benchmark population decided with the cache on and off gives the same bytes, in-process and through
`cec batch`; and what the key cannot express is not cached."""

from __future__ import annotations

import dataclasses
import os
from types import SimpleNamespace
import subprocess
import sys
from pathlib import Path

import pytest

from cec_rules.engine import pattern_cache
from cec_rules.engine.batch.records import Record
from cec_rules.engine.batch.worker import RecordDecider
from cec_rules.engine.compiler import NEVER_ASSERTED
from support import REPO

CEC = str(Path(sys.executable).with_name("cec"))


@pytest.fixture(scope="module")
def population(tmp_path_factory) -> Path:
    """The benchmark's own generator (a realistic mix, with malformed records), a few thousand records."""
    path = tmp_path_factory.mktemp("population") / "population.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "generate.py"),
            "--count",
            "2500",
            "--seed",
            "7",
            "--malformed-share",
            "0.02",
            "-o",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    return path


def _decide_all(path: Path, cache_on: bool, monkeypatch) -> tuple[list[str], RecordDecider]:
    monkeypatch.setenv(pattern_cache.CACHE_ENV, "1" if cache_on else "0")
    decider = RecordDecider(None, None, "jsonl", programs=("cec",))
    lines = []
    for seq, text in enumerate(path.read_text().splitlines()):
        outcome = decider.decide(Record(seq, seq + 1, "population.jsonl", text, "json"))
        lines.append(
            outcome.line.decode() if hasattr(outcome, "line") else repr(outcome.reject)
        )  # a JSON line: UTF-8 bytes
    return lines, decider


@pytest.mark.slow
def test_the_population_is_decided_byte_for_byte_the_same_with_the_cache_on_and_off(population, monkeypatch):
    without, off = _decide_all(population, False, monkeypatch)
    with_cache, on = _decide_all(population, True, monkeypatch)
    assert off.evaluator.runtime.patterns is None
    stats = on.evaluator.runtime.patterns.stats
    assert stats.hits > stats.misses, f"the population should mostly replay: {stats}"
    assert sum(1 for line in with_cache if line.startswith("{")) > 2000
    differing = [i for i, (a, b) in enumerate(zip(without, with_cache)) if a != b]
    assert len(without) == len(with_cache) and not differing, f"first differing record: {differing[:1]}"


@pytest.mark.slow
def test_cec_batch_output_is_the_same_with_the_cache_on_and_off(population, tmp_path):
    head = tmp_path / "head.jsonl"
    head.write_text("".join(population.read_text().splitlines(keepends=True)[:800]))
    outputs = []
    for setting in ("0", "1"):
        out = tmp_path / f"decisions-{setting}.jsonl"
        env = {**os.environ, pattern_cache.CACHE_ENV: setting}
        result = subprocess.run(
            [CEC, "batch", str(head), "-o", str(out), "--workers", "2"],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert result.returncode in (0, 3), result.stderr
        outputs.append((out.read_bytes(), (tmp_path / f"decisions-{setting}.jsonl.rejects.jsonl").read_bytes()))
    assert outputs[0] == outputs[1]


def test_a_small_cache_keeps_only_its_most_recent_patterns(evaluator, monkeypatch):
    from support import applicant, job

    cache = pattern_cache.PatternCache(size=2)
    monkeypatch.setattr(evaluator.runtime, "patterns", cache)
    for hours, province in ((5, "ON"), (40, "ON"), (5, "QC"), (40, "QC")):  # four decision patterns
        evaluator.evaluate(applicant(intended_province=province, work_history=[job(hours=hours, start="2020-01-01")]))
    assert len(cache._entries) == 2
    # and one screen pattern (which work counts), the same for all four: kept, as it is used each time
    assert (cache.stats.misses, cache.stats.hits) == (4 + 1, 3)


def _four_patterns():
    from support import applicant, job

    return [
        applicant(intended_province=province, work_history=[job(hours=hours, start="2020-01-01")])
        for hours, province in ((5, "ON"), (40, "ON"), (5, "QC"), (40, "QC"))
    ]


def test_patterns_keep_one_copy_of_each_firing(evaluator, monkeypatch):
    """Patterns share most of their firings: each is kept once (a large population's patterns cost little)."""
    cache = pattern_cache.PatternCache(size=64)
    monkeypatch.setattr(evaluator.runtime, "patterns", cache)
    for each in _four_patterns():
        evaluator.evaluate(each)
    firings = [firing for recorded, _, _ in cache._entries.values() for firing in recorded]
    wheres = [where for _, _, where, _ in firings]
    assert len(firings) > len(set(firings))  # the same firing in several patterns
    assert len({id(f) for f in firings}) == len(set(firings)) and len({id(w) for w in wheres}) == len(set(wheres))


class _Watched(dict):
    def __init__(self, cleared: list):
        super().__init__()
        self.cleared = cleared

    def clear(self):
        self.cleared.append(len(self))
        super().clear()


def test_forgetting_the_shared_copies_changes_no_decision(evaluator, monkeypatch):
    """The copies forgotten every few stores: the decisions (hits among them) are those made without the cache."""
    applicants = [each for each in _four_patterns() for _ in range(2)]
    monkeypatch.setattr(evaluator.runtime, "patterns", None)
    expected = [evaluator.evaluate(each).to_json_line() for each in applicants]
    cache = pattern_cache.PatternCache(size=2)
    monkeypatch.setattr(evaluator.runtime, "patterns", cache)
    monkeypatch.setattr(pattern_cache, "SHARED_PER_PATTERN", 2)
    cleared = []
    monkeypatch.setattr(cache, "_shared", _Watched(cleared))
    assert [evaluator.evaluate(each).to_json_line() for each in applicants] == expected
    assert cache.stats.hits >= 4 and cleared


def test_a_condition_the_key_cannot_express_disables_caching_for_the_ruleset(evaluator):
    from support import applicant

    decision_facts = [{"t": "applicant", "id": "A", "as_of": 20260101, "intended_province": "ON", "admissible": True}]
    _, compiled = evaluator.context(applicant())
    ((name, body),) = compiled.definition.items()
    odd = dict(body, odd_rule={"all": [{"a": {"$and": [{"t": "applicant"}, {"$mt": {"id": "A.*"}}]}}], "run": "noop"})
    changed = dataclasses.replace(compiled, definition={name: odd}, name=name + "_odd")
    cache = pattern_cache.PatternCache()
    assert cache.key(changed, decision_facts) is None
    assert cache.key(compiled, decision_facts) is not None


def test_the_key_separates_each_side_of_a_threshold_and_joins_exactly(evaluator):
    from support import applicant

    _, compiled = evaluator.context(applicant())
    spec = pattern_cache.key_spec(compiled)
    hour_tests = [t for t in spec.tests["work_experience"] if t[0] == "qualifying_hours"]
    assert hour_tests and all(constant == compiled.parameters["min_qualifying_hours"] for _, _, constant in hour_tests)
    assert "level" in spec.exact["primary_occupation"], "the required level is looked up from it"
    assert "level" in spec.exact["language_requirement"] and "language_requirement" in spec.derived_only
    levels = sorted(set(compiled.parameters["language_level_by_occupation_level"].values()))
    assert "language_result" not in spec.exact, "compared with the required level, whose values are known"
    assert {constant for name, _, constant in spec.tests["language_result"] if name == "lowest"} == set(levels)
    assert "title" not in spec.exact.get("primary_occupation", set()), "shown in reasons only, not compared"
    cache = pattern_cache.PatternCache()
    work = {
        "t": "work_experience",
        "qualifying_hours": 1559.99,
        "occupations_with_hours": 1,
        "window_start": 20200101,
        "window_end": 20221231,
        "unresolved_periods": 0,
    }
    below, above, far_above = (cache.key(compiled, [dict(work, qualifying_hours=h)]) for h in (1559.99, 1560.0, 4000.0))
    assert below != above and above == far_above
    assert NEVER_ASSERTED not in spec.tests


def test_a_join_with_a_derived_field_of_known_values_keys_the_other_side_by_its_comparisons(evaluator):
    """The required level (derived: an entry of a table parameter, or its lowest entry) takes a few known
    values, so the result's lowest ability it is compared with is keyed by its comparison with each of them,
    not exactly (docs/engine.md "Decision patterns"); an applicant who asserts a requirement is not keyed."""
    from support import applicant

    _, compiled = evaluator.context(applicant())
    cache = pattern_cache.PatternCache()
    occupation = {
        "t": "primary_occupation",
        "reading": 0,
        "noc_code": "21231",
        "noc_version": 2021,
        "title": "t",
        "level": "1",
        "hours": 2000.0,
        "tied": False,
        "tied_with": "",
    }
    result = {
        "t": "language_result",
        "test": "celpip_general",
        "date": 20240101,
        "lowest": 7,
        "lowest_ability": "reading",
    }

    def key(lowest):
        return cache.key(compiled, [occupation, dict(result, lowest=lowest)])

    levels = sorted(set(compiled.parameters["language_level_by_occupation_level"].values()))
    assert levels == [5, 7]
    assert key(7) == key(8) == key(12) and key(5) == key(6) and key(0) == key(4)
    assert len({key(4), key(5), key(7)}) == 3
    assert key(7.0) == key(8.5) and key(6.99) == key(5), "a plain number is placed among the levels"
    assert key("7") != key(7) and key(True) != key(1) and key(2**60) != key(2**60 + 1), "any other value exactly"
    asserted = {"t": "language_requirement", "reading": 0, "level": 6, "basis": "b"}
    assert cache.key(compiled, [occupation, result, asserted]) is None


def test_a_join_is_kept_exact_when_the_derived_side_can_hold_any_value():
    """`_bounded`: a field is bounded only when every rule that derives its kind sets it to a known number."""
    from cec_rules.engine.model import DeriveFact, FactRef, Lookup, Lowest, ParamRef

    def rules(*sets):
        return [SimpleNamespace(then=SimpleNamespace(derive=DeriveFact(fact="req", set=values))) for values in sets]

    parameters = {"table": {"a": 5, "b": 7.5}, "n": 3, "odd": {"a": "x"}, "flag": True}
    bounded = pattern_cache._bounded(
        rules(
            {"level": Lookup(lookup="table", key=FactRef(ref="o.level"))},
            {"level": Lowest(lowest="table")},
            {"level": ParamRef(param="n")},
            {"level": 9},
        ),
        parameters,
    )
    assert bounded == {("req", "level"): (3, 5, 7.5, 9)}
    for other in (
        {"level": FactRef(ref="o.level")},
        {"other": 1},
        {"level": Lookup(lookup="odd", key="a")},
        {"level": ParamRef(param="flag")},
        {"level": float("nan")},
        {"level": 2**60},
    ):
        assert pattern_cache._bounded(rules({"level": 9}, other), parameters) == {}, other


def test_values_python_and_durable_might_compare_differently_are_keyed_exactly():
    outcome = pattern_cache._outcome
    assert outcome(1560.0, "$gte", 1560) is True and outcome(1559.5, "$gte", 1560) is False
    assert outcome(2**60, "$gt", 10) != outcome(2**60 + 1, "$gt", 10), "past 2**53: the exact value"
    assert outcome(float("nan"), "$lt", 1)[0] == "float", "NaN: the exact value (which never equals another key)"
    assert outcome("12", "$gt", 10) == ("str", "12"), "a text compared with a number: the exact text"
    assert outcome(True, "$eq", 1) == ("bool", True), "a boolean compared with a number: the exact value"
    assert outcome("QC", "$eq", "QC") is True and outcome("ON", "$neq", "QC") is True
    assert outcome(pattern_cache._ABSENT, "$ex", None) is False


def test_the_screen_s_patterns_are_few_so_it_replays(population, evaluator, monkeypatch):
    """Each work period is screened apart on categorical fields (docs/engine.md "The screen stage"): over a
    generated population, durable-rules runs once per period pattern (a few hundred combinations of flags,
    met early: 243 of 4,694 periods here, 461 of about 37,000 on the benchmark's 20,000), not per applicant."""
    import orjson

    from cec_rules.engine.errors import InputError
    from cec_rules.facts.reading import applicant_from_data

    cache = pattern_cache.PatternCache()
    monkeypatch.setattr(evaluator.runtime, "patterns", cache)
    screened = 0
    for number, text in enumerate(population.read_text().splitlines()):
        try:
            person = applicant_from_data(orjson.loads(text), f"r{number}")
            evaluator.screen(person, person.application_date, evaluator.edition_for(person.application_date, "r"), "r")
            screened += 1
        except (InputError, orjson.JSONDecodeError):
            continue
    lookups = cache.stats.hits + cache.stats.misses
    assert screened > 2000 and lookups > screened and cache.stats.uncacheable == 0
    assert cache.stats.misses < 0.1 * lookups, cache.stats


def _every_compiled_stage(library):
    """Each program's compiled rulesets as they run: every edition's main stage and (when it has one) its
    screen stage, for every parameter period of the edition."""
    from cec_rules.engine.compiler import stage_rules
    from cec_rules.engine.evaluator import Evaluator

    for program, editions in sorted(library.programs.items()):
        evaluator = Evaluator(library, program)
        for edition in editions:
            ruleset = edition.ruleset
            periods = {ruleset.effective_from} | {
                start
                for p in ruleset.parameters.values()
                if p.values
                for start in p.values
                if start >= ruleset.effective_from
            }
            for day in sorted(periods):
                for screen in (False, True) if stage_rules(ruleset, screen=True) else (False,):
                    yield program, evaluator._compile(edition, day, screen)


def test_every_bundled_ruleset_is_keyed_so_none_always_runs_durable_rules(library):
    """Nothing in the bundled rulesets disables the cache: `any:` groups (FST, the pool), screen phases (CEC,
    CRS), chained facts (the pool) and score facts (FSW, CRS) are all covered by the key."""
    stages = list(_every_compiled_stage(library))
    assert {program for program, _ in stages} >= {"cec", "fsw", "fst", "crs", "pool"}
    for _program, compiled in stages:
        pattern_cache.key_spec(compiled)  # raises Uncacheable naming the rule the key cannot express


def test_an_any_group_is_keyed_by_every_comparison_in_it(library):
    """`any:` compiles to `$or` inside one pattern: each of its comparisons is a test of the key, so two
    facts share a key only when every alternative falls the same way for both."""
    compiled = next(c for program, c in _every_compiled_stage(library) if program == "fst" and "__screen" not in c.name)
    (body,) = compiled.definition.values()
    alternatives = [
        term
        for rule in body.values()
        for term in rule["all"]
        for pattern in term.values()
        for term in pattern.get("$and", [])
        if "$or" in term
    ]
    assert alternatives, "FST's rulesets have `any:` groups"
    spec = pattern_cache.key_spec(compiled)
    for alternative in alternatives:
        for group in alternative["$or"]:
            for comparison in group.get("$and", [group]):
                ((op, operand),) = comparison.items()
                field = op if not op.startswith("$") else next(iter(operand))
                assert any(f == field for tests in spec.tests.values() for f, _, _ in tests), (field, spec.tests)


@pytest.mark.slow
def test_every_program_decides_the_same_bytes_with_the_cache_on_and_off(population, monkeypatch):
    """Every installed program (`--program all`: CEC, FSW, FST, CRS, then the pool, which decides the first
    four again through chaining) on the benchmark population, each applicant on its application date."""
    programs = ("cec", "fsw", "fst", "crs", "pool")
    head = population.read_text().splitlines()[:600]
    decided = {}
    for cache_on in (False, True):
        monkeypatch.setenv(pattern_cache.CACHE_ENV, "1" if cache_on else "0")
        decider = RecordDecider(None, None, "jsonl", programs=programs)
        decided[cache_on] = [
            outcome.line.decode() if hasattr(outcome, "line") else f"rejected: {outcome.reject!r}"
            for outcome in (
                decider.decide(Record(seq, seq + 1, "population.jsonl", text, "json")) for seq, text in enumerate(head)
            )
        ]
    lines = [line for record in decided[True] for line in record.splitlines() if line.startswith("{")]
    assert {orjson_program(line) for line in lines} == set(programs)
    differing = [i for i, (a, b) in enumerate(zip(decided[False], decided[True])) if a != b]
    assert not differing, f"first differing record: {differing[:1]}"
    for program, evaluator in _evaluators(decider.deciders.evaluators.values()):
        stats = evaluator.runtime.patterns.stats
        assert stats.uncacheable == 0 and stats.hits > stats.misses, (program, stats)


def orjson_program(line: str) -> str:
    import orjson

    return orjson.loads(line)["program"]


def _evaluators(evaluators):
    """The evaluators given and those their chains made (the pool's own CEC, FSW, FST and CRS)."""
    for evaluator in evaluators:
        yield evaluator.program, evaluator
        yield from _evaluators(evaluator.chain._evaluators.values())


@pytest.mark.parametrize(
    "tests",
    [
        (("$gte", 7), ("$lt", 7), ("$eq", 8), ("$gt", 9.5), ("$lte", 12), ("$neq", 0)),
        (("$eq", "ON"), ("$neq", "QC"), ("$eq", "BC")),
        (("$eq", True),),
        (("$gte", 3120), ("$ex", None)),
    ],
)
def test_a_field_s_reader_separates_values_exactly_as_the_outcomes_of_its_comparisons(tests):
    """The key reads each field once (`_reading`: a place among the thresholds, or the text itself); two
    values get the same reading exactly when every comparison falls the same way for both."""
    fields = pattern_cache.KeySpec(tests={"kind": [("field", op, constant) for op, constant in tests]}).plan()["kind"]

    def read(value):
        return pattern_cache._fact_part({} if value is pattern_cache._ABSENT else {"field": value}, fields)

    values = [
        *range(-2, 15),
        6.99,
        7.0,
        9.5,
        9.50001,
        3119.99,
        3120,
        2**60,
        float("nan"),
        float("inf"),
        True,
        False,
        "ON",
        "QC",
        "BC",
        "AB",
        "7",
        None,
        pattern_cache._ABSENT,
    ]
    outcomes = {id(v): tuple(pattern_cache._outcome(v, op, c) for op, c in tests) for v in values}
    for a in values:
        for b in values:
            same_outcomes = outcomes[id(a)] == outcomes[id(b)]
            assert (read(a) == read(b)) == same_outcomes, (a, b, read(a), read(b))
