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

from .errors import InputError, Problem

KeyPath = tuple  # tuple of str keys and int indexes
MAX_DEPTH = 100  # mappings and lists nested deeper than this are refused (an applicant needs 3 levels)
MAX_NUMBER_CHARS = 100  # a longer number literal is refused (Python refuses ints over 4,300 digits anyway)
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class _TooDeep(yaml.MarkedYAMLError):
    """Nesting past MAX_DEPTH, found while composing (before Python's stack or the scanner's time runs out)."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1 bool words, timestamps or number forms (YAML 1.2 core numbers only),
    refusing nesting deeper than MAX_DEPTH as soon as it is seen."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:
                raise _TooDeep(problem=_too_deep(), problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_DROPPED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_LEGACY_NUMBER = "tag:cec-rules,2026:yaml11-number"
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
# YAML 1.1 read these as numbers (`050` octal 40, `0x28`, `0b101000`, `2:30` base 60 = 150, `1_000`): refused with a
# clear message instead of silently becoming a number nobody wrote.
_StrictLoader.add_implicit_resolver(
    _LEGACY_NUMBER,
    re.compile(
        r"^[-+]?(?:0[0-9_]+(?:\.[0-9_]*)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
        r"|[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?)$"
    ),
    list("-+0123456789"),
)

_ALLOWED_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")} | {
    _LEGACY_NUMBER
}


class _Refused(yaml.YAMLError):
    """A scalar this reader will not turn into data; the message is for the user."""


def _refuse_legacy_number(loader, node):
    raise _Refused(
        f"{node.value!r} is a YAML 1.1 number form (octal, hexadecimal, binary, base 60 or with '_'), which is "
        f"not read as a number here: write the number in plain decimal, or quote it to mean text"
    )


_StrictLoader.add_constructor(_LEGACY_NUMBER, _refuse_legacy_number)


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


def locate(error: InputError, positions: Positions | None) -> InputError:
    """Add the line of the error's field when the check that found it did not know it."""
    if error.line is not None or positions is None or not error.field:
        return error
    line = positions.find(parse_key_path(error.field))[0]
    return InputError(error.source, error.field, error.detail, line=line)


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
        ({'a': {'b': [1, 2]}}, (2, 10))
    """
    loader = None
    try:
        loader = _StrictLoader(text)  # the reader checks the characters here
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        from .yaml_context import indentation_problem, key_path_before, syntax_message

        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if isinstance(exc, _TooDeep):
            raise YamlProblem(Problem(path, line, col, "", exc.problem)) from None
        anchor = mark if indentation_problem(exc) else exc.context_mark or mark
        around = key_path_before(text, anchor.line + 1) if anchor else ""
        raise YamlProblem(Problem(path, line, col, around, f"not valid YAML: {syntax_message(exc)}")) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise YamlProblem(
            Problem(
                path, line, None, "", f"not valid YAML: character U+{exc.character:04X} is not allowed in YAML text"
            )
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Problem(path, None, None, "", f"not valid YAML: {exc}")) from None
    except RecursionError:
        raise YamlProblem(Problem(path, None, None, "", _too_deep())) from None
    finally:
        if loader is not None:
            loader.dispose()
    positions = Positions()
    if node is None:
        return None, positions
    # Every node of the text costs at least one character; anything beyond that is alias expansion
    # (a "billion laughs" file), refused before it eats the memory.
    budget = _Budget(len(text) + 100)
    return _build(loader, node, (), positions, path, budget), positions


def _too_deep() -> str:
    return f"nested deeper than {MAX_DEPTH} levels of mappings and lists"


@dataclass
class _Budget:
    """How many more nodes may be built from one document."""

    left: int

    def spend(self, path: str, node: yaml.Node, key_path: KeyPath) -> None:
        self.left -= 1
        if self.left < 0:
            raise YamlProblem(
                Problem(
                    path,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    format_key_path(key_path),
                    "YAML aliases expand to far more data than the text holds (an alias bomb?): refused",
                )
            )


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, key_path: KeyPath, positions: Positions, path: str, budget: _Budget
) -> object:
    """Turn a node into data, recording positions and rejecting duplicate keys, tags and runaway documents."""
    budget.spend(path, node, key_path)
    where = (node.start_mark.line + 1, node.start_mark.column + 1)
    positions.marks.setdefault(key_path, where)
    if node.tag not in _ALLOWED_TAGS:
        raise YamlProblem(
            Problem(
                path,
                *where,
                format_key_path(key_path),
                f"the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed: input is plain data (mappings, lists, text, numbers, true/false, null)",
            )
        )
    if len(key_path) > MAX_DEPTH:
        raise YamlProblem(Problem(path, *where, "", _too_deep()))
    if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
        raise YamlProblem(
            Problem(
                path,
                *where,
                format_key_path(key_path),
                f"a number written with {len(node.value):,} characters; at most {MAX_NUMBER_CHARS} are allowed",
            )
        )
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(loader, node, key_path, positions, path, budget)
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, key_path + (i,), positions, path, budget) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:  # including _Refused
        raise YamlProblem(Problem(path, *where, format_key_path(key_path), str(exc))) from None


def _build_mapping(
    loader, node: yaml.MappingNode, key_path: KeyPath, positions: Positions, path: str, budget: _Budget
) -> dict:
    result: dict = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlProblem(
                Problem(
                    path,
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    format_key_path(key_path),
                    "YAML merge keys (<<) are not allowed",
                )
            )
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
            raise YamlProblem(
                Problem(
                    path,
                    *where,
                    format_key_path(key_path),
                    f"a key must be a plain value, not {type(key_node).__name__.replace('Node', '').lower()} {key_node.tag}",
                )
            )
        try:
            key = loader.construct_object(key_node, deep=True)
        except yaml.YAMLError as exc:
            raise YamlProblem(Problem(path, *where, format_key_path(key_path), str(exc))) from None
        if not isinstance(key, (str, int, float, bool)):
            raise YamlProblem(
                Problem(
                    path, *where, format_key_path(key_path), f"a key must be a plain value, not {type(key).__name__}"
                )
            )
        if key in result:
            first = positions.marks.get(key_path + (key,), (None, None))[0]
            raise YamlProblem(
                Problem(
                    path,
                    *where,
                    format_key_path(key_path + (key,)),
                    f"duplicate key {key!r} (first defined on line {first})",
                )
            )
        positions.marks[key_path + (key,)] = where
        result[key] = _build(loader, value_node, key_path + (key,), positions, path, budget)
    return result
