"""Checks a loaded ruleset beyond its shape: names that must refer to something, and criteria that
something must conclude. Every problem carries the file, line and key path, with a "did you mean".
"""

from __future__ import annotations

import math
import re

from .conflicts import contradiction_problems, cycle_problems
from .negations import self_negation_problems
from .decision_tables import describe_domain, in_domain
from .errors import Problem
from .model import (
    ITEM_FIELD,
    LANGS,
    SCREEN,
    SPAN_FIELDS,
    Absent,
    FactPattern,
    FactRef,
    InputRange,
    Lookup,
    Lowest,
    ParamRef,
    Rule,
    Ruleset,
    TableRange,
    TableValue,
    Text,
    wording,
)
from .pydantic_problems import suggest
from .score import AWARD_ALIAS, SCORE_FACT, SCORE_FIELDS, TOTAL_FIELDS
from .score_checks import score_problems
from .shown import a, literal
from .table_coverage import table_problems
from .templates import PARAM_KEY
from .values import number_problem
from .yaml_source import Positions, format_key_path

CONCLUDE_FACT = "conclude"
# Phases after "facts", in order, each gated on a fact the runtime asserts once the previous phase has
# settled: stratified negation (a `not` in the final phase sees what the conclude phase derived).
PHASE_GATES = {"conclude": CONCLUDE_FACT, "final": "conclude_final"}
MAX_RULES = 200  # durable-rules' limits, measured: see _check_rule_count
MAX_PATTERNS_PER_KIND = 48
TRANSLATION_SUFFIX = "__fr"  # a derived {text: {en, fr}} field keeps its French beside it as FIELD__fr
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+(?![\w.])|\d+(?:\.\d+)?")


def _parameter_numbers(ruleset: Ruleset) -> dict[float, str]:
    """Every number a parameter holds (scalars, list items, table values, on every date) -> a parameter name."""
    numbers: dict[float, str] = {}
    for name, parameter in ruleset.parameters.items():
        for value in [parameter.value] if parameter.values is None else list(parameter.values.values()):
            items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
            for item in items:
                if _has_type(item, "number") and math.isfinite(item):
                    numbers.setdefault(float(item), name)
    return numbers


_TYPE_CHECKS = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "table": lambda v: isinstance(v, dict),
}


def _has_type(value, kind: str) -> bool:
    return _TYPE_CHECKS.get(kind, lambda v: True)(value)


