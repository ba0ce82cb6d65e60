"""Turning pydantic's validation errors into `Problem`s that point at the YAML line and key path.

pydantic reports a failed union once per branch ("not: missing", "as: unknown key" for the branch that
was not meant). Here each union keeps only the branch that fits best (fewest errors), so a typo gives
one message, with "did you mean" and the allowed keys.
"""

from __future__ import annotations

from difflib import get_close_matches

from pydantic import ValidationError

from .allowed_keys import allowed_keys
from .errors import Problem
from .shown import literal
from .yaml_source import Positions, format_key_path


def problems_from_validation(
    exc: ValidationError, path: str, positions: Positions, model=None, data=None
) -> list[Problem]:
    """One problem per real error, located by its key path.

    With the root `model` and the `data`, an unknown key also gets "did you mean" and the allowed keys.
    """
    errors = _best_union_branches(exc.errors(include_url=False), data)
    problems: dict[tuple, Problem] = {}
    for error, key_path in errors:
        line, column = positions.find(key_path)
        message = _message(error)
        if error["type"] == "extra_forbidden" and model is not None:
            message += _allowed_hint(model, key_path, data)
        problems.setdefault((key_path, message), Problem(path, line, column, format_key_path(key_path), message))
    return _drop_missing_explained_by_typo(list(problems.values()))


def _split_loc(error: dict, data) -> list[tuple[int, str]]:
    """Positions in `loc` that are union branch tags, not keys of the data."""
    tags, node = [], data
    loc = error["loc"]
    for index, part in enumerate(loc):
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        elif index == len(loc) - 1 and error["type"] in ("missing", "extra_forbidden"):
            break
        else:
            tags.append((index, part))
    return tags


def _best_union_branches(errors: list[dict], data) -> list[tuple[dict, tuple]]:
    """At each union (outermost first), keep the errors of the branch with the fewest; strip branch tags.

    In a union of plain branches (none holding a union of its own), a branch whose one complaint is that the
    value is not of its type (a number given a mapping) was not the one meant when another branch takes a
    mapping: it comes after them, so `{from: 1, too: 2}` is reported as a misspelt `to`, not as "not a boolean"."""
    items = [(error, _split_loc(error, data)) for error in errors]
    depth = 0
    while any(len(tags) > depth for _, tags in items):
        counts: dict[tuple, dict[str, list[int]]] = {}
        nested: set[tuple] = set()
        for error, tags in items:
            if len(tags) > depth:
                index, tag = tags[depth]
                union = tuple(error["loc"][:index])
                branch = counts.setdefault(union, {}).setdefault(tag, [1, 0])
                branch[0] &= _wrong_type(error, index)
                branch[1] += 1
                if len(tags) > depth + 1:
                    nested.add(union)
        best = {
            union: min(
                branches,
                key=lambda b: (branches[b][0] and union not in nested, branches[b][1], list(branches).index(b)),
            )
            for union, branches in counts.items()
        }
        items = [
            (error, tags)
            for error, tags in items
            if len(tags) <= depth or tags[depth][1] == best[tuple(error["loc"][: tags[depth][0]])]
        ]
        depth += 1
    return [
        (error, tuple(p for i, p in enumerate(error["loc"]) if i not in {ti for ti, _ in tags}))
        for error, tags in items
    ]


def _wrong_type(error: dict, index: int) -> int:
    """1 when `error`, in the union branch tagged at loc[index], says only that the whole value is not of the
    branch's type (`bool_type`, `model_type`, ...); else 0."""
    return int(len(error["loc"]) == index + 1 and error["type"].endswith("_type"))


def _message(error: dict) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key {error['loc'][-1]!r}"
    if kind == "missing":
        return f"missing required key {error['loc'][-1]!r}"
    text = error["msg"]
    if "input" in error and kind != "value_error" and not isinstance(error["input"], (dict, list)):
        text += f" (got {literal(error['input'])})"
    return text.replace("Value error, ", "")


def _drop_missing_explained_by_typo(problems: list[Problem]) -> list[Problem]:
    """'missing citation' next to "unknown key 'citaton' (did you mean 'citation'?)" says the same thing twice."""
    explained = set()
    for p in problems:
        if p.message.startswith("unknown key") and "did you mean '" in p.message:
            parent = p.key_path.rsplit(".", 1)[0] if "." in p.key_path else ""
            meant = p.message.split("did you mean '", 1)[1].split("'", 1)[0]
            explained.add(f"{parent}.{meant}" if parent else meant)
    return [p for p in problems if not (p.message.startswith("missing required key") and p.key_path in explained)]


def _allowed_hint(model, key_path: tuple, data) -> str:
    allowed = allowed_keys(model, key_path[:-1], data)
    if not allowed:
        return ""
    return f"{suggest(str(key_path[-1]), allowed)}; allowed keys: {', '.join(allowed)}"


def suggest(word: str, choices) -> str:
    """A ' (did you mean ...?)' suffix, or ''."""
    match = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
