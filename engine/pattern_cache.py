"""Deciding once per decision pattern: durable-rules runs on the first applicant of each pattern, and
later applicants of the same pattern replay its firings (docs/engine.md, "Decision patterns").

The compiled rules only compare fact fields with constants (parameters are resolved to constants at
compile time) and, in joins, with other facts' fields. The key of an applicant is therefore, for each
fact the runtime asserts, in order: its kind; which earlier fact of the same kind it is identical to
(durable-rules keeps one copy of identical facts); for every comparison the compiled rules make of
one of its fields with a constant, the outcome (read once per field: `_reading`); and the exact value
of every field compared with another fact's field, or feeding a compared field of a derived fact
(`derive: set:`; a plain copy compared only with constants passes those comparisons on to the field it
copies instead; a field joined with a derived field whose few values are known once compiled is keyed by
its comparison with each of them: `_join`). `any:` groups are a `$or` inside one pattern: each of their
comparisons is keyed like any other. Two applicants with the same key
(under the same compiled ruleset: program, edition, parameter period, sha256; or under two that decide
alike, `decides_alike`, such as parameter periods that differ only in parameters no rule reads) make
durable-rules see the same matches in the same order, so the same rules fire in the same order on the same facts
(by position), and the derived facts have the same values where rules look at them.

On a miss the runtime runs durable-rules and this module records each firing: the action that ran
and, for each alias, the position of the fact it matched (an asserted fact, or the n-th derived
fact). On a hit the same actions are called again with this applicant's own facts at those
positions, so the trace, the reasons (rendered from this applicant's values), the derived facts
and any other conclusion are produced by the runtime's own code, not copied.

A ruleset with a `score:` has its awards summed after the conclude phase into a `score` fact
(engine/score.py), which no applicant's facts contain: a firing that matched it is recorded as such,
and on replay it is the sum of this applicant's own awards (recomputed by the replayed award actions,
table values included). The score fact is keyed like an asserted fact, only later: the recording keeps
the outcome of every comparison the rules make of it (a pass mark), and replay, once this applicant's
score is known, checks that it falls the same way; when it does not, durable-rules decides.

Whatever the key cannot express is not cached: a ruleset with a condition this module does not
recognise (an operator, a pattern shape, a `derive` value) is never cached; an applicant with a
value whose comparison could differ between Python and durable-rules is keyed by that exact value;
a run whose firings cannot be tied to fact positions, or that recorded an error, is not stored.

Environment: CEC_PATTERN_CACHE=0 switches it off; CEC_PATTERN_CACHE_SIZE sets the number of patterns
kept per process (least recently used first out; default 8192).
"""

from __future__ import annotations

import operator
from bisect import bisect_left
import os
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import orjson

from .model import Absent, FactRef, Lookup, Lowest, ParamRef, TableValue, Text
from .score import SCORE_FACT
from .templates import placeholders

CACHE_ENV = "CEC_PATTERN_CACHE"
SIZE_ENV = "CEC_PATTERN_CACHE_SIZE"
DEFAULT_SIZE = 8192  # a population of 250,000 has about 2,800 patterns (docs/engine.md)
SHARED_PER_PATTERN = 16  # copies kept for sharing (`PatternCache._one_copy`), at most, per pattern kept
_OPERATORS = {"$gt", "$gte", "$lt", "$lte", "$neq"}
_ABSENT = object()
_SAFE_INTEGER = 2**53
WHICH, AMONG, OTHER, EXACT = "which", "among", "other", "exact"  # how the key reads a field (`_read`)
REFUSED = ("refused",)  # a kind's plan when an applicant's fact of that kind makes the key None (`KeySpec.plan`)
_NUMERIC = {
    "$eq": operator.eq,
    "$neq": operator.ne,
    "$gt": operator.gt,
    "$gte": operator.ge,
    "$lt": operator.lt,
    "$lte": operator.le,
}


