"""The versioned endpoints. Each route parses HTTP, hands applicants to the worker pool, and answers."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import deque

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse, StreamingResponse

from cec_rules.engine.errors import RulesetErrors
from cec_rules.engine.model import wording

from .app import ProblemError, reload_rules, require_admin, require_token
from .decider import Answer, Job
from .models import BatchLine, DecisionEnvelope, EditionOut, ExplanationEnvelope, RecordOut, RulesetsOut, Status
from .pool import WorkerLost
from .problems import MEDIA_TYPE, internal_problem, problem
from .store import DecisionStore

router = APIRouter()
v1 = APIRouter(prefix="/v1", dependencies=[Depends(require_token)])

BATCH_CHUNK = 16
AS_OF = Query(None, description="Assess on this date instead of the application_date")
PROGRAM = Query("cec", description="The program whose rules decide (GET /v1/rulesets lists them)")


def _problems(*codes: int) -> dict:
    ref = {"$ref": "#/components/schemas/ProblemOut"}
    return {
        code: {"description": "Problem details (RFC 9457)", "content": {MEDIA_TYPE: {"schema": ref}}} for code in codes
    }


_APPLICANT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Applicant"}}},
    }
}
_BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-ndjson": {"schema": {"type": "string", "description": "One applicant (JSON) per line"}}
        },
    }
}


@v1.post(
    "/decisions",
    response_model=None,
    openapi_extra=_APPLICANT_BODY,
    responses={200: {"model": DecisionEnvelope}, **_problems(401, 413, 422, 500)},
)
async def decide(request: Request, as_of: dt.date | None = AS_OF, program: str = PROGRAM) -> Response:
    """Decide one applicant (the input contract, as JSON); the answer is the decision exactly as
    `cec evaluate --format json` prints it, with the id of its record. `Accept-Language: fr` gives the
    criteria's reasons in French."""
    return await _decide_one(request, as_of, program, explain=False)


@v1.post(
    "/explanations",
    response_model=None,
    openapi_extra=_APPLICANT_BODY,
    responses={200: {"model": ExplanationEnvelope}, **_problems(401, 413, 422, 500)},
)
async def explain(request: Request, as_of: dt.date | None = AS_OF, program: str = PROGRAM) -> Response:
    """Decide one applicant and explain the decision as `cec explain --format json` does: per criterion
    the facts used, the thresholds with citations, and what would meet an unmet one (`Accept-Language: fr`
    for French). The decision is recorded like any other; `record_id` is its record."""
    return await _decide_one(request, as_of, program, explain=True)


async def _decide_one(request: Request, as_of: dt.date | None, program: str, explain: bool) -> Response:
    body = await _read_body(request)
    job = Job(0, body, as_of.isoformat() if as_of else None, _language(request), "request", True, program, explain)
    answer = (await _run(request, [job]))[0]
    if answer.problem:
        raise ProblemError(answer.problem)
    request.app.state.metrics.decided(answer.outcome)
    headers = {"Content-Language": job.language}
    if answer.record_id:
        headers["Location"] = f"/v1/decisions/{answer.record_id}"
    return Response(
        _envelope(answer, "explanation" if explain else "decision"), media_type="application/json", headers=headers
    )


@v1.post(
    "/decisions/batch",
    response_model=None,
    openapi_extra=_BATCH_BODY,
    responses={
        200: {
            "description": "One BatchLine (JSON) per input line, in input order",
            "content": {
                "application/x-ndjson": {
                    "schema": BatchLine.model_json_schema(ref_template="#/components/schemas/{model}")
                }
            },
        },
        **_problems(401, 422),
    },
)
async def decide_batch(request: Request, as_of: dt.date | None = AS_OF, program: str = PROGRAM) -> Response:
    """Decide a stream of applicants (JSON Lines in, JSON Lines out, in order, as they are decided).
    A bad line answers with its problem; the other lines are decided. Memory stays bounded: at most
    a few chunks per worker are in flight."""
    language = _language(request)
    day = as_of.isoformat() if as_of else None

    async def answers():
        window = 2 * request.app.state.pool.size
        pending: deque = deque()
        async for items in _line_chunks(request):
            jobs = [Job(n, text, day, language, f"body:{n}", False, program) for n, text in items]
            pending.append(asyncio.ensure_future(_decide_lines(request, jobs)))
            while len(pending) >= window:
                yield await pending.popleft()
        while pending:
            yield await pending.popleft()

    return _BodyStreamingResponse(answers(), media_type="application/x-ndjson")


