"""Replaying a stored decision: decide its stored input again, on its stored date, under today's rules,
and say whether the decision is the same; if not, what differs: the criteria, the parameter values in
force on that date, and the rules (in `cec diff`'s words, from the ruleset stored with the record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

import orjson

from cec_rules.engine.errors import CecError
from cec_rules.engine.evaluator import Evaluator
from cec_rules.engine.impact.rules_diff import compare_editions
from cec_rules.engine.library import Library
from cec_rules.engine.model import Ruleset
from cec_rules.facts.reading import applicant_from_data

from .records import code_version, outcome_of
from .store import DecisionStore, StoredRecord


class RecordNotFound(CecError):
    """No record has this id."""


@dataclass
class Replay:
    record: StoredRecord
    decision: str  # today's decision, one JSON line
    same: bool  # byte for byte
    criteria: list[dict] = field(default_factory=list)  # criteria whose outcome or reason changed
    parameters: list[dict] = field(default_factory=list)  # {name, stored, today}
    rules: list[dict] = field(default_factory=list)  # cec diff's rules changes
    code: dict | None = None  # {stored, today} when the code version differs

    def to_json(self) -> dict:
        return {
            "record_id": self.record.id,
            "same": self.same,
            "stored_outcome": self.record.outcome,
            "today_outcome": outcome_of(orjson.loads(self.decision)["eligible"]),
            "criteria": self.criteria,
            "parameters": self.parameters,
            "rules": self.rules,
            "code_version": self.code,
            "decision": orjson.loads(self.decision),
        }


def replay(store: DecisionStore, record_id: str, library: Library) -> Replay:
    """Re-decide record `record_id` with `library`; raises RecordNotFound, or InputError when no edition
    of today's rules is in force on the record's date."""
    record = store.get(record_id)
    if record is None:
        raise RecordNotFound(f"no decision record {record_id!r} in {store.url}")
    evaluator = Evaluator(library, record.program)
    applicant = applicant_from_data(orjson.loads(record.input), f"record {record_id[:12]}")
    day = dt.date.fromisoformat(record.as_of)
    decision = evaluator.evaluate(applicant, day, source=f"record {record_id[:12]}")
    line = decision.to_json_line()
    result = Replay(record, line, line == record.decision)
    if result.same:
        return result
    edition, compiled = evaluator.context(applicant, day)
    result.criteria = _criteria_changes(orjson.loads(record.decision), decision.to_json())
    result.parameters = _parameter_changes(
        orjson.loads(record.parameters),
        orjson.loads(orjson.dumps(compiled.parameters, default=str, option=orjson.OPT_NON_STR_KEYS)),
    )
    stored_rules = store.ruleset_definition(record.ruleset_sha256)
    if stored_rules is not None and record.ruleset_sha256 != edition.sha256:
        old = SimpleNamespace(ruleset=Ruleset.model_validate(orjson.loads(stored_rules)), sha256=record.ruleset_sha256)
        result.rules = compare_editions([old], [edition])
    if record.code_version != code_version():
        result.code = {"stored": record.code_version, "today": code_version()}
    return result


def _criteria_changes(stored: dict, today: dict) -> list[dict]:
    before = {c["id"]: c for c in stored["criteria"]}
    after = {c["id"]: c for c in today["criteria"]}
    changes = []
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if old is None or new is None or (old["met"], old["reason"]) != (new["met"], new["reason"]):
            changes.append({"id": name, "stored": _brief(old), "today": _brief(new)})
    return changes


def _brief(criterion: dict | None) -> dict | None:
    return None if criterion is None else {"met": criterion["met"], "reason": criterion["reason"]}


def _parameter_changes(stored: dict, today: dict) -> list[dict]:
    return [
        {"name": name, "stored": stored.get(name), "today": today.get(name)}
        for name in dict.fromkeys([*stored, *today])
        if stored.get(name) != today.get(name)
    ]


def replay_text(result: Replay) -> str:
    """For people: the verdict, then what differs."""
    r = result.record
    head = (
        f"record {r.id} ({orjson.loads(r.input)['id']}, {r.program} {r.edition}, as of {r.as_of}, "
        f"first decided {r.first_decided_at}, {r.code_version})"
    )
    if result.same:
        return f"{head}\nsame decision today: {r.outcome.replace('_', ' ')} (byte for byte)"
    today = outcome_of(orjson.loads(result.decision)["eligible"])
    lines = [head, f"DIFFERENT decision today: stored {r.outcome.replace('_', ' ')}, today {today.replace('_', ' ')}"]
    for c in result.criteria:
        lines.append(f"  criterion {c['id']}: {_met(c['stored'])} -> {_met(c['today'])}")
        lines.append(f"    stored: {c['stored']['reason'] if c['stored'] else '(absent)'}")
        lines.append(f"    today:  {c['today']['reason'] if c['today'] else '(absent)'}")
    for p in result.parameters:
        lines.append(f"  parameter {p['name']} on {r.as_of}: {_show(p['stored'])} -> {_show(p['today'])}")
    for change in result.rules:
        lines.append(f"  rules: {change['edition']} {change['kind']} {change['name']}: {change['change']}")
    if result.code:
        lines.append(f"  code: {result.code['stored']} -> {result.code['today']}")
    if not (result.parameters or result.rules or result.code):
        lines.append("  (same rules, parameters and code version: the difference is in the data tables or derivations)")
    return "\n".join(lines)


def _met(criterion: dict | None) -> str:
    if criterion is None:
        return "absent"
    return {True: "met", False: "unmet"}.get(criterion["met"], "undetermined")


def _show(value) -> str:
    return "(none)" if value is None else orjson.dumps(value).decode("utf-8")