class Uncacheable(Exception):
    """The compiled ruleset has a condition the key cannot express."""


@dataclass
class KeySpec:
    """What the key reads of each asserted fact kind: comparisons with constants, and exact fields."""

    tests: dict[str, list[tuple[str, str, object]]] = field(default_factory=dict)  # kind -> (field, op, constant)
    exact: dict[str, set[str]] = field(default_factory=dict)  # kind -> fields kept exactly
    derived_only: set[str] = field(default_factory=set)  # derived kinds whose values the key counts on (`_bounded`)

    def plan(self) -> dict[str, tuple]:
        """Per kind, how the key reads a fact of it: one entry per field it reads, `(way, field, a, b,
        each)`. A field compared with constants is read once (`_reading`: each comparison once, though
        several rules make it), unless it is kept exactly, which settles every comparison too; then the
        fields kept exactly, `(EXACT, field, None, None, None)`. A derived kind whose values the key counts
        on (`derived_only`) is `REFUSED`: an applicant's fact of that kind is not keyed."""
        plan: dict[str, object] = {}
        for kind in set(self.tests) | set(self.exact):
            exact = self.exact.get(kind, set())
            by_field: dict[str, list] = {}
            for name, op, constant in dict.fromkeys(self.tests.get(kind, ())):
                if name not in exact:
                    by_field.setdefault(name, []).append((op, constant))
            compared = tuple(
                (way, name, *how)
                for name, (way, *how) in ((name, _reading(tuple(tests))) for name, tests in by_field.items())
            )
            plan[kind] = compared + tuple((EXACT, name, None, None, None) for name in sorted(exact))
        plan.update(dict.fromkeys(self.derived_only, REFUSED))
        return plan


@dataclass
class Stats:
    hits: int = 0
    misses: int = 0
    uncacheable: int = 0

    @property
    def hit_rate(self) -> float:
        asked = self.hits + self.misses + self.uncacheable
        return self.hits / asked if asked else 0.0


