"""Pydantic models of the ruleset language: what a ruleset file may contain, and nothing else.

Every model forbids unknown keys, so a misspelt key is an error with its position, never ignored.
The syntax is documented with a worked example in docs/ruleset-language.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Scalar = Union[StrictBool, StrictInt, StrictFloat, StrictStr]


class Strict(BaseModel):
    """Base: unknown keys are errors; models are immutable once loaded."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, defer_build=True
    )  # built on first validation: a cached library needs none


class Source(Strict):
    """A legal or official source a ruleset relies on."""

    title: str
    url: str | None = None


# --- values used in conditions and conclusions -------------------------------------------------


class ParamRef(Strict):
    """`{param: name}`: the value of a parameter, resolved for the assessment date."""

    param: Identifier


class FactRef(Strict):
    """`{ref: alias.field}`: a field of a fact matched earlier in the same rule (a join)."""

    ref: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]

    @property
    def alias(self) -> str:
        return self.ref.split(".", 1)[0]

    @property
    def field(self) -> str:
        return self.ref.split(".", 1)[1]


class Lookup(Strict):
    """`{lookup: table_param, key: {ref: alias.field}}`: one entry of a table parameter."""

    lookup: Identifier
    key: Union[FactRef, ParamRef, Scalar]


LANGS = ("en", "fr")


class Localized(Strict):
    """The same text in Canada's two official languages."""

    en: str
    fr: str


Wording = Union[str, Localized]


def wording(value: "Wording", lang: str = "en") -> str:
    """The text of `value` in the language `lang` (a plain string serves every language)."""
    return value if isinstance(value, str) else getattr(value, lang)


class Text(Strict):
    """`{text: "... {alias.field} ..."}` or `{text: {en: ..., fr: ...}}`: a string filled like a reason template."""

    text: Wording


class Lowest(Strict):
    """`{lowest: table_or_list_param}`: the smallest value of a table or list parameter."""

    lowest: Identifier


class TableValue(Strict):
    """`{table: NAME, inputs: {INPUT: value}}`: the value a decision table gives for these inputs, computed when
    the rule fires, from this applicant's facts (each input a literal, `{param: ...}` or `{ref: alias.field}`)."""

    table: Identifier
    inputs: dict[Identifier, Union[FactRef, ParamRef, Scalar]]


class InputRange(Strict):
    """`{from: VALUE, to: VALUE}`: every integer from one to the other, inclusive, as an input of a table in
    `possible_points` (a count the input leaves between a certain and a possible value)."""

    from_: Union[FactRef, ParamRef, StrictInt] = Field(alias="from")
    to: Union[FactRef, ParamRef, StrictInt]


RangeOperand = Union[InputRange, FactRef, ParamRef, Scalar]


class TableRange(Strict):
    """`{table: NAME, inputs: {INPUT: VALUE or {from: VALUE, to: VALUE}}}` in `possible_points`: every value the
    decision table gives while each ranged input takes any integer of its range (the others as in `TableValue`)."""

    table: Identifier
    inputs: dict[Identifier, RangeOperand]


class PossiblePoints(Strict):
    """`possible_points` of an `undetermined_points` conclusion: what the factor's points can be whichever way
    the input is settled, either a table range (`table` with `inputs`, as `TableRange`) or `one_of`: a list of
    numbers, parameters, fields of the matched facts or table ranges. One model, not a union of two, so that a
    mistake in either form is reported as itself."""

    table: Identifier | None = None
    inputs: dict[Identifier, RangeOperand] | None = None
    one_of: Annotated[list[Union[TableRange, ParamRef, FactRef, Scalar]], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> "PossiblePoints":
        if (self.one_of is None) == (self.table is None) or (self.table is None) != (self.inputs is None):
            raise ValueError(
                "possible_points needs either `table` with `inputs` (a table range) or `one_of` (a list of points)"
            )
        return self

    def members(self) -> list[tuple[tuple, object]]:
        """Each value the points can come from, with its key path under `possible_points`: the table range
        itself, or each `one_of` member."""
        if self.one_of is not None:
            return [(("one_of", index), member) for index, member in enumerate(self.one_of)]
        return [((), TableRange(table=self.table, inputs=self.inputs))]


Operand = Union[ParamRef, FactRef, Scalar, list[Scalar]]
ValueExpr = Union[TableValue, Lookup, Lowest, ParamRef, FactRef, Text, Scalar]


class Comparison(Strict):
    """Comparisons on one field; several keys mean all of them must hold."""

    eq: Operand | None = None
    ne: Operand | None = None
    gt: Operand | None = None
    gte: Operand | None = None
    lt: Operand | None = None
    lte: Operand | None = None
    in_: Operand | None = Field(default=None, alias="in")
    not_in: Operand | None = None
    exists: StrictBool | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> "Comparison":
        if not self.model_fields_set:
            raise ValueError("a comparison needs at least one of eq, ne, gt, gte, lt, lte, in, not_in, exists")
        return self

    def operators(self) -> list[tuple[str, object]]:
        """The (operator, operand) pairs given, in a fixed order."""
        return [
            (name, getattr(self, "in_" if name == "in" else name))
            for name in COMPARISON_OPERATORS
            if ("in_" if name == "in" else name) in self.model_fields_set
        ]


COMPARISON_OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "exists")


