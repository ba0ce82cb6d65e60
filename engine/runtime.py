"""Running compiled rulesets on durable-rules: one Host per process, one session per applicant.

durable-rules' sharp edges, and what this module does about each (see DESIGN.md):
- facts in one session join: one session per applicant, deleted after the decision;
- at most 1,024 live sessions, and sids hash to 32 bits: only one session is ever live;
- an unmatched fact raises and `delete_state` can then segfault: the compiler adds catch-all rules,
  and a session is only deleted once it exists and its actions have run;
- negation is not re-checked inside a cascade: gated rules wait for a separate `conclude` fact;
- action exceptions are swallowed into the session state: the state is checked after every run;
- a Host is not thread-safe and runs pending actions on its own timer thread: one per process, created
  lazily, with that thread switched off (every action runs synchronously in the assert that caused it).

A ruleset with a `score:` gets its awards summed (engine/score.py) once the conclude phase has settled,
and the sum asserted as the `score` fact before the final phase's gate, so final rules match it.
"""

from __future__ import annotations

import collections
import copy
import itertools
import json
import os
from dataclasses import dataclass, field

import orjson

from .compiler import CompiledRuleset
from .decision import NotTogether
from .errors import EngineError
from .decision_tables import table_value
from .pattern_cache import PatternCache, Recorder, replay
from .possible_points import bounds_of
from .model import ITEM_FIELD, SPAN_FIELDS, FactRef, Lookup, Lowest, ParamRef, TableValue, Text, wording
from .score import AWARD_ALIAS, Award, PointsUnknown, ScoreResult, compute_score
from .templates import compile_template
from .validator import PHASE_GATES, TRANSLATION_SUFFIX


class Firing(dict):
    """One rule firing: the rule and the facts it matched, by alias. A dict, `{"rule": ..., "facts": ...}`, so
    that it is its own JSON: the trace is written as it is, with no dict made per firing."""

    __slots__ = ()  # made as Firing(rule=..., facts=...)

    @property
    def rule(self) -> str:
        return self["rule"]

    @property
    def facts(self) -> dict[str, dict]:
        return self["facts"]

    def to_json(self) -> dict:
        return self


@dataclass
class Outcome:
    """A meet/fail/undetermined conclusion for a criterion (`met` True, False or None)."""

    criterion: str
    met: bool | None
    reason: str
    rule: str
    facts: dict[str, dict] = field(default_factory=dict)
    needs: list[dict] = field(default_factory=list)  # undetermined: [{field, why}]


@dataclass(frozen=True)
class Exclusion:
    """A screen rule's `exclude`: item `item` does not count (its days from `during[0]` to `during[1]` only,
    when `during` is given: the `start` and `end` of the fact bound to `during`), for `reason`."""

    item: object
    rule: str
    reason: str
    citation: str | None
    during: tuple | None = None


@dataclass(init=False)
class RunResult:
    """Everything the rules concluded for one applicant."""

    trace: list[Firing]
    outcomes: list[Outcome]
    derived: list[tuple[str, dict]]
    errors: list[str]
    exclusions: list[Exclusion]
    awards: list[Award]
    unknown_points: list[PointsUnknown]
    not_together: list[NotTogether]
    score: ScoreResult | None  # for a ruleset with a `score:`, once the conclude phase has settled
    reasons = True  # False: the criteria's outcomes without their reasons and needs (`Runtime.run`); a class default

    def __init__(
        self,
        trace=None,
        outcomes=None,
        derived=None,
        errors=None,
        exclusions=None,
        awards=None,
        unknown_points=None,
        score=None,
        not_together=None,
    ):
        """(Written out: the runtime makes one per run, about three per applicant, and a dataclass's default
        factories cost twice as much.)"""
        self.trace = [] if trace is None else trace
        self.outcomes = [] if outcomes is None else outcomes
        self.derived = [] if derived is None else derived
        self.errors = [] if errors is None else errors
        self.exclusions = [] if exclusions is None else exclusions
        self.awards = [] if awards is None else awards
        self.unknown_points = [] if unknown_points is None else unknown_points
        self.not_together = [] if not_together is None else not_together
        self.score = score

    def scored(self, compiled: CompiledRuleset) -> ScoreResult:
        """The score of the awards so far (computed once: no award comes after the conclude phase)."""
        if self.score is None:
            self.score = compute_score(compiled.score, self.awards, self.unknown_points)
        return self.score


