"""`cec serve`: the HTTP decision service (FastAPI on uvicorn; see docs/service.md)."""

from __future__ import annotations

import ipaddress
import os

import click

from cec_rules.service.store import DEFAULT_URL

LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command(name="serve", short_help="Serve decisions over HTTP (OpenAPI), recording every decision.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (not loopback: needs CEC_API_TOKEN)."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port to listen on.")
@click.option(
    "--rulesets",
    "rulesets_dir",
    type=click.Path(file_okay=False),
    help="A rulesets folder instead of the bundled one (reloaded on SIGHUP).",
)
@click.option(
    "--db",
    "db_url",
    default=DEFAULT_URL,
    show_default=True,
    help="Decision record: sqlite:///FILE, postgresql://…, or 'none' to keep no record.",
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Worker processes that decide."
)
def serve_command(host: str, port: int, rulesets_dir: str | None, db_url: str, workers: int) -> None:
    """Serve decisions over HTTP: POST /v1/decisions, /v1/decisions/batch; OpenAPI at /docs and /openapi.json.

    Tokens come from the environment: CEC_API_TOKEN (every /v1 call) and CEC_ADMIN_TOKEN (/v1/admin).
    """
    import uvicorn

    from cec_rules.engine.errors import CecError
    from cec_rules.service.app import Settings, create_app, prepare_store

    from .main import EXIT_BAD_INPUT, _fail, _library

    api_token = os.environ.get("CEC_API_TOKEN") or None
    if not api_token and not is_loopback(host):
        _fail(f"--host {host} is not a loopback address: set CEC_API_TOKEN to serve other machines", EXIT_BAD_INPUT)
    library = _library(rulesets_dir, strict=True)  # any program with problems: every problem, exit 2, before listening
    try:
        settings = Settings(
            rulesets_dir,
            None if db_url == "none" else db_url,
            workers,
            api_token,
            os.environ.get("CEC_ADMIN_TOKEN") or None,
        )
        prepare_store(settings.db_url)
    except CecError as exc:
        _fail(str(exc), EXIT_BAD_INPUT)
    uvicorn.run(
        create_app(settings, library), host=host, port=port, log_level="warning", access_log=False, lifespan="on"
    )
