"""Chaining across programs (engine/chaining.py): a ruleset's `consumes:` decides those programs first and
asserts their outcomes as facts; absent programs are named, never guessed; `collect:` lists derived facts.
CEC decides byte-identically whatever other program consumes it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cec_rules.engine.chaining import Chain, decision_facts, score_of, summary
from cec_rules.engine.decision import CriterionResult, Decision
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.engine.library import load_library
from cec_rules.engine.program import installed_programs
from cec_rules.facts.reading import read_applicant_file
from support import copy_rulesets, edit

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
POOL_2026 = "pool/2026-02-18/ruleset.yaml"


@dataclass
class _Score:
    """What a points program's decision carries (engine/score.py's ScoreResult, once merged): its JSON."""

    doc: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return self.doc


def _scored_decision() -> Decision:
    decision = Decision(
        "A-1",
        "crs",
        "crs",
        "2025-03-25",
        "x",
        "2026-11-01",
        [
            CriterionResult(
                "profile", None, "age unknown", "MI", needs=[{"field": "date_of_birth", "why": "age points"}]
            )
        ],
        {},
    )
    decision.score = _Score(
        {
            "total": 447,
            "possible_total": 557,
            "max": 1200,
            "factors": [{"id": "age", "points": None, "max": 110}, {"id": "education", "points": 120, "max": 140}],
        }
    )
    return decision


def test_a_scored_decision_gives_its_total_and_each_factor_as_facts():
    facts = decision_facts("crs", _scored_decision(), score_of(_scored_decision()))
    kinds = {f["t"]: f for f in facts}
    assert kinds["program_decision"] == {
        "t": "program_decision",
        "program": "crs",
        "outcome": "undetermined",
        "edition": "2025-03-25",
        "unmet": "",
        "needs": "date_of_birth",
        "needs_why": "age points",
    }
    assert kinds["criterion_result"] == {
        "t": "criterion_result",
        "program": "crs",
        "criterion": "profile",
        "outcome": "undetermined",
    }
    assert kinds["program_score"] == {
        "t": "program_score",
        "program": "crs",
        "total": 447,
        "possible_total": 557,
        "max": 1200,
    }
    factors = [f for f in facts if f["t"] == "score_factor"]
    assert factors == [
        {"t": "score_factor", "program": "crs", "factor": "age", "points": 0, "max": 110, "undetermined": True},
        {
            "t": "score_factor",
            "program": "crs",
            "factor": "education",
            "points": 120,
            "max": 140,
            "undetermined": False,
        },
    ]
    assert summary(_scored_decision(), score_of(_scored_decision()))["score"]["total"] == 447


def test_absent_programs_are_named_with_why():
    library = load_bundled_or(None)
    chain = Chain(library, Evaluator, ("pool",))
    applicant = read_applicant_file(EXAMPLES / "eligible.yaml")
    consumed = chain.decide(["cec", "nosuch"], applicant, dt.date(2014, 6, 1), "x")
    assert consumed.derived["consumed"] == {
        "cec": {"absent": "no edition in force on 2014-06-01"},
        "nosuch": {"absent": "not installed"},
    }
    assert [f["t"] for f in consumed.facts] == ["program_absent", "program_absent"]


def test_cec_decides_the_same_bytes_inside_the_pool_as_alone():
    library = load_bundled_or(None)
    applicant = read_applicant_file(EXAMPLES / "eligible.yaml")
    alone = Evaluator(library, "cec").evaluate(applicant)
    pool = Evaluator(library, "pool")
    inside = pool.chain._evaluator("cec").evaluate(applicant)
    assert alone.to_json_line() == inside.to_json_line()
    decided = pool.evaluate(applicant)
    assert decided.derived["consumed"]["cec"] == summary(alone, score_of(alone))
    assert decided.derived["in_category"] == []  # collected: a list, empty when none


def test_a_ruleset_cannot_consume_itself_and_collects_only_derived_kinds(tmp_path):
    root = copy_rulesets(tmp_path, programs=("cec", "pool"))
    edit(root, POOL_2026, "consumes: [cec, fsw, fst, crs]", "consumes: [cec, pool]")
    edit(root, POOL_2026, "collect: [in_category, category_undetermined]", "collect: [in_category, in_categry]")
    library = load_library(root, installed_programs())
    messages = [p.message for p in library.unavailable["pool"]]
    assert "a program cannot consume its own decisions ('pool')" in messages
    assert any("no rule derives 'in_categry' (did you mean 'in_category'?)" in m for m in messages), messages
    assert "cec" in library.programs  # the pool's problems never stop CEC


def test_a_program_without_a_decision_fails_pool_entry_when_none_is_met(tmp_path):
    """The pool's safety net: with only CEC and the pool in the rulesets folder, FSW and FST give no decision
    (no edition in force), so an applicant CEC does not meet is out of the pool, and the reason says which
    program was not decided (no bundled case can fire this rule: every entry program has editions)."""
    root = copy_rulesets(tmp_path, programs=("cec", "pool"))
    evaluator = Evaluator(load_library(root, installed_programs()), "pool")
    decision = evaluator.evaluate(read_applicant_file(EXAMPLES / "ineligible-teer4.yaml"))
    entry = next(c for c in decision.criteria if c.id == "program_requirements")
    assert entry.met is False and "a_program_is_not_decided" in {o.rule for o in entry.outcomes}
    assert "fsw not decided" in entry.reason and "fst not decided" in entry.reason