DEFAULT_MAX_FIRINGS = 1_000  # a decision fires about ten rules; see docs/engine.md "Firing bound"


def max_firings_setting() -> int:
    """The firing bound: `CEC_MAX_FIRINGS` when set to a positive integer, else `DEFAULT_MAX_FIRINGS`."""
    text = os.environ.get("CEC_MAX_FIRINGS", "")
    return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_MAX_FIRINGS


class Runtime:
    """Owns the durable-rules Host for this process and runs one applicant at a time."""

    def __init__(
        self,
        field_types: dict[str, dict],
        translations: bool = False,
        max_firings: int | None = None,
        formats: dict | None = None,
    ):
        self._max_firings = max_firings or max_firings_setting()  # last line of defence against rules that loop
        self._field_types = field_types
        self._formats = formats or {}  # the program's: how its field types and parameter units show in reasons
        self._translations = translations  # also fill the French of bilingual derived texts (for explanations)
        self._host = None
        self._registered: set[str] = set()
        self._actions: dict[str, object] = {"noop": _noop}  # durable-rules' callables, by action name
        self._replays: dict[
            str, tuple
        ] = {}  # the same actions for a replayed firing, and the aliases each reads (`_make_action`)
        self._sids = itertools.count(1)
        self._current: RunResult | None = None  # the applicant being decided: actions write into it
        self.patterns = PatternCache.from_environment()  # decide once per decision pattern (engine/pattern_cache.py)
        self._recorder: Recorder | None = None

    def run(self, compiled: CompiledRuleset, facts: list[dict], reasons: bool = True) -> RunResult:
        """Decide `facts`: replay the firings of an earlier applicant with the same decision pattern, or
        run durable-rules (and record its firings for the next applicant of this pattern). Without `reasons`
        the criteria's outcomes have no reason (None) and no needs: nothing else differs, since no rule reads
        them (for `cec diff`, which shows them for the few applicants that changed: engine/impact/decider.py)."""
        patterns = self.patterns
        if patterns is None:
            return self._run_engine(compiled, facts, _result(reasons))
        key = patterns.key(compiled, facts)
        if key is None:
            patterns.stats.uncacheable += 1
            return self._run_engine(compiled, facts, _result(reasons))
        recording = patterns.lookup(key)
        if recording is not None:  # (its rules' actions were made when durable-rules ran for it)
            result = _result(reasons)
            score = (lambda: result.scored(compiled).fact()) if compiled.score is not None else None
            if replay(recording, facts, result, score):
                patterns.stats.hits += 1
                if compiled.score is not None:
                    result.scored(compiled)
                return result
        patterns.stats.misses += 1
        result = _result(reasons)
        self._recorder = Recorder(facts, result.derived, self._replays)
        try:
            result = self._run_engine(compiled, facts, result)
            if self._recorder.valid:
                patterns.store(key, self._recorder.recording())
        finally:
            self._recorder = None
        return result

    def _run_engine(self, compiled: CompiledRuleset, facts: list[dict], result: RunResult | None = None) -> RunResult:
        """Assert `facts` (each with a `t` kind) in a fresh session, then the conclude fact; return what fired."""
        from durable.engine import MessageNotHandledException

        host = self._host_for(compiled)
        sid = str(next(self._sids))
        result = result if result is not None else RunResult()
        self._current = result
        created = False
        try:
            # One call for the facts (their cascades run before it returns), then the conclude step.
            host.assert_facts(compiled.name, [{**fact, "sid": sid} for fact in facts])
            created = True
            for gate in compiled.gates:  # each later phase once the one before has settled
                if gate == PHASE_GATES["final"]:
                    self._assert_score(host, compiled, result, sid)
                host.assert_fact(compiled.name, {"t": gate, "sid": sid})
            self._assert_score(host, compiled, result, sid)
            state = host.get_state(compiled.name, sid)
        except MessageNotHandledException as exc:
            raise EngineError(f"a fact matched no rule, not even its catch-all: {exc}") from None
        finally:
            self._current = None
            if created:
                host.delete_state(compiled.name, sid)
        if state.get("exception"):
            result.errors.append(str(state["exception"]))
        if result.errors:
            raise EngineError(
                ("" if result.errors[0].startswith("more than") else "a rule action failed: ")
                + "; ".join(result.errors)
            )
        return result

    def _assert_score(self, host, compiled: CompiledRuleset, result: RunResult, sid: str) -> None:
        """Sum the awards and assert the `score` fact (once, after the conclude phase; nothing without a `score:`)."""
        if compiled.score is None or result.score is not None:
            return
        fact = result.scored(compiled).fact()
        if self._recorder is not None:
            self._recorder.note_score(fact)
        host.assert_fact(compiled.name, {**fact, "sid": sid})

    def _host_for(self, compiled: CompiledRuleset):
        if self._host is None:
            self._host = _new_host(self._actions)
        if compiled.name not in self._registered:
            for action, rule in compiled.rules.items():
                fire, aliases = self._make_action(rule, compiled)
                self._actions[action] = self._engine_action(action, fire)
                self._replays[action] = (fire, aliases)
            self._host.set_rulesets(copy.deepcopy(compiled.definition))  # durable-rules mutates its argument
            self._registered.add(compiled.name)
        return self._host

    def _engine_action(self, name: str, fire):
        """The callable durable-rules runs for action `name`: it tells the pattern recorder (when one
        listens) which facts the firing matched, then fires on the applicant being decided."""

        def action(c):
            if self._recorder is not None:
                self._recorder.note(name, c._m)
            fire(self._current, None, c)

        return action

    def _make_action(self, rule, compiled: CompiledRuleset):
        """What a firing of `rule` does (record, conclude, or derive and chain), and the aliases it reads.

        `fire(result, None, c)` is durable-rules' firing: the matched facts come from its `c`, and a derived
        fact is asserted back into it. `fire(result, matched)` is a replayed one (engine/pattern_cache.py):
        this applicant's facts at the recorded positions, nothing to assert (later firings find a derived
        fact by its position). Templates are prepared here, once, since the action runs for every applicant."""
        kinds = {p.alias: p.fact for p in rule.when if hasattr(p, "fact")}
        aliases, conclude = frozenset(kinds), self._conclusion(rule, compiled, kinds)
        bound, rule_id = self._max_firings, rule.id

        def fire(result: RunResult, matched: dict | None, c=None) -> None:
            if len(result.trace) >= bound:
                _stop(result, bound)  # assert nothing more: the chain of firings ends here
                return
            try:
                if c is not None:
                    matched = {alias: fact for alias, fact in c._m.items() if alias in aliases}
                    for fact in matched.values():
                        fact.pop("sid", None)  # each firing gets freshly parsed facts: safe to trim in place
                result.trace.append(Firing(rule=rule_id, facts=matched))
                conclude(result, matched, c)
            except Exception as exc:  # surfaced after the run: durable-rules would swallow it
                result.errors.append(f"rule {rule_id}: {type(exc).__name__}: {exc}")

        return fire, aliases

    def _conclusion(self, rule, compiled: CompiledRuleset, kinds: dict[str, str]):
        """What a firing of `rule` adds to the result, as a function of (result, matched facts, durable-rules'
        `c` or None), chosen once for the rule's kind of conclusion; `kinds`: the fact kind of each alias."""
        conclusion, parameters = rule.then, compiled.parameters
        shown = {**kinds, AWARD_ALIAS: AWARD_ALIAS} if conclusion.award else kinds  # {award.points}: the points awarded
        prepare = lambda text, lang="en": compile_template(
            text, shown, self._field_types, compiled.units, lang, self._formats, parameters
        )
        reason = prepare(wording(conclusion.reason, "en")) if conclusion.reason else None
        if conclusion.derive is not None:
            return _deriver(conclusion.derive, _text_fillers(conclusion, prepare, self._translations), compiled)
        if conclusion.exclude is not None:
            return lambda result, matched, c: result.exclusions.append(
                _exclusion(rule, matched, reason(matched, parameters))
            )
        if conclusion.not_together is not None:
            return _together(rule, reason, parameters)
        needs = _need_fillers(conclusion, prepare, compiled.tables)
        concluder = _concluder(rule, reason, needs, compiled)
        if concluder is not None:
            return lambda result, matched, c: concluder(result, matched)
        criterion, met, rule_id = conclusion.criterion, conclusion.met, rule.id  # properties of the rule: read once

        def outcome(result: RunResult, matched: dict, c) -> None:
            if result.reasons:
                result.outcomes.append(
                    Outcome(
                        criterion,
                        met,
                        reason(matched, parameters),
                        rule_id,
                        matched,
                        [fill(matched, parameters) for fill in needs] if needs else [],
                    )
                )
            else:
                result.outcomes.append(Outcome(criterion, met, None, rule_id, matched, []))

        return outcome


