"""Streaming applicant records from JSON Lines, a JSON array, or a folder of files, without loading
the whole input: memory stays flat however many records there are.

A record is passed on as raw text; the workers parse it, so that parsing runs in parallel and a
malformed record becomes a reject with its line number instead of stopping the run. JSON Lines go
further (`open_input`): the parent cuts the input into blocks of whole lines (`Lines`) and the worker
decodes and splits them (`block_records`), so the parent spends a fraction of a microsecond per line.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import sys
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from cec_rules.engine.errors import CecError


class InputFormatError(CecError):
    """The input as a whole cannot be read (not a record-level problem)."""


class Record(NamedTuple):
    """One applicant record: its position in the input, where it came from, and its raw text (a named tuple:
    made and pickled once per record)."""

    seq: int  # 0-based index among records
    line: int | None  # 1-based line in the input file (first line of the record)
    source: str  # input file name, for messages
    text: str
    syntax: str  # "json" (a JSON Lines or JSON array record), or a whole file of a folder: "json-file" or "yaml"


UNREADABLE = "\0unreadable: "  # a record whose text could not be read: the rest of the text is the reason
BOM = b"\xef\xbb\xbf"
BLOCK_BYTES = 1 << 20  # a block of lines closes at this many bytes, even before its number of lines


class Lines(NamedTuple):
    """Whole lines of JSON Lines input, each at most the size limit, as read: the worker decodes them
    (`block_records`). Blank lines are among them, so that the line numbers stay right."""

    line: int  # 1-based number of the first line
    source: str
    data: bytes  # the lines, each ending with \n (the input's last line may not)
    count: int  # how many


def open_records(input_path: str, max_bytes: int = 1 << 20) -> Iterator[Record]:
    """Records of `input_path`: `-` (stdin, JSON Lines), a folder, a file holding a JSON array (first character
    `[`, not named .jsonl/.ndjson), or JSON Lines. A record over `max_bytes` is passed on as unreadable
    (a reject), never buffered whole."""
    kind, where, source = _input(input_path)
    if kind == "lines":
        return _json_lines(where, source, max_bytes)
    return _folder(where, max_bytes) if kind == "folder" else _json_array(where, source, max_bytes)


def open_input(
    input_path: str, max_bytes: int = 1 << 20, per_block: int = 64
) -> Callable[[int], Iterator[Record | Lines]]:
    """What `cec batch` decides, as a function of how many records to skip (done by the run being resumed):
    the records of `open_records`, except that JSON Lines come as blocks of up to `per_block` lines
    (`Lines`; a line over `max_bytes` is still a record of its own, unreadable, and never buffered whole).
    A missing input fails here, before any output exists."""
    kind, where, source = _input(input_path)
    if kind == "lines":
        return functools.partial(_json_lines_blocks, where, source, max_bytes, per_block=per_block)
    return lambda skip: itertools.islice(open_records(input_path, max_bytes), skip, None)


def _input(input_path: str) -> tuple[str, object, str]:
    """("lines", a function opening the input, source) or ("folder" | "array", path, source); a missing input
    fails here, before any file is opened or written."""
    if input_path == "-":
        return "lines", lambda: sys.stdin.buffer, "<stdin>"
    path = Path(input_path)
    if path.is_dir():
        return "folder", path, str(path)
    if not path.is_file():
        raise InputFormatError(f"{input_path}: no such file or folder")
    if (
        path.suffix.lower() not in (".jsonl", ".ndjson")
        and _first_significant_byte(path) == b"["
        and not _first_line_is_a_record(path)
    ):
        return "array", path, str(path)
    return "lines", lambda: path.open("rb"), str(path)


def _first_significant_byte(path: Path) -> bytes:
    with path.open("rb") as handle:
        while True:
            char = handle.read(1)
            if not char or not char.isspace():
                return char


def _first_line_is_a_record(path: Path) -> bool:
    """True when the first line is a whole JSON value and more lines follow: JSON Lines whose first record is
    a list (a reject), not a JSON array whose other lines would be ignored."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
        more = any(line.strip() for line in iter(lambda: handle.readline(1 << 20), b""))
    try:
        json.loads(first)
    except ValueError:
        return False
    return more


def _json_lines(opener, source: str, max_bytes: int) -> Iterator[Record]:
    """One record per line. Lines are split on \\n only (a \\r is JSON whitespace) and decoded one by one,
    so a line that is not UTF-8, or too long, is one reject and the others are decided. The input is opened
    when the first record is wanted (and closed with the iterator)."""
    seq = 0
    with _closing_unless_stdin(opener()) as handle:
        for number, raw in enumerate(_lines(handle, max_bytes), start=1):
            record = _record(_line_text(raw, max_bytes), number, seq, source)
            if record is not None:
                yield record
                seq += 1


def _json_lines_blocks(opener, source: str, max_bytes: int, skip: int, per_block: int = 64) -> Iterator[Lines | Record]:
    """`_json_lines` cut into blocks of whole lines, undecoded (the worker decodes them: `block_records`), after
    the first `skip` records. A block closes at `per_block` lines or BLOCK_BYTES; a line over the size limit
    is a reject made here, between blocks."""
    with _closing_unless_stdin(opener()) as handle:
        lines = _lines(handle, max_bytes)
        number = _skip_records(lines, skip)
        block, first, size = [], number + 1, 0
        for raw in lines:
            number += 1
            if raw.__class__ is int:
                if block:
                    yield Lines(first, source, b"".join(block), len(block))
                yield Record(0, number, source, _line_text(raw, max_bytes), "json")
                block, first, size = [], number + 1, 0
                continue
            block.append(raw)
            size += len(raw)
            if len(block) == per_block or size >= BLOCK_BYTES:
                yield Lines(first, source, b"".join(block), len(block))
                block, first, size = [], number + 1, 0
        if block:
            yield Lines(first, source, b"".join(block), len(block))


