"""Strict JSON reading that remembers where every key is: the JSON twin of `yaml_source.load_yaml`.

Why not read JSON as YAML: PyYAML reads YAML 1.1, where `2:30` is 150, `0x28` and `050` are 40 and
`NaN` is text, so a `.json` file would say something its author did not write. Why not `json.loads`:
it forgets positions (errors could not name the line of a field), accepts `NaN`, lets a duplicate key
silently win, and fails with an internal error on a 4,301-digit integer. Here a `.json` file is read
by the JSON grammar only, and every problem is a `YamlProblem` (the shared "unreadable document" error)
naming the line, column and key path.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring

from .errors import Problem
from .yaml_source import MAX_DEPTH, MAX_NUMBER_CHARS, KeyPath, Positions, YamlProblem, format_key_path

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LITERALS = {"true": True, "false": False, "null": None}


def load_json(text: str, path: str) -> tuple[object, Positions]:
    """Parse one JSON document into plain data and the positions of its keys.

    Examples:
        >>> data, pos = load_json('{"a":\\n  {"b": [1, 4e1]}}', "x.json")
        >>> data, pos.find(("a", "b", 1))
        ({'a': {'b': [1, 40.0]}}, (2, 13))
    """
    parser = _Parser(text, path)
    return parser.document(), parser.positions


class _Parser:
    """A recursive-descent reader over the text (depth is bounded by `MAX_DEPTH`, so recursion is safe)."""

    def __init__(self, text: str, path: str):
        self.text, self.path = text, path
        self.newlines = [match.start() for match in re.finditer("\n", text)]
        self.positions = Positions()

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self.newlines, offset)
        start = self.newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    def fail(self, offset: int, key_path: KeyPath, message: str):
        raise YamlProblem(Problem(self.path, *self.where(offset), format_key_path(key_path), message))

    def skip(self, offset: int) -> int:
        return _SPACE.match(self.text, offset).end()

    def document(self) -> object:
        start = self.skip(0)
        if start == len(self.text):
            self.fail(start, (), "not valid JSON: the document is empty")
        value, end = self.value(start, ())
        end = self.skip(end)
        if end != len(self.text):
            self.fail(end, (), f"not valid JSON: unexpected {self.excerpt(end)} after the end of the document")
        return value

    def excerpt(self, offset: int) -> str:
        return repr(self.text[offset : offset + 12]) if offset < len(self.text) else "end of the document"

    def value(self, offset: int, key_path: KeyPath) -> tuple[object, int]:
        self.positions.marks.setdefault(key_path, self.where(offset))
        char = self.text[offset : offset + 1]
        if char in ("{", "["):
            if len(key_path) >= MAX_DEPTH:
                self.fail(offset, (), f"nested deeper than {MAX_DEPTH} levels of mappings and lists")
            return self.object(offset, key_path) if char == "{" else self.array(offset, key_path)
        if char == '"':
            return self.string(offset, key_path)
        match = _NUMBER.match(self.text, offset)
        if match:
            return self.number(match, key_path), match.end()
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, offset):
                return literal, offset + len(word)
        self.fail(offset, key_path, f"not valid JSON: expected a value, found {self.excerpt(offset)}")

    def string(self, offset: int, key_path: KeyPath) -> tuple[str, int]:
        try:
            text, end = scanstring(self.text, offset + 1, True)
        except json.JSONDecodeError as exc:
            self.fail(exc.pos, key_path, f"not valid JSON: {exc.msg}")
        if _SURROGATE.search(text):
            self.fail(
                offset, key_path, "not valid JSON: the text holds an unpaired UTF-16 surrogate escape (\\ud800-\\udfff)"
            )
        return text, end

    def number(self, match: re.Match, key_path: KeyPath) -> int | float:
        literal = match.group()
        if len(literal) > MAX_NUMBER_CHARS:
            self.fail(
                match.start(),
                key_path,
                f"a number written with {len(literal):,} characters; at most {MAX_NUMBER_CHARS} are allowed",
            )
        if not (match.group(1) or match.group(2)):
            return int(literal)
        value = float(literal)
        if value in (float("inf"), float("-inf")):
            self.fail(match.start(), key_path, f"the number {literal} is out of range")
        return value

    def object(self, offset: int, key_path: KeyPath) -> tuple[dict, int]:
        result: dict = {}
        offset = self.skip(offset + 1)
        if self.text.startswith("}", offset):
            return result, offset + 1
        while True:
            if not self.text.startswith('"', offset):
                self.fail(
                    offset, key_path, f"not valid JSON: expected a key in double quotes, found {self.excerpt(offset)}"
                )
            key, after = self.string(offset, key_path)
            if key in result:
                first = self.positions.marks[key_path + (key,)][0]
                self.fail(offset, key_path + (key,), f"duplicate key {key!r} (first defined on line {first})")
            self.positions.marks[key_path + (key,)] = self.where(offset)
            after = self.skip(after)
            if not self.text.startswith(":", after):
                self.fail(
                    after, key_path + (key,), f"not valid JSON: expected ':' after the key, found {self.excerpt(after)}"
                )
            result[key], offset = self.value(self.skip(after + 1), key_path + (key,))
            offset = self.separator(self.skip(offset), "}", key_path)
            if offset < 0:
                return result, -offset

    def array(self, offset: int, key_path: KeyPath) -> tuple[list, int]:
        result: list = []
        offset = self.skip(offset + 1)
        if self.text.startswith("]", offset):
            return result, offset + 1
        while True:
            item, offset = self.value(offset, key_path + (len(result),))
            result.append(item)
            offset = self.separator(self.skip(offset), "]", key_path)
            if offset < 0:
                return result, -offset

    def separator(self, offset: int, closing: str, key_path: KeyPath) -> int:
        """After an element: the offset of the next one, or minus the offset after the closing bracket."""
        if self.text.startswith(",", offset):
            return self.skip(offset + 1)
        if self.text.startswith(closing, offset):
            return -(offset + 1)
        self.fail(offset, key_path, f"not valid JSON: expected ',' or '{closing}', found {self.excerpt(offset)}")
