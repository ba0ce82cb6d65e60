"""The pattern cache's replay path (engine/pattern_cache.py, engine/runtime.py) and the reason templates'
short ways to a value's text (engine/templates.py) give exactly what durable-rules and `format_value` give:
generated applicants decided with the cache off, on (recording), and on again (replayed) give the same
bytes; values of every kind show as `format_value` shows them; parameters shown once read as shown late;
and the key finds identical facts as orjson does, for facts of any kind."""

from __future__ import annotations

import math
from types import SimpleNamespace

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cec_rules.engine import pattern_cache
from cec_rules.engine.evaluator import Evaluator
from cec_rules.engine.templates import MEASURE, compile_template, format_value
from cec_rules.facts.reading import applicant_from_data

import strategies as gen

SOURCE = "<generated>"


@pytest.fixture(scope="module")
def deciders(library):
    """One evaluator with the pattern cache off, one with it on (each keeps its own runtime and cache)."""
    off, on = Evaluator(library, "cec"), Evaluator(library, "cec")
    off.runtime.patterns = None
    on.runtime.patterns = pattern_cache.PatternCache()
    return off, on


@pytest.mark.slow
@given(records=st.lists(gen.applicants(), min_size=1, max_size=4))
def test_replayed_decisions_are_the_bytes_durable_rules_gives(deciders, records):
    """Each applicant decided by durable-rules alone, then with the cache (a recording or a replay), then
    again (a replay of its own pattern, screen periods included): the same JSON line every time."""
    off, on = deciders
    for record in records:
        applicant = applicant_from_data(record, SOURCE)
        expected = off.evaluate(applicant, source=SOURCE).to_json_line()
        assert on.evaluate(applicant, source=SOURCE).to_json_line() == expected
        hits = on.runtime.patterns.stats.hits
        assert on.evaluate(applicant, source=SOURCE).to_json_line() == expected
        assert on.runtime.patterns.stats.hits > hits, "decided again, the applicant replays"


@st.composite
def results_of_one_applicant(draw) -> list[dict]:
    """One applicant, then the same applicant with other valid language results: the same occupations (so the
    same required levels), results on either side of them (or at them), so that one's run replays for
    another whose lowest ability differs but falls the same way against every level."""
    record = draw(gen.applicants(min_tests=1, max_tests=2))
    day = gen.application_day(record)
    others = draw(
        st.lists(st.lists(gen.language_results(day, "valid"), min_size=1, max_size=2), min_size=1, max_size=4)
    )
    return [record] + [dict(record, language_tests=tests) for tests in others]


@pytest.mark.slow
@given(records=results_of_one_applicant())
def test_a_lowest_ability_keyed_by_its_place_among_the_levels_replays_as_durable_rules_decides(deciders, records):
    """The lowest ability is keyed by its comparison with each level a requirement can take (`_join`), not
    exactly: a replay for another lowest ability gives durable-rules' bytes."""
    off, on = deciders
    for record in records:
        applicant = applicant_from_data(record, SOURCE)
        assert (
            on.evaluate(applicant, source=SOURCE).to_json_line()
            == off.evaluate(applicant, source=SOURCE).to_json_line()
        )


VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=1e6),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.integers(min_value=19000101, max_value=21001231),
    st.booleans(),
    st.none(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=3),
    st.sampled_from(
        [
            0.0,
            -0.0,
            1e-4,
            9.99e-5,
            1e16,
            1e16 - 2,
            999.999,
            1000.0,
            999999.99,
            1000000.01,
            1559.9986,
            0.29,
            4701.428571428571,
        ]
    ),
)


def _shown(value, kind, lang):
    try:
        return "<" + (value if isinstance(value, str) else format_value(value, kind, lang)) + ">"
    except Exception as exc:
        return type(exc)


@given(value=VALUES, declared=st.sampled_from([None, "date", "hours", "other"]), lang=st.sampled_from(["en", "fr"]))
def test_a_placeholder_shows_its_value_as_format_value_does(value, declared, lang):
    """`compile_template` takes shorter ways for dates, hours and whole numbers: the text (or the error)
    is the one `format_value` gives for the field's kind and the language."""
    formats = {"hours": MEASURE}
    fill = compile_template("<{x.v}>", {"x": "kind"}, {"kind": {"v": declared}}, {}, lang, formats)
    try:
        shown = fill({"x": {"v": value}}, {})
    except Exception as exc:
        shown = type(exc)
    assert shown == _shown(value, formats.get(declared, declared), lang)


@given(value=VALUES, lang=st.sampled_from(["en", "fr"]))
def test_parameters_shown_when_the_template_is_prepared_read_as_shown_when_it_is_filled(value, lang):
    """A rule's reasons get the compiled ruleset's parameters when its action is made; the text is the same
    as filling them at each firing, and a parameter that cannot be shown fails at the firing as before."""
    template, units, formats = (
        "at least {param.p} ({x.v}); {param.q}",
        {"p": "days per week", "q": "points"},
        {"days": "measure"},
    )
    parameters = {"p": value, "q": 7}
    late = compile_template(template, {"x": "kind"}, {}, units, lang, formats)
    early = compile_template(template, {"x": "kind"}, {}, units, lang, formats, parameters)
    results = []
    for fill in (late, early):
        try:
            results.append(fill({"x": {"v": 1}}, parameters))
        except Exception as exc:
            results.append(type(exc))
    assert results[0] == results[1]


FACT = st.fixed_dictionaries(
    {"t": st.sampled_from(["a", "b"]), "v": st.sampled_from([0, 1, 1.0, True, "1", None, math.inf])},
    optional={"w": st.sampled_from([0, False, "x"])},
)
ODD = st.fixed_dictionaries({"t": st.sampled_from([None, 1, math.nan, "a"]), "v": st.sampled_from([0, None])})


@given(facts=st.lists(st.one_of(FACT, ODD), max_size=6))
def test_the_key_finds_identical_facts_as_orjson_does(facts):
    """durable-rules keeps one copy of identical facts; the key says which facts are identical (the same
    JSON text), computing it only where it can be: for kinds met twice, or for every fact when a kind is
    not a text. The answer is orjson's over all facts."""
    seen: dict[bytes, int] = {}
    expected = tuple(seen.setdefault(orjson.dumps(fact), index) for index, fact in enumerate(facts))
    cache = pattern_cache.PatternCache()
    cache._plans["plain"] = {}  # a ruleset that compares nothing: the key is the kinds and the identical facts
    found = cache.key(SimpleNamespace(name="plain"), facts)[1]
    assert (found if found is not None else tuple(range(len(facts)))) == expected
