"""The batch parent's cheap path (engine/batch/records.py open_input, chunks.py, unique.py) gives what the
record-by-record path gave: the same records from the same bytes, the same results and counts from a packed
chunk however it is cut, and the same verdict on every id."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cec_rules.engine.batch import chunks, unique
from cec_rules.engine.batch.records import Lines, Record, block_records, open_input, open_records
from cec_rules.engine.batch.summary import count_outcome, count_rejected, new_counts
from cec_rules.engine.batch.worker import Decided, Rejected

LINE_PARTS = [
    b'{"id": "A-1"}',
    b"",
    b"  ",
    b"\r",
    b"\t\r",
    b"\xef\xbb\xbf",
    b'{"id": "caf\xc3\xa9"}',
    b"caf\xe9",
    b"[1, 2]",
    b"{not json",
    b"x" * 40,
    b'"\xe2\x82"',
    b"\xef\xbb\xbf{}",
]


def _records(path, max_bytes: int, per_block: int, skip: int) -> list[tuple]:
    """What the workers would decide: each block's records as `block_records` makes them, in order."""
    found = []
    for item in open_input(str(path), max_bytes, per_block)(skip):
        found += block_records(item) if isinstance(item, Lines) else [item]
    return [(r.line, r.source, r.text, r.syntax) for r in found]


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(st.lists(st.sampled_from(LINE_PARTS), max_size=3).map(b"".join), max_size=30),
    final_newline=st.booleans(),
    max_bytes=st.sampled_from([12, 30, 1 << 20]),
    per_block=st.integers(1, 7),
    skip=st.integers(0, 12),
)
def test_blocks_of_lines_give_the_records_that_lines_one_by_one_give(
    tmp_path_factory, lines, final_newline, max_bytes, per_block, skip
):
    path = tmp_path_factory.mktemp("in") / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + (b"\n" if final_newline and lines else b""))
    expected = [(r.line, r.source, r.text, r.syntax) for r in open_records(str(path), max_bytes)][skip:]
    assert _records(path, max_bytes, per_block, skip) == expected


def _decided(
    seq: int, applicant_id: str, eligible, unmet=(), edition="2022-11-16", undetermined=(), programs=()
) -> Decided:
    """A decided record; its line as UTF-8 bytes (a JSON line) for odd `seq`, as text (a CSV row) for even."""
    line = f'{{"applicant_id": {json.dumps(applicant_id)}, "why": "≥ {seq}"}}'
    return Decided(
        seq,
        line.encode() if seq % 2 else line,
        eligible,
        unmet,
        edition,
        undetermined,
        applicant_id,
        seq + 1,
        "in.jsonl",
        programs,
    )


def _encoded(line: bytes | str) -> bytes:
    return (line if isinstance(line, bytes) else line.encode()) + b"\n"


RESULTS = st.lists(
    st.one_of(
        st.builds(
            lambda i, e, u, d: ("decided", i, e, u, d),
            st.sampled_from(["A", "B", "C", "D", "A\ud800"]),
            st.sampled_from([True, False, None]),
            st.sampled_from([(), ("language_proficiency",), ("skilled_work_experience", "outside_quebec")]),
            st.sampled_from([(), ("admissibility",)]),
        ),
        st.just(("rejected",)),
    ),
    max_size=20,
)


def _results(specs) -> list:
    return [
        _decided(seq, spec[1], spec[2], spec[3], undetermined=spec[4])
        if spec[0] == "decided"
        else Rejected(seq, {"line": seq + 1, "id": None, "source": "in.jsonl", "error": f"bad {seq}"})
        for seq, spec in enumerate(specs)
    ]


def _counts_one_by_one(results) -> dict:
    counts = new_counts()
    for result in results:
        if isinstance(result, Rejected):
            count_rejected(counts)
        else:
            count_outcome(counts, (result.eligible, result.unmet, result.edition, result.undetermined, result.programs))
    return counts


def _counts_of(parts) -> dict:
    counts = new_counts()
    for part in parts:
        count_rejected(counts, len(part.rejects))
        for outcome, n in part.outcomes:
            count_outcome(counts, outcome, n)
    return counts


@settings(max_examples=150, deadline=None)
@given(specs=RESULTS, cut=st.integers(0, 20))
def test_a_packed_chunk_cut_anywhere_gives_each_record_and_the_counts_in_order(specs, cut):
    results = _results(specs)
    whole = chunks.packed(results)
    parts = [whole] if not 0 < cut < len(results) else list(whole.split(cut))
    items = [item for part in parts for item in part.items()]
    expected = [
        ("rejected", r.reject)
        if isinstance(r, Rejected)
        else (
            "decided",
            _encoded(r.line),
            r.applicant_id,
            r.input_line,
            r.source,
            (r.eligible, r.unmet, r.edition, r.undetermined, r.programs),
        )
        for r in results
    ]
    assert [
        (kind, bytes(text), *rest) if kind == "decided" else (kind, text, *rest) for kind, text, *rest in items
    ] == expected
    assert b"".join(bytes(part.text) for part in parts) == b"".join(
        _encoded(r.line) for r in results if isinstance(r, Decided)
    )
    assert b"".join(part.digests for part in parts) == b"".join(
        unique.digest(r.applicant_id) for r in results if isinstance(r, Decided)
    )
    assert _counts_of(parts) == _counts_one_by_one(results)
    assert [list(c) for c in (_counts_of(parts)["unmet_by_criterion"], _counts_of(parts)["by_edition"])] == [
        list(c) for c in (_counts_one_by_one(results)["unmet_by_criterion"], _counts_one_by_one(results)["by_edition"])
    ]  # same order