class PatternCache:
    """Per process, bounded (LRU): key -> recorded firings, for every compiled ruleset seen."""

    def __init__(self, size: int | None = None):
        self.size = size if size is not None else int(os.environ.get(SIZE_ENV, DEFAULT_SIZE))
        self.stats = Stats()
        self._plans: dict[str, dict | None] = {}
        self._names: dict[
            str, str
        ] = {}  # compiled ruleset's name -> the name its patterns are kept under (`_shared_name`)
        self._alike: dict[
            bytes, str
        ] = {}  # what decides a ruleset's runs (`decides_alike`) -> the first name seen with it
        self._entries: OrderedDict = OrderedDict()
        self._shared: dict = {}  # one copy of each firing, `where` and recording kept (`_one_copy`)

    @classmethod
    def from_environment(cls) -> "PatternCache | None":
        if os.environ.get(CACHE_ENV, "").strip().lower() in ("0", "off", "no", "false"):
            return None
        cache = cls()
        return cache if cache.size > 0 else None

    # --- the key ---------------------------------------------------------------------------------

    def key(self, compiled, facts: list[dict]):
        """The decision pattern of `facts` under `compiled`, or None when it cannot be cached: one flat tuple,
        the ruleset's name, which facts are identical to an earlier one (`_identical`), then for each fact its
        kind, what settles each comparison of its fields with a constant, and its exact fields (how many of
        these a fact has is fixed by its kind, so the flat tuple reads back one way only)."""
        name = self._names.get(compiled.name)
        if name is None:
            name = self._names[compiled.name] = self._shared_name(compiled)
        plan = self._plans.get(name, False)
        if plan is False:
            try:
                plan = self._plans[name] = key_spec(compiled).plan()
            except Uncacheable:
                plan = self._plans[name] = None
        if plan is None:
            return None
        parts = [name, None]
        append = parts.append
        kinds = set()
        odd = False  # a kind that is not a text (whose JSON could be another kind's: see `_identical`)
        for fact in facts:
            kind = fact.get("t")
            append(kind)
            kinds.add(kind)
            fields = plan.get(kind)  # (the plan's kinds are texts)
            if fields:
                if fields is REFUSED:
                    return None
                _read(append, fact, fields)
            elif type(kind) is not str and kind is not None:
                odd = True
        if odd or len(kinds) < len(facts):  # two facts may be identical
            parts[1] = _identical(facts)
        return tuple(parts)

    def _shared_name(self, compiled) -> str:
        """The name under which `compiled`'s patterns are kept: that of the first ruleset seen that decides
        alike (`decides_alike`: e.g. an edition's parameter periods whose parameters differ only where no rule
        reads them), so that a pattern recorded under one is replayed under the other; else its own. A ruleset
        whose plan is already known (set by hand) keeps its own name."""
        if compiled.name in self._plans:
            return compiled.name
        try:
            alike = decides_alike(compiled)
        except TypeError:  # (orjson's JSONEncodeError included) something not comparable as JSON: not shared
            return compiled.name
        return self._alike.setdefault(alike, compiled.name)

    # --- recording and replaying ------------------------------------------------------------------

    def lookup(self, key):
        recording = self._entries.get(key)
        if recording is not None:
            self._entries.move_to_end(key)
        return recording

    def store(self, key, recording) -> None:
        """Keep a `Recorder`'s recording under `key`, with what replay must check of the score fact: the
        key part the recorded run's score gave (when rules compare the score)."""
        firings, derived_count, score_fact = recording
        fields = self._plans[key[0]].get(SCORE_FACT)
        check = (fields, _fact_part(score_fact, fields)) if score_fact is not None and fields else None
        self._entries[key] = self._one_copy(
            (
                self._one_copy(
                    tuple(
                        self._one_copy((fire, before, self._one_copy(where), asserted))
                        for fire, before, where, asserted in firings
                    )
                ),
                derived_count,
                check,
            )
        )
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def _one_copy(self, value: tuple) -> tuple:
        """`value`, or the equal tuple kept before: patterns share most of their firings (the same action on
        the facts at the same positions), often all of them, so a pattern kept costs its key and a few
        pointers, not about a kilobyte of tuples of its own, and a worker's memory grows much less with the
        patterns a large population meets. The copies are forgotten (not the patterns) when there are many
        more of them than patterns kept, so that evicted patterns do not keep theirs for ever."""
        shared = self._shared
        if len(shared) > SHARED_PER_PATTERN * self.size:
            shared.clear()
        return shared.setdefault(value, value)


class Recorder:
    """Notes, during one durable-rules run, which facts each firing of the runtime's actions matched."""

    def __init__(self, facts: list[dict], derived: list, actions: dict[str, tuple]):
        self._asserted = {orjson.dumps(f): i for i, f in reversed(list(enumerate(facts)))}
        self._derived = derived  # the run's (kind, values) list, filled by the actions as they fire
        self._actions = actions  # action name -> (its function for a replayed firing, the aliases it reads)
        self.firings: list[
            tuple
        ] = []  # per firing: action, derived so far, where (`replay`), whether all are asserted facts
        self.valid = True
        self._score: bytes | None = None
        self._score_fact: dict | None = None

    def note_score(self, fact: dict) -> None:
        """Called by the runtime when it asserts the `score` fact (the sum of the awards so far)."""
        self._score, self._score_fact = orjson.dumps(fact), dict(fact)

    def note(self, name: str, matched: dict) -> None:
        """Called by the runtime before action `name` runs on the facts durable-rules matched. Only the
        aliases the action reads are kept (not a phase gate's); a firing that matched a derived or score fact
        under another alias is not recorded (replay would have to make that fact for nothing)."""
        if not self.valid:
            return
        (fire, read), where = self._actions[name], []
        for alias, fact in matched.items():
            if not isinstance(fact, dict):
                self.valid = False
                return
            plain = {k: v for k, v in fact.items() if k != "sid"}
            position = self._position(plain)
            if position is None or (alias not in read and position[0] not in ("a", "g")):
                self.valid = False
                return
            if alias in read:
                where.append((alias, *position))
        asserted = all(source == "a" for _, source, _ in where)
        where = tuple((alias, index) for alias, _, index in where) if asserted else tuple(where)
        self.firings.append((fire, len(self._derived), where, asserted))

    def recording(self):
        """What `PatternCache.store` keeps: each firing, how many derived facts the run ended with, and the
        score fact the run asserted (None without one)."""
        return (tuple(self.firings), len(self._derived), self._score_fact)

    def _position(self, fact: dict) -> tuple[str, object] | None:
        text = orjson.dumps(fact)
        if text in self._asserted:
            return ("a", self._asserted[text])
        for index, (kind, values) in enumerate(self._derived):
            if orjson.dumps({**values, "t": kind}) == text:
                return ("d", index)
        if set(fact) == {"t"}:
            return ("g", fact["t"])  # a phase gate (conclude, final): a kind with no fields
        if text == self._score:
            return ("s", SCORE_FACT)
        return None