@v1.get("/decisions/{record_id}", response_model=RecordOut, responses=_problems(401, 404))
async def get_decision(request: Request, record_id: str) -> Response:
    """A stored decision with everything needed to replay it."""
    url = request.app.state.settings.db_url
    if not url:
        raise ProblemError(
            problem(404, "Not found", "this server keeps no decision record (start it with --db)", "not-found")
        )
    record = await asyncio.get_running_loop().run_in_executor(None, _fetch, url, record_id)
    if record is None:
        raise ProblemError(problem(404, "Not found", f"no decision record {record_id!r}", "not-found"))
    return Response(record_json(record), media_type="application/json")


@v1.get("/rulesets", response_model=RulesetsOut)
async def list_rulesets(request: Request) -> dict:
    """Programs and their editions, with the dates each is in force."""
    library = request.app.state.library
    return {
        "programs": [
            {"program": program, "editions": [_summary(e) for e in editions]}
            for program, editions in sorted(library.programs.items())
        ]
    }


@v1.get("/rulesets/{program}/{edition}", response_model=EditionOut, responses=_problems(401, 404))
async def show_ruleset(request: Request, program: str, edition: str) -> dict:
    """One edition: its criteria with citations, and its parameters with their dated values."""
    found = next((e for e in request.app.state.library.programs.get(program, []) if e.ruleset.edition == edition), None)
    if found is None:
        raise ProblemError(problem(404, "Not found", f"no edition {edition!r} of program {program!r}", "not-found"))
    ruleset = found.ruleset
    return {
        **_summary(found),
        "program": program,
        "criteria": [
            {"id": name, "description": wording(c.description), "citation": c.citation}
            for name, c in ruleset.criteria.items()
        ],
        "parameters": [
            {
                "name": name,
                "description": p.description,
                "citation": p.citation,
                "unit": p.unit,
                "values": _dated(p, ruleset.effective_from),
            }
            for name, p in ruleset.parameters.items()
        ],
    }


@router.post(
    "/v1/admin/reload",
    response_model=Status,
    dependencies=[Depends(require_admin)],
    responses=_problems(401, 403, 422, 500),
)
async def reload(request: Request) -> dict:
    """Validate the rulesets folder and replace the workers one by one; an invalid folder is refused
    (422, with every problem) and the current rules keep serving."""
    try:
        return await reload_rules(request.app)
    except RulesetErrors as exc:
        raise ProblemError(
            problem(
                422,
                "The rulesets are not valid; nothing was changed",
                str(exc),
                "invalid-rulesets",
                errors=[{"field": p.key_path, "message": str(p)} for p in exc.problems],
            )
        ) from None


@router.get("/healthz", response_model=Status)
async def healthz() -> dict:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=Status, responses=_problems(503))
async def readyz(request: Request) -> dict:
    """Workers are running and the record store answers."""
    pool = request.app.state.pool
    if pool is None or not pool.started:
        raise ProblemError(problem(503, "Not ready", "the workers are starting", "not-ready"))
    url = request.app.state.settings.db_url
    if url:
        try:
            await asyncio.get_running_loop().run_in_executor(None, _ping, url)
        except Exception as exc:
            raise ProblemError(
                problem(503, "Not ready", f"the decision record does not answer: {exc}", "not-ready")
            ) from None
    return {"status": "ready", "workers": pool.size, "generation": pool.generation}


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> str:
    """Prometheus text format: requests, latency, decisions by outcome."""
    return request.app.state.metrics.text()


router.include_router(v1)


class _BodyStreamingResponse(StreamingResponse):
    """Streams while the request body is still being read. Starlette's StreamingResponse (before ASGI
    spec 2.4) also reads `receive` to watch for a disconnect, which would steal the body's chunks."""

    async def __call__(self, scope, receive, send):
        await self.stream_response(send)


async def _run(request: Request, jobs: list[Job]) -> list[Answer]:
    try:
        return await request.app.state.pool.run(jobs)
    except WorkerLost as exc:
        return [Answer(job.seq, None, None, None, internal_problem(f"{job.source}: {exc}")) for job in jobs]


