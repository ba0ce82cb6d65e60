"""`cec evaluate` through click's CliRunner: the documented examples, the output contract, bad input.

The expected outcome of each example is read from the table in examples/README.md, so the documentation
and the program cannot drift apart unnoticed.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cec_rules.cli.main import cli
from support import EXAMPLES

CRITERIA = ["skilled_work_experience", "language_proficiency", "outside_quebec", "admissibility"]
DECISION_KEYS = {"applicant_id", "program", "ruleset", "as_of", "eligible", "criteria", "derived", "trace"}


def readme_rows() -> list[dict]:
    """The rows of the examples table: file, id, eligible, unmet, hours (rounded) and exact hours."""
    rows = []
    for line in (EXAMPLES / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not cells[0].startswith("`") or not cells[0].endswith(".yaml`"):
            continue
        expected = cells[2]
        hours = re.match(r"^([\d,]+(?:\.\d+)?)(?:\s*\(([\d,]+)/(\d+)\))?$", cells[3])
        assert hours, f"cannot read hours {cells[3]!r}"
        exact = (
            Fraction(int(hours[2].replace(",", "")), int(hours[3])) if hours[2] else Fraction(hours[1].replace(",", ""))
        )
        rows.append(
            {
                "file": cells[0].strip("`"),
                "id": cells[1],
                "eligible": expected == "eligible",
                "unmet": re.findall(r"`([a-z_]+)`", expected),
                "hours": float(hours[1].replace(",", "")),
                "exact": exact,
            }
        )
    return rows


FST_PREFIX = "fst-"  # the Federal Skilled Trades examples: their own table, decided by FST (tests/test_fst.py)
FSW_PREFIX = "fsw-"  # the Federal Skilled Worker examples: their own table, decided by FSW (tests/test_fsw.py)
ROWS = [row for row in readme_rows() if not row["file"].startswith((FST_PREFIX, FSW_PREFIX))]


def run(*args: str):
    return CliRunner().invoke(cli, ["evaluate", *args])


def json_lines(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


# --- the documented examples ---------------------------------------------------------------------


def test_readme_table_lists_every_example_file():
    assert sorted(r["file"] for r in readme_rows()) == sorted(p.name for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_example_gives_the_documented_outcome(row):
    result = run(str(EXAMPLES / row["file"]), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (decision,) = json_lines(result)
    assert decision["applicant_id"] == row["id"]
    assert decision["eligible"] is row["eligible"]
    assert [c["id"] for c in decision["criteria"] if not c["met"]] == row["unmet"]
    assert decision["derived"]["qualifying_hours"] == row["hours"]
    assert Fraction(decision["derived"]["qualifying_hours_exact"]) == row["exact"]


def test_text_output_has_a_line_per_criterion():
    result = run(str(EXAMPLES / "ineligible-language.yaml"))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "EX-LANGUAGE" in lines[0] and "NOT ELIGIBLE" in lines[0]
    for name in CRITERIA:
        matching = [line for line in lines if f"{name}:" in line]
        assert len(matching) == 1, f"{name}: {matching}"
    assert "UNMET" in next(line for line in lines if "language_proficiency:" in line)


def test_json_output_follows_the_output_contract():
    result = run(str(EXAMPLES / "eligible.yaml"), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    decision = json.loads(result.stdout)
    assert set(decision) == DECISION_KEYS
    assert decision["program"] == "cec"
    assert set(decision["ruleset"]) == {"id", "edition", "sha256"}
    assert decision["ruleset"]["id"] == "cec" and decision["ruleset"]["edition"] == "2022-11-16"
    assert re.fullmatch(r"[0-9a-f]{64}", decision["ruleset"]["sha256"])
    assert decision["as_of"] == "2026-11-01"
    assert decision["eligible"] is True
    assert [c["id"] for c in decision["criteria"]] == CRITERIA
    for item in decision["criteria"]:
        assert set(item) == {"id", "met", "reason", "citation"}
        assert isinstance(item["met"], bool) and item["reason"] and item["citation"]
    assert isinstance(decision["derived"], dict) and decision["derived"]["qualifying_hours"] == 4380.0
    assert decision["trace"] and all(set(step) == {"rule", "facts"} for step in decision["trace"])


def test_several_files_give_json_lines_in_order():
    files = ["eligible.yaml", "ineligible-quebec.yaml", "eligible-french-tef.yaml"]
    result = run(*(str(EXAMPLES / f) for f in files), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [d["applicant_id"] for d in json_lines(result)] == ["EX-ELIGIBLE", "EX-QUEBEC", "EX-TEF"]


def test_as_of_overrides_the_application_date():
    result = run(str(EXAMPLES / "eligible-teer3-clb5.yaml"), "--as-of", "2022-11-15", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (decision,) = json_lines(result)
    assert decision["as_of"] == "2022-11-15"
    assert decision["ruleset"]["edition"] == "2015-01-01"
    assert decision["derived"]["window"] == {"start": "2019-11-15", "end": "2022-11-14"}


def test_bad_as_of_is_a_usage_error():
    result = run(str(EXAMPLES / "eligible.yaml"), "--as-of", "2023-02-30")
    assert result.exit_code == 2
    assert "2023-02-30" in result.stderr
    assert result.stdout == ""


# --- bad input --------------------------------------------------------------------------------------

GOOD = """\
id: CLI-1
application_date: "2026-11-01"
intended_province: "ON"
language_tests:
  - test: ielts_general
    date: "2025-06-01"
    listening: 8.0
    reading: 7.0
    writing: 7.0
    speaking: 7.0