def replay(recording, facts: list[dict], result, score=None) -> bool:
    """Run the recorded firings' actions (the runtime's, for a replayed firing) on this applicant's facts;
    False when something does not fit (then the runtime runs durable-rules): e.g. two derived facts
    identical here but not in the recorded run, or the other way round; or this applicant's score falls
    otherwise than the recorded one on a comparison some rule makes of it. `score()` gives the `score`
    fact of this applicant's awards so far. An asserted fact is handed over as it is (no action changes
    the facts it matched; a fact the plugin gave a `sid` is handed over without it, as durable-rules
    would). A firing that matched asserted facts only (most do) has them as (alias, position) pairs."""
    firings, derived_count, score_check = recording
    derived = result.derived
    for fire, derived_before, where, asserted in firings:
        if len(derived) != derived_before:
            return False
        if asserted:
            matched = {}
            for alias, index in where:
                fact = facts[index]
                matched[alias] = fact if "sid" not in fact else {k: v for k, v in fact.items() if k != "sid"}
        else:
            matched = _placed(where, facts, derived, score)
            if matched is None:
                return False
        fire(result, matched)
    if score_check is not None and (score is None or _fact_part(score(), score_check[0]) != score_check[1]):
        return False
    return not result.errors and len(derived) == derived_count


def _placed(where: tuple, facts: list[dict], derived: list, score) -> dict | None:
    """The facts a recorded firing matched, by alias, from its (alias, source, position) triples: an asserted
    fact (`a`), the n-th derived fact (`d`), the score fact (`s`) or a phase gate (`g`); None when this run
    has no such fact."""
    matched = {}
    for alias, source, index in where:
        if source == "a":
            fact = facts[index]
            matched[alias] = fact if "sid" not in fact else {k: v for k, v in fact.items() if k != "sid"}
        elif source == "d":
            if index >= len(derived):
                return None
            kind, values = derived[index]
            matched[alias] = {**values, "t": kind}
        elif source == "s":
            if score is None:
                return None
            matched[alias] = score()
        else:
            matched[alias] = {"t": index}
    return matched


def _identical(facts: list[dict]) -> tuple | None:
    """For each fact, the position of the first fact identical to it (itself when none is): durable-rules
    keeps one copy of identical facts. None when no two are identical (as when no two facts could be,
    which the key says without calling this). Identical means the same JSON text (orjson), which only
    facts of the same kind can have; so it is computed for the kinds met more than once (for every fact
    when a kind is not a text, whose JSON could match another kind's)."""
    kinds = [fact.get("t") for fact in facts]
    counts = Counter(kinds)
    every = any(type(kind) is not str and kind is not None for kind in kinds)
    seen: dict[bytes, int] = {}
    firsts = tuple(
        seen.setdefault(orjson.dumps(fact), index) if every or counts[kind] > 1 else index
        for index, (fact, kind) in enumerate(zip(facts, kinds))
    )
    return firsts if firsts != tuple(range(len(facts))) else None


