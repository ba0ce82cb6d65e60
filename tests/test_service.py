"""`cec serve` end to end: a real uvicorn process on a loopback port, called over HTTP with httpx.

Decisions must be the bytes `cec evaluate --format json` prints; bad input must get the CLI's messages
as RFC 9457 problems; every decision must have its record.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import signal
import subprocess
import time

import pytest
import yaml
from click.testing import CliRunner

from cec_rules.cli.main import cli
from service_support import CEC
from support import EXAMPLES, applicant_data, job

pytestmark = pytest.mark.slow
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def server(service):
    return service


@pytest.fixture(scope="module")
def http(server):
    with server.client() as client:
        yield client


@pytest.fixture(scope="module")
def cli_lines() -> dict[str, bytes]:
    """What `cec evaluate --format json` prints for each example (the real command, one run)."""
    out = subprocess.run(
        [CEC, "evaluate", *map(str, EXAMPLE_FILES), "--format", "json"], capture_output=True, check=True
    ).stdout
    return {path.name: line for path, line in zip(EXAMPLE_FILES, out.splitlines())}


def as_json(path) -> bytes:
    return json.dumps(yaml.safe_load(path.read_text()), default=str).encode()


def test_decisions_are_byte_identical_to_cec_evaluate(http, cli_lines):
    for path in EXAMPLE_FILES:
        response = http.post("/v1/decisions", content=as_json(path))
        assert response.status_code == 200, response.text
        record_id = response.json()["record_id"]
        assert response.content == b'{"record_id":"%s","decision":%s}' % (record_id.encode(), cli_lines[path.name])
        assert response.headers["location"] == f"/v1/decisions/{record_id}"


def test_as_of_picks_the_edition_in_force(http):
    data = as_json(EXAMPLES / "eligible.yaml")
    decision = http.post("/v1/decisions", params={"as_of": "2022-06-01"}, content=data).json()["decision"]
    assert (decision["as_of"], decision["ruleset"]["edition"]) == ("2022-06-01", "2015-01-01")
    problem = http.post("/v1/decisions", params={"as_of": "2022-13-01"}, content=data)
    assert problem.status_code == 422 and problem.headers["content-type"] == "application/problem+json"
    assert problem.json()["errors"][0]["field"] == "as_of"


@pytest.mark.parametrize(
    "text, file_suffix",
    [
        ('{"id": "x", "application_date": "2026-01-01", "intended_province": "ON", "paid": 1}', ".json"),
        ('{"id": 7, "application_date": "2026-01-01", "intended_province": "ON"}', ".json"),
        ('{"id": "x", "application_date": "2026-01-01",\n "intended_province": "ON", "admissible": "yes"}', ".json"),
        (
            '{"id": "x", "application_date": "2026-01-01", "intended_province": "ON", "work_history": ['
            + json.dumps(job(noc_code="99999"))
            + "]}",
            ".json",
        ),
        ('{"id": "x", ', ".json"),
        ('{"id": "x", "id": "y", "application_date": "2026-01-01", "intended_province": "ON"}', ".json"),
        (
            '{"id": "x", "application_date": "2026-01-01", "intended_province": "ON",\n "work_history": ['
            + json.dumps(job(noc_code="9999", noc_version=2016))
            + "]}",
            ".json",
        ),
    ],
)
def test_bad_input_gets_the_cli_message_as_a_problem(http, tmp_path, text, file_suffix):
    path = tmp_path / f"applicant{file_suffix}"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["evaluate", str(path)])
    assert result.exit_code == 2
    cli_message = result.stderr.strip().removeprefix(f"error: {path}")
    response = http.post("/v1/decisions", content=text.encode())
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["type"] == "/problems/invalid-input"
    assert problem["detail"] == "request" + cli_message
    assert problem["errors"][0]["message"] in cli_message


def test_a_lone_surrogate_in_the_input_is_a_problem_not_a_500(http):
    """Found by schemathesis: JSON may escape a lone surrogate, which a message quoting it cannot encode."""
    body = b'{"id": "a\\udc00b", "application_date": "2026-11-01", "intended_province": "ON"}'
    for path in ("/v1/decisions", "/v1/decisions/batch"):
        response = http.post(path, content=body)
        problem = response.json() if path == "/v1/decisions" else response.json()["problem"]
        assert problem["status"] == 422 and problem["errors"][0]["field"] == ("id" if path == "/v1/decisions" else "")


def test_french_decisions_are_those_of_cec_evaluate_lang_fr(http):
    path = EXAMPLES / "ineligible-language.yaml"
    expected = (
        CliRunner().invoke(cli, ["evaluate", str(path), "--lang", "fr", "--format", "json"]).stdout.strip().encode()
    )
    response = http.post("/v1/decisions", content=as_json(path), headers={"Accept-Language": "fr-CA, en;q=0.5"})
    assert response.headers["content-language"] == "fr"
    assert response.content == b'{"record_id":"%s","decision":%s}' % (response.json()["record_id"].encode(), expected)
    record = http.get(f"/v1/decisions/{response.json()['record_id']}").json()
    english = http.post("/v1/decisions", content=as_json(path), headers={"Accept-Language": "de, en;q=0.8"})
    assert english.headers["content-language"] == "en"
    assert record["decision"] == english.json()["decision"] != response.json()["decision"]  # the record keeps English


def test_batch_streams_answers_in_input_order(http, cli_lines):
    lines = [as_json(p) for p in EXAMPLE_FILES[:3]]
    body = b"\n".join([lines[0], b'{"id": 3}', b"", b"not json", *lines[1:]]) + b"\n"
    with http.stream(
        "POST", "/v1/decisions/batch", content=body, headers={"Content-Type": "application/x-ndjson"}
    ) as response:
        answers = [json.loads(line) for line in response.iter_lines() if line]
    assert [a["line"] for a in answers] == [1, 2, 4, 5, 6]
    assert answers[1]["problem"]["detail"] == "body:2: id: Input should be a valid string (got 3)"
    assert answers[2]["problem"]["detail"].startswith("body:4: not valid JSON")
    decided = [a for a in answers if "decision" in a]
    for answer, path in zip(decided, EXAMPLE_FILES[:3]):
        assert (
            json.dumps(answer["decision"], separators=(",", ":"), ensure_ascii=False).encode() == cli_lines[path.name]
        )


def test_a_batch_line_over_the_limit_is_a_problem_and_the_rest_is_decided(http):
    body = b'{"id": "' + b"x" * (1 << 20) + b'"}\n' + as_json(EXAMPLES / "eligible.yaml") + b"\n"
    answers = [json.loads(line) for line in http.post("/v1/decisions/batch", content=body).text.splitlines()]
    assert answers[0]["line"] == 1 and answers[0]["problem"]["status"] == 413
    assert answers[1]["line"] == 2 and answers[1]["decision"]["eligible"] is True


def test_too_large_a_body_is_refused(http):
    response = http.post("/v1/decisions", content=b" " * ((1 << 20) + 1))
    assert response.status_code == 413 and response.json()["type"] == "/problems/too-large"


def test_the_same_input_is_one_record(http):
    data = yaml.safe_load((EXAMPLES / "eligible-teer3-clb5.yaml").read_text())
    reordered = dict(reversed(list(data.items())))
    first = http.post("/v1/decisions", content=json.dumps(data, default=str)).json()["record_id"]
    second = http.post("/v1/decisions", content=json.dumps(reordered, default=str)).json()["record_id"]
    assert first == second
    record = http.get(f"/v1/decisions/{first}").json()
    assert record["times_decided"] >= 2 and record["input"]["id"] == data["id"]
    assert record["parameters"]["min_qualifying_hours"] == 1560
    assert record["decision"] == http.post("/v1/decisions", content=json.dumps(data, default=str)).json()["decision"]
    missing = http.get("/v1/decisions/" + "0" * 64)
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


def test_rulesets_are_listed_with_their_dated_parameters(http):
    programs = http.get("/v1/rulesets").json()["programs"]
    editions = [e["edition"] for e in programs[0]["editions"]]
    assert programs[0]["program"] == "cec" and editions == ["2015-01-01", "2022-11-16"]
    edition = http.get("/v1/rulesets/cec/2022-11-16").json()
    assert [c["id"] for c in edition["criteria"]] == [
        "skilled_work_experience",
        "language_proficiency",
        "outside_quebec",
        "admissibility",
    ]
    minimum = next(p for p in edition["parameters"] if p["name"] == "min_qualifying_hours")
    assert minimum["values"] == [{"effective_from": "2022-11-16", "value": 1560}] and minimum["citation"]
    assert http.get("/v1/rulesets/cec/1999-01-01").status_code == 404


def test_health_readiness_and_metrics(http):
    assert http.get("/healthz").json() == {"status": "ok", "workers": None, "generation": None}
    assert http.get("/readyz").json()["status"] == "ready"
    http.post("/v1/decisions", content=as_json(EXAMPLES / "ineligible-quebec.yaml"))
    text = http.get("/metrics").text
    assert 'cec_http_requests_total{method="POST",route="/v1/decisions",status="200"}' in text
    assert 'cec_http_request_duration_seconds_count{route="/v1/decisions"}' in text
    not_eligible = next(
        line for line in text.splitlines() if line.startswith('cec_decisions_total{outcome="not_eligible"}')
    )
    assert int(not_eligible.split()[-1]) >= 1


def test_logs_are_json_lines_with_the_request_id(server, http):
    response = http.get("/healthz", headers={"X-Request-Id": "trace-me-42"})
    assert response.headers["x-request-id"] == "trace-me-42"
    time.sleep(0.2)
    assert any(e.get("request_id") == "trace-me-42" and e["status"] == 200 for e in server.log())


def test_killing_a_worker_mid_load_loses_no_answered_record(server, http):
    bodies = [
        json.dumps(applicant_data(id=f"LOAD-{i}", work_history=[job(hours_per_week=20 + i % 20)])) for i in range(120)
    ]

    def post(body):
        return http.post("/v1/decisions", content=body)

    with concurrent.futures.ThreadPoolExecutor(8) as threads:
        futures = [threads.submit(post, body) for body in bodies]
        time.sleep(0.05)
        os.kill(server.worker_pids()[0], signal.SIGKILL)
        responses = [f.result() for f in futures]
    assert [r.status_code for r in responses] == [200] * len(bodies)
    for response in responses:
        assert http.get(f"/v1/decisions/{response.json()['record_id']}").status_code == 200
    assert http.get("/readyz").json()["workers"] == 2
    replaced = [e for e in server.log() if e["event"] == "worker_replaced"]
    assert replaced and replaced[0]["exit_code"] == -signal.SIGKILL


@pytest.mark.parametrize("language", ["en", "fr"])
def test_explanations_are_those_of_cec_explain(http, language):
    path = EXAMPLES / "ineligible-work-experience.yaml"
    expected = json.loads(
        CliRunner().invoke(cli, ["explain", str(path), "--lang", language, "--format", "json"]).stdout
    )
    response = http.post("/v1/explanations", content=as_json(path), headers={"Accept-Language": language})
    assert response.status_code == 200, response.text
    assert response.json()["explanation"] == expected
    assert http.get(f"/v1/decisions/{response.json()['record_id']}").json()["outcome"] == "not_eligible"


def test_an_unknown_program_is_a_problem(http):
    response = http.post("/v1/decisions", params={"program": "nope"}, content=as_json(EXAMPLES / "eligible.yaml"))
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "program",
        "message": "unknown program 'nope'; known: cec, crs, fst, fsw, pool",
    }


def bundled_cases() -> list:
    from cec_rules.engine.cases import applicant_data, find_case_files, load_cases, program_of
    from cec_rules.engine.library import bundled_root

    found = []
    for path in find_case_files([bundled_root()]):
        for loaded in load_cases(path)[0]:
            data, _ = applicant_data(loaded)
            found.append((loaded.case.name, data, loaded.case.as_of, program_of(path)))
    return found


def test_bundled_cases_are_decided_as_the_cli_decides_them(http, library):
    """Every applicant of the policy editors' test cases (undetermined ones included), under the program of
    its folder: the service's bytes are those `cec evaluate --format json` prints (`decision_json` of an
    Evaluator of that program)."""
    from cec_rules.cli.render import decision_json
    from cec_rules.engine.evaluator import Evaluator
    from cec_rules.facts.reading import applicant_from_data

    cases = bundled_cases()
    assert len(cases) > 50
    evaluators = {program: Evaluator(library, program) for program in {case[3] for case in cases}}
    outcomes = set()
    for name, data, as_of, program in cases:
        expected = decision_json(evaluators[program].evaluate(applicant_from_data(data, name), as_of))
        params = {"program": program, **({"as_of": as_of.isoformat()} if as_of else {})}
        response = http.post("/v1/decisions", params=params, content=json.dumps(data))
        assert response.status_code == 200, (name, response.text)
        assert response.content.endswith(b',"decision":' + expected.encode() + b"}"), name
        outcomes.add(response.json()["decision"]["eligible"])
    assert outcomes == {True, False, None}
