"""Static checks on how rules interact: derivations that feed themselves (they would loop forever) and
rules that can conclude one criterion two ways for the same applicant (meet and fail, or either and
undetermined).

Contradictions are found by interval analysis: each rule's conditions become, per fact kind and field,
an interval and a set of allowed/excluded values (constants and parameters resolved on each date the
parameters change; `{ref: alias.field}` operands kept symbolic). Two rules are *separated* when some fact
kind both match once has a field whose two constraints cannot hold together, or when one rule's `not:`
pattern matches every fact the other rule needs. Two rules that are not separated are reported with both
rules' lines when the question is decidable here: no comparison with another fact's field (`{ref: ...}`,
whose value this analysis does not know), no kind matched twice, and every comparison of a kind modelled.
Fields of one fact are taken as independent, except for the relations the program declares between them
(a program plugin's `field_relations`, e.g. a certain total never above a possible one), which narrow each other.
What the analysis cannot decide (a membership test against a fact's field, for example) is left to the
runtime, which stops a decision whose rules conclude a criterion two ways (engine/evaluator.py).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from .errors import Problem
from .model import Absent, FactPattern, FactRef, ParamRef, Rule, Ruleset
from .yaml_source import Positions, format_key_path

VERDICTS = ("meet", "fail", "undetermined")
MAX_ALTERNATIVES = 64  # `any:` groups multiply; beyond this the pair is left to the runtime


@dataclass
class Constraint:
    """What one field may be: an interval, allowed/excluded values, intervals relative to symbols."""

    low: float = -math.inf
    low_open: bool = False
    high: float = math.inf
    high_open: bool = False
    allowed: frozenset | None = None
    excluded: frozenset = frozenset()
    symbolic: dict = field(default_factory=dict)  # symbol -> Constraint on (value - symbol)
    absent: bool = False
    opaque: bool = False  # holds a comparison this analysis does not model

    def merge(self, other: "Constraint") -> "Constraint":
        low, low_open = max((self.low, self.low_open), (other.low, other.low_open), key=lambda b: (b[0], b[1]))
        high, high_open = min(
            (self.high, not self.high_open), (other.high, not other.high_open), key=lambda b: (b[0], b[1])
        )
        allowed = (
            self.allowed
            if other.allowed is None
            else other.allowed
            if self.allowed is None
            else self.allowed & other.allowed
        )
        symbolic = dict(self.symbolic)
        for symbol, c in other.symbolic.items():
            symbolic[symbol] = symbolic[symbol].merge(c) if symbol in symbolic else c
        return Constraint(
            low,
            low_open,
            high,
            not high_open,
            allowed,
            self.excluded | other.excluded,
            symbolic,
            self.absent or other.absent,
            self.opaque or other.opaque,
        )

    def empty(self) -> bool:
        if self.low > self.high or (self.low == self.high and (self.low_open or self.high_open)):
            return True
        if self.allowed is not None and not [
            v for v in self.allowed if v not in self.excluded and self._in_interval(v)
        ]:
            return True
        if self.low == self.high and self.low in self.excluded:
            return True
        if self.absent and (self.allowed is not None or self.symbolic or self.low > -math.inf or self.high < math.inf):
            return True
        return any(c.empty() for c in self.symbolic.values())

    def within(self, outer: "Constraint") -> bool:
        """Whether every value this constraint allows, `outer` allows too (False when unsure)."""
        if self.opaque or outer.opaque or outer.absent:
            return False
        if (outer.low, outer.low_open) > (self.low, self.low_open) or (-outer.high, outer.high_open) > (
            -self.high,
            self.high_open,
        ):
            return False  # outer's bound is the tighter one
        if outer.allowed is not None and (self.allowed is None or not self.allowed <= outer.allowed):
            return False
        if outer.excluded and not (
            outer.excluded <= self.excluded or (self.allowed is not None and not self.allowed & outer.excluded)
        ):
            return False
        return all(symbol in self.symbolic and self.symbolic[symbol].within(c) for symbol, c in outer.symbolic.items())

    def _in_interval(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.low == -math.inf and self.high == math.inf
        return (self.low < value or (self.low == value and not self.low_open)) and (
            value < self.high or (value == self.high and not self.high_open)
        )


def comparison_constraint(op: str, operand, parameters: dict, aliases: dict[str, str]) -> Constraint:
    """The constraint `field <op> operand` puts on a field."""
    if isinstance(operand, FactRef):
        if op not in ("eq", "gt", "gte", "lt", "lte") or operand.alias not in aliases:
            return Constraint(opaque=True)
        return Constraint(symbolic={(aliases[operand.alias], operand.field): comparison_constraint(op, 0, {}, {})})
    value = parameters.get(operand.param) if isinstance(operand, ParamRef) else operand
    if op == "exists":
        return Constraint(absent=value is False)
    if op in ("in", "not_in"):
        if not isinstance(value, list):
            return Constraint(opaque=True)
        return (
            Constraint(allowed=frozenset(_key(v) for v in value))
            if op == "in"
            else Constraint(excluded=frozenset(_key(v) for v in value))
        )
    if op == "ne":
        return Constraint(excluded=frozenset([_key(value)])) if _hashable(value) else Constraint(opaque=True)
    if op == "eq":
        if not _hashable(value):
            return Constraint(opaque=True)
        return (
            Constraint(value, False, value, False, frozenset([_key(value)]))
            if _is_number(value)
            else Constraint(allowed=frozenset([_key(value)]))
        )
    if not _is_number(value):
        return Constraint(opaque=True)
    return {
        "gt": Constraint(low=value, low_open=True),
        "gte": Constraint(low=value),
        "lt": Constraint(high=value, high_open=True),
        "lte": Constraint(high=value),
    }[op]


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _hashable(value) -> bool:
    return isinstance(value, (str, int, float, bool))


def _key(value):
    """Set members that keep true apart from 1 (Python's sets would merge them)."""
    return ("bool", value) if isinstance(value, bool) else value


# --- one rule's conditions ------------------------------------------------------------------------


@dataclass
class Conditions:
    """One alternative of a rule's conditions: constraints per positive pattern, and its `not:` patterns."""

    positive: list[tuple[str, dict[str, Constraint]]]
    negative: list[tuple[str, dict[str, Constraint]]]


def rule_conditions(rule: Rule, parameters: dict) -> list[Conditions] | None:
    """Every alternative (one per choice of `any:` group), or None when there are too many to compare."""
    aliases = {p.alias: p.fact for p in rule.when if isinstance(p, FactPattern)}
    choices = []
    for pattern in rule.when:
        inner = pattern.not_ if isinstance(pattern, Absent) else pattern
        choices.append(
            [(isinstance(pattern, Absent), inner.fact, c) for c in pattern_alternatives(inner, parameters, aliases)]
        )
    combos = math.prod(len(c) for c in choices)
    if combos > MAX_ALTERNATIVES:
        return None
    result = []
    for combo in itertools.product(*choices):
        result.append(Conditions([(k, c) for neg, k, c in combo if not neg], [(k, c) for neg, k, c in combo if neg]))
    return result


def pattern_alternatives(
    pattern: FactPattern, parameters: dict, aliases: dict[str, str]
) -> list[dict[str, Constraint]]:
    """The constraints per field of each way `pattern` can match: its `where` with each of its `any:` groups."""
    groups = [pattern.where or {}]
    alternatives = [[*groups, g] for g in pattern.any] if pattern.any else [groups]
    return [_constraints(a, parameters, aliases) for a in alternatives]


def _constraints(groups: list[dict], parameters: dict, aliases: dict[str, str]) -> dict[str, Constraint]:
    constraints: dict[str, Constraint] = {}
    for group in groups:
        for name, comparison in group.items():
            for op, operand in comparison.operators():
                c = comparison_constraint(op, operand, parameters, aliases)
                constraints[name] = constraints[name].merge(c) if name in constraints else c
    return constraints


def separated(a: Conditions, b: Conditions, relations: dict | None = None) -> bool | None:
    """True: the two cannot hold together; False: they can; None: this analysis cannot tell.

    `relations` (kind -> [(lesser, greater)]) are what the program guarantees between two fields of one
    fact (a certain total <= a possible total): without them, fields of one fact are taken as independent."""
    unsure = any(
        c.symbolic or c.opaque for side in (a, b) for _, cs in side.positive + side.negative for c in cs.values()
    )
    for kind in {k for k, _ in a.positive} & {k for k, _ in b.positive}:
        mine, theirs = [c for k, c in a.positive if k == kind], [c for k, c in b.positive if k == kind]
        if len(mine) != 1 or len(theirs) != 1:
            unsure = True  # several facts of one kind: the two rules may match different ones
            continue
        merged = dict(mine[0])
        for name, c in theirs[0].items():
            merged[name] = merged[name].merge(c) if name in merged else c
        _apply_relations(merged, (relations or {}).get(kind, ()))
        if any(not c.opaque and c.empty() for c in merged.values()):
            return True
    if _excludes(a, b) or _excludes(b, a):
        return True
    return None if unsure else False


def _apply_relations(merged: dict[str, Constraint], relations) -> None:
    """Narrow both fields of each `lesser <= greater` pair by the other's bound."""
    for lesser, greater in relations:
        if lesser in merged or greater in merged:
            low, high = merged.get(lesser, Constraint()), merged.get(greater, Constraint())
            merged[lesser] = low.merge(Constraint(high=high.high, high_open=high.high_open))
            merged[greater] = high.merge(Constraint(low=low.low, low_open=low.low_open))


def _excludes(a: Conditions, b: Conditions) -> bool:
    """Whether a `not:` pattern of `a` matches the fact a positive pattern of `b` needs."""
    for kind, absent in a.negative:
        for other_kind, needed in b.positive:
            if kind == other_kind and all(name in needed and needed[name].within(c) for name, c in absent.items()):
                return True
    return False


# --- the checks -----------------------------------------------------------------------------------


def verdict(rule: Rule) -> str | None:
    """meet, fail or undetermined (when that conclusion exists), or None for a derive rule."""
    return next((name for name in VERDICTS if getattr(rule.then, name, None) is not None), None)


def criterion_of(rule: Rule) -> str | None:
    return next((getattr(rule.then, name) for name in VERDICTS if getattr(rule.then, name, None) is not None), None)


def contradiction_problems(
    ruleset: Ruleset, path: str, positions: Positions, relations: dict | None = None
) -> list[Problem]:
    """Pairs of rules that conclude one criterion two ways and whose conditions can hold together."""
    per_day = parameter_days(ruleset)
    concluding = [(i, r) for i, r in enumerate(ruleset.rules) if verdict(r) is not None]
    problems = []
    for (i, a), (j, b) in itertools.combinations(concluding, 2):
        if criterion_of(a) != criterion_of(b) or verdict(a) == verdict(b):
            continue
        if any(_can_fire_together(a, b, parameters, relations) for parameters in per_day):
            line, _ = positions.find(("rules", i))
            where = ("rules", j, "then", verdict(b))
            at_line, column = positions.find(where)
            problems.append(
                Problem(
                    path,
                    at_line,
                    column,
                    format_key_path(where),
                    f"rules {b.id!r} ({verdict(b)}) and {a.id!r} (line {line}, {verdict(a)}) can both hold for one applicant, "
                    f"so criterion {criterion_of(b)!r} would be concluded two ways: make their conditions exclusive",
                )
            )
    return problems


def parameter_days(ruleset: Ruleset) -> list[dict]:
    """The parameters' values on each day one of them changes (from the edition's first day)."""
    days = sorted({ruleset.effective_from, *(d for p in ruleset.parameters.values() for d in (p.values or {}))})
    return [{n: p.value_on(day) for n, p in ruleset.parameters.items()} for day in days]


def _can_fire_together(a: Rule, b: Rule, parameters: dict, relations: dict | None) -> bool:
    left, right = rule_conditions(a, parameters), rule_conditions(b, parameters)
    if left is None or right is None:
        return False
    return any(separated(x, y, relations) is False for x in left for y in right)


def cycle_problems(ruleset: Ruleset, path: str, positions: Positions) -> list[Problem]:
    """Derive rules whose derived fact kind their own conditions match, directly or through other derivations."""
    feeds: dict[str, set[str]] = {}  # kind -> kinds derived from it
    for rule in ruleset.rules:
        if rule.then.derive is not None:
            for kind in _kinds(rule):
                feeds.setdefault(kind, set()).add(rule.then.derive.fact)
    problems = []
    for index, rule in enumerate(ruleset.rules):
        if rule.then.derive is None:
            continue
        chain = _path(feeds, rule.then.derive.fact, _kinds(rule))
        if chain is not None:
            where = ("rules", index, "then", "derive", "fact")
            line, column = positions.find(where)
            loop = " -> ".join([*chain, rule.then.derive.fact])
            problems.append(
                Problem(
                    path,
                    line,
                    column,
                    format_key_path(where),
                    f"rule {rule.id!r} derives {rule.then.derive.fact!r}, which its own conditions match ({loop}): the rules would fire forever",
                )
            )
    return problems


def _kinds(rule: Rule) -> set[str]:
    return {p.not_.fact if isinstance(p, Absent) else p.fact for p in rule.when}


def _path(feeds: dict[str, set[str]], start: str, targets: set[str]) -> list[str] | None:
    """A chain of kinds from `start` to one of `targets` through derivations (breadth first), or None."""
    frontier, seen = [[start]], {start}
    while frontier:
        chain = frontier.pop(0)
        if chain[-1] in targets:
            return chain
        for nxt in sorted(feeds.get(chain[-1], ())):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(chain + [nxt])
    return None