def decides_alike(compiled) -> bytes:
    """What decides a compiled ruleset's runs, as bytes: two rulesets with the same bytes make durable-rules fire
    the same rules in the same order on the same facts, and their actions conclude the same from them. It is the
    definition with each action named by its rule alone (conditions, resolved constants and priorities), the
    rules, decision tables and score as written, the phase gates, the parameters' units, and the value of every
    parameter whose name occurs anywhere in those rules, tables or score (a reason's placeholder, a `set:`
    value, an operand: a name merely occurring counts too, which only shares less). A parameter no rule reads
    (one only the plugin's derivation reads) does not split the patterns. Raises TypeError when a part is not
    JSON."""
    (body,) = compiled.definition.values()
    prefix = compiled.name + ":"
    conditions = {
        rule: {**term, "run": term["run"].removeprefix(prefix)} if "run" in term else term
        for rule, term in body.items()
    }
    written = orjson.dumps(
        {
            "rules": [rule.model_dump(mode="json") for rule in compiled.rules.values()],
            "tables": {name: table.model_dump(mode="json") for name, table in compiled.tables.items()},
            "score": compiled.score.model_dump(mode="json") if compiled.score is not None else None,
        },
        option=orjson.OPT_SORT_KEYS,
    )
    read = {name: value for name, value in compiled.parameters.items() if name.encode() in written}
    return orjson.dumps(
        [conditions, written.decode(), read, list(compiled.gates), compiled.units], option=orjson.OPT_SORT_KEYS
    )


def key_spec(compiled) -> KeySpec:
    """What the key must read, from the compiled definition (conditions) and the rules (derived values)."""
    spec = KeySpec()
    derivers = [r for r in compiled.rules.values() if r.then.derive is not None]
    bounded = _bounded(derivers, compiled.parameters)
    (body,) = compiled.definition.values()
    for rule_name, rule in body.items():
        if set(rule) - {"all", "pri", "run"}:
            raise Uncacheable(f"rule {rule_name}: only `all` conditions are keyed")
        aliases = {}
        for term in rule["all"]:
            ((alias, pattern),) = term.items()
            aliases[alias.removesuffix("$not")] = _kind_of(pattern, rule_name)
        for term in rule["all"]:
            ((alias, pattern),) = term.items()
            _walk(pattern, aliases[alias.removesuffix("$not")], aliases, spec, rule_name, bounded)
    _derived_sources(derivers, spec)
    return spec


def _kind_of(pattern: dict, rule_name: str) -> str:
    if "t" in pattern:
        return pattern["t"]
    for term in pattern.get("$and", []):
        if set(term) == {"t"}:
            return term["t"]
    raise Uncacheable(f"rule {rule_name}: a pattern without a fact kind")


def _walk(pattern: dict, kind: str, aliases: dict, spec: KeySpec, rule_name: str, bounded: dict) -> None:
    for op, operand in pattern.items():
        if op in ("$and", "$or"):
            for term in operand:
                _walk(term, kind, aliases, spec, rule_name, bounded)
        elif op in _OPERATORS:
            ((name, value),) = operand.items()
            _comparison(kind, name, op, value, aliases, spec, rule_name, bounded)
        elif op in ("$ex", "$nex"):
            ((name, _),) = operand.items()
            spec.tests.setdefault(kind, []).append((name, "$ex", None))
        elif op.startswith("$"):
            raise Uncacheable(f"rule {rule_name}: operator {op} is not keyed")
        elif op != "t":
            _comparison(kind, op, "$eq", operand, aliases, spec, rule_name, bounded)


