"""The cheapest ways to gain points on a score (`cec explain` for a ruleset with `score:`).

For each factor below its maximum, every award to it whose points come from a decision table
(`{table: T, inputs: {x: {ref: alias.field}}}`) is tried again with one input changed: only an input the
table declares `improvable: true` (a level the applicant can raise; never a fixed fact such as a birth
date), walking its declared domain outward from the applicant's value, nearest value first (upward before
downward at equal distance), to the first value the table gives more points for. The gain is what the
total would become with that factor's points recomputed and every cap applied again (engine/score.py), so
a factor in a full cap group gains nothing and is not proposed. The pass mark, when a final-phase rule
compares the `score` fact's `total` with a parameter, says whether the new total would reach it.
The engine knows no program: how a change is worded (a level as a test score, say) is the plugin's.
"""

from __future__ import annotations

from dataclasses import dataclass

from .decision_tables import TableError, operand_value, table_value
from .model import FactPattern, FactRef, ParamRef, Ruleset, TableInput, TableValue
from .score import SCORE_FACT, ScoreResult, capped_total


@dataclass
class Gain:
    """One change of one table input and the points it would bring."""

    factor: str
    rule: str
    table: str
    input: str  # the table's input name
    alias: str  # the matched fact the value came from, and its field
    field: str
    fact: dict
    current: object
    proposed: object
    factor_points: int | float  # the factor's points after the change (capped at its max)
    gain: int | float  # what the total gains, caps applied
    total: int | float  # the new total
    passes: bool | None  # whether the new total reaches the pass mark (None: no pass mark)

    def to_json(self) -> dict:
        return {
            "factor": self.factor,
            "input": f"{self.alias}.{self.field}",
            "table": self.table,
            "from": self.current,
            "to": self.proposed,
            "points": self.gain,
            "factor_points": self.factor_points,
            "total": self.total,
            "passes": self.passes,
        }


def pass_mark(ruleset: Ruleset, parameters: dict) -> int | float | None:
    """The pass mark: the parameter a final-phase rule's `score` pattern compares `total` with (gte/gt)."""
    for rule in ruleset.rules:
        for pattern in rule.when:
            if (
                rule.phase == "final"
                and isinstance(pattern, FactPattern)
                and pattern.fact == SCORE_FACT
                and "total" in (pattern.where or {})
            ):
                for op, operand in pattern.where["total"].operators():
                    if op in ("gte", "gt") and isinstance(operand, ParamRef):
                        return parameters[operand.param] + (1 if op == "gt" else 0)
    return None


def point_gains(ruleset: Ruleset, parameters: dict, score: ScoreResult) -> list[Gain]:
    """Every one-input change that raises the total, best gain first, then in the grid's order."""
    rules = {rule.id: rule for rule in ruleset.rules}
    mark = pass_mark(ruleset, parameters)
    points = {f.id: f.bounds[0] for f in score.factors}  # an undetermined factor at its sure points, as in `total`
    gains = []
    for factor in score.factors:
        if factor.points is None or factor.points >= factor.max:
            continue
        for index, award in enumerate(factor.awards):
            value = rules[award.rule].then.award.points
            if not isinstance(value, TableValue):
                continue
            others = sum(a.points for i, a in enumerate(factor.awards) if i != index)
            for change in _changes(ruleset.tables[value.table], value, award, parameters):
                name, operand, proposed, new_points = change
                factor_points = min(others + new_points, factor.max)
                total, _ = capped_total(ruleset.score, {**points, factor.id: factor_points})
                if total > score.total:
                    gains.append(
                        Gain(
                            factor.id,
                            award.rule,
                            value.table,
                            name,
                            operand.alias,
                            operand.field,
                            award.facts[operand.alias],
                            award.facts[operand.alias][operand.field],
                            proposed,
                            factor_points,
                            total - score.total,
                            total,
                            None if mark is None else total >= mark,
                        )
                    )
    order = [f.id for f in score.factors]
    return sorted(gains, key=lambda g: (-g.gain, order.index(g.factor)))


def _changes(table, value: TableValue, award, parameters: dict):
    """For each improvable input read from a fact: (input, its reference, the nearest better value, its points)."""
    inputs = {name: operand_value(operand, award.facts, parameters) for name, operand in value.inputs.items()}
    for name, operand in value.inputs.items():
        domain = table.inputs[name]
        if not (isinstance(operand, FactRef) and domain.improvable):
            continue
        for candidate in _neighbours(domain, inputs[name]):
            try:
                points = table_value(value.table, table, {**inputs, name: candidate}, parameters)
            except TableError:
                continue
            if points > award.points:
                yield name, operand, candidate, points
                break


def _neighbours(domain: TableInput, current) -> list:
    """The other values of a domain, nearest to `current` first (the larger first at equal distance).

    Examples:
        >>> _neighbours(TableInput(type="integer", min=0, max=4), 2)
        [3, 1, 4, 0]
        >>> _neighbours(TableInput(type="enum", values=["a", "b", "c"]), "a"), _neighbours(TableInput(type="boolean"), False)
        (['b', 'c'], [True])
    """
    if domain.type == "boolean":
        return [not current]
    values = list(range(domain.min, domain.max + 1)) if domain.type == "integer" else list(domain.values)
    if current not in values:
        return []
    here = values.index(current)
    return sorted((v for v in values if v != current), key=lambda v: (abs(values.index(v) - here), -values.index(v)))
