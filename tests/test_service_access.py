"""`cec serve` access and operations: bearer tokens, loopback-only without a token, and reloading the
rules without downtime (admin call or SIGHUP), refusing an invalid change."""

from __future__ import annotations

import json
import signal
import threading
import time

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from service_support import Server
from support import EXAMPLES, NEW_EDITION, copy_rulesets, edit

pytestmark = pytest.mark.slow
API, ADMIN = "api-secret", "admin-secret"
LANGUAGE_TABLE = '{"0": 7, "1": 7, "2": 5, "3": 5}'
APPLICANT = json.dumps({"id": "R-1", "application_date": "2026-11-01", "intended_province": "ON"}).encode()


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    return copy_rulesets(tmp_path_factory.mktemp("rules"))


@pytest.fixture(scope="module")
def server(rules, tmp_path_factory):
    server = Server(
        "--rulesets",
        str(rules),
        "--db",
        "none",
        env={"CEC_API_TOKEN": API, "CEC_ADMIN_TOKEN": ADMIN},
        cwd=tmp_path_factory.mktemp("cwd"),
        workers=2,
    )
    yield server
    server.stop()


def language_met(server) -> bool:
    body = (EXAMPLES / "ineligible-language.yaml").read_text()
    import yaml

    with server.client(API) as http:
        decision = http.post("/v1/decisions", content=json.dumps(yaml.safe_load(body), default=str)).json()["decision"]
    return next(c["met"] for c in decision["criteria"] if c["id"] == "language_proficiency")


def test_v1_needs_the_api_token(server):
    with server.client() as anonymous, server.client("wrong") as wrong, server.client(API) as good:
        assert anonymous.get("/v1/rulesets").status_code == 401
        assert wrong.get("/v1/rulesets").status_code == 401
        assert anonymous.get("/v1/rulesets").headers["content-type"] == "application/problem+json"
        assert good.get("/v1/rulesets").status_code == 200
        assert anonymous.get("/healthz").status_code == 200
        assert good.get("/v1/decisions/" + "a" * 64).status_code == 404  # --db none: no record kept


def test_admin_calls_need_the_admin_token(server):
    with server.client(API) as api:
        assert api.post("/v1/admin/reload").status_code == 401


def test_an_invalid_change_is_refused_and_the_old_rules_keep_serving(server, rules):
    assert language_met(server) is False
    ruleset = rules / NEW_EDITION
    good = ruleset.read_text()
    ruleset.write_text(good.replace("min_qualifying_hours:", "min_qualifying_hourz:", 1))
    try:
        with server.client(ADMIN) as admin:
            refused = admin.post("/v1/admin/reload")
        assert refused.status_code == 422, refused.text
        assert "min_qualifying_hours" in refused.json()["detail"]
        assert language_met(server) is False
    finally:
        ruleset.write_text(good)


def test_a_valid_change_is_served_after_reload_then_sighup(server, rules):
    edit(rules, NEW_EDITION, LANGUAGE_TABLE, '{"0": 6, "1": 6, "2": 5, "3": 5}')
    statuses, reloading = [], threading.Event()

    def keep_asking():  # decisions keep being answered while the workers are replaced
        with server.client(API) as http:
            while reloading.is_set():
                statuses.append(http.post("/v1/decisions", content=APPLICANT).status_code)

    reloading.set()
    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        with server.client(ADMIN) as admin:
            answer = admin.post("/v1/admin/reload")
    finally:
        reloading.clear()
        asker.join()
    assert answer.status_code == 200 and answer.json()["generation"] == 1
    assert statuses and set(statuses) == {200}
    assert language_met(server) is True
    edit(rules, NEW_EDITION, '{"0": 6, "1": 6, "2": 5, "3": 5}', LANGUAGE_TABLE)
    server.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    with server.client() as anonymous:
        while anonymous.get("/readyz").json()["generation"] < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert language_met(server) is False
    assert any(e["event"] == "reloaded" and e["generation"] == 2 for e in server.log())


def test_without_a_token_only_loopback_is_served(monkeypatch):
    monkeypatch.delenv("CEC_API_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--db", "none"])
    assert result.exit_code == 2 and "not a loopback address: set CEC_API_TOKEN" in result.stderr


def test_invalid_rulesets_stop_the_server_before_it_listens(tmp_path):
    rules = copy_rulesets(tmp_path)
    edit(rules, NEW_EDITION, "min_qualifying_hours:", "min_qualifying_hourz:")
    result = CliRunner().invoke(cli, ["serve", "--rulesets", str(rules), "--db", "none"])
    assert result.exit_code == 2 and "the rulesets are not valid" in result.stderr