async def _decide_lines(request: Request, jobs: list[Job]) -> bytes:
    """The answer lines of one chunk of batch lines (a too-long line is answered without a worker)."""
    too_long = {job.seq for job in jobs if job.text is None}
    answers = (
        {a.seq: a for a in await _run(request, [j for j in jobs if j.seq not in too_long])}
        if len(too_long) < len(jobs)
        else {}
    )
    out = []
    for job in jobs:
        if job.seq in too_long:
            body = {
                "line": job.seq,
                "problem": problem(
                    413,
                    "Line too long",
                    f"{job.source}: longer than the limit of {request.app.state.settings.max_body:,} bytes per applicant (CEC_MAX_RECORD_BYTES)",
                    "too-large",
                ),
            }
            out.append(orjson.dumps(body))
            continue
        answer = answers[job.seq]
        if answer.problem:
            out.append(orjson.dumps({"line": job.seq, "problem": answer.problem}))
        else:
            request.app.state.metrics.decided(answer.outcome)
            out.append(b'{"line":%d,%s' % (job.seq, _envelope(answer)[1:]))
    return b"\n".join(out) + b"\n"


def _envelope(answer: Answer, key: str = "decision") -> bytes:
    """`{"record_id": …, "decision": <the decision's own bytes>}`: the decision is not re-serialised."""
    record_id = orjson.dumps(answer.record_id)
    return b'{"record_id":' + record_id + b',"' + key.encode() + b'":' + answer.body.encode("utf-8") + b"}"


async def _read_body(request: Request) -> bytes:
    limit = request.app.state.settings.max_body
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ProblemError(_too_large(limit))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProblemError(_too_large(limit))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> dict:
    return problem(
        413,
        "Request too large",
        f"the body is larger than the limit of {limit:,} bytes per applicant (CEC_MAX_RECORD_BYTES)",
        "too-large",
    )


async def _line_chunks(request: Request):
    """Numbered non-blank lines of the body, in chunks of at most BATCH_CHUNK; a line longer than the
    limit comes as (number, None) and is skipped up to its end, without buffering it."""
    limit = request.app.state.settings.max_body
    buffer, number, skipping = b"", 0, False
    async for data in request.stream():
        buffer += data
        items = []
        while True:
            cut = buffer.find(b"\n")
            if cut < 0:
                break
            line, buffer = buffer[:cut], buffer[cut + 1 :]
            number += 1
            if skipping:
                skipping = False
            elif len(line) > limit:
                items.append((number, None))
            elif line.strip():
                items.append((number, line))
        if not skipping and len(buffer) > limit:
            number += 1
            items.append((number, None))
            buffer, skipping = b"", True
        elif skipping:
            buffer = b""
        for start in range(0, len(items), BATCH_CHUNK):
            yield items[start : start + BATCH_CHUNK]
    if buffer.strip() and not skipping:
        yield [(number + 1, buffer)]


def _language(request: Request) -> str:
    """`fr` when French is the client's first choice among the languages the rules speak, else `en`."""
    choices = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            choices.append((float(quality) if quality else 1.0, tag.split("-")[0].strip().lower()))
        except ValueError:
            continue
    best = [tag for _, tag in sorted(choices, key=lambda c: -c[0]) if tag in ("en", "fr")]
    return best[0] if best else "en"


def _summary(edition) -> dict:
    r = edition.ruleset
    return {
        "edition": r.edition,
        "title": r.title,
        "effective_from": r.effective_from.isoformat(),
        "effective_to": r.effective_to.isoformat() if r.effective_to else None,
        "sha256": edition.sha256,
    }


def _dated(parameter, start: dt.date) -> list[dict]:
    if parameter.values is None:
        return [{"effective_from": start.isoformat(), "value": parameter.value}]
    return [{"effective_from": day.isoformat(), "value": v} for day, v in sorted(parameter.values.items())]


def _fetch(url: str, record_id: str):
    with DecisionStore(url) as store:
        return store.get(record_id)


def _ping(url: str) -> None:
    with DecisionStore(url) as store:
        store.ping()


def record_json(record) -> bytes:
    """A stored record as JSON; the decision keeps its stored bytes."""
    return orjson.dumps(
        {
            "record_id": record.id,
            "input": orjson.Fragment(record.input),
            "input_sha256": record.input_sha256,
            "program": record.program,
            "edition": record.edition,
            "ruleset_sha256": record.ruleset_sha256,
            "as_of": record.as_of,
            "parameters": orjson.Fragment(record.parameters),
            "code_version": record.code_version,
            "outcome": record.outcome,
            "first_decided_at": record.first_decided_at,
            "last_decided_at": record.last_decided_at,
            "times_decided": record.times_decided,
            "decision": orjson.Fragment(record.decision),
        }
    )