@settings(max_examples=200, deadline=None)
@given(ids=st.lists(st.text(max_size=6), max_size=60))
def test_the_ledger_finds_exactly_the_ids_seen_before(ids):
    ledger, seen = unique.IdLedger(), set()
    for applicant_id in ids:
        assert ledger.add(applicant_id) == (applicant_id not in seen)
        seen.add(applicant_id)


def _digest(rest: bytes) -> bytes:
    """A digest whose rest (what its bucket keeps) is `rest`, in the bucket of a zero first byte."""
    return bytes(16 - unique.REST) + rest


def test_the_ledger_does_not_mistake_a_match_across_two_entries_for_an_entry():
    ledger = unique.IdLedger()
    first, second = bytes(range(unique.REST)), bytes([1]) + bytes(range(101, 100 + unique.REST))
    straddling = first[7:] + second[:7]  # the end of one entry, the start of the next (first byte 7: the same bucket)
    assert ledger.add_digests(_digest(first) + _digest(second)) == set()
    assert ledger.add_digests(_digest(straddling) + _digest(first) + _digest(straddling)) == {
        1,
        2,
    }  # new; seen before; seen earlier in the same call


def test_the_ledger_compares_every_bit_of_a_digest():
    """Digests of one bucket that differ in one bit, wherever it is (the bits after the bucket's in its last
    byte, the last byte), are different ids; the same digest again is not."""
    ledger, base = unique.IdLedger(), bytes(16)
    variants = [base] + [base[:i] + bytes([1 << b]) + base[i + 1 :] for i in (1, 15) for b in range(8)]
    same_bucket = [v for v in variants if (v[0] << 8 | v[1]) >> (16 - unique.BUCKET_BITS) == 0]
    assert len(same_bucket) == 1 + (16 - unique.BUCKET_BITS) + 8
    assert ledger.add_digests(b"".join(same_bucket)) == set()
    assert ledger.add_digests(b"".join(reversed(same_bucket))) == set(range(len(same_bucket)))


@settings(max_examples=200, deadline=None)
@given(
    keys=st.lists(
        st.binary(min_size=16, max_size=16).map(
            lambda key: bytes([0, key[1] & 7]) + key[2:]
        )  # few buckets, so full ones
        | st.sampled_from([bytes(16), bytes(15) + b"\1", b"\0\7" + bytes(14)]),
        max_size=300,
    )
)
def test_the_ledger_finds_exactly_the_digests_seen_before(keys):
    ledger, seen = unique.IdLedger(), set()
    for key in keys:
        assert ledger.add_digest(key) == (key not in seen)
        seen.add(key)


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_a_resumed_ledger_knows_the_ids_written_before_the_checkpoint(tmp_path, output_format):
    """--resume rebuilds the ledger from the first bytes of the output (the last checkpoint's length): those
    ids are duplicates in the rest of the run, the ones after the cut are not; CSV rows of rejects are not ids."""
    path, ids = tmp_path / f"out.{output_format}", [f"A-{i}" for i in range(3000)]
    if output_format == "jsonl":
        lines = [json.dumps({"applicant_id": i, "eligible": True}) for i in ids]
    else:
        lines = (
            ["applicant_id,outcome"]
            + [f"{i},eligible" for i in ids[:1500]]
            + ["R-1,rejected"]
            + [f"{i},eligible" for i in ids[1500:]]
        )
    text = "".join(line + "\n" for line in lines)
    cut = text.rindex("\n", 0, text.index("A-2000")) + 1  # a checkpoint falls between lines
    path.write_text(text)
    ledger = unique.IdLedger().read_output(path, cut, output_format)
    assert [ledger.add(i) for i in ids] == [False] * 2000 + [True] * 1000
    assert ledger.add("R-1")


def test_a_block_split_after_a_crash_numbers_its_records_as_the_worker_does():
    block = Lines(7, "in.jsonl", b'{"id": "A"}\n\n  \n{"id": "B"}\r\n', 4)
    assert block_records(block) == [
        Record(0, 7, "in.jsonl", '{"id": "A"}', "json"),
        Record(1, 10, "in.jsonl", '{"id": "B"}', "json"),
    ]
