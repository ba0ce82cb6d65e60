"""Documentation examples nobody runs go stale (STYLE.md): every example applicant file must read cleanly."""

from __future__ import annotations

import pytest

from cec_rules.facts.reading import read_applicant_file
from support import cec_examples

FILES = cec_examples()


def test_there_are_examples():
    assert len(FILES) >= 9


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_example_reads_without_error(path):
    person = read_applicant_file(path)
    assert person.id.startswith("EX-")
    assert person.application_date.isoformat() == "2026-11-01"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_example_is_decided(evaluator, path):
    decision = evaluator.evaluate(read_applicant_file(path), source=str(path))
    assert [c.id for c in decision.criteria] == [
        "skilled_work_experience",
        "language_proficiency",
        "outside_quebec",
        "admissibility",
    ]
