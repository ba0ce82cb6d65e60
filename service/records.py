"""What a decision record holds, and how it is built: the canonical input and its hash, the edition and
its sha, the parameter values in force on the assessment date, the code version and the decision.

The record id is a hash of (input hash, program, ruleset sha, assessment date, code version): the same
input decided under the same rules and code is one record, decided again it only counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache
from importlib import metadata

import orjson

from cec_rules.engine.decision import Decision
from cec_rules.engine.evaluator import Evaluator
from cec_rules.facts.applicant import Applicant

from .store import DecisionStore, StoredRecord

_JSON = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def canonical_input(applicant: Applicant) -> str:
    """The applicant as validated, with sorted keys and defaults filled in: two spellings of the same
    record (key order, omitted defaults, YAML or JSON) give the same text and hash."""
    return orjson.dumps(applicant.model_dump(mode="json"), option=_JSON).decode("utf-8")


def outcome_of(eligible: bool | None) -> str:
    """The decision's outcome as a word: for metrics and for the record's `outcome` column."""
    return {True: "eligible", False: "not_eligible"}.get(eligible, "undetermined")


@lru_cache(maxsize=1)
def code_version() -> str:
    """The installed package's version: bump it with every release that can change a decision."""
    try:
        return f"cec-rules {metadata.version('cec-rules')}"
    except metadata.PackageNotFoundError:
        return "cec-rules (not installed)"


def build_record(evaluator: Evaluator, applicant: Applicant, decision: Decision, decision_line: str):
    """The record of `decision`, and the edition that made it."""
    day = dt.date.fromisoformat(decision.as_of)
    edition, compiled = evaluator.context(applicant, day)
    text = canonical_input(applicant)
    input_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    key = "\n".join([input_sha, decision.program, decision.sha256, decision.as_of, code_version()])
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")
    record = StoredRecord(
        id=hashlib.sha256(key.encode("utf-8")).hexdigest(),
        input=text,
        input_sha256=input_sha,
        program=decision.program,
        edition=decision.edition,
        ruleset_sha256=decision.sha256,
        as_of=decision.as_of,
        parameters=orjson.dumps(compiled.parameters, option=_JSON, default=str).decode("utf-8"),
        code_version=code_version(),
        decision=decision_line,
        outcome=outcome_of(decision.eligible),
        first_decided_at=now,
        last_decided_at=now,
        times_decided=1,
    )
    return record, edition


def ruleset_row(edition) -> dict:
    """The edition's rules as data (the validated model, which loads back for `cec replay`)."""
    definition = edition.ruleset.model_dump(mode="json", by_alias=True, exclude_none=True)
    return {
        "sha256": edition.sha256,
        "program": edition.ruleset.program,
        "edition": edition.ruleset.edition,
        "definition": orjson.dumps(definition, option=_JSON).decode("utf-8"),
    }


class Recorder:
    """Stores decisions in one store; each ruleset's definition is written once per process."""

    def __init__(self, store: DecisionStore, library=None):
        self.store = store
        self._stored: set[str] = set()  # ruleset shas this process has written
        self._library = library
        self._english: dict[str, Evaluator] = {}  # by program

    def record(self, evaluator: Evaluator, applicant: Applicant, decision: Decision, decision_line: str) -> str:
        """Store the decision; returns its record id."""
        record, edition = build_record(evaluator, applicant, decision, decision_line)
        known = edition.sha256 in self._stored
        self.store.put(record, None if known else ruleset_row(edition))
        self._stored.add(edition.sha256)
        return record.id

    def record_english(self, applicant: Applicant, as_of: dt.date | None, source: str, program: str) -> str:
        """Decide `applicant` for `program` in English (the record's language, the one `cec replay` compares)
        and store it: for a caller whose own Evaluator renders another language."""
        if program not in self._english:
            self._english[program] = Evaluator(self._library, program)
        english = self._english[program]
        decision = english.evaluate(applicant, as_of, source=source)
        return self.record(english, applicant, decision, decision.to_json_line())
