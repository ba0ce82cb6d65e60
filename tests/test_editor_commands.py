"""The policy editor's commands: `rulesets new-edition` (re-dated cases, collapsed values, the 29 February
case moved back), `rulesets show`, `rulesets validate FILE`, and YAML syntax errors that say where."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.redate import Shift, candidates, dates_in, shift_text
from support import copy_rulesets


@pytest.fixture(scope="module")
def new_edition(tmp_path_factory):
    root = copy_rulesets(tmp_path_factory.mktemp("editions"))
    result = CliRunner().invoke(cli, ["rulesets", "new-edition", "cec", "2027-01-01", "--rulesets", str(root)])
    return root, result


def test_new_edition_copies_closes_and_collapses(new_edition):
    root, result = new_edition
    assert result.exit_code == 0, result.output
    new = (root / "cec" / "2027-01-01" / "ruleset.yaml").read_text()
    assert 'edition: "2027-01-01"' in new and 'effective_from: "2027-01-01"' in new
    assert 'value: ["celpip_general", "ielts_general", "pte_core", "tef_canada", "tcf_canada"]' in new
    assert 'effective_to: "2026-12-31"' in (root / "cec" / "2022-11-16" / "ruleset.yaml").read_text()
    assert "accepted_language_tests" in result.output


def test_every_case_of_both_editions_passes_and_the_new_one_is_exercised(new_edition):
    root, _ = new_edition
    result = CliRunner().invoke(
        cli, ["test", str(root / "cec" / "2022-11-16"), str(root / "cec" / "2027-01-01"), "--coverage"]
    )
    assert result.exit_code == 0, result.output
    coverage = next(line for line in result.output.splitlines() if line.startswith("cec/2027-01-01:"))
    assert (
        "rules never fired: occupation_without_counterpart_excluded;" in coverage
        and "outcomes never seen: none" in coverage
    )  # see test_cases_runner
    assert int(coverage.split(": ")[1].split()[0]) > 60


def test_29_february_cases_move_back_into_the_previous_edition(new_edition):
    root, result = new_edition
    old_cases = (root / "cec" / "2022-11-16" / "tests" / "experience.yaml").read_text()
    assert "on 29 February the window starts on 28 February three years earlier" in result.output
    assert '"2028-02-29"' not in old_cases and "-02-29" in old_cases


def test_shifts_keep_the_calendar_and_29_february():
    with pytest.raises(ValueError):
        Shift(years=1).apply(dt.date(2028, 2, 29))
    text = 'as_of: "2026-11-01"\n  start: "2025-01-06"  # Mon\n'
    first = candidates(dt.date(2026, 11, 1), dt.date(2027, 1, 1), None, dates_in(text))[0]
    moved = dates_in(shift_text(text, first))
    assert [d.weekday() for d in moved] == [d.weekday() for d in dates_in(text)]
    assert [(d.month, d.day) for d in moved] == [(11, 1), (1, 6)] and moved[0] >= dt.date(2027, 1, 1)


def test_a_second_edition_on_the_same_day_is_refused(new_edition):
    root, _ = new_edition
    result = CliRunner().invoke(cli, ["rulesets", "new-edition", "cec", "2027-01-01", "--rulesets", str(root)])
    assert result.exit_code == 2 and "already starts on 2027-01-01" in result.stderr


def test_show_gives_the_edition_in_force_with_values_on_the_date_and_citations():
    result = CliRunner().invoke(cli, ["rulesets", "show", "cec", "--as-of", "2023-06-01"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("cec/2022-11-16:")
    assert "min_qualifying_hours = 1,560 hours" in result.output and "citation: IRPR 87.1(2)(a)" in result.output
    assert "accepted_language_tests = [celpip_general, ielts_general, tef_canada, tcf_canada]" in result.output
    later = CliRunner().invoke(cli, ["rulesets", "show", "cec", "--as-of", "2024-02-01"]).output
    assert "accepted_language_tests = [celpip_general, ielts_general, pte_core" in later
    older = CliRunner().invoke(cli, ["rulesets", "show", "cec", "--as-of", "2020-01-01"]).output
    assert older.startswith("cec/2015-01-01:")


def test_show_before_any_edition_is_a_clear_error():
    result = CliRunner().invoke(cli, ["rulesets", "show", "cec", "--as-of", "2000-01-01"])
    assert result.exit_code == 2 and "no edition of 'cec' is in force on 2000-01-01" in result.stderr


def test_validate_one_file_reports_only_its_problems_with_an_openable_path(tmp_path, monkeypatch):
    root = copy_rulesets(tmp_path)
    edition = root / "cec" / "2015-01-01" / "ruleset.yaml"
    edition.write_text(edition.read_text().replace("\n  weekly_hours_cap:", "\n  weekly_hours_capp:", 1))
    monkeypatch.chdir(tmp_path)
    bad = CliRunner().invoke(cli, ["rulesets", "validate", "rulesets/cec/2015-01-01/ruleset.yaml"])
    assert bad.exit_code == 2
    first = bad.stderr.splitlines()[1]
    assert first.startswith("rulesets/cec/2015-01-01/ruleset.yaml:") and os.path.isfile(first.split(":")[0])
    good = CliRunner().invoke(cli, ["rulesets", "validate", "rulesets/cec/2022-11-16/ruleset.yaml"])
    assert good.exit_code == 0 and "ok: rulesets/cec/2022-11-16/ruleset.yaml is valid" in good.output


def test_a_yaml_syntax_error_says_where_what_was_expected_and_the_key_path(tmp_path):
    root = copy_rulesets(tmp_path)
    edition = root / "cec" / "2022-11-16" / "ruleset.yaml"
    edition.write_text(edition.read_text().replace("  weekly_hours_cap:\n", "  weekly_hours_cap: [30,\n", 1))
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(edition)])
    assert result.exit_code == 2
    message = result.stderr.splitlines()[1]
    assert "ruleset.yaml:" in message and "parameters.weekly_hours_cap" in message
    assert "expected ',' or ']'" in message and "while parsing a flow sequence started on line" in message


def test_diff_of_two_folders_compares_the_editions_that_decided_each_applicant(new_edition, tmp_path):
    """After adding an edition, the diff names the parameter change between the editions the population was
    decided by (old -> new), not only "edition added"."""
    from support import EXAMPLES, edit
    import json

    root, _ = new_edition
    edit(root, "cec/2027-01-01/ruleset.yaml", '{"0": 7, "1": 7, "2": 5, "3": 5}', '{"0": 7, "1": 7, "2": 6, "3": 6}')
    old = copy_rulesets(tmp_path / "old")
    result = CliRunner().invoke(
        cli,
        [
            "diff",
            str(old),
            str(root),
            "--population",
            str(EXAMPLES),
            "--as-of",
            "2027-01-01",
            "-o",
            str(tmp_path / "out"),
            "--workers",
            "1",
        ],
    )
    edit(root, "cec/2027-01-01/ruleset.yaml", '{"0": 7, "1": 7, "2": 6, "3": 6}', '{"0": 7, "1": 7, "2": 5, "3": 5}')
    assert result.exit_code == 0, result.output
    changes = json.loads((tmp_path / "out" / "summary.json").read_text())["rules_changes"]
    pair = "cec/2022-11-16 -> cec/2027-01-01"
    assert {
        "edition": pair,
        "kind": "parameter",
        "name": "language_level_by_occupation_level",
        "change": "{0: 7, 1: 7, 2: 5, 3: 5} -> {0: 7, 1: 7, 2: 6, 3: 6}",
    } in changes
    assert any(c["edition"] == pair and c["kind"] == "editions" for c in changes)
    assert any(c["kind"] == "edition" and "added" in c["change"] for c in changes)
    assert "None" not in json.dumps(changes)