Where = dict[Identifier, Comparison]


class FactPattern(Strict):
    """Match one fact of a kind: `{fact: kind, as: alias, where: {...}, any: [{...}, ...]}`.

    `where` comparisons must all hold; when `any` is given, at least one of its groups must hold too.
    """

    fact: Identifier
    as_: Identifier | None = Field(default=None, alias="as")
    where: Where | None = None
    any: list[Where] | None = None

    @property
    def alias(self) -> str:
        return self.as_ or self.fact


class Absent(Strict):
    """`{not: {fact: kind, where: ...}}`: no fact of that kind matches (decided in the conclude phase)."""

    not_: FactPattern = Field(alias="not")


Pattern = Union[Absent, FactPattern]


# --- conclusions --------------------------------------------------------------------------------


class DeriveFact(Strict):
    """Assert an intermediate fact that other rules can match (forward chaining)."""

    fact: Identifier
    set: dict[Identifier, ValueExpr]


class Need(Strict):
    """One piece of information an undetermined criterion needs: the input field, and what to give there."""

    field: ValueExpr
    why: ValueExpr


ITEM_FIELD = "item"  # an item fact's id: what an exclusion names
SPAN_FIELDS = ("start", "end")  # the fields of a `during` fact that bound the days excluded


class Exclude(Strict):
    """`exclude: {item: ALIAS, during: ALIAS2}` (screen phase): the item fact bound to `item` does not count,
    or, with `during`, only its days within the `start`..`end` of the fact bound to `during` do not."""

    item: Identifier
    during: Identifier | None = None


class Award(Strict):
    """`{factor: NAME, points: VALUE}`: points to one factor of the ruleset's `score:` (awards to a factor add up)."""

    factor: Identifier
    points: ValueExpr


VERDICTS = ("meet", "fail", "undetermined")
CONCLUSIONS = (*VERDICTS, "derive", "award", "undetermined_points", "exclude", "not_together")


