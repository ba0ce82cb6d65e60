"""Streaming applicant records from JSON Lines, a JSON array, or a folder of files, without loading
the whole input: memory stays flat however many records there are.

A record is passed on as raw text; the workers parse it, so that parsing runs in parallel and a
malformed record becomes a reject with its line number instead of stopping the run.
"""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from cec_rules.engine.errors import CecError


class InputFormatError(CecError):
    """The input as a whole cannot be read (not a record-level problem)."""


@dataclass(frozen=True)
class Record:
    """One applicant record: its position in the input, where it came from, and its raw text."""

    seq: int          # 0-based index among records
    line: int | None  # 1-based line in the input file (first line of the record)
    source: str       # input file name, for messages
    text: str
    syntax: str       # "json" or "yaml"


def open_records(input_path: str) -> Iterator[Record]:
    """Records of `input_path`: `-` (stdin, JSON Lines), a folder, a `.json` file holding an array, or JSON Lines."""
    if input_path == "-":
        return _json_lines(sys.stdin, "<stdin>")
    path = Path(input_path)
    if path.is_dir():
        return _folder(path)
    if not path.is_file():
        raise InputFormatError(f"{input_path}: no such file or folder")
    handle = path.open("r", encoding="utf-8", newline="")
    first = _first_significant_char(handle)
    if first == "[":
        return _json_array(handle, str(path))
    return _json_lines(handle, str(path))


def _first_significant_char(handle) -> str:
    position = handle.tell()
    while True:
        char = handle.read(1)
        if not char or not char.isspace():
            handle.seek(position)
            return char


def _json_lines(handle, source: str) -> Iterator[Record]:
    seq = 0
    with _closing_unless_stdin(handle):
        for number, line in enumerate(handle, start=1):
            text = line.strip()
            if not text:
                continue
            yield Record(seq, number, source, text, "json")
            seq += 1


def _closing_unless_stdin(handle):
    """Close the input when the records are done (or abandoned); never close stdin."""
    return contextlib.nullcontext(handle) if handle is sys.stdin else handle


def _folder(folder: Path) -> Iterator[Record]:
    """Every .json/.yaml/.yml file of the folder, in sorted order, one applicant per file."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".json", ".yaml", ".yml") and p.is_file())
    for seq, path in enumerate(files):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            text = f"\0unreadable: {exc}"
        yield Record(seq, 1, str(path), text, "json" if path.suffix.lower() == ".json" else "yaml")


_CHUNK = 1 << 16
_MAX_ELEMENT = 16 << 20  # an applicant larger than this is taken as a syntax error, not buffered further


def _json_array(handle, source: str) -> Iterator[Record]:
    """Elements of a top-level JSON array, decoded incrementally with raw_decode."""
    with handle:
        yield from _array_elements(handle, source)


def _array_elements(handle, source: str) -> Iterator[Record]:
    decoder = json.JSONDecoder()
    buffer, position, line, seq = "", 0, 1, 0
    eof = False
    state = "open"  # expecting '[' then elements separated by ','
    while True:
        buffer, position, eof = _refill(handle, buffer, position, eof)
        position, line = _skip_space(buffer, position, line)
        if position >= len(buffer):
            if eof:
                raise InputFormatError(f"{source}:{line}: the JSON array is not closed with ']'")
            continue
        char = buffer[position]
        if state == "open":
            position, state = position + 1, "first"
            continue
        if char == "]" and state in ("first", "comma"):
            return
        if state == "comma":
            if char != ",":
                raise InputFormatError(f"{source}:{line}: expected ',' or ']' between array elements, found {char!r}")
            position, state = position + 1, "element"
            continue
        end = _decode_end(decoder, buffer, position, eof)
        while end is None:
            if eof or len(buffer) - position > _MAX_ELEMENT:
                raise InputFormatError(f"{source}:{line}: array element {seq + 1} is not valid JSON; the rest of the array cannot be read")
            buffer, position, eof = _refill(handle, buffer, position, eof, force=True)
            end = _decode_end(decoder, buffer, position, eof)
        text = buffer[position:end]
        yield Record(seq, line, source, text, "json")
        seq += 1
        line += text.count("\n")
        position, state = end, "comma"


def _refill(handle, buffer: str, position: int, eof: bool, force: bool = False):
    """Drop consumed text; read more when the buffer runs low (or when `force`)."""
    if position:
        buffer, position = buffer[position:], 0
    if not eof and (force or len(buffer) < _CHUNK):
        more = handle.read(_CHUNK)
        eof = not more
        buffer += more
    return buffer, position, eof


def _skip_space(buffer: str, position: int, line: int) -> tuple[int, int]:
    while position < len(buffer) and buffer[position].isspace():
        line += buffer[position] == "\n"
        position += 1
    return position, line


def _decode_end(decoder, buffer: str, position: int, eof: bool) -> int | None:
    """End offset of the JSON value at `position`, or None if it may be incomplete."""
    try:
        _, end = decoder.raw_decode(buffer, position)
    except json.JSONDecodeError:
        return None
    if end == len(buffer) and not eof:
        return None  # a number could continue in the next chunk
    return end
