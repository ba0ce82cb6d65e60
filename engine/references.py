"""Which parameters a rule uses: in its conditions, its derived values, its points (awarded or possible) and
its reason placeholders.
Explanations show these as the thresholds behind a conclusion, with their citations."""

from __future__ import annotations

from .model import LANGS, Absent, InputRange, Lookup, Lowest, ParamRef, Rule, TableRange, TableValue, Text, wording
from .templates import placeholders


def parameters_of(rule: Rule) -> list[str]:
    """Parameter names the rule refers to, in order of first use."""
    names: list[str] = []
    for pattern in rule.when:
        pattern = pattern.not_ if isinstance(pattern, Absent) else pattern
        for group in [pattern.where or {}] + list(pattern.any or []):
            for comparison in group.values():
                names.extend(_operand_params(operand) for _, operand in comparison.operators())
    values = list(rule.then.derive.set.values()) if rule.then.derive is not None else []
    values += [rule.then.award.points] if rule.then.award is not None else []
    values += (
        [member for _, member in rule.then.possible_points.members()] if rule.then.possible_points is not None else []
    )
    for value in values:
        names.append(_operand_params(value))
        if isinstance(value, (TableValue, TableRange)):  # a table's inputs may be parameters too
            for operand in value.inputs.values():
                ends = (operand.from_, operand.to) if isinstance(operand, InputRange) else (operand,)
                names.extend(_operand_params(end) for end in ends)
        if isinstance(value, Text):
            names.extend(_template_params(" ".join(wording(value.text, lang) for lang in LANGS)))
    if rule.then.reason:
        names.extend(_template_params(" ".join(wording(rule.then.reason, lang) for lang in LANGS)))
    return [name for name in dict.fromkeys(names) if name]


def _template_params(text: str) -> list[str]:
    """The parameters a template's `{param.NAME}` and `{param.NAME.KEY}` placeholders show."""
    return [name for head, name, _ in placeholders(text) if head == "param"]


def _operand_params(operand) -> str | None:
    if isinstance(operand, ParamRef):
        return operand.param
    if isinstance(operand, Lookup):
        return operand.lookup
    if isinstance(operand, Lowest):
        return operand.lowest
    return None
