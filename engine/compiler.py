"""Compiling a ruleset edition (for one assessment date) into durable-rules JSON definitions.

The compiled form is plain JSON (snapshot-tested); actions are bound by name. Parameters are resolved
to literals here, so an edition with dated parameter values compiles once per parameter period.
Rules with `not` patterns, and rules marked `phase: conclude`, are gated on a `conclude` fact the
runtime asserts after all other facts (durable-rules does not re-check negation inside a cascade);
rules marked `phase: final` are gated on a later fact, so their negations see what the conclude phase
derived.
Every fact kind that some rule might not match gets a catch-all rule that accepts it without ever
firing, so that every assert is handled. A ruleset with a `score:` also gets the `score` kind, which the
runtime asserts after the conclude phase and before the final one (engine/score.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import SCREEN, Absent, Comparison, FactPattern, FactRef, ParamRef, Rule, Ruleset, Score, Table
from .score import SCORE_FACT
from .validator import PHASE_GATES

CATCH_ALL_PRIORITY = 1_000_000
NEVER_ASSERTED = "__never_asserted__"
SETTLED = "settled__"  # the screen's last fact: one rule fires on it, so its session can always be deleted
GATE_ALIAS = "conclude__"
_RANGE_OPERATORS = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte", "ne": "$neq"}


@dataclass(frozen=True)
class CompiledRuleset:
    """A durable-rules definition and what the runtime needs to act on its firings."""

    name: str
    definition: dict
    rules: dict[str, Rule]  # action name -> rule
    parameters: dict[str, object]  # resolved for the period
    gates: tuple[str, ...]  # gate facts to assert after the facts, in phase order
    units: dict[str, str]  # parameter -> unit, for showing values in reasons
    tables: dict[str, Table] = field(default_factory=dict)  # decision tables, evaluated when rules fire
    score: Score | None = None  # the points grid the runtime sums after the conclude phase


def parameter_period(ruleset: Ruleset, day: dt.date) -> dt.date:
    """The start of the parameter period containing `day`: the latest dated value in effect, or the edition start."""
    starts = [start for p in ruleset.parameters.values() if p.values for start in p.values if start <= day]
    return max(starts + [ruleset.effective_from])


def compile_ruleset(
    ruleset: Ruleset, day: dt.date, fact_kinds: list[str], digest: str, screen: bool = False
) -> CompiledRuleset:
    """Compile `ruleset` with its parameters as they stand on `day`: its screen-phase rules when `screen`
    (a ruleset of their own, run in a first session), else all the others."""
    period = parameter_period(ruleset, day)
    parameters = {name: p.value_on(day) for name, p in ruleset.parameters.items()}
    name = f"{ruleset.program}__{ruleset.edition}__{period.isoformat()}__{digest[:12]}" + ("__screen" if screen else "")
    rules = stage_rules(ruleset, screen)
    body: dict[str, dict] = {}
    actions: dict[str, Rule] = {}
    used_gates: set[str] = set()
    for rule in rules:
        action = f"{name}:{rule.id}"
        gate = PHASE_GATES.get(rule_phase(rule))
        if gate:
            used_gates.add(gate)
        body[rule.id] = _compile_rule(rule, parameters, gate, action)
        actions[action] = rule
    gates = tuple(g for g in PHASE_GATES.values() if g in used_gates)
    if screen:  # durable-rules crashes deleting a session in which no rule fired, the usual screen outcome
        body[f"rule__{SETTLED}"] = {"all": [{"m": {"t": SETTLED}}], "run": "noop"}
        gates += (SETTLED,)
    kinds = set(fact_kinds) | {r.then.derive.fact for r in rules if r.then.derive} | set(gates)
    kinds |= {SCORE_FACT} if ruleset.score is not None and not screen else set()
    for kind in sorted(kinds - _always_handled(rules, gates)):
        body[f"catch_all__{kind}"] = _catch_all(kind)
    units = {n: p.unit for n, p in ruleset.parameters.items() if p.unit}
    return CompiledRuleset(
        name, {name: body}, actions, parameters, gates, units, dict(ruleset.tables), None if screen else ruleset.score
    )


def stage_rules(ruleset: Ruleset, screen: bool) -> list[Rule]:
    """The rules of one stage: the screen phase's, or every other phase's."""
    return [rule for rule in ruleset.rules if (rule.phase == SCREEN) == screen]


def rule_phase(rule: Rule) -> str:
    """The phase a rule runs in: a rule with a `not` pattern waits at least for the conclude phase."""
    if rule.phase == "facts" and any(isinstance(p, Absent) for p in rule.when):
        return "conclude"
    return rule.phase


def _catch_all(kind: str) -> dict:
    """A rule that accepts every fact of `kind` but never fires: it joins with a kind nobody asserts.

    durable-rules counts a fact as handled once it passes a pattern's own tests, so this keeps the
    engine safe (no MessageNotHandledException, no crash on delete) without a firing per fact.
    """
    return {"all": [{"m": {"t": kind}}, {"never": {"t": NEVER_ASSERTED}}], "pri": CATCH_ALL_PRIORITY, "run": "noop"}


def _always_handled(rules: list[Rule], gates: tuple[str, ...]) -> set[str]:
    """Kinds that some rule matches whatever their values: they need no catch-all (each one costs a firing).

    durable-rules counts a fact as handled when it passes the literal tests of some rule's pattern;
    comparisons with other facts (joins) are tested later and do not count.
    """
    kinds = set(gates)
    for rule in rules:
        for pattern in rule.when:
            pattern = pattern.not_ if isinstance(pattern, Absent) else pattern
            if not pattern.any and all(
                isinstance(operand, FactRef)
                for comparison in (pattern.where or {}).values()
                for _, operand in comparison.operators()
            ):
                kinds.add(pattern.fact)
    return kinds


def _compile_rule(rule: Rule, parameters: dict, gate: str | None, action: str) -> dict:
    terms = [{GATE_ALIAS: {"t": gate}}] if gate else []
    for pattern in rule.when:
        if isinstance(pattern, Absent):
            terms.append({f"{pattern.not_.alias}$not": _compile_pattern(pattern.not_, parameters)})
        else:
            terms.append({pattern.alias: _compile_pattern(pattern, parameters)})
    compiled = {"all": terms, "run": action}
    if rule.priority:
        compiled["pri"] = rule.priority
    return compiled


def _compile_pattern(pattern: FactPattern, parameters: dict) -> dict:
    terms: list[dict] = [{"t": pattern.fact}]
    terms += _compile_group(pattern.where or {}, parameters)
    if pattern.any:
        terms.append({"$or": [_and(_compile_group(group, parameters)) for group in pattern.any]})
    return _and(terms)


def _and(terms: list[dict]) -> dict:
    if not terms:
        return {"$nex": {"__never_set__": 1}}  # always true: no fact has this field
    return terms[0] if len(terms) == 1 else {"$and": terms}


def _compile_group(group: dict[str, Comparison], parameters: dict) -> list[dict]:
    terms = []
    for field_name, comparison in group.items():
        for op, operand in comparison.operators():
            terms.append(_compile_comparison(field_name, op, _operand(operand, parameters)))
    return terms


def _operand(operand, parameters: dict):
    """A literal, a resolved parameter, or durable's join reference `{alias: field}`."""
    if isinstance(operand, ParamRef):
        return parameters[operand.param]
    if isinstance(operand, FactRef):
        return {operand.alias: operand.field}
    return operand


_NEVER = {"$and": [{"__never__": 1}, {"$neq": {"__never__": 1}}]}


def _compile_comparison(field_name: str, op: str, value) -> dict:
    if op == "eq":
        return {field_name: value}
    if op in _RANGE_OPERATORS:
        return {_RANGE_OPERATORS[op]: {field_name: value}}
    if op == "exists":
        return {"$ex" if value else "$nex": {field_name: 1}}
    members = value if isinstance(value, list) else list(value) if isinstance(value, dict) else [value]
    if op == "in":
        return {"$or": [{field_name: m} for m in members]} if members else _NEVER
    return {"$and": [{"$neq": {field_name: m}} for m in members]} if members else {"$nex": {"__never_set__": 1}}
