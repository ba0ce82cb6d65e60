"""Response models of the HTTP API: they generate the OpenAPI document (the request body is the
applicant input model itself, `cec_rules.facts.applicant.Applicant`).

The decision models follow DESIGN.md's output contract: `met` and `eligible` are true, false or null
(undetermined), an undetermined criterion says what it `needs`; they allow extra fields so that an
addition to the contract (e.g. a scoring program's `score`) does not break clients validating against them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Need(Open):
    field: str
    why: str


class CriterionOut(Open):
    id: str
    met: bool | None
    reason: str
    citation: str
    needs: list[Need] | None = None


class RulesetRef(Open):
    id: str
    edition: str
    sha256: str


class DecisionOut(Open):
    """One decision, exactly as `cec evaluate --format json` prints it."""

    applicant_id: str
    program: str
    ruleset: RulesetRef
    as_of: str
    eligible: bool | None
    criteria: list[CriterionOut]
    derived: dict[str, Any]
    trace: list[Any]


class DecisionEnvelope(BaseModel):
    record_id: str | None = Field(
        description="Id of the decision record (GET /v1/decisions/{id}); null when the server keeps no record"
    )
    decision: DecisionOut


class ExplanationEnvelope(BaseModel):
    record_id: str | None = Field(description="Id of the record of the decision explained")
    explanation: dict[str, Any] = Field(description="As `cec explain --format json` prints it")


class BatchLine(BaseModel):
    """One line of a batch answer: the input line number, and either the decision or a problem."""

    line: int
    record_id: str | None = None
    decision: DecisionOut | None = None
    problem: "ProblemOut | None" = None


class FieldError(Open):
    field: str
    message: str
    line: int | None = None


class ProblemOut(Open):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class RecordOut(BaseModel):
    """A stored decision: what was decided, from which input, under which rules, parameters and code."""

    record_id: str
    input: dict[str, Any]
    input_sha256: str
    program: str
    edition: str
    ruleset_sha256: str
    as_of: str
    parameters: dict[str, Any]
    code_version: str
    outcome: str
    first_decided_at: str
    last_decided_at: str
    times_decided: int
    decision: DecisionOut


class EditionSummary(BaseModel):
    edition: str
    title: str
    effective_from: str
    effective_to: str | None
    sha256: str


class ProgramSummary(BaseModel):
    program: str
    editions: list[EditionSummary]


class RulesetsOut(BaseModel):
    programs: list[ProgramSummary]


class DatedValue(BaseModel):
    effective_from: str
    value: Any


class ParameterOut(BaseModel):
    name: str
    description: str
    citation: str
    unit: str | None = None
    values: list[DatedValue]


class CriterionInfo(BaseModel):
    id: str
    description: str
    citation: str


class EditionOut(EditionSummary):
    program: str
    criteria: list[CriterionInfo]
    parameters: list[ParameterOut]


class Status(BaseModel):
    status: str
    workers: int | None = None
    generation: int | None = None


BatchLine.model_rebuild()
