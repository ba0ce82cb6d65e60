"""The OpenAPI document against the running server, with schemathesis: generated requests (seeded,
bounded) never get a 5xx, and every answer matches the documented status codes, media types and schemas."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)


pytestmark = pytest.mark.slow
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def server(service):
    return service


@schemathesis.serializer("application/x-ndjson")
def _ndjson(context, value) -> dict:
    """Batch bodies are documented as text (JSON Lines): send the generated text as it is."""
    return {"data": (value if isinstance(value, str) else str(value)).encode("utf-8")}


def operations(server) -> list:
    """Every operation of the server's OpenAPI document but the admin reload (3 s a call: it restarts the
    workers; test_service_access covers it). schemathesis' pytest plugin does not run under pytest 9, so
    each operation's hypothesis strategy is driven by hand."""
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    return [o for o in (result.ok() for result in schema.get_all_operations()) if not o.path.startswith("/v1/admin")]


def test_every_answer_matches_the_openapi_document(server):
    found = operations(server)
    assert {f"{o.method.upper()} {o.path}" for o in found} >= {
        "POST /v1/decisions",
        "POST /v1/decisions/batch",
        "GET /v1/rulesets",
    }
    for operation in found:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case):
            case.call_and_validate(base_url=server.url, checks=CHECKS)

        check()
