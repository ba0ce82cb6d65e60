"""Snapshot of the compiled durable-rules definition (STYLE.md practice 10): a change to the compiler or
to the 2022-11-16 edition shows up as a reviewable diff of tests/snapshots/cec-2022-11-16.json (and, for
its screen-phase rules, compiled as a ruleset of their own, of cec-2022-11-16-screen.json).

Rewrite the snapshot after an intended change with `UPDATE_SNAPSHOTS=1 pytest tests/test_compiler_snapshot.py`.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from cec_rules.engine.compiler import compile_ruleset, stage_rules
from cec_rules.facts.catalog import FACT_KINDS, SCREEN_KINDS
from support import day

SNAPSHOTS = {
    False: Path(__file__).parent / "snapshots" / "cec-2022-11-16.json",
    True: Path(__file__).parent / "snapshots" / "cec-2022-11-16-screen.json",
}
AS_OF = day("2026-11-01")
MAIN_KINDS = [kind for kind in FACT_KINDS if kind not in SCREEN_KINDS]


@pytest.fixture(scope="module")
def edition(library):
    return next(e for e in library.programs["cec"] if e.ruleset.edition == "2022-11-16")


@pytest.fixture(scope="module", params=[False, True], ids=["main", "screen"])
def screen(request):
    return request.param


@pytest.fixture(scope="module")
def compiled(edition, screen):
    return compile_ruleset(edition.ruleset, AS_OF, list(SCREEN_KINDS) if screen else MAIN_KINDS, edition.sha256, screen)


def render(definition: dict, digest: str) -> str:
    """The definition as text; the ruleset's hash (in the registered name) is masked so that editing a
    reason or a description does not churn the snapshot, while any change to conditions does."""
    return json.dumps(definition, indent=1, sort_keys=True, ensure_ascii=False).replace(digest[:12], "<sha256>") + "\n"


def test_definition_matches_the_snapshot(compiled, edition, screen):
    text = render(compiled.definition, edition.sha256)
    snapshot = SNAPSHOTS[screen]
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not snapshot.exists():
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8"), (
        f"compiled definition differs from {snapshot.name}; review the diff and rerun with UPDATE_SNAPSHOTS=1 if intended"
    )


def test_definition_is_plain_json(compiled):
    assert json.loads(json.dumps(compiled.definition)) == compiled.definition


def test_every_rule_appears_with_its_action_name(compiled, edition, screen):
    ((name, body),) = compiled.definition.items()
    assert name == compiled.name
    rules = stage_rules(edition.ruleset, screen)
    assert rules and all((rule.phase == "screen") == screen for rule in rules)
    for rule in rules:
        assert rule.id in body, rule.id
        action = body[rule.id]["run"]
        assert action == f"{compiled.name}:{rule.id}"
        assert compiled.rules[action] is rule
    rule_ids = {rule.id for rule in rules}
    for key, compiled_rule in body.items():
        if (
            key not in rule_ids
        ):  # the only other entries are catch-all rules (and the screen's settling rule): no conclusion
            assert key.startswith(("catch_all__", "rule__settled__")) and compiled_rule["run"] == "noop", key


def test_compiling_is_deterministic(compiled, edition, screen):
    again = compile_ruleset(
        edition.ruleset, AS_OF, list(SCREEN_KINDS) if screen else MAIN_KINDS, edition.sha256, screen
    )
    assert render(again.definition, edition.sha256) == render(compiled.definition, edition.sha256)


def test_registering_does_not_mutate_the_compiled_definition(evaluator, edition):
    # durable-rules mutates the dict given to set_rulesets: the runtime must register a copy.
    from support import applicant

    compiled = evaluator._compile(edition, AS_OF)
    before = copy.deepcopy(compiled.definition)
    evaluator.evaluate(applicant(), as_of=AS_OF)
    assert compiled.definition == before