def _result(reasons: bool) -> RunResult:
    """A new run's result; without `reasons`, its criteria's outcomes will have none (`Runtime.run`)."""
    result = RunResult()
    if not reasons:
        result.reasons = False
    return result


def _deriver(derive, texts: dict, compiled: CompiledRuleset):
    """A `derive` conclusion: the new fact's values from the matched facts (texts filled, each `set:` value
    evaluated, then the French of bilingual texts), kept once per distinct fact and, under durable-rules,
    asserted so that rules chain on it."""
    kind, parameters = derive.fact, compiled.parameters
    values = tuple(
        (name, texts[name] if name in texts else _evaluator(value, compiled.tables))
        for name, value in derive.set.items()
    )
    translated = tuple((name, fill) for name, fill in texts.items() if name.endswith(TRANSLATION_SUFFIX))

    def conclude(result: RunResult, matched: dict, c) -> None:
        new = {name: value(matched, parameters) for name, value in values}
        for name, fill in translated:
            new[name] = fill(matched, parameters)
        if (kind, new) not in result.derived:
            result.derived.append((kind, new))
            if c is not None:
                c.assert_fact({**new, "t": kind})

    return conclude


def _together(rule, reason, parameters: dict):
    """A `not_together` conclusion: a record of the criteria never met together, its reason rendered from the
    matched facts (none without reasons, as for a criterion's outcome)."""
    criteria, citation, rule_id = tuple(rule.then.not_together), rule.citation, rule.id

    def conclude(result: RunResult, matched: dict, c) -> None:
        shown = reason(matched, parameters) if result.reasons else None
        result.not_together.append(NotTogether(criteria, shown, citation, rule_id, matched))

    return conclude


