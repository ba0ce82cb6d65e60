"""The HTTP application: settings, start-up and shut-down, access control, error handling and OpenAPI.

The routes live in `routes.py`. Deciding happens in worker processes (`pool.py`); this process only
parses HTTP, checks tokens, streams, counts and reads the record store.
"""

from __future__ import annotations

import asyncio
import hmac
import signal
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cec_rules.engine.errors import RulesetErrors
from cec_rules.engine.evaluator import load_bundled_or
from cec_rules.facts.applicant import Applicant
from cec_rules.facts.limits import Limits

from .logs import RequestLog, log
from .metrics import Metrics
from .models import ProblemOut
from .pool import DeciderPool
from .problems import MEDIA_TYPE, printable, problem
from .store import DecisionStore, redact


def _record_bytes() -> int:
    """The CLI's limit on one applicant (CEC_MAX_RECORD_BYTES, default 1 MiB): a body, or a batch line."""
    return Limits.from_env().record_bytes


@dataclass
class Settings:
    rulesets_dir: str | None = None
    db_url: str | None = None
    workers: int = 2
    api_token: str | None = None
    admin_token: str | None = None
    max_body: int = field(default_factory=_record_bytes)


class ProblemError(Exception):
    """Raised by a route to answer with a problem."""

    def __init__(self, body: dict):
        super().__init__(body["detail"])
        self.body = body


def problem_response(body: dict) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], media_type=MEDIA_TYPE)


def prepare_store(url: str | None) -> None:
    """Open the record store (creating or upgrading its tables) before the server listens; raises StoreError."""
    if url:
        with DecisionStore(url) as store:
            store.migrate()


def create_app(settings: Settings, library=None) -> FastAPI:
    """The application; workers start with it (lifespan) and stop with it. `library`: the rulesets,
    already loaded by the caller, else loaded (and the store prepared) at start-up."""
    app = FastAPI(
        title="cec-rules decision service",
        version="1",
        lifespan=_lifespan,
        description="Decides Canadian Experience Class eligibility from dated YAML rulesets and keeps a replayable record of every decision.",
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.library = library
    app.state.pool = None
    app.add_middleware(RequestLog, metrics=app.state.metrics)
    app.add_exception_handler(ProblemError, lambda request, exc: problem_response(exc.body))
    app.add_exception_handler(RequestValidationError, _validation_problem)
    app.add_exception_handler(
        HTTPException,
        lambda request, exc: problem_response(problem(exc.status_code, str(exc.detail), str(exc.detail), "http-error")),
    )
    app.add_exception_handler(Exception, _internal_problem)
    from .routes import router

    app.include_router(router)
    app.openapi = lambda: _openapi(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI):
    settings: Settings = app.state.settings
    loop = asyncio.get_running_loop()
    if app.state.library is None:
        await loop.run_in_executor(None, prepare_store, settings.db_url)
        app.state.library = await loop.run_in_executor(None, _load_library, settings.rulesets_dir)
    app.state.pool = DeciderPool(settings.workers, (settings.rulesets_dir, settings.db_url))
    await app.state.pool.start()
    app.state.reloading = asyncio.Lock()
    loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload_logged(app)))
    log(
        "started",
        workers=settings.workers,
        db=redact(settings.db_url) if settings.db_url else None,
        rulesets=settings.rulesets_dir or "bundled",
        pids=app.state.pool.pids(),
    )
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGHUP)
        await app.state.pool.stop()
        log("stopped")


def _load_library(rulesets_dir: str | None):
    return load_bundled_or(Path(rulesets_dir) if rulesets_dir else None)


async def reload_rules(app: FastAPI) -> dict:
    """Validate the rulesets folder; when valid, replace the workers one by one. Raises RulesetErrors
    (nothing changed: the old rules keep serving)."""
    async with app.state.reloading:
        settings: Settings = app.state.settings
        library = await asyncio.get_running_loop().run_in_executor(None, _load_library, settings.rulesets_dir)
        if library.unavailable:  # one program's broken edit must not silently stop serving it while the others load
            raise RulesetErrors([problem for found in library.unavailable.values() for problem in found])
        generation = await app.state.pool.reload((settings.rulesets_dir, settings.db_url))
        app.state.library = library
        editions = sum(len(e) for e in library.programs.values())
        log("reloaded", generation=generation, editions=editions)
        return {"status": "reloaded", "workers": app.state.pool.size, "generation": generation}


async def _reload_logged(app: FastAPI) -> None:
    """SIGHUP: reload, and say in the log why a refused change was refused."""
    try:
        await reload_rules(app)
    except RulesetErrors as exc:
        log("reload_refused", problems=[str(p) for p in exc.problems])
    except Exception as exc:
        log("reload_failed", error=f"{type(exc).__name__}: {exc}")


_bearer = HTTPBearer(auto_error=False, description="CEC_API_TOKEN (or, for /v1/admin, CEC_ADMIN_TOKEN)")


def _matches(credentials: HTTPAuthorizationCredentials | None, expected: str) -> bool:
    return credentials is not None and hmac.compare_digest(credentials.credentials.encode(), expected.encode())


async def require_token(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    """With CEC_API_TOKEN set, every /v1 call needs `Authorization: Bearer <token>`."""
    expected = request.app.state.settings.api_token
    if expected and not _matches(credentials, expected):
        raise ProblemError(problem(401, "Unauthorized", "a valid bearer token is required", "unauthorized"))


async def require_admin(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    """Admin calls need CEC_ADMIN_TOKEN; with only CEC_API_TOKEN set they are disabled; with neither
    (loopback only) they are open."""
    settings: Settings = request.app.state.settings
    if settings.admin_token:
        if not _matches(credentials, settings.admin_token):
            raise ProblemError(problem(401, "Unauthorized", "the admin bearer token is required", "unauthorized"))
    elif settings.api_token:
        raise ProblemError(problem(403, "Forbidden", "admin calls are disabled: set CEC_ADMIN_TOKEN", "forbidden"))


async def _validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [
        {"field": printable(".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0])), "message": printable(e["msg"])}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem_response(problem(422, "Invalid request", detail, "invalid-request", errors=errors))


async def _internal_problem(request: Request, exc: Exception) -> JSONResponse:
    log("internal_error", error=f"{type(exc).__name__}: {exc}", path=request.url.path)
    return problem_response(problem(500, "Internal error", f"{type(exc).__name__}: {exc}", "internal-error"))


def _openapi(app: FastAPI) -> dict:
    """FastAPI's document, plus the schemas that routes reference by name: the applicant input model
    (the request body is read raw, to give the CLI's messages) and the problem details."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (Applicant, ProblemOut):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    app.openapi_schema = document
    return document