def _comparison(
    kind: str, name: str, op: str, value, aliases: dict, spec: KeySpec, rule_name: str, bounded: dict
) -> None:
    if isinstance(value, dict):
        if len(value) != 1 or next(iter(value)) not in aliases:
            raise Uncacheable(f"rule {rule_name}: a comparison with a mapping that is not a join")
        ((other, other_field),) = value.items()
        _join(spec, (kind, name), op, (aliases[other], other_field), bounded)
    elif isinstance(value, (list, tuple)):
        raise Uncacheable(f"rule {rule_name}: a comparison with a list")
    else:
        spec.tests.setdefault(kind, []).append((name, op, value))


_FLIPPED = {
    "$eq": "$eq",
    "$neq": "$neq",
    "$gt": "$lt",
    "$gte": "$lte",
    "$lt": "$gt",
    "$lte": "$gte",
}  # a op b  <=>  b FLIPPED[op] a


def _join(spec: KeySpec, left: tuple[str, str], op: str, right: tuple[str, str], bounded: dict) -> None:
    """Key the comparison `left op right` of two facts' fields (each a (kind, field)). In general both fields
    exactly. When one side is a derived field whose values are few and known (`_bounded`) and the other is
    not, the bounded side is kept exactly (that is, through what it is derived from) and the other side by its
    comparison with each value the bounded side can take: the bounded side's value is one of them and is
    settled by the key, so the outcome of the join is too. An asserted fact of the bounded side's kind (whose
    field could hold any value) is then not keyed (`PatternCache.key`)."""
    if (left in bounded) != (right in bounded):
        if left in bounded:  # as `right FLIPPED[op] left`
            left, op, right = right, _FLIPPED[op], left
        spec.exact.setdefault(right[0], set()).add(right[1])
        spec.derived_only.add(right[0])
        spec.tests.setdefault(left[0], []).extend((left[1], op, value) for value in bounded[right])
        return
    for kind, name in (left, right):
        spec.exact.setdefault(kind, set()).add(name)


def _bounded(rules: list, parameters: dict) -> dict[tuple[str, str], tuple]:
    """(kind, field) -> every value the field of a derived fact can take, when every rule that derives the
    kind sets it to a number known once the ruleset is compiled (a literal, a parameter, an entry or the
    lowest entry of a table parameter), each a plain number (`_plain_number`: compared alike by Python and
    durable-rules)."""
    sets: dict[str, list[dict]] = {}
    for rule in rules:
        sets.setdefault(rule.then.derive.fact, []).append(rule.then.derive.set)
    bounded = {}
    for kind, derived in sets.items():
        for name in set().union(*derived):
            values = [_known_values(each.get(name, _ABSENT), parameters) for each in derived]
            if all(v is not None for v in values):
                known = {value for each in values for value in each}
                if all(type(value) in (int, float) and _plain_number(value, type(value)) for value in known):
                    bounded[(kind, name)] = tuple(sorted(known))
    return bounded


def _known_values(value, parameters: dict) -> list | None:
    """Every value a `set:` value can give, when it is known without any fact; None when it is not (it reads
    a fact, a decision table or a text; or the field is not set: `_ABSENT`)."""
    if isinstance(value, ParamRef):
        return [parameters.get(value.param)]
    if isinstance(value, Lookup):
        table = parameters.get(value.lookup)
        return list(table.values()) if isinstance(table, dict) else None
    if isinstance(value, Lowest):
        table = parameters.get(value.lowest)
        entries = list(table.values()) if isinstance(table, dict) else table if isinstance(table, list) else None
        return [min(entries)] if entries and all(type(e) in (int, float) for e in entries) else None
    if type(value) in (int, float):
        return [value]
    return None


