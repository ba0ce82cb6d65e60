"""Running compiled rulesets on durable-rules: one Host per process, one session per applicant.

durable-rules' sharp edges, and what this module does about each (see DESIGN.md):
- facts in one session join: one session per applicant, deleted after the decision;
- at most 1,024 live sessions, and sids hash to 32 bits: only one session is ever live;
- an unmatched fact raises and `delete_state` can then segfault: the compiler adds catch-all rules,
  and a session is only deleted once it exists and its actions have run;
- negation is not re-checked inside a cascade: gated rules wait for a separate `conclude` fact;
- action exceptions are swallowed into the session state: the state is checked after every run;
- a Host is not thread-safe: one per process, created lazily.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field

from .compiler import CompiledRuleset
from .errors import EngineError
from .model import FactRef, Lookup, Lowest, ParamRef, Text, wording
from .validator import TRANSLATION_SUFFIX
from .templates import render
from .validator import CONCLUDE_FACT

_HIDDEN_FIELDS = ("sid", "$s")


@dataclass
class Firing:
    """One rule firing: the rule and the facts it matched, by alias."""

    rule: str
    facts: dict[str, dict]

    def to_json(self) -> dict:
        return {"rule": self.rule, "facts": self.facts}


@dataclass
class Outcome:
    """A met/fail conclusion for a criterion."""

    criterion: str
    met: bool
    reason: str
    rule: str
    facts: dict[str, dict] = field(default_factory=dict)


@dataclass
class RunResult:
    """Everything the rules concluded for one applicant."""

    trace: list[Firing] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    derived: list[tuple[str, dict]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Runtime:
    """Owns the durable-rules Host for this process and runs one applicant at a time."""

    def __init__(self, field_types: dict[str, dict]):
        self._field_types = field_types
        self._host = None
        self._registered: set[str] = set()
        self._actions: dict[str, object] = {"noop": _noop}
        self._sids = itertools.count(1)
        self._current: RunResult | None = None
        self._compiled: CompiledRuleset | None = None

    def run(self, compiled: CompiledRuleset, facts: list[dict]) -> RunResult:
        """Assert `facts` (each with a `t` kind) in a fresh session, then the conclude fact; return what fired."""
        from durable.engine import MessageNotHandledException

        host = self._host_for(compiled)
        sid = str(next(self._sids))
        result = RunResult()
        self._current, self._compiled = result, compiled
        created = False
        try:
            # One call for the facts (their cascades run before it returns), then the conclude step.
            host.assert_facts(compiled.name, [{**fact, "sid": sid} for fact in facts])
            created = True
            if compiled.gated:
                host.assert_fact(compiled.name, {"t": CONCLUDE_FACT, "sid": sid})
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
            raise EngineError("a rule action failed: " + "; ".join(result.errors))
        return result

    def _host_for(self, compiled: CompiledRuleset):
        if self._host is None:
            self._host = _new_host(self._actions)
        if compiled.name not in self._registered:
            for action, rule in compiled.rules.items():
                self._actions[action] = self._make_action(rule)
            self._host.set_rulesets(copy.deepcopy(compiled.definition))  # durable-rules mutates its argument
            self._registered.add(compiled.name)
        return self._host

    def _make_action(self, rule):
        """The callable durable-rules runs when `rule` fires: record, conclude, or derive and chain."""
        aliases = {p.alias: p.fact for p in rule.when if hasattr(p, "fact")}
        conclusion = rule.then

        def action(c):
            result, compiled = self._current, self._compiled
            try:
                matched = {alias: _visible(fact) for alias, fact in c._m.items() if alias in aliases}
                result.trace.append(Firing(rule.id, matched))
                if conclusion.derive is not None:
                    fill = lambda template: render(template, matched, aliases, compiled.parameters, self._field_types, compiled.units)
                    new = {name: _evaluate(value, matched, compiled.parameters, fill) for name, value in conclusion.derive.set.items()}
                    new.update(_translations(conclusion.derive.set, fill))
                    if (conclusion.derive.fact, new) not in result.derived:
                        result.derived.append((conclusion.derive.fact, new))
                        c.assert_fact({**new, "t": conclusion.derive.fact})
                else:
                    reason = render(wording(conclusion.reason, "en"), matched, aliases, compiled.parameters, self._field_types, compiled.units)
                    result.outcomes.append(Outcome(conclusion.criterion, conclusion.meet is not None, reason, rule.id, matched))
            except Exception as exc:  # surfaced after the run: durable-rules would swallow it
                result.errors.append(f"rule {rule.id}: {type(exc).__name__}: {exc}")

        return action


def _translations(values: dict, fill) -> dict:
    """French beside English for bilingual text fields (FIELD__fr), so reasons can be shown in French later."""
    return {name + TRANSLATION_SUFFIX: fill(value.text.fr) for name, value in values.items()
            if isinstance(value, Text) and not isinstance(value.text, str)}


def _noop(c) -> None:
    """Catch-all rules: they exist so that every fact is handled; they conclude nothing."""


def _visible(fact: dict) -> dict:
    return {k: v for k, v in fact.items() if k not in _HIDDEN_FIELDS}


def _evaluate(value, matched: dict, parameters: dict, fill):
    """A `set:` value: literal, parameter, field of a matched fact, filled text, or an entry of a table parameter."""
    if isinstance(value, Text):
        return fill(wording(value.text, "en"))
    if isinstance(value, ParamRef):
        return parameters[value.param]
    if isinstance(value, Lowest):
        values = parameters[value.lowest]
        return min(values.values() if isinstance(values, dict) else values)
    if isinstance(value, FactRef):
        return matched[value.alias][value.field]
    if isinstance(value, Lookup):
        table = parameters[value.lookup]
        key = _evaluate(value.key, matched, parameters, fill)
        for candidate in (key, str(key)):
            if candidate in table:
                return table[candidate]
        raise KeyError(f"table parameter {value.lookup!r} has no entry for {key!r}")
    return value


def _new_host(actions: dict):
    """A durable-rules Host that resolves action names through `actions`."""
    from durable import engine

    class ActionHost(engine.Host):
        def get_action(self, action_name):
            return actions[action_name]

    return ActionHost()