work_history:
  - noc_code: "21231"
    noc_version: 2021
    country: "CA"
    start: "2024-01-15"
    end: "2026-06-30"
    hours_per_week: 40
    paid: true
    self_employed: false
    authorized: true
study_history: []
admissible: true
"""


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def variant(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


BAD_JSON = '{"id": "CLI-J", "application_date": "2026-11-01",\n "intended_province": "ON",\n}\n'
BAD_YAML = variant('intended_province: "ON"', "intended_province: [ON")

ANY_LINE = -1  # some line number must be given, wherever the parser noticed the problem
# (id, file name, text, field path expected in the message (None: none applies),
#  line: the text on the expected line, a number, ANY_LINE, or None when no line is required)
BAD_INPUTS = [
    ("invalid-json", "bad.json", BAD_JSON, None, 3),
    ("invalid-yaml", "bad.yaml", BAD_YAML, None, ANY_LINE),
    (
        "wrong-type",
        "bad.yaml",
        variant("hours_per_week: 40", 'hours_per_week: "forty"'),
        "work_history[0].hours_per_week",
        "hours_per_week",
    ),
    (
        "impossible-date",
        "bad.yaml",
        variant('start: "2024-01-15"', 'start: "2023-02-30"'),
        "work_history[0].start",
        "start:",
    ),
    ("unknown-test", "bad.yaml", variant("test: ielts_general", "test: toefl_ibt"), "language_tests[0].test", None),
    (
        "negative-hours",
        "bad.yaml",
        variant("hours_per_week: 40", "hours_per_week: -5"),
        "work_history[0].hours_per_week",
        "hours_per_week",
    ),
    ("end-before-start", "bad.yaml", variant('end: "2026-06-30"', 'end: "2023-06-30"'), "work_history[0].end", "end:"),
    (
        "noc-length",
        "bad.yaml",
        variant('noc_code: "21231"', 'noc_code: "2123"'),
        ("work_history[0].noc_code", "work_history[0].noc_version"),
        None,
    ),
    ("unknown-noc", "bad.yaml", variant('noc_code: "21231"', 'noc_code: "99999"'), "work_history[0].noc_code", None),
    ("missing-field", "bad.yaml", variant('intended_province: "ON"\n', ""), "intended_province", None),
    (
        "unknown-field",
        "bad.yaml",
        variant("hours_per_week: 40", "hours_per_weak: 40"),
        ("work_history[0].hours_per_weak", "work_history[0].hours_per_week"),
        None,
    ),
    (
        "duplicate-key",
        "bad.yaml",
        variant("    paid: true\n", "    paid: true\n    paid: false\n"),
        "work_history[0].paid",
        "paid: false",
    ),
]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_line_error(stderr: str, path: Path, field: str | tuple[str, ...] | None, line: int | None) -> None:
    """One line `error: FILE[:LINE]: FIELD: why`; `field` may list acceptable alternatives."""
    assert "Traceback" not in stderr
    message = stderr.rstrip("\n")
    assert "\n" not in message, f"more than one line: {stderr!r}"
    assert message.startswith(f"error: {path}"), message
    if field is not None:
        fields = (field,) if isinstance(field, str) else field
        assert any(re.search(rf"(^|[\s:]){re.escape(f)}(:|\s|$)", message) for f in fields), (
            f"{field!r} not named in {message!r}"
        )
    if line == ANY_LINE:
        assert re.match(rf"error: {re.escape(str(path))}:\d+:", message), f"no line number in {message!r}"
    elif line is not None:
        assert message.startswith(f"error: {path}:{line}:"), f"line {line} not named in {message!r}"


def test_good_fixture_is_decided(tmp_path):
    result = run(str(write(tmp_path, "good.yaml", GOOD)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("CLI-1: ELIGIBLE")


def test_json_input_is_read(tmp_path):
    path = write(tmp_path, "good.json", json.dumps(yaml.safe_load(GOOD.replace('"ON"', '"NB"'))))
    result = run(str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json_lines(result)[0]["eligible"] is True


@pytest.mark.parametrize(
    ("name", "text", "field", "line"), [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS]
)
def test_bad_input_exits_2_with_one_line_naming_file_and_field(tmp_path, name, text, field, line):
    path = write(tmp_path, name, text)
    result = run(str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    expected_line = line_of(text, line) if isinstance(line, str) else line
    assert_one_line_error(result.stderr, path, field, expected_line)


def test_missing_file_exits_2(tmp_path):
    path = tmp_path / "absent.yaml"
    result = run(str(path))
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, path, None, None)


def test_bad_file_among_good_ones_still_decides_the_good_ones(tmp_path):
    bad = write(tmp_path, "bad.yaml", variant("hours_per_week: 40", 'hours_per_week: "forty"'))
    result = run(
        str(EXAMPLES / "eligible.yaml"), str(bad), str(EXAMPLES / "ineligible-quebec.yaml"), "--format", "json"
    )
    assert result.exit_code == 2
    assert [d["applicant_id"] for d in json_lines(result)] == ["EX-ELIGIBLE", "EX-QUEBEC"]
    assert_one_line_error(result.stderr, bad, "work_history[0].hours_per_week", None)


def test_unquoted_yaml_words_stay_text(tmp_path):
    # YAML 1.1 reads unquoted ON/NO as booleans; the reader must keep them as province and country codes.
    text = variant('intended_province: "ON"', "intended_province: ON").replace('country: "CA"', "country: NO")
    result = run(str(write(tmp_path, "traps.yaml", text)), "--format", "json")
    assert result.exit_code == 0, result.stderr
    (decision,) = json_lines(result)
    assert "ON" in next(c["reason"] for c in decision["criteria"] if c["id"] == "outside_quebec")
    assert decision["derived"]["periods"][0]["counted"] is False  # work in Norway does not count


def test_internal_error_exits_1_without_traceback(tmp_path, monkeypatch):
    from cec_rules.engine.errors import EngineError
    from cec_rules.engine.evaluator import Evaluator

    def broken(self, *args, **kwargs):
        raise EngineError("simulated failure")

    monkeypatch.setattr(Evaluator, "evaluate", broken)
    path = write(tmp_path, "good.yaml", GOOD)
    result = run(str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "simulated failure" in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr
