"""The change to the rules themselves, in words: editions added or removed, dates moved, parameters
changed (old -> new), and criteria and rules added, removed or modified."""

from __future__ import annotations

from cec_rules.engine.library import Edition
from cec_rules.engine.model import Parameter, wording


def compare_editions(old: list[Edition], new: list[Edition], pairs: dict | None = None) -> list[dict]:
    """The differences between two sides: for two editions, theirs; for two folders, the timeline (editions
    added, removed, dates moved) and then, for each pair of editions the population was decided by (the
    edition in force on each applicant's date under OLD and under NEW), what differs between the two.

    `pairs` maps (old edition name, new edition name) to the number of applicants decided by that pair."""
    if len(old) == 1 and len(new) == 1:
        return _compare(old[0], new[0])
    old_by, new_by = ({_key(e): e for e in eds} for eds in (old, new))
    changes, compared = _timeline(old_by, new_by), set()
    for (old_name, new_name), count in sorted((pairs or {}).items()):
        a, b = _named(old, old_name), _named(new, new_name)
        if a is None or b is None or (_key(a) == _key(b) and a.sha256 == b.sha256):
            continue
        compared.add((_key(a), _key(b)))
        if _key(a) != _key(b):
            changes.append(
                _change(
                    f"{_key(a)} -> {_key(b)}",
                    "editions",
                    "applicants",
                    f"{count:,} applicant(s) decided by {_key(a)} under the old rules and by {_key(b)} under the new",
                )
            )
        changes.extend(_compare(a, b, dates=False))
    for key in sorted(set(old_by) & set(new_by)):
        if (key, key) not in compared:
            changes.extend(_compare(old_by[key], new_by[key]))
    return changes


def _named(editions: list[Edition], name: str) -> Edition | None:
    return next((e for e in editions if e.ruleset.edition == name), None)


def _timeline(old_by: dict, new_by: dict) -> list[dict]:
    """Editions added or removed between two folders."""
    changes = []
    for key in sorted(set(old_by) | set(new_by)):
        if key not in new_by:
            changes.append(_change(key, "edition", key, "removed"))
        elif key not in old_by:
            e = new_by[key]
            changes.append(
                _change(
                    key,
                    "edition",
                    key,
                    f"added, in force {e.ruleset.effective_from} to {e.ruleset.effective_to or '(no end)'}",
                )
            )
    return changes


def _key(edition: Edition) -> str:
    return f"{edition.ruleset.program}/{edition.ruleset.edition}"


def _change(edition: str, kind: str, name: str, text: str) -> dict:
    return {"edition": edition, "kind": kind, "name": name, "change": text}


def _compare(old: Edition, new: Edition, dates: bool = True) -> list[dict]:
    where = _key(new) if _key(old) == _key(new) else f"{_key(old)} -> {_key(new)}"
    a, b = old.ruleset, new.ruleset
    changes = []
    for field_name in ("effective_from", "effective_to"):
        if (dates or _key(old) == _key(new)) and getattr(a, field_name) != getattr(b, field_name):
            changes.append(
                _change(where, "dates", field_name, f"{_day(getattr(a, field_name))} -> {_day(getattr(b, field_name))}")
            )
    changes += _mapping_changes(where, "parameter", a.parameters, b.parameters, _parameter_text)
    changes += _mapping_changes(
        where, "criterion", a.criteria, b.criteria, lambda x: f"{wording(x.description)} ({x.citation})"
    )
    changes += _mapping_changes(
        where, "rule", {r.id: r for r in a.rules}, {r.id: r for r in b.rules}, lambda r: r.description
    )
    changes += _mapping_changes(where, "table", a.tables, b.tables, lambda t: wording(t.description))
    changes += _mapping_changes(
        where, "factor", _factors(a), _factors(b), lambda f: f"{wording(f.description)}, at most {f.max} ({f.citation})"
    )
    changes += _mapping_changes(where, "cap", _caps(a), _caps(b), lambda c: f"{', '.join(c.factors)} at most {c.max}")
    if (a.score and a.score.max) != (b.score and b.score.max):
        changes.append(
            _change(
                where,
                "score",
                "max",
                f"{a.score.max if a.score else '(no score)'} -> {b.score.max if b.score else '(no score)'}",
            )
        )
    if not changes and old.sha256 != new.sha256:
        changes.append(
            _change(
                where,
                "data",
                "tables or wording",
                "data tables or texts changed (no parameter, criterion or rule changed)",
            )
        )
    return changes


def _mapping_changes(where: str, kind: str, old: dict, new: dict, show) -> list[dict]:
    changes = []
    for name in list(dict.fromkeys([*old, *new])):
        if name not in new:
            changes.append(_change(where, kind, name, "removed"))
        elif name not in old:
            changes.append(_change(where, kind, name, f"added: {show(new[name])}"))
        elif old[name] != new[name]:
            if kind == "parameter" and _parameter_text(old[name]) != _parameter_text(new[name]):
                changes.append(
                    _change(where, kind, name, f"{_parameter_text(old[name])} -> {_parameter_text(new[name])}")
                )
            elif kind == "parameter":
                changes.append(_change(where, kind, name, "description or citation changed; value unchanged"))
            else:
                parts = [k for k in type(new[name]).model_fields if getattr(old[name], k) != getattr(new[name], k)]
                changes.append(_change(where, kind, name, f"modified ({', '.join(parts)})"))
    return changes


def _factors(ruleset) -> dict:
    return dict(ruleset.score.factors) if ruleset.score is not None else {}


def _caps(ruleset) -> dict:
    return {cap.id: cap for cap in ruleset.score.caps} if ruleset.score is not None else {}


def _day(day) -> str:
    return "(no end)" if day is None else day.isoformat()


def _parameter_text(parameter: Parameter) -> str:
    if parameter.values is None:
        return _value(parameter.value)
    return "; ".join(f"from {day}: {_value(v)}" for day, v in sorted(parameter.values.items()))


def _value(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)