class Conclusion(Strict):
    """What a rule concludes: exactly one of meet, fail, undetermined (with `needs`), derive, award,
    undetermined_points (with `needs`), exclude, not_together.

    `undetermined` says that the law's answer depends on a fact the input does not settle; its `needs`
    name the input fields that would settle it (each rule firing adds its needs to the criterion).
    `undetermined_points: FACTOR` says the same of a score factor: it counts 0 in the score's total and
    its maximum in the possible total, or, with `possible_points`, the least and the most of the points
    those say the factor can have (engine/possible_points.py).
    `not_together: [CRITERION, ...]` says that in every reading of this applicant's input at least one of
    those criteria is unmet, though each may stay undetermined on its own: the decision is then not
    eligible (engine/decision.py). It concludes no criterion."""

    meet: Identifier | None = None
    fail: Identifier | None = None
    undetermined: Identifier | None = None
    needs: list[Need] | None = None
    derive: DeriveFact | None = None
    award: Award | None = None
    undetermined_points: Identifier | None = None
    possible_points: PossiblePoints | None = None
    exclude: Exclude | None = None
    not_together: list[Identifier] | None = None
    reason: Wording | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Conclusion":
        given = [name for name in CONCLUSIONS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(f"a conclusion needs exactly one of {', '.join(CONCLUSIONS)} (got {given or 'none'})")
        article = "an" if given[0][0] in "aeiou" else "a"
        if self.derive is None and not self.reason:
            raise ValueError(f"{article} {given[0]} conclusion needs a reason")
        uncertain = self.undetermined or self.undetermined_points
        if uncertain is None and self.needs is not None:
            raise ValueError("needs: only an undetermined or undetermined_points conclusion names what it needs")
        if uncertain is not None and not self.needs:
            raise ValueError(f"{article} {given[0]} conclusion needs `needs`: the input fields that would settle it")
        if self.possible_points is not None and self.undetermined_points is None:
            raise ValueError(
                "possible_points: only an undetermined_points conclusion says which points its factor can have"
            )
        return self

    @property
    def criterion(self) -> str | None:
        return self.meet or self.fail or self.undetermined

    @property
    def verdict(self) -> str | None:
        """meet, fail or undetermined; None for a derive conclusion."""
        return next((name for name in VERDICTS if getattr(self, name) is not None), None)

    @property
    def met(self) -> bool | None:
        """The criterion's value this conclusion gives: True, False, or None (undetermined)."""
        return {"meet": True, "fail": False}.get(self.verdict)


SCREEN = "screen"  # the phase whose rules decide which items count, in a session of their own before the others


class Rule(Strict):
    """A condition over the applicant's facts and one conclusion."""

    id: Identifier
    description: str
    citation: str | None = None
    phase: Literal["screen", "facts", "conclude", "final"] = "facts"  # screen: decides which items count (exclude)
    priority: StrictInt = 0
    when: Annotated[list[Pattern], Field(min_length=1)]
    then: Conclusion


# --- parameters and criteria -------------------------------------------------------------------

ParamValue = Union[Scalar, list[Scalar], dict[Union[StrictStr, StrictInt], Scalar]]


class Parameter(Strict):
    """A named value (number, list or table); either one `value` or `values` keyed by the date they take effect."""

    description: str
    citation: str
    unit: str | None = None
    value: ParamValue | None = None
    values: dict[dt.date, ParamValue] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> "Parameter":
        if (self.value is None) == (self.values is None):
            raise ValueError("a parameter needs exactly one of value or values")
        if self.values is not None and not self.values:
            raise ValueError("values needs at least one date")
        return self

    def value_on(self, day: dt.date) -> ParamValue:
        """The value in effect on `day`. Before the first date the first value applies: that only happens when
        an edition is used outside its own dates on purpose (e.g. `cec diff` of two editions)."""
        if self.values is None:
            return self.value
        dates = sorted(self.values)
        current = self.values[dates[0]]
        for start in dates:
            if start <= day:
                current = self.values[start]
        return current


class Criterion(Strict):
    """One requirement of the program: met only when a rule concludes it met."""

    description: Wording
    citation: str


# `data:` names an edition's data files, as paths relative to the rulesets folder: one path, or a list of
# them. Which names an edition must give, and in which form, is its program's (`Program.data_files`).
DataPaths = Union[StrictStr, Annotated[list[StrictStr], Field(min_length=1)]]


# --- decision tables and scores ------------------------------------------------------------------

Number = Union[StrictInt, StrictFloat]


class TableInput(Strict):
    """The declared domain of one table input: an integer range (inclusive), an enum, or a boolean.
    The validator proves the rows cover every value of the product of the domains exactly once.
    `improvable: true` says the applicant can change this input (a level, years of work; not an age), so
    `cec explain` may propose its nearest value giving more points (engine/gains.py)."""

    type: Literal["integer", "enum", "boolean"]
    min: StrictInt | None = None
    max: StrictInt | None = None
    values: list[StrictStr] | None = None
    improvable: bool = False

    @model_validator(mode="after")
    def _domain(self) -> "TableInput":
        ranged, listed = (self.min is not None or self.max is not None), self.values is not None
        if self.type == "integer" and (self.min is None or self.max is None or listed):
            raise ValueError("an integer input needs `min` and `max` (inclusive), and no `values`")
        if self.type == "integer" and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        if self.type == "enum" and (not self.values or ranged or len(set(self.values)) != len(self.values)):
            raise ValueError("an enum input needs `values`: a non-empty list of distinct strings, and no min/max")
        if self.type == "boolean" and (ranged or listed):
            raise ValueError("a boolean input takes no min, max or values")
        return self


class TableOutput(Strict):
    """The type of the values a table's rows give."""

    type: Literal["integer", "number", "string", "boolean"]


class TableRow(Strict):
    """One row: conditions on some inputs (an input it does not name matches any value), and its value."""

    when: dict[Identifier, Comparison] = {}
    value: Scalar


class Table(Strict):
    """A decision table (hit policy "unique"): exactly one row matches each combination of input values."""

    description: Wording
    citation: str
    inputs: Annotated[dict[Identifier, TableInput], Field(min_length=1)]
    output: TableOutput
    rows: Annotated[list[TableRow], Field(min_length=1)]


class Factor(Strict):
    """One factor of a score: the awards to it add up, capped at `max`."""

    max: Annotated[Number, Field(ge=0)]
    description: Wording
    citation: str


class Cap(Strict):
    """A group of factors whose points together are capped at `max` (caps nest: list inner groups first)."""

    id: Identifier
    factors: Annotated[list[Identifier], Field(min_length=1)]
    max: Annotated[Number, Field(ge=0)]
    description: Wording | None = None
    citation: str | None = None


class Score(Strict):
    """A points grid: factors with maxima, caps on groups of factors, and a cap on the total."""

    max: Annotated[Number, Field(ge=0)]
    factors: Annotated[dict[Identifier, Factor], Field(min_length=1)]
    caps: list[Cap] = []


class Ruleset(Strict):
    """One edition of a program's rules, in force from `effective_from` to `effective_to` (inclusive)."""

    id: Identifier
    program: Identifier
    title: str
    edition: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    sources: dict[Identifier, Source]
    data: dict[Identifier, DataPaths] = {}
    parameters: dict[Identifier, Parameter]
    criteria: Annotated[dict[Identifier, Criterion], Field(min_length=1)]
    rules: Annotated[list[Rule], Field(min_length=1)]
    advice: dict[Identifier, Localized] = {}  # wording of explanations ("what would meet it"), see docs
    words: dict[
        Literal["fr"], dict[str, str]
    ] = {}  # per language, a text facts hold in English -> its wording (French reasons)
    tables: dict[Identifier, Table] = {}  # decision tables, used as `{table: NAME, inputs: {...}}` values
    score: Score | None = None  # a points grid: `award:` conclusions, the `score` fact of the final phase
    consumes: list[Identifier] = []  # programs decided first, their outcomes asserted as facts (engine/chaining.py)
    collect: list[Identifier] = []  # derived fact kinds the decision lists whole: derived.KIND = [every fact]