def _derived_sources(rules: list, spec: KeySpec) -> None:
    """A derived fact's field that a rule compares is keyed through the fields it is computed from, so
    the derived fact is the same wherever a rule looks at it: a plain copy (`{ref: alias.field}`) of a
    field only compared with constants is keyed by the same comparisons on the field it copies (a copy
    falls on the same side of every threshold); any other source, exactly. Its other fields (texts shown
    in reasons) only decide whether two derived facts are identical, which replay checks (`replay`: the
    same number of derived facts before each firing)."""
    changed = True
    while changed:  # a derived fact may come from another derived fact
        changed = False
        for rule in rules:
            derive = rule.then.derive
            kinds = {p.alias: p.fact for p in rule.when if not isinstance(p, Absent) and hasattr(p, "alias")}
            exact = spec.exact.get(derive.fact, set())
            looked_at = {f for f, _, _ in spec.tests.get(derive.fact, ())} | exact
            for name, value in derive.set.items():
                for alias, source in _sources(value, rule.id):
                    if alias not in kinds:
                        raise Uncacheable(f"rule {rule.id}: {alias}.{source} does not name a matched fact")
                    if name not in looked_at:
                        continue
                    if isinstance(value, FactRef) and name not in exact:
                        changed |= _copy_tests(spec, derive.fact, name, kinds[alias], source)
                    elif source not in spec.exact.get(kinds[alias], set()):
                        spec.exact.setdefault(kinds[alias], set()).add(source)
                        changed = True


def _copy_tests(spec: KeySpec, kind: str, name: str, source_kind: str, source: str) -> bool:
    """Key `source_kind.source` by every comparison with a constant made of its copy `kind.name`; True when
    one was new."""
    known = spec.tests.setdefault(source_kind, [])
    new = [
        (source, op, constant)
        for field_name, op, constant in spec.tests.get(kind, ())
        if field_name == name and (source, op, constant) not in known
    ]
    known += new
    return bool(new)


def _sources(value, rule_id: str) -> list[tuple[str, str]]:
    """The (alias, field) pairs a `set:` value is computed from."""
    if isinstance(value, FactRef):
        return [(value.alias, value.field)]
    if isinstance(value, Lookup):
        return [(value.key.alias, value.key.field)] if isinstance(value.key, FactRef) else []
    if isinstance(value, TableValue):
        return [(operand.alias, operand.field) for operand in value.inputs.values() if isinstance(operand, FactRef)]
    if isinstance(value, Text):
        texts = [value.text] if isinstance(value.text, str) else [value.text.en, value.text.fr]
        return [(a, f) for text in texts for a, f, key in placeholders(text) if a != "param" and key is None]
    if isinstance(value, (ParamRef, Lowest, str, int, float, bool)) or value is None:
        return []
    raise Uncacheable(f"rule {rule_id}: a derived value of type {type(value).__name__} is not keyed")


def _fact_part(fact: dict, fields: tuple) -> tuple:
    """A fact's part of the key, as `_read` gives it."""
    part: list = []
    _read(part.append, fact, fields)
    return tuple(part)


def _read(append, fact: dict, fields: tuple) -> None:
    """Append a fact's part of the key, one entry per field in `fields` (its kind's plan): what settles
    each comparison of the field with a constant (`_reading`), or the field itself when it is kept exactly
    (a text or an int as itself, any other value as `_exact` gives it: a text, an int and those tuples never
    equal one another, and a float or a boolean equal to an int is a tuple). The two
    shortcuts of `_reading` are written out here, not called: the key reads some twenty fields per
    applicant."""
    get = fact.get
    for way, name, a, b, each in fields:
        value = get(name, _ABSENT)
        if way is WHICH:  # a: the constants, b: their type
            append((value if value in a else None) if type(value) is b else each(value))
        elif way is AMONG:  # a: the sorted thresholds, b: the number of each place among them
            kind = type(value)
            if (kind is int and -_SAFE_INTEGER <= value <= _SAFE_INTEGER) or (kind is float and value - value == 0.0):
                at = bisect_left(a, value)
                append(b[2 * at + (at < len(a) and a[at] == value)])
            else:
                append(each(value))
        elif way is EXACT:
            append(value if type(value) is str or type(value) is int else _exact(value))
        else:
            append(each(value))


