"""A decision's criteria and rule-derived facts, assembled from one run's outcomes (engine/evaluator.py
`_criteria`, `_rule_derived`), are the same as by their plain definitions, which the tests below keep: one
filter of the outcomes per criterion, one of the derived facts per kind. The engine groups them in one pass
instead, and lists the facts the concluding rules used only for a tie: same results, same order, same
errors, on generated runs with repeated criteria, contradictions, needs, ties and `collect`ed kinds; and a
decision's verdict (eligible, unmet, undetermined) is what its properties say."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, strategies as st

from cec_rules.engine.decision import CriterionResult, Decision
from cec_rules.engine.errors import EngineError
from cec_rules.engine.evaluator import NOT_ESTABLISHED, VERDICT_WORDS, Evaluator, _rule_derived
from cec_rules.engine.runtime import Outcome, RunResult

CRITERIA = ["work", "language", "quebec"]
KINDS = ["tie", "tie_candidates", "other", "listed"]
_FACTS = st.fixed_dictionaries({"t": st.sampled_from(KINDS), "n": st.integers(0, 2)})
_NEEDS = st.lists(
    st.fixed_dictionaries({"field": st.sampled_from(["a", "b"]), "why": st.sampled_from(["x", "y"])}), max_size=2
)
_OUTCOMES = st.lists(
    st.builds(
        Outcome,
        st.sampled_from(CRITERIA + ["unknown"]),
        st.sampled_from([True, False, None]),
        st.sampled_from(["r1", "r2", "r1"]),
        st.sampled_from(["rule_a", "rule_b"]),
        st.dictionaries(st.sampled_from(["f", "g"]), _FACTS, max_size=2),
        _NEEDS,
    ),
    max_size=6,
)
_DERIVED = st.lists(st.tuples(st.sampled_from(KINDS), st.fixed_dictionaries({"n": st.integers(0, 2)})), max_size=6)


def _plain_criteria(edition, result: RunResult) -> list[CriterionResult]:
    criteria = []
    for name, criterion in edition.ruleset.criteria.items():
        outcomes = [o for o in result.outcomes if o.criterion == name]
        if len({o.met for o in outcomes}) > 1:
            rules = ", ".join(f"{o.rule} ({VERDICT_WORDS[o.met]})" for o in outcomes)
            raise EngineError(f"criterion {name!r} concluded in contradictory ways by rules {rules}")
        if not outcomes:
            criteria.append(CriterionResult(name, False, NOT_ESTABLISHED, criterion.citation))
            continue
        reason = "; ".join(dict.fromkeys(o.reason for o in outcomes))
        needs = list({(n["field"], n["why"]): n for o in outcomes for n in o.needs}.values())
        criteria.append(
            CriterionResult(name, outcomes[0].met, reason, criterion.citation, outcomes[0].rule, outcomes, needs)
        )
    return criteria


def _plain_rule_derived(result: RunResult, collect: list[str]) -> dict:
    used = [
        {k: v for k, v in fact.items() if k != "t"} for outcome in result.outcomes for fact in outcome.facts.values()
    ]
    shown: dict = {kind: [values for k, values in result.derived if k == kind] for kind in collect}
    for kind in dict.fromkeys(kind for kind, _ in result.derived if kind not in shown):
        candidates = [values for k, values in result.derived if k == kind]
        shown[kind] = next((c for c in candidates if c in used), candidates[0])
        if len(candidates) > 1:
            shown[f"{kind}_candidates"] = candidates
    return shown


def _outcome(assemble, *args):
    try:
        return assemble(*args)
    except EngineError as exc:
        return str(exc)


@given(_OUTCOMES, st.lists(st.sampled_from(CRITERIA), unique=True, min_size=1))
def test_criteria_are_assembled_as_by_their_definition(outcomes, names):
    edition = SimpleNamespace(
        ruleset=SimpleNamespace(criteria={name: SimpleNamespace(citation=f"IRPR {name}") for name in names})
    )
    result = RunResult(outcomes=outcomes)
    assert _outcome(Evaluator._criteria, edition, result) == _outcome(_plain_criteria, edition, result)


@given(_OUTCOMES, _DERIVED, st.lists(st.sampled_from(["listed", "tie"]), max_size=2))
def test_rule_derived_facts_are_assembled_as_by_their_definition(outcomes, derived, collect):
    result = RunResult(outcomes=outcomes, derived=derived)
    assert list(_rule_derived(result, collect).items()) == list(_plain_rule_derived(result, collect).items())


@pytest.mark.parametrize(
    "outcomes",
    [
        [Outcome("work", True, "r", "a"), Outcome("work", False, "r", "b")],
        [Outcome("work", None, "r", "a"), Outcome("work", None, "r", "b"), Outcome("work", True, "s", "c")],
    ],
)
def test_a_criterion_concluded_two_ways_is_an_engine_error(outcomes):
    edition = SimpleNamespace(ruleset=SimpleNamespace(criteria={"work": SimpleNamespace(citation="IRPR")}))
    with pytest.raises(EngineError, match="criterion 'work' concluded in contradictory ways by rules a"):
        Evaluator._criteria(edition, RunResult(outcomes=outcomes))


@given(st.lists(st.sampled_from([True, False, None]), max_size=5))
def test_the_verdict_is_eligible_unmet_and_undetermined_at_once(mets):
    criteria = [CriterionResult(f"c{i}", met, "r", "IRPR") for i, met in enumerate(mets)]
    decision = Decision("A-1", "cec", "cec", "2015-01-01", "sha", "2026-01-01", criteria, {})
    expected_eligible = False if False in mets else None if None in mets else True
    assert decision.eligible is expected_eligible
    assert decision.verdict() == (expected_eligible, tuple(decision.unmet), tuple(decision.undetermined))
