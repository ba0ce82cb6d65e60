"""Structured logs (one JSON object per line on stderr) and the ASGI middleware that gives every
request an id, logs it, times it for the metrics and echoes the id in `X-Request-Id`."""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
import uuid

import orjson

_CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def log(event: str, **fields) -> None:
    line = {"ts": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"), "event": event, **fields}
    sys.stderr.write(orjson.dumps(line, default=str).decode("utf-8") + "\n")
    sys.stderr.flush()


class RequestLog:
    """Pure ASGI middleware (not BaseHTTPMiddleware, which would buffer the streamed batch answers)."""

    def __init__(self, app, metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _CLIENT_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = {"code": 500}
        started = time.perf_counter()

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.observe(scope["method"], route, status["code"], seconds)
            log(
                "request",
                request_id=request_id,
                method=scope["method"],
                path=scope["path"],
                route=route,
                status=status["code"],
                ms=round(seconds * 1000, 2),
                client=(scope.get("client") or ["?"])[0],
            )
