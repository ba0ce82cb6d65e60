"""The service's worker-process side: one Evaluator (one durable-rules Host) per process, deciding
requests that the pool sends through `cec_rules.engine.batch.worker.worker_main`, and recording each
decision before it is answered (so an answered request always has its record).

A request fails as a problem (RFC 9457 fields), never by raising: nothing a client sends can stop a worker.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import orjson

from cec_rules.engine.errors import CecError, EngineError, InputError
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.engine.json_source import load_json
from cec_rules.engine.yaml_source import YamlProblem, locate
from cec_rules.facts.limits import Limits, size_problem
from cec_rules.facts.reading import applicant_from_data, decode_utf8

from .problems import input_problem, internal_problem
from .records import Recorder, outcome_of
from .store import DecisionStore


class Job(NamedTuple):
    """One applicant to decide. `strict`: read like `cec evaluate` reads a .json file (errors name the
    line; duplicate keys are refused); otherwise like `cec batch` reads JSON Lines."""

    seq: int
    text: bytes
    as_of: str | None
    language: str
    source: str
    strict: bool
    program: str = "cec"
    explain: bool = False  # answer with the explanation (`cec explain --format json`) instead of the decision


class Answer(NamedTuple):
    seq: int
    record_id: str | None  # None: not decided (see problem)
    body: str | None  # the decision in the output contract, one JSON line
    outcome: str | None  # eligible | not_eligible | undetermined
    problem: dict | None


class ServiceDecider:
    """Built once in each worker process (by name, from the pool's arguments)."""

    def __init__(self, rulesets_dir: str | None, db_url: str | None):
        self.library = load_bundled_or(Path(rulesets_dir) if rulesets_dir else None)
        self._evaluators: dict[str, Evaluator] = {}
        self._explainers: dict[str, Evaluator] = {}
        self.recorder = Recorder(DecisionStore(db_url)) if db_url else None

    def decide(self, job: Job) -> Answer:
        positions = None
        try:
            evaluator = self._evaluator(job.program, job.source)
            applicant, positions = self._applicant(job)
            as_of = dt.date.fromisoformat(job.as_of) if job.as_of else None
            decision = evaluator.evaluate(applicant, as_of, source=job.source)
            line = decision.to_json_line()
            record_id = self.recorder.record(evaluator, applicant, decision, line) if self.recorder else None
            if job.explain:
                body = orjson.dumps(self._explanation(job, applicant, as_of)).decode("utf-8")
            else:
                body = self._in_french(job, applicant, as_of) if job.language == "fr" else line
            return Answer(job.seq, record_id, body, outcome_of(decision.eligible), None)
        except InputError as exc:
            return Answer(job.seq, None, None, None, input_problem(locate(exc, positions)))
        except EngineError as exc:
            return Answer(job.seq, None, None, None, internal_problem(f"{job.source}: internal error: {exc}"))
        except CecError as exc:  # e.g. the record store failed: the decision was not kept, so it is not answered
            return Answer(job.seq, None, None, None, internal_problem(f"{job.source}: {exc}"))
        except Exception as exc:  # a bug costs one request, not the worker
            return Answer(
                job.seq,
                None,
                None,
                None,
                internal_problem(f"{job.source}: internal error: {type(exc).__name__}: {exc}"),
            )

    def _applicant(self, job: Job):
        """(applicant, positions or None): read as `cec evaluate` reads a .json file (strict), or as
        `cec batch` reads a JSON Lines record."""
        if not job.strict:
            return applicant_from_data(self._parse_fast(job), job.source), None
        data, positions = self._parse_strict(job)
        return applicant_from_data(data, job.source, positions), positions

    @staticmethod
    def _parse_fast(job: Job):
        try:
            return orjson.loads(job.text)
        except orjson.JSONDecodeError as exc:
            raise InputError(job.source, "", f"not valid JSON: {exc.msg} (column {exc.colno})") from None

    @staticmethod
    def _parse_strict(job: Job):
        """As `read_applicant_with_positions` reads a .json file: size, UTF-8, then the strict JSON reader
        (which names lines and refuses duplicate keys, NaN and lone surrogates)."""
        too_large = size_problem(len(job.text), Limits.from_env())
        if too_large:
            raise InputError(job.source, "", too_large)
        text = decode_utf8(job.text, job.source)
        try:
            return load_json(text, job.source)
        except YamlProblem as exc:
            raise InputError(job.source, exc.problem.key_path, exc.problem.message, line=exc.problem.line) from None

    def _evaluator(self, program: str, source: str) -> Evaluator:
        """One Evaluator per program, made when the program is first asked for."""
        if program not in self._evaluators:
            if program not in self.library.programs:
                raise InputError(
                    source, "program", f"unknown program {program!r}; known: {', '.join(sorted(self.library.programs))}"
                )
            self._evaluators[program] = Evaluator(self.library, program)
        return self._evaluators[program]

    def _explainer(self, program: str) -> Evaluator:
        """An Evaluator whose runtime also fills the French of bilingual texts (for French and explanations)."""
        if program not in self._explainers:
            self._explainers[program] = Evaluator(self.library, program, translations=True)
        return self._explainers[program]

    def _explanation(self, job: Job, applicant, as_of) -> dict:
        """`cec explain`'s document."""
        from cec_rules.facts.explain import explain

        return explain(self._explainer(job.program), applicant, as_of, job.language, job.source)

    def _in_french(self, job: Job, applicant, as_of) -> str:
        """The decision as `cec evaluate --lang fr --format json` prints it (reasons and citations in French)."""
        from cec_rules.facts.translated import translated

        evaluator = self._explainer(job.program)
        decision = evaluator.evaluate(applicant, as_of, source=job.source)
        return translated(evaluator, decision, applicant, as_of, job.source, job.language).to_json_line()