def _exclusion(rule, matched: dict, reason: str) -> Exclusion:
    """What an `exclude` firing removes: the item's id (its `item` field) and, with `during`, the days."""
    exclude = rule.then.exclude
    during = matched[exclude.during] if exclude.during else None
    span = tuple(during[name] for name in SPAN_FIELDS) if during is not None else None
    return Exclusion(matched[exclude.item][ITEM_FIELD], rule.id, reason, rule.citation, span)


def _stop(result: RunResult, bound: int) -> None:
    """Record, once, that a decision fired more rules than the bound, naming the rules that fired most."""
    if any(e.startswith("more than") for e in result.errors):
        return
    counts = collections.Counter(f.rule for f in result.trace).most_common(5)
    named = ", ".join(f"{rule} ({n} times)" for rule, n in counts)
    result.errors.append(
        f"more than {bound:,} rule firings for one decision (CEC_MAX_FIRINGS), most by {named}: "
        "do rules derive facts that make each other fire again?"
    )


def _concluder(rule, reason, needs, compiled: CompiledRuleset):
    """For an `award` or `undetermined_points` conclusion, what a firing adds to the result; else None.
    An award's points, and an undetermined factor's `possible_points`, are computed from this applicant's
    matched facts (a table value included)."""
    conclusion = rule.then
    if conclusion.award is not None:
        factor, points = conclusion.award.factor, _evaluator(conclusion.award.points, compiled.tables)

        def award(result: RunResult, matched: dict) -> None:
            value = points(matched, compiled.parameters)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"award to {factor!r} gave {value!r}, not a number of points")
            shown = reason({**matched, AWARD_ALIAS: {"points": value}}, compiled.parameters)
            result.awards.append(Award(factor, value, shown, rule.id, matched))

        return award
    if conclusion.undetermined_points is not None:
        bounds = None if conclusion.possible_points is None else bounds_of(conclusion.possible_points, compiled.tables)

        def unknown(result: RunResult, matched: dict) -> None:
            parameters = compiled.parameters
            result.unknown_points.append(
                PointsUnknown(
                    conclusion.undetermined_points,
                    reason(matched, parameters),
                    rule.id,
                    [fill(matched, parameters) for fill in needs],
                    matched,
                    None if bounds is None else bounds(matched, parameters),
                )
            )

        return unknown
    return None