class RulesetChecker:
    """Collects the semantic problems of one ruleset file."""

    def __init__(
        self,
        ruleset: Ruleset,
        path: str,
        positions: Positions,
        fact_kinds: dict[str, dict],
        required_parameters: dict[str, str],
        required_advice: dict[str, set[str]] | None = None,
        field_relations: dict | None = None,
        screen_kinds=(),
    ):
        self.field_relations = field_relations or {}
        self.screen_kinds = set(screen_kinds)
        self.ruleset = ruleset
        self.path = path
        self.positions = positions
        self.kinds = {kind: set(fields) for kind, fields in fact_kinds.items()}
        self.program_kinds = set(fact_kinds)
        self.required_parameters = required_parameters
        self.required_advice = required_advice or {}
        self.problems: list[Problem] = []
        self._reported_parameters: set[str] = set()
        if ruleset.score is not None and SCORE_FACT not in self.kinds:  # the sums the final phase matches
            self.kinds[SCORE_FACT] = {*SCORE_FIELDS, *ruleset.score.factors, *(cap.id for cap in ruleset.score.caps)}
        for rule in ruleset.rules:
            if rule.then.derive is not None:
                self.kinds.setdefault(rule.then.derive.fact, set()).update(rule.then.derive.set)
        self._unset = self._fields_not_always_set(fact_kinds)

    def check(self) -> list[Problem]:
        """Run every check; return all problems found."""
        self._check_dates()
        self._check_required_parameters()
        self._check_advice()
        seen_ids: dict[str, int] = {}
        for index, rule in enumerate(self.ruleset.rules):
            if rule.id in seen_ids:
                self._add(("rules", index, "id"), f"duplicate rule id {rule.id!r} (also rules[{seen_ids[rule.id]}])")
            seen_ids.setdefault(rule.id, index)
            self._check_rule(index, rule)
        self._check_criteria_concluded()
        self._check_criterion_descriptions()
        self._check_derived_facts_used()
        self._check_chaining()
        self._check_rule_count()
        self.problems += table_problems(self.ruleset, self.path, self.positions)
        self.problems += score_problems(self.ruleset, self.path, self.positions, self.program_kinds)
        self.problems += cycle_problems(self.ruleset, self.path, self.positions)
        self.problems += self_negation_problems(self.ruleset, self.path, self.positions)
        relations = dict(self.field_relations)
        if self.ruleset.score is not None:  # the sure total never exceeds the possible one (engine/score.py)
            relations[SCORE_FACT] = [*relations.get(SCORE_FACT, []), tuple(TOTAL_FIELDS)]
        self.problems += contradiction_problems(self.ruleset, self.path, self.positions, relations)
        return self.problems

    def _check_rule_count(self) -> None:
        """durable-rules refuses a ruleset when one condition node feeds more than 256 rules (measured: 250
        copies of one rule load, 300 do not), and fails an assert when one fact matches more than 64
        condition nodes at once (measured: 63 rules on one kind decide, 65 do not). The limits leave room
        for the compiler's catch-all rules; docs/ruleset-language.md "Limits"."""
        if len(self.ruleset.rules) > MAX_RULES:
            self._add(
                ("rules",),
                f"{len(self.ruleset.rules)} rules; a ruleset may have at most {MAX_RULES} (durable-rules' limit, see docs/ruleset-language.md)",
            )
        per_kind: dict[str, list[int]] = {}
        for index, rule in enumerate(self.ruleset.rules):
            for pattern in rule.when:
                per_kind.setdefault(pattern.not_.fact if isinstance(pattern, Absent) else pattern.fact, []).append(
                    index
                )
        for kind, indexes in per_kind.items():
            if len(indexes) > MAX_PATTERNS_PER_KIND:
                self._add(
                    ("rules", indexes[MAX_PATTERNS_PER_KIND]),
                    f"{len(indexes)} patterns match fact {kind!r}; a ruleset may have at most {MAX_PATTERNS_PER_KIND} per fact kind (durable-rules' limit, see docs/ruleset-language.md)",
                )

    def _check_chaining(self) -> None:
        """`consumes` never names the program itself (it would decide itself first, without end); `collect`
        names kinds some rule derives (otherwise the list is always empty, a misspelling)."""
        for index, program in enumerate(self.ruleset.consumes):
            if program == self.ruleset.program:
                self._add(("consumes", index), f"a program cannot consume its own decisions ({program!r})")
        derived = {rule.then.derive.fact for rule in self.ruleset.rules if rule.then.derive is not None}
        for index, kind in enumerate(self.ruleset.collect):
            if kind not in derived:
                self._add(
                    ("collect", index),
                    f"no rule derives {kind!r}{suggest(kind, derived)}; derived kinds: {', '.join(sorted(derived)) or 'none'}",
                )

    def _add(self, key_path: tuple, message: str) -> None:
        line, column = self.positions.find(key_path)
        self.problems.append(Problem(self.path, line, column, format_key_path(key_path), message))

    def _check_dates(self) -> None:
        ruleset = self.ruleset
        if ruleset.effective_to is not None and ruleset.effective_to < ruleset.effective_from:
            self._add(
                ("effective_to",),
                f"effective_to {ruleset.effective_to} is before effective_from {ruleset.effective_from}",
            )
        for name, parameter in ruleset.parameters.items():
            if parameter.values is not None:
                self._check_value_dates(name, list(parameter.values))

    def _check_value_dates(self, name: str, dates: list) -> None:
        """A parameter's dates in increasing order: a date out of order is most often a mistyped year. (Values
        dated before the edition are allowed: an edition copied by hand keeps its parameters' history, as
        docs/policy-editing.md's worked example does.)"""
        for previous, day in zip(dates, dates[1:]):
            if day <= previous:
                self._add(
                    ("parameters", name, "values", day.isoformat()),
                    f"the dates of values must increase: {day} comes after {previous} (a mistyped year?)",
                )
                return

    def _check_advice(self) -> None:
        """Explanation texts: each one the explainer uses must exist, in both languages, with known placeholders."""
        for name, allowed in self.required_advice.items():
            entry = self.ruleset.advice.get(name)
            if entry is None:
                self._add(
                    ("advice",), f"missing advice text {name!r} (placeholders: {', '.join(sorted(allowed)) or 'none'})"
                )
                continue
            for lang in LANGS:
                for placeholder in re.findall(r"\{([^{}]*)\}", getattr(entry, lang)):
                    if placeholder not in allowed:
                        self._add(
                            ("advice", name, lang),
                            f"unknown placeholder {{{placeholder}}}{suggest(placeholder, allowed)}; allowed: {', '.join(sorted(allowed)) or 'none'}",
                        )

    def _check_required_parameters(self) -> None:
        for name, (kind, why, *_spec) in self.required_parameters.items():
            parameter = self.ruleset.parameters.get(name)
            if parameter is None:
                self._add(("parameters",), f"missing parameter {name!r} ({kind}): {why}")
                continue
            values = [parameter.value] if parameter.values is None else list(parameter.values.values())
            bad = [value for value in values if not _has_type(value, kind)]
            if bad:
                self._add(("parameters", name), f"parameter {name!r} must be {a(kind)} ({why}), not {literal(bad[0])}")

    def _check_rule(self, index: int, rule: Rule) -> None:
        base = ("rules", index)
        aliases: dict[str, str] = {}
        for p_index, pattern in enumerate(rule.when):
            where = base + ("when", p_index)
            if isinstance(pattern, Absent):
                self._check_pattern(pattern.not_, where + ("not",), aliases, negated=True)
                continue
            self._check_pattern(pattern, where, aliases, negated=False)
            if pattern.alias in aliases:
                self._add(where, f"alias {pattern.alias!r} is used twice in this rule; give one an `as:`")
            if pattern.alias == AWARD_ALIAS and rule.then.award is not None:
                self._add(
                    where,
                    f"alias {AWARD_ALIAS!r} is reserved in a rule that awards points ({{award.points}} in its reason); give the pattern another `as:`",
                )
            aliases[pattern.alias] = pattern.fact
        self._check_conclusion(base + ("then",), rule, aliases)
        self._check_stage(base, rule, aliases)

    def _check_stage(self, base: tuple, rule: Rule, aliases: dict[str, str]) -> None:
        """Screen rules run in a session of their own, over the program's screen facts, and only exclude
        items; the other phases never see those facts. docs/ruleset-language.md "Which items count"."""
        screen = rule.phase == SCREEN
        if rule.then.exclude is not None and not screen:
            self._add(base + ("then", "exclude"), "exclude is a screen conclusion: give this rule `phase: screen`")
        if screen and rule.then.exclude is None:
            self._add(
                base + ("then",),
                "a rule of phase screen concludes only `exclude` (which items count); "
                "meet, fail, undetermined and derive belong to the other phases",
            )
        for p_index, pattern in enumerate(rule.when):
            fact = pattern.not_.fact if isinstance(pattern, Absent) else pattern.fact
            where = base + ("when", p_index) + (("not",) if isinstance(pattern, Absent) else ()) + ("fact",)
            if screen and isinstance(pattern, Absent):
                self._add(
                    base + ("when", p_index, "not"),
                    "a screen rule cannot use `not`: exclusions are decided as the facts arrive",
                )
            elif screen and fact in self.kinds and fact not in self.screen_kinds:
                matches = ", ".join(sorted(self.screen_kinds)) or "nothing (this program has no screen)"
                self._add(where, f"fact {fact!r} is not a screen fact; a screen rule matches {matches}")
            elif not screen and fact in self.screen_kinds:
                self._add(
                    where, f"fact {fact!r} exists only in the screen phase: match it in a rule with `phase: screen`"
                )
        if rule.then.exclude is not None:
            self._check_exclude(base + ("then", "exclude"), rule.then.exclude, aliases)

    def _check_exclude(self, where: tuple, exclude, aliases: dict[str, str]) -> None:
        """`item` names an alias of an item fact (one with an `item` id); `during`, one of a fact with `start` and `end`."""
        for key, needed in (("item", (ITEM_FIELD,)), ("during", SPAN_FIELDS)):
            alias = getattr(exclude, key)
            if alias is None:
                continue
            if alias not in aliases:
                self._add(
                    where + (key,),
                    f"{alias!r} is not an alias of this rule{suggest(alias, aliases)}; aliases: {', '.join(aliases) or 'none'}",
                )
                continue
            missing = [name for name in needed if name not in self.kinds.get(aliases[alias], ())]
            if missing and aliases[alias] in self.kinds:
                self._add(
                    where + (key,),
                    f"{key} needs a fact with field(s) {', '.join(needed)}, and fact {aliases[alias]!r} has no {', '.join(missing)}",
                )

    def _check_pattern(self, pattern: FactPattern, where: tuple, aliases: dict[str, str], negated: bool) -> None:
        if pattern.fact not in self.kinds:
            self._add(
                where + ("fact",),
                f"unknown fact {pattern.fact!r}{suggest(pattern.fact, self.kinds)}; known: {', '.join(sorted(self.kinds))}",
            )
            return
        groups = [(where + ("where",), pattern.where or {})]
        groups += [(where + ("any", i), group) for i, group in enumerate(pattern.any or [])]
        for group_path, group in groups:
            for field_name, comparison in group.items():
                self._check_field(group_path + (field_name,), pattern.fact, field_name)
                for op, operand in comparison.operators():
                    self._check_operand(group_path + (field_name, op), operand, aliases)
                    self._check_operand_type(group_path + (field_name, op), op, operand)
                    self._check_literal(group_path + (field_name, op), operand)

    def _fields_not_always_set(self, fact_kinds: dict) -> dict[tuple[str, str], list[str]]:
        """(derived kind, field) -> the rules deriving that kind without setting the field. durable-rules
        cannot compare a field a fact lacks (it fails the whole decision), so using one is an error."""
        missing: dict[tuple[str, str], list[str]] = {}
        for rule in self.ruleset.rules:
            derive = rule.then.derive
            if derive is not None and derive.fact not in fact_kinds:
                for name in self.kinds[derive.fact] - set(derive.set):
                    missing.setdefault((derive.fact, name), []).append(rule.id)
        return missing

    def _check_field(self, where: tuple, kind: str, field_name: str) -> None:
        if kind not in self.kinds:
            return  # the unknown kind is reported where it is named
        if (kind, field_name) in self._unset:
            rules = ", ".join(self._unset[(kind, field_name)])
            self._add(
                where,
                f"field {field_name!r} of derived fact {kind!r} is not set by rule(s) {rules}: every rule deriving {kind!r} must set it",
            )
            return
        if field_name not in self.kinds[kind]:
            self._add(
                where,
                f"fact {kind!r} has no field {field_name!r}{suggest(field_name, self.kinds[kind])}; fields: {', '.join(sorted(self.kinds[kind]))}",
            )

    def _check_operand(self, where: tuple, operand, aliases: dict[str, str]) -> None:
        if isinstance(operand, ParamRef):
            self._check_param(where + ("param",), operand.param)
        elif isinstance(operand, FactRef):
            if operand.alias not in aliases:
                self._add(
                    where + ("ref",),
                    f"{operand.ref!r} refers to {operand.alias!r}, which no earlier pattern of this rule names{suggest(operand.alias, aliases)}",
                )
            else:
                self._check_field(where + ("ref",), aliases[operand.alias], operand.field)
        elif isinstance(operand, Lowest):
            self._check_param(where + ("lowest",), operand.lowest)
            collection = self.ruleset.parameters.get(operand.lowest)
            values = (
                []
                if collection is None
                else [collection.value]
                if collection.values is None
                else list(collection.values.values())
            )
            if not all(
                isinstance(v, (dict, list))
                and v
                and all(_has_type(x, "number") for x in (v.values() if isinstance(v, dict) else v))
                for v in values
            ):
                self._add(
                    where + ("lowest",),
                    f"lowest needs a non-empty table or list of numbers, but {operand.lowest!r} is not one",
                )
        elif isinstance(operand, TableValue):
            self._check_table_value(where, operand, aliases)
        elif isinstance(operand, Lookup):
            self._check_param(where + ("lookup",), operand.lookup)
            table = self.ruleset.parameters.get(operand.lookup)
            if table is not None and not all(
                isinstance(v, dict) for v in ([table.value] if table.values is None else table.values.values())
            ):
                self._add(where + ("lookup",), f"lookup needs a table parameter, but {operand.lookup!r} is not a table")
            self._check_operand(where + ("key",), operand.key, aliases)

    def _check_possible_points(self, where: tuple, possible, aliases: dict[str, str]) -> None:
        """`possible_points`: its table range, or each `one_of` value (that they are numbers of points is
        engine/score_checks.py's)."""
        for at, member in possible.members():
            if isinstance(member, TableRange):
                self._check_table_value(where + at, member, aliases)
            else:
                self._check_operand(where + at, member, aliases)

    def _check_input_range(
        self, where: tuple, table_name: str, input_name: str, domain, span: InputRange, aliases: dict[str, str]
    ) -> None:
        """`{from: …, to: …}`: only for an integer input; its ends as operands, literal ones in the domain and in order."""
        if domain.type != "integer":
            self._add(
                where,
                f"input {input_name!r} of table {table_name!r} is {domain.type}: only an integer input takes a range (from, to)",
            )
            return
        for key, end in (("from", span.from_), ("to", span.to)):
            self._check_operand(where + (key,), end, aliases)
            if isinstance(end, int) and not in_domain(domain, end):
                self._add(
                    where + (key,),
                    f"{literal(end)} is outside the domain of input {input_name!r} ({describe_domain(domain)})",
                )
        if isinstance(span.from_, int) and isinstance(span.to, int) and span.from_ > span.to:
            self._add(
                where, f"from {span.from_} is above to {span.to}: a range runs from its least value to its greatest"
            )

    def _check_table_value(self, where: tuple, value: TableValue | TableRange, aliases: dict[str, str]) -> None:
        """`{table: NAME, inputs: {...}}`: a declared table, given exactly its inputs (literals in their domain;
        in a `TableRange`, ranges only on integer inputs)."""
        table = self.ruleset.tables.get(value.table)
        if table is None:
            known = ", ".join(self.ruleset.tables) or "none (declare it under tables:)"
            self._add(
                where + ("table",),
                f"unknown table {value.table!r}{suggest(value.table, self.ruleset.tables)}; tables: {known}",
            )
            return
        for name, operand in value.inputs.items():
            if name not in table.inputs:
                self._add(
                    where + ("inputs", name),
                    f"table {value.table!r} has no input {name!r}{suggest(name, table.inputs)}; inputs: {', '.join(table.inputs)}",
                )
                continue
            if isinstance(operand, InputRange):
                self._check_input_range(
                    where + ("inputs", name), value.table, name, table.inputs[name], operand, aliases
                )
                continue
            self._check_operand(where + ("inputs", name), operand, aliases)
            if not isinstance(operand, (FactRef, ParamRef)) and not in_domain(table.inputs[name], operand):
                self._add(
                    where + ("inputs", name),
                    f"{literal(operand)} is outside the domain of input {name!r} ({describe_domain(table.inputs[name])})",
                )
        missing = [name for name in table.inputs if name not in value.inputs]
        if missing:
            self._add(where + ("inputs",), f"table {value.table!r} needs input(s) {', '.join(missing)}")

    def _check_literal(self, where: tuple, operand) -> None:
        """A number written in a condition must be one the engine can compare (finite, within 2**53)."""
        for index, value in enumerate(operand) if isinstance(operand, list) else [(None, operand)]:
            problem = number_problem(value)
            if problem:
                self._add(where if index is None else where + (index,), problem)

    def _check_operand_type(self, where: tuple, op: str, operand) -> None:
        """Ordering needs numbers and membership needs lists: a wrong type would silently never match.

        A parameter of the wrong type is reported once, at the parameter, naming the rule that needs it.
        """
        expected = {
            "gt": "number",
            "gte": "number",
            "lt": "number",
            "lte": "number",
            "in": "list",
            "not_in": "list",
        }.get(op)
        if expected is None or isinstance(operand, FactRef):
            return
        if not isinstance(operand, ParamRef):
            if not _has_type(operand, expected):
                self._add(where, f"{op} needs {a(expected)}, not {literal(operand)}")
            return
        parameter = self.ruleset.parameters.get(operand.param)
        if parameter is None or operand.param in self._reported_parameters:
            return
        dated = parameter.values is not None
        for key, value in parameter.values.items() if dated else [("value", parameter.value)]:
            if not _has_type(value, expected):
                self._reported_parameters.add(operand.param)
                at = ("parameters", operand.param) + (("values", key) if dated else ("value",))
                self._add(
                    at, f"{literal(value)} is not {a(expected)}, but {format_key_path(where)} compares with it ({op})"
                )
                return

    def _check_param(self, where: tuple, name: str) -> None:
        if name not in self.ruleset.parameters:
            self._add(where, f"unknown parameter {name!r}{suggest(name, self.ruleset.parameters)}")

    def _check_conclusion(self, where: tuple, rule: Rule, aliases: dict[str, str]) -> None:
        conclusion = rule.then
        if conclusion.criterion is not None and conclusion.criterion not in self.ruleset.criteria:
            self._unknown_criterion(where + (conclusion.verdict,), conclusion.criterion)
        if conclusion.not_together is not None:
            self._check_not_together(where + ("not_together",), conclusion.not_together)
        if conclusion.derive is not None:
            for name, value in conclusion.derive.set.items():
                if isinstance(value, Text):
                    for lang in LANGS:
                        self._check_template(
                            where + ("derive", "set", name, "text"), wording(value.text, lang), aliases
                        )
                else:
                    self._check_operand(where + ("derive", "set", name), value, aliases)
        if conclusion.award is not None:
            self._check_operand(where + ("award", "points"), conclusion.award.points, aliases)
        if conclusion.possible_points is not None:
            self._check_possible_points(where + ("possible_points",), conclusion.possible_points, aliases)
        if conclusion.reason:
            for lang in LANGS:
                self._check_template(
                    where + ("reason",), wording(conclusion.reason, lang), aliases, conclusion.award is not None
                )
        for index, need in enumerate(conclusion.needs or []):
            for name in ("field", "why"):
                value = getattr(need, name)
                if isinstance(value, Text):
                    for lang in LANGS:
                        self._check_template(where + ("needs", index, name, "text"), wording(value.text, lang), aliases)
                else:
                    self._check_operand(where + ("needs", index, name), value, aliases)

    def _unknown_criterion(self, where: tuple, name: str) -> None:
        """A conclusion names no criterion of the ruleset: say which it might mean, and list them all."""
        self._add(
            where,
            f"unknown criterion {name!r}{suggest(name, self.ruleset.criteria)}; criteria: {', '.join(self.ruleset.criteria)}",
        )

    def _check_not_together(self, where: tuple, criteria: list[str]) -> None:
        """`not_together: [A, B, ...]`: at least two criteria of this ruleset, each named once (one criterion
        alone would be `fail`)."""
        if len(criteria) < 2:
            self._add(
                where,
                f"not_together names {len(criteria)} criteri{'on' if len(criteria) == 1 else 'a'}; it needs at least two (for one, conclude `fail`)",
            )
        seen: set[str] = set()
        for index, name in enumerate(criteria):
            if name not in self.ruleset.criteria:
                self._unknown_criterion(where + (index,), name)
            elif name in seen:
                self._add(where + (index,), f"criterion {name!r} is named twice in not_together")
            seen.add(name)

    def _check_template(self, where: tuple, template: str, aliases: dict[str, str], award: bool = False) -> None:
        for name in _PLACEHOLDER.findall(template):
            head, _, tail = name.partition(".")
            tail = tail.removesuffix(TRANSLATION_SUFFIX)
            if award and name == f"{AWARD_ALIAS}.points":
                continue
            if head == "param":
                self._check_param_placeholder(where, tail)
            elif head in aliases and "." in tail:
                self._add(
                    where,
                    f"placeholder {{{name}}}: only a table parameter's entry is named by a key ({{param.NAME.KEY}}), not a fact's field",
                )
            elif head in aliases and tail:
                self._check_field(where, aliases[head], tail)
            else:
                self._add(
                    where,
                    f"placeholder {{{name}}} must be {{param.NAME}} or {{ALIAS.FIELD}} with an alias of this rule ({', '.join(aliases) or 'none'})",
                )

    def _check_param_placeholder(self, where: tuple, tail: str) -> None:
        """`{param.NAME}`, or `{param.NAME.KEY}`: an entry of a table parameter, which must have that key on
        every date it has a value (a key written as a number in YAML is named by its digits)."""
        name, dot, key = tail.partition(".")
        self._check_param(where, name)
        parameter = self.ruleset.parameters.get(name)
        if not dot or parameter is None:
            return
        if not PARAM_KEY.fullmatch(key):
            self._add(
                where,
                f"placeholder {{param.{tail}}}: a key is written in lowercase letters, digits and _ ({{param.NAME.KEY}})",
            )
            return
        dated = parameter.values is not None
        for day, value in parameter.values.items() if dated else [(None, parameter.value)]:
            on = f" on {day}" if dated else ""
            if not isinstance(value, dict):
                self._add(
                    where,
                    f"placeholder {{param.{tail}}}: parameter {name!r} is not a table{on} ({literal(value)}), so it has no key {key!r}",
                )
                return
            keys = [str(k) for k in value]
            if key not in keys:
                self._add(
                    where,
                    f"placeholder {{param.{tail}}}: parameter {name!r} has no key {key!r}{on}{suggest(key, keys)}; keys: {', '.join(keys) or 'none'}",
                )
                return

    def _check_criteria_concluded(self) -> None:
        met = {rule.then.meet for rule in self.ruleset.rules if rule.then.meet}
        for name in self.ruleset.criteria:
            if name not in met:
                self._add(
                    ("criteria", name),
                    f"criterion {name!r} is never concluded met by any rule, so it could never be met",
                )

    def _check_criterion_descriptions(self) -> None:
        """A description states thresholds through `{param.NAME}` only: a number written out that equals a
        parameter's value would go stale when the parameter changes, so it is an error."""
        numbers = _parameter_numbers(self.ruleset)
        for name, criterion in self.ruleset.criteria.items():
            for lang in LANGS:
                text = wording(criterion.description, lang)
                where = ("criteria", name, "description") + (
                    (lang,) if not isinstance(criterion.description, str) else ()
                )
                self._check_template(where, text, {})
                for written in dict.fromkeys(_NUMBER.findall(_PLACEHOLDER.sub(" ", text))):
                    value = float(re.sub(r"[,\u202f\u00a0 ]", "", written))
                    if value in numbers:
                        self._add(
                            where,
                            f"{written!r} is the value of parameter {numbers[value]!r}: write {{param.{numbers[value]}}} so the description follows the parameter",
                        )

    def _check_derived_facts_used(self) -> None:
        """A derived fact that no rule matches, and that the decision does not list (`collect`), is a rule
        that can never matter: report it."""
        matched = {p.fact if isinstance(p, FactPattern) else p.not_.fact for r in self.ruleset.rules for p in r.when}
        matched.update(self.ruleset.collect)
        for index, rule in enumerate(self.ruleset.rules):
            if rule.then.derive is not None and rule.then.derive.fact not in matched:
                self._add(
                    ("rules", index, "then", "derive", "fact"),
                    f"no rule matches the derived fact {rule.then.derive.fact!r}: this rule has no effect",
                )
