"""Safe YAML reading that remembers where every key and value is, and removes YAML's traps.

Why: every error must name file:line:col and the key path. PyYAML's safe loader forgets positions,
accepts duplicate keys (the last silently wins), reads `no` as False and `2022-02-30` as a crash. Here:
- only `true`/`false` are booleans; dates stay strings for pydantic to check with a field path;
- a duplicate key is an error at its position;
- `load_yaml` returns the data and a `Positions` index from key paths to (line, column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .errors import Problem

KeyPath = tuple  # tuple of str keys and int indexes


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1 bool words or timestamps."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass
class Positions:
    """Where each key path starts in the source (1-based line and column)."""

    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def find(self, key_path: KeyPath) -> tuple[int | None, int | None]:
        """The position of the deepest known prefix of `key_path` (a missing key points at its parent)."""
        path = tuple(key_path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (None, None))


def format_key_path(key_path: KeyPath) -> str:
    """`('rules', 0, 'then')` -> `rules[0].then`."""
    text = ""
    for part in key_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse_key_path(text: str) -> KeyPath:
    """`rules[0].then` -> `('rules', 0, 'then')` (the inverse of `format_key_path`)."""
    parts: list = []
    for piece in re.findall(r"[^.\[\]]+|\[\d+\]", text):
        parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return tuple(parts)


class YamlProblem(Exception):
    """Raised for unreadable YAML: carries a `Problem`."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def load_yaml(text: str, path: str) -> tuple[object, Positions]:
    """Parse one YAML (or JSON) document into plain data and the positions of its keys.

    Examples:
        >>> data, pos = load_yaml("a:\\n  b: [1, 2]\\n", "x.yaml")
        >>> data, pos.find(("a", "b", 1))
        ({'a': {'b': [1, 2]}}, (2, 11))
    """
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        from .yaml_context import key_path_before, syntax_message

        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        anchor = exc.context_mark or mark
        around = key_path_before(text, anchor.line + 1) if anchor else ""
        raise YamlProblem(Problem(path, line, col, around, f"not valid YAML: {syntax_message(exc)}")) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Problem(path, None, None, "", f"not valid YAML: {exc}")) from None
    finally:
        loader.dispose()
    positions = Positions()
    if node is None:
        return None, positions
    return _build(loader, node, (), positions, path), positions


def _build(loader: yaml.SafeLoader, node: yaml.Node, key_path: KeyPath, positions: Positions, path: str) -> object:
    """Turn a node into data, recording positions and rejecting duplicate keys."""
    positions.marks.setdefault(key_path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(loader, node, key_path, positions, path)
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, key_path + (i,), positions, path) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise YamlProblem(Problem(path, node.start_mark.line + 1, node.start_mark.column + 1, format_key_path(key_path), str(exc))) from None


def _build_mapping(loader, node: yaml.MappingNode, key_path: KeyPath, positions: Positions, path: str) -> dict:
    result: dict = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlProblem(Problem(path, key_node.start_mark.line + 1, key_node.start_mark.column + 1, format_key_path(key_path), "YAML merge keys (<<) are not allowed"))
        key = loader.construct_object(key_node, deep=True)
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key, (str, int, float, bool)):
            raise YamlProblem(Problem(path, *where, format_key_path(key_path), f"a key must be a plain value, not {type(key).__name__}"))
        if key in result:
            first = positions.marks.get(key_path + (key,), (None, None))[0]
            raise YamlProblem(Problem(path, *where, format_key_path(key_path + (key,)), f"duplicate key {key!r} (first defined on line {first})"))
        positions.marks[key_path + (key,)] = where
        result[key] = _build(loader, value_node, key_path + (key,), positions, path)
    return result
