"""The decision record and `cec replay`, on SQLite and on a throwaway PostgreSQL server.

The same tests run on both databases (the `db_url` fixture is parametrized); PostgreSQL comes from
Debian's `postgresql` package, which `.ci/run` installs.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.service.store import DecisionStore, StoreError, sqlite_path
from service_support import Postgres, Server, postgres_binaries
from support import EXAMPLES, NEW_EDITION, cec_examples, copy_rulesets, edit

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def postgres():
    bin_dir = postgres_binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql; .ci/run does)")
    server = Postgres(bin_dir)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/records.db"
    return request.getfixturevalue("postgres").new_database()


def evaluate_recorded(db_url: str, path, *extra: str) -> tuple[str, str]:
    """`cec evaluate --record`: (record id, decision line)."""
    result = CliRunner().invoke(cli, ["evaluate", str(path), "--format", "json", "--record", db_url, *extra])
    assert result.exit_code == 0, result.stderr
    return result.stderr.strip().rsplit(" ", 1)[-1], result.stdout.strip()


def test_the_same_input_under_the_same_rules_is_one_record(db_url, evaluator):
    first, line = evaluate_recorded(db_url, EXAMPLES / "eligible.yaml")
    second, _ = evaluate_recorded(db_url, EXAMPLES / "eligible.yaml")
    other, _ = evaluate_recorded(db_url, EXAMPLES / "eligible.yaml", "--as-of", "2026-06-01")
    assert first == second != other
    with DecisionStore(db_url) as store:
        assert store.count() == 2
        record = store.get(first)
    assert record.decision == line and record.times_decided == 2 and record.outcome == "eligible"
    assert json.loads(record.input)["id"] == "EX-ELIGIBLE" and len(record.input_sha256) == 64
    assert (record.program, record.edition, record.as_of) == ("cec", "2022-11-16", "2026-11-01")
    assert json.loads(record.parameters)["min_qualifying_hours"] == 1560
    assert record.code_version.startswith("cec-rules ")


def test_a_french_evaluation_records_the_english_decision(db_url):
    english_id, english = evaluate_recorded(db_url, EXAMPLES / "ineligible-quebec.yaml")
    french_id, french = evaluate_recorded(db_url, EXAMPLES / "ineligible-quebec.yaml", "--lang", "fr")
    assert english_id == french_id and french != english
    with DecisionStore(db_url) as store:
        assert store.get(english_id).decision == english


def test_migrations_are_idempotent(db_url):
    with DecisionStore(db_url) as store:
        assert store.migrate() == store.migrate() == 1


def test_replay_under_unchanged_rules_gives_the_same_decision(db_url):
    record_id, _ = evaluate_recorded(db_url, EXAMPLES / "ineligible-language.yaml")
    result = CliRunner().invoke(cli, ["replay", record_id, "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "same decision today: not eligible (byte for byte)" in result.stdout


def test_replay_after_a_rules_change_says_what_changed(db_url, tmp_path):
    record_id, _ = evaluate_recorded(db_url, EXAMPLES / "ineligible-language.yaml")
    rules = copy_rulesets(tmp_path)
    edit(rules, NEW_EDITION, '{"0": 7, "1": 7, "2": 5, "3": 5}', '{"0": 6, "1": 6, "2": 5, "3": 5}')
    result = CliRunner().invoke(cli, ["replay", record_id, "--db", db_url, "--rulesets", str(rules)])
    assert result.exit_code == 3, result.output
    assert "DIFFERENT decision today: stored not eligible, today eligible" in result.stdout
    assert "criterion language_proficiency: unmet -> met" in result.stdout
    assert (
        'parameter language_level_by_occupation_level on 2026-11-01: {"0":7,"1":7,"2":5,"3":5} -> {"0":6,"1":6,"2":5,"3":5}'
        in result.stdout
    )
    assert (
        "rules: cec/2022-11-16 parameter language_level_by_occupation_level: {0: 7, 1: 7, 2: 5, 3: 5} -> {0: 6, 1: 6, 2: 5, 3: 5}"
        in result.stdout
    )
    as_json = json.loads(
        CliRunner()
        .invoke(cli, ["replay", record_id, "--db", db_url, "--rulesets", str(rules), "--format", "json"])
        .stdout
    )
    assert (as_json["same"], as_json["stored_outcome"], as_json["today_outcome"]) == (False, "not_eligible", "eligible")


def test_replay_of_an_unknown_record_is_an_error(db_url):
    with DecisionStore(db_url) as store:
        store.migrate()
    result = CliRunner().invoke(cli, ["replay", "f" * 64, "--db", db_url])
    assert result.exit_code == 2 and "no decision record" in result.stderr


def test_the_server_records_in_postgresql(postgres, tmp_path):
    """(The SQLite server is test_service's.)"""
    db_url = postgres.url
    server = Server("--db", db_url, cwd=tmp_path, workers=1)
    try:
        with server.client() as http:
            body = json.dumps({"id": "PG-1", "application_date": "2026-11-01", "intended_province": "QC"})
            answer = http.post("/v1/decisions", content=body).json()
            stored = http.get(f"/v1/decisions/{answer['record_id']}").json()
    finally:
        server.stop()
    assert stored["decision"] == answer["decision"] and stored["outcome"] == "not_eligible"
    result = CliRunner().invoke(cli, ["replay", answer["record_id"], "--db", db_url])
    assert result.exit_code == 0, result.output


def test_bad_database_urls_are_one_line_errors(tmp_path):
    assert sqlite_path("sqlite:////abs/x.db") == "/abs/x.db"
    with pytest.raises(StoreError, match="unsupported database"):
        DecisionStore("mysql://u:secret@h/db")
    result = CliRunner().invoke(
        cli, ["evaluate", str(EXAMPLES / "eligible.yaml"), "--record", "postgresql://u:secret@127.0.0.1:1/x"]
    )
    assert result.exit_code == 2 and "cannot open the decision record postgresql://u:***@127.0.0.1:1/x" in result.stderr
    assert "secret" not in result.stderr


def test_batch_records_every_decision_it_makes(db_url, tmp_path):
    """`cec batch --record`: every worker stores its decisions; the record holds exactly the output lines,
    and the same population decided again adds no record (one record per input under the same rules)."""
    pool = tmp_path / "pool.jsonl"
    applicants = [json.dumps(_as_json(path)) for path in cec_examples()]
    pool.write_text("\n".join(applicants) + "\n{broken\n")
    out = tmp_path / "decisions.jsonl"
    for attempt in range(2):
        result = CliRunner().invoke(
            cli,
            [
                "batch",
                str(pool),
                "-o",
                str(out),
                "--workers",
                "2",
                "--record",
                db_url,
                *(["--restart"] if attempt else []),
            ],
        )
        assert result.exit_code == 3, result.stderr  # the broken line is a reject; the rest are decided and stored
    lines = out.read_text().splitlines()
    with DecisionStore(db_url) as store:
        assert store.count() == len(applicants) == len(lines)
        stored = {row[0] for row in store._connection.execute("SELECT decision FROM decisions").fetchall()}
    assert stored == set(lines)


def test_batch_with_an_unreachable_record_is_one_error(tmp_path):
    pool = tmp_path / "pool.jsonl"
    pool.write_text(json.dumps(_as_json(EXAMPLES / "eligible.yaml")) + "\n")
    result = CliRunner().invoke(
        cli, ["batch", str(pool), "-o", str(tmp_path / "out.jsonl"), "--record", "postgresql://u:secret@127.0.0.1:1/x"]
    )
    assert result.exit_code == 2
    assert "cannot open the decision record postgresql://u:***@127.0.0.1:1/x" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def _as_json(path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text())