def _skip_records(lines: Iterator[bytes | int], skip: int) -> int:
    """Read past the first `skip` records (blank lines are not records); the number of lines read."""
    number = 0
    while skip:
        raw = next(lines, None)
        if raw is None:
            break
        number += 1
        if raw.__class__ is int or (raw.removeprefix(BOM) if number == 1 else raw).strip(b" \t\r\n"):
            skip -= 1
    return number


def block_records(block: Lines) -> list[Record]:
    """The records of a block of lines, numbered from 0 within the block: each line decoded on its own (one
    that is not UTF-8 is unreadable), blank lines skipped, as `_json_lines` does."""
    lines = block.data.split(b"\n")
    if not lines[-1]:
        lines.pop()
    records = []
    for number, raw in enumerate(lines, start=block.line):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = _line_text(raw, 0)
        record = _record(text, number, len(records), block.source)
        if record is not None:
            records.append(record)
    return records


def _record(text: str, number: int, seq: int, source: str) -> Record | None:
    """The record of line `number` (its text stripped of the spaces JSON allows around it); None for a blank
    line. A byte order mark starts the file, not the record."""
    if number == 1:
        text = text.removeprefix("\ufeff")
    if text.startswith(UNREADABLE):
        return Record(seq, number, source, text, "json")
    text = text.strip(" \t\r\n")
    return Record(seq, number, source, text, "json") if text else None


def _lines(handle, max_bytes: int) -> Iterator[bytes | int]:
    """Each line as bytes, or, for a line longer than `max_bytes`, its length (the line itself is skipped)."""
    while True:
        raw = handle.readline(max_bytes + 2)
        if not raw:
            return
        if len(raw) - raw.endswith(b"\n") <= max_bytes:
            yield raw
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):
            raw = handle.readline(1 << 20)
            if not raw:
                break
            size += len(raw)
        yield size


def _line_text(raw: bytes | int, max_bytes: int) -> str:
    if isinstance(raw, int):
        return f"{UNREADABLE}{raw:,} bytes is larger than the limit of {max_bytes:,} bytes per applicant (CEC_MAX_RECORD_BYTES)"
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"{UNREADABLE}not UTF-8 text: byte 0x{raw[exc.start]:02x} at column {exc.start + 1}"


def _closing_unless_stdin(handle):
    """Close the input when the records are done (or abandoned); never close stdin."""
    return contextlib.nullcontext(handle) if handle is sys.stdin.buffer or handle is sys.stdin else handle


def _folder(folder: Path, max_bytes: int) -> Iterator[Record]:
    """Every .json/.yaml/.yml file of the folder, in sorted order, one applicant per file, read as `cec evaluate`
    reads a file (the worker: `_parse`)."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".json", ".yaml", ".yml") and p.is_file())
    for seq, path in enumerate(files):
        yield Record(
            seq, 1, str(path), _file_text(path, max_bytes), "json-file" if path.suffix.lower() == ".json" else "yaml"
        )


def _file_text(path: Path, max_bytes: int) -> str:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _line_text(size, max_bytes)
        return _line_text(path.read_bytes(), max_bytes).removeprefix("\ufeff")  # a byte order mark is not content
    except OSError as exc:
        return f"{UNREADABLE}cannot read: {exc.strerror or exc}"


_CHUNK = 1 << 16


def _json_array(path: Path, source: str, max_bytes: int) -> Iterator[Record]:
    """Elements of a top-level JSON array, decoded incrementally with raw_decode."""
    with path.open("r", encoding="utf-8", newline="") as handle:
        try:
            yield from _array_elements(handle, source, max_bytes)
        except UnicodeDecodeError as exc:
            raise InputFormatError(
                f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start} of a block); the rest of the JSON array cannot be read"
            ) from None


def _array_elements(handle, source: str, max_bytes: int) -> Iterator[Record]:
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
            _expect_end(handle, buffer[position + 1 :], source, line)
            return
        if state == "comma":
            if char != ",":
                raise InputFormatError(f"{source}:{line}: expected ',' or ']' between array elements, found {char!r}")
            position, state = position + 1, "element"
            continue
        end = _decode_end(decoder, buffer, position, eof)
        while end is None:
            if eof or len(buffer) - position > max_bytes:
                raise InputFormatError(
                    f"{source}:{line}: array element {seq + 1} is not valid JSON; the rest of the array cannot be read"
                )
            buffer, position, eof = _refill(handle, buffer, position, eof, force=True)
            end = _decode_end(decoder, buffer, position, eof)
        text = buffer[position:end]
        yield Record(seq, line, source, text, "json")
        seq += 1
        line += text.count("\n")
        position, state = end, "comma"


def _expect_end(handle, rest: str, source: str, line: int) -> None:
    """Only whitespace may follow the array: anything else would be records silently ignored."""
    while True:
        text = rest.lstrip()
        if text:
            line += rest[: len(rest) - len(text)].count("\n")
            raise InputFormatError(
                f"{source}:{line}: text after the end of the JSON array; if this is JSON Lines "
                f"(one applicant per line), name the file .jsonl"
            )
        rest = handle.read(_CHUNK)
        if not rest:
            return


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