def _reading(tests: tuple) -> tuple:
    """How to read one field's value so as to settle every comparison `tests` makes of it ((op, constant)
    pairs), for `_read`: (way, a, b, each). In general the tuple of their outcomes (`_outcome`): (OTHER,
    None, None, each). Two shortcuts give the same information in one step. Numbers against number
    thresholds (AMONG, the sorted thresholds, places): where the value falls among the thresholds (below, at or above each),
    which decides `<`, `<=`, `=`, `>=`, `>` and `!=` with each of them; the places where every comparison
    falls the same way share one number (`_places`). Texts (or booleans) against equalities (WHICH, the
    constants, their type): the value itself when it is one of the constants, else None (it equals none
    of them). A value these do not cover (another type, absent, a number Python and durable-rules may
    compare differently) falls back to the general tuple (`each`, the last item); the three forms (an int,
    a constant or None, a tuple) never collide."""

    def each(value):
        return tuple([_outcome(value, op, constant) for op, constant in tests])

    ops, constants = {op for op, _ in tests}, [constant for _, constant in tests]
    if ops <= _NUMERIC.keys() and all(type(c) in (int, float) and _plain_number(c, type(c)) for c in constants):
        bounds = tuple(sorted(set(constants)))
        return (AMONG, bounds, _places(bounds, tests), each)
    kinds = {type(c) for c in constants}
    if ops <= {"$eq", "$neq"} and kinds in ({str}, {bool}):
        return (WHICH, frozenset(constants), kinds.pop(), each)
    return (OTHER, None, None, each)


def _places(bounds: tuple, tests: tuple) -> tuple[int, ...]:
    """For each place a number can take among the sorted `bounds` (2i: between bounds i-1 and i, or below
    the first, or above the last; 2i+1: equal to bound i), the number of its outcome vector over `tests`:
    places where every comparison falls the same way get the same number.

    Examples:
        >>> _places((7, 9), (("$gte", 7), ("$lt", 9)))  # below 7 | 7 | 7-9 | 9 | above 9
        (0, 1, 1, 2, 2)
    """
    index = {bound: 2 * i + 1 for i, bound in enumerate(bounds)}
    outcomes = [
        tuple(_NUMERIC[op]((place > index[c]) - (place < index[c]), 0) for op, c in tests)
        for place in range(2 * len(bounds) + 1)
    ]
    numbers: dict[tuple, int] = {}
    return tuple(numbers.setdefault(vector, len(numbers)) for vector in outcomes)


def _exact(value):
    if value is _ABSENT:
        return ("absent",)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return (type(value).__name__, value)
    return (type(value).__name__, orjson.dumps(value))


def _outcome(value, op: str, constant):
    """Which side of the comparison the value falls on; the exact value wherever Python and
    durable-rules might not agree (mixed types, strings ordered, integers past 2**53, NaN)."""
    kind, constant_kind = type(value), type(constant)
    if (kind is float or kind is int) and (constant_kind is float or constant_kind is int) and op in _NUMERIC:
        if _plain_number(value, kind) and _plain_number(constant, constant_kind):
            return _NUMERIC[op](value, constant)
        return _exact(value)
    if op == "$ex":
        return value is not _ABSENT
    if value is _ABSENT:
        return "absent"
    if kind is str and constant_kind is str and op in ("$eq", "$neq"):
        return (value == constant) is (op == "$eq")
    if kind is bool and constant_kind is bool and op in ("$eq", "$neq"):
        return (value == constant) is (op == "$eq")
    return _exact(value)


def _plain_number(value, kind) -> bool:
    """Compared the same way by Python and by durable-rules (doubles): finite, and exact as a double."""
    return -_SAFE_INTEGER <= value <= _SAFE_INTEGER if kind is int else value - value == 0.0