def _text_fillers(conclusion, prepare, translations: bool) -> dict:
    """Prepared `{text: ...}` values of a derive conclusion; with translations, their French as FIELD__fr."""
    if conclusion.derive is None:
        return {}
    fillers = {}
    for name, value in conclusion.derive.set.items():
        if isinstance(value, Text):
            fillers[name] = prepare(wording(value.text, "en"))
            if translations and not isinstance(value.text, str):
                fillers[name + TRANSLATION_SUFFIX] = prepare(value.text.fr, "fr")
    return fillers


def _need_fillers(conclusion, prepare, tables: dict) -> list:
    """Prepared `needs` of an undetermined conclusion: each a function of (matched facts, parameters)."""

    def filler(need):
        parts = tuple(
            (name, prepare(wording(value.text, "en")) if isinstance(value, Text) else _evaluator(value, tables))
            for name, value in (("field", need.field), ("why", need.why))
        )
        return lambda matched, parameters: {name: part(matched, parameters) for name, part in parts}

    return [filler(need) for need in conclusion.needs or []]


def _noop(c) -> None:
    """Catch-all rules: they exist so that every fact is handled; they conclude nothing."""


def _evaluator(value, tables: dict):
    """A `set:` value as a function of (matched facts, parameters): literal, parameter, field of a matched
    fact, an entry of a table parameter, or the value of a decision table for inputs taken from this
    applicant's matched facts. What it is is settled once, when the rule's action is made."""
    if isinstance(value, TableValue):
        inputs = tuple((name, _evaluator(operand, tables)) for name, operand in value.inputs.items())
        return lambda matched, parameters: _table_value(
            value.table, tables, {name: get(matched, parameters) for name, get in inputs}, parameters
        )
    if isinstance(value, ParamRef):
        return lambda matched, parameters: parameters[value.param]
    if isinstance(value, Lowest):
        return lambda matched, parameters: _lowest(parameters[value.lowest])
    if isinstance(value, FactRef):
        alias, name = value.alias, value.field
        return lambda matched, parameters: matched[alias][name]
    if isinstance(value, Lookup):
        key = _evaluator(value.key, tables)
        return lambda matched, parameters: _looked_up(value.lookup, parameters[value.lookup], key(matched, parameters))
    return lambda matched, parameters: value


def _table_value(name: str, tables: dict, inputs: dict, parameters: dict):
    return table_value(name, tables[name], inputs, parameters)


def _lowest(values):
    return min(values.values() if isinstance(values, dict) else values)


def _looked_up(name: str, table: dict, key):
    """The entry of table parameter `name` for `key` (or for its text: YAML keys may be either)."""
    for candidate in (key, str(key)):
        if candidate in table:
            return table[candidate]
    raise KeyError(f"table parameter {name!r} has no entry for {key!r}")


class _OrjsonForDurable:
    """durable-rules' Python glue serialises every fact, result and state with the json module (about 8
    round trips per applicant, a third of its time). orjson produces the same JSON text, faster; anything
    orjson refuses (huge integers, odd types) falls back to json."""

    @staticmethod
    def dumps(value, **_options) -> str:
        try:
            return orjson.dumps(value).decode("utf-8")
        except TypeError:
            return json.dumps(value, ensure_ascii=False)

    @staticmethod
    def loads(text):
        return orjson.loads(text)


def _new_host(actions: dict):
    """A durable-rules Host that resolves action names through `actions`."""
    from durable import engine

    engine.json = _OrjsonForDurable

    class ActionHost(engine.Host):
        def get_action(self, action_name):
            return actions[action_name]

        def _run(self):
            """No background dispatch threads. durable-rules' Host starts a timer that every 0.2 s runs
            *any* pending action on another thread; it could take an action of the applicant being decided
            while the main thread is still asserting, so a conclusion would land after the decision was read
            (or be lost). Every action here runs synchronously inside assert_facts/assert_fact, and the
            engine uses no durable-rules timers, so nothing needs that thread."""

    return ActionHost()
