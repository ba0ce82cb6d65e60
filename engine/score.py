"""Summing awarded points into a score (`score:` in a ruleset): per factor, per cap, in total.

Rules `award` points to factors and may say a factor is `undetermined_points` (the input cannot settle
it). After the conclude phase the runtime sums the awards of each factor (capped at the factor's max),
applies the caps on groups of factors (inner groups first: caps nest or are disjoint, which the
validator checks), caps the total, and asserts the result as one `score` fact for the final phase.
Two totals are kept: `total` counts an undetermined factor at its least points (what the applicant has
for certain), `possible_total` at its most (the most the applicant could have), so a pass mark can be
met, failed or left undetermined honestly. An undetermined factor's bounds are 0 and its maximum unless
the rule that left it open says which points it can have (`possible_points`, engine/possible_points.py);
when several rules leave one factor open, the widest of their bounds counts. Caps apply to each total
alike: a capped sum never falls when a factor's points rise, so the bounds stay bounds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .model import Score, wording
from .templates import compile_template, worded

SCORE_FACT = "score"
TOTAL_FIELDS = ("total", "possible_total")
# Present (true) in the score fact only when the two totals are equal: what is undetermined cannot move the
# score (a factor whose cap is already full, an input no factor reads). Absent, not false, otherwise: the
# score fact of an open score keeps the fields (and the traces that show it) it had before this field.
# Final rules test it with `exists`, as durable-rules does not compare two fields of one fact.
SETTLED_FIELD = "settled"
SCORE_FIELDS = (*TOTAL_FIELDS, SETTLED_FIELD)  # names a factor or a cap cannot take
AWARD_ALIAS = "award"  # `{award.points}` in an award's reason: the points it gives
NO_POINTS = {"en": "no points awarded", "fr": "aucun point attribué"}


@dataclass
class Award:
    """Points one rule firing gave to one factor."""

    factor: str
    points: int | float
    reason: str
    rule: str
    facts: dict[str, dict] = field(default_factory=dict)


@dataclass
class PointsUnknown:
    """A rule firing saying one factor's points cannot be settled from the input."""

    factor: str
    reason: str
    rule: str
    needs: list[dict] = field(default_factory=list)
    facts: dict[str, dict] = field(default_factory=dict)
    between: tuple | None = None  # (least, most) from the rule's `possible_points`; None: 0 to the factor's max


@dataclass
class FactorPoints:
    """One factor's line of the grid: `points` is None when undetermined, and then `between` holds the least
    and the most it can have (capped at `max`)."""

    id: str
    points: int | float | None
    max: int | float
    reason: str
    citation: str
    needs: list[dict] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    unknown: list[PointsUnknown] = field(default_factory=list)
    between: tuple | None = None

    @property
    def bounds(self) -> tuple:
        """(least, most) points: the points twice once settled."""
        return (self.points, self.points) if self.points is not None else self.between

    def to_json(self) -> dict:
        """The factor in the output contract; an undetermined one with `needs`, and with `between` only when
        its bounds are narrower than 0 to its maximum (what an undetermined factor meant before them)."""
        data = {"id": self.id, "points": self.points, "max": self.max}
        if self.points is None and self.between != (0, self.max):
            data["between"] = list(self.between)
        data["reason"], data["citation"] = self.reason, self.citation
        if self.points is None:
            data["needs"] = self.needs
        return data


@dataclass
class CapPoints:
    """A capped group: its points after the cap, and the sum before it."""

    id: str
    points: int | float
    max: int | float
    uncapped: int | float

    def to_json(self) -> dict:
        return {"id": self.id, "points": self.points, "max": self.max, "uncapped": self.uncapped}


@dataclass
class ScoreResult:
    """The score of one applicant, in the order the ruleset declares its factors and caps."""

    total: int | float
    possible_total: int | float
    max: int | float
    factors: list[FactorPoints]
    caps: list[CapPoints]

    def fact(self) -> dict:
        """The `score` fact final-phase rules match: totals, then each factor's and each cap's points (an
        undetermined factor counts its least points here, as in `total`; `possible_total` holds it at its most;
        `settled` when both totals are equal)."""
        values = {"t": SCORE_FACT, "total": self.total, "possible_total": self.possible_total}
        if self.total == self.possible_total:
            values[SETTLED_FIELD] = True
        values.update({f.id: f.bounds[0] for f in self.factors})
        values.update({c.id: c.points for c in self.caps})
        return values

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "possible_total": self.possible_total,
            "max": self.max,
            "factors": [f.to_json() for f in self.factors],
            "caps": [c.to_json() for c in self.caps],
        }


