"""A rule that matches a fact kind and also says `not:` of that kind: the shape durable-rules gets wrong.

Measured on durable-rules 2.0.28 (tests/test_negations.py replays it on a bundled rule): in a rule with a
pattern of kind K and a `not:` pattern of kind K with constant conditions, a fact that could meet both
patterns is not seen by the negation, so the rule fires although such a fact exists. With `p` facts of
h = 5 and h = 20, `when: [{fact: p}, {not: {fact: p, where: {h: {gte: 10}}}}]` fires; so does
`{fact: p, where: {h: {lt: 100}}}` beside it. It decides right when the two patterns can never match one
fact (`h: {lt: 10}` beside `not: ... h: {gte: 10}`), and when the `not:` compares only with other facts'
fields (`not: {fact: p, where: {h: {gt: {ref: first.h}}}}` beside a `p` pattern aliased `first`). So the
validator refuses the rest: a silent wrong conclusion is the worst thing a rule can give, and the fix in
the ruleset is one comparison.

The two patterns are compared by the interval analysis of engine/conflicts.py, with the parameters in
force on each day they change; a comparison that analysis cannot model counts as overlapping.
"""

from __future__ import annotations

from .conflicts import Constraint, parameter_days, pattern_alternatives
from .errors import Problem
from .model import Absent, FactPattern, Rule, Ruleset
from .yaml_source import Positions, format_key_path


def self_negation_problems(ruleset: Ruleset, path: str, positions: Positions) -> list[Problem]:
    """Each `not:` pattern whose kind a positive pattern of the same rule matches, with constant conditions
    that some fact could meet together with that pattern's."""
    problems = []
    for index, rule in enumerate(ruleset.rules):
        for p_index, pattern in enumerate(rule.when):
            if isinstance(pattern, Absent) and _overlapping(rule, pattern.not_, ruleset):
                where = ("rules", index, "when", p_index, "not")
                line, column = positions.find(where)
                problems.append(Problem(path, line, column, format_key_path(where), _message(rule, pattern.not_)))
    return problems


def _overlapping(rule: Rule, negated: FactPattern, ruleset: Ruleset) -> bool:
    """Whether one fact could meet `negated` and a positive pattern of its kind in the rule, on some day."""
    aliases = {p.alias: p.fact for p in rule.when if isinstance(p, FactPattern)}
    for positive in (p for p in rule.when if isinstance(p, FactPattern) and p.fact == negated.fact):
        for parameters in parameter_days(ruleset):
            for absent in pattern_alternatives(negated, parameters, aliases):
                if _joins_only(absent):
                    continue
                if any(not _disjoint(absent, needed) for needed in pattern_alternatives(positive, parameters, aliases)):
                    return True
    return False


def _joins_only(constraints: dict[str, Constraint]) -> bool:
    """Every condition compares with another fact's field (a join): durable-rules decides those right."""
    return bool(constraints) and all(c.symbolic and c == Constraint(symbolic=c.symbolic) for c in constraints.values())


def _disjoint(a: dict[str, Constraint], b: dict[str, Constraint]) -> bool:
    """Whether some field's conditions in `a` and `b` cannot hold together (so no fact meets both)."""
    for name in a.keys() & b.keys():
        merged = a[name].merge(b[name])
        if not merged.opaque and merged.empty():
            return True
    return False


def _message(rule: Rule, negated: FactPattern) -> str:
    return (
        f"rule {rule.id!r} matches fact {negated.fact!r} and says `not:` of it with conditions one {negated.fact!r} could meet "
        f"together with the other pattern's: durable-rules does not see such a fact in the negation and would fire anyway "
        f"(docs/engine.md). Make the two exclusive: give the matched pattern the opposite comparison "
        f"(e.g. `lt` beside the `not:`'s `gte` on the same field)"
    )