def compute_score(score: Score, awards: list[Award], unknown: list[PointsUnknown]) -> ScoreResult:
    """The score from the awards and undetermined factors of one run."""
    mine, undetermined = _by_factor(awards), _by_factor(unknown)
    factors = [
        _factor(name, spec, mine.get(name, []), undetermined.get(name, [])) for name, spec in score.factors.items()
    ]
    total, caps = capped_total(score, {f.id: f.bounds[0] for f in factors})
    possible_total, _ = capped_total(score, {f.id: f.bounds[1] for f in factors})
    return ScoreResult(total, possible_total, score.max, factors, caps)


def _by_factor(items: list) -> dict[str, list]:
    """Awards (or undetermined factors) grouped by factor, in firing order: one pass, not one per factor."""
    grouped: dict[str, list] = {}
    for item in items:
        grouped.setdefault(item.factor, []).append(item)
    return grouped


def _factor(name: str, spec, mine: list[Award], undetermined: list[PointsUnknown]) -> FactorPoints:
    if undetermined:
        needs = list({(n["field"], n["why"]): n for u in undetermined for n in u.needs}.values())
        reason = "; ".join(dict.fromkeys(u.reason for u in undetermined))
        return FactorPoints(
            name,
            None,
            spec.max,
            reason,
            spec.citation,
            needs,
            mine,
            undetermined,
            factor_bounds(undetermined, spec.max),
        )
    reason = "; ".join(dict.fromkeys(a.reason for a in mine)) or NO_POINTS["en"]
    return FactorPoints(name, min(sum(a.points for a in mine), spec.max), spec.max, reason, spec.citation, [], mine)


def factor_bounds(undetermined: list[PointsUnknown], most: int | float) -> tuple:
    """The least and the most points of a factor the firings `undetermined` left open: the widest of their
    bounds (a firing without `possible_points` says 0 to the factor's maximum `most`), each capped at `most`.

    Examples:
        >>> open_ = lambda between=None: PointsUnknown("experience", "", "r", between=between)
        >>> factor_bounds([open_((11, 13))], 15), factor_bounds([open_((11, 13)), open_((9, 11))], 15)
        ((11, 13), (9, 13))
        >>> factor_bounds([open_((11, 13)), open_()], 15), factor_bounds([open_((0, 200))], 50)
        ((0, 15), (0, 50))
    """
    pairs = [(0, most) if u.between is None else u.between for u in undetermined]
    return min(min(low for low, _ in pairs), most), min(max(high for _, high in pairs), most)


def capped_total(score: Score, points: dict[str, int | float]) -> tuple[int | float, list[CapPoints]]:
    """The total of factor `points` after every cap (inner groups first) and the total max.

    Each cap replaces the factors and inner caps it contains by one item worth at most its max.

    Examples:
        >>> from cec_rules.engine.model import Score
        >>> grid = Score.model_validate({"max": 20, "factors": {f: {"max": 10, "description": f, "citation": "x"} for f in "abc"},
        ...                              "caps": [{"id": "ab", "factors": ["a", "b"], "max": 6}]})
        >>> total, caps = capped_total(grid, {"a": 5, "b": 4, "c": 10})
        >>> total, [(c.id, c.points, c.uncapped) for c in caps]
        (16, [('ab', 6, 9)])
    """
    items = [(frozenset([name]), points[name]) for name in score.factors]
    caps = []
    for cap in score.caps:
        members = frozenset(cap.factors)
        uncapped = sum(value for group, value in items if group <= members)
        capped = min(uncapped, cap.max)
        items = [(group, value) for group, value in items if not group <= members] + [(members, capped)]
        caps.append(CapPoints(cap.id, capped, cap.max, uncapped))
    return min(sum(value for _, value in items), score.max), caps


def score_in_lang(
    score: ScoreResult,
    rules: dict,
    field_types: dict,
    units: dict,
    parameters: dict,
    lang: str,
    formats: dict | None = None,
    words: dict | None = None,
) -> ScoreResult:
    """`score` with each factor's reason rendered again, in the language `lang`, from its rules' wording and
    the facts each firing matched (`rules`: rule id -> Rule; `formats`: the program's; `words`: the
    ruleset's words in `lang`, `templates.worded`). The runtime renders reasons once, in English; a
    program's `translate` calls this for `--lang fr`."""

    def render(rule_id: str, facts: dict, extra: dict) -> str:
        rule = rules[rule_id]
        aliases = {**{p.alias: p.fact for p in rule.when if hasattr(p, "fact")}, AWARD_ALIAS: AWARD_ALIAS}
        return compile_template(wording(rule.then.reason, lang), aliases, field_types, units, lang, formats)(
            {**worded(facts, words, lang), **extra}, parameters
        )

    factors = []
    for factor in score.factors:
        if factor.points is None:
            reasons = [render(u.rule, u.facts, {}) for u in factor.unknown]
        else:
            reasons = [render(a.rule, a.facts, {AWARD_ALIAS: {"points": a.points}}) for a in factor.awards]
        factors.append(dataclasses.replace(factor, reason="; ".join(dict.fromkeys(reasons)) or NO_POINTS[lang]))
    return dataclasses.replace(score, factors=factors)
