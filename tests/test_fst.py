"""The Federal Skilled Trades plugin: trade groups as data, the documented examples, French reasons, advice,
and that a ruleset edit (not Python) changes decisions. The criteria themselves are tested by the YAML
cases under rulesets/fst/<edition>/tests (run by this same pytest, under the program of their folder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.engine.program import installed_programs
from cec_rules.facts.fst.advice import to_meet
from cec_rules.facts.fst.derive import TradeClassifier
from cec_rules.facts.reading import read_applicant_with_positions
from support import EXAMPLES, copy_rulesets, edit
from test_cli import FST_PREFIX, readme_rows

NEW = "fst/2022-11-16/ruleset.yaml"


@pytest.fixture(scope="module")
def fst(library):
    return Evaluator(library, "fst", translations=True)


def _edition(library, name: str):
    return next(e for e in library.programs["fst"] if e.ruleset.edition == name)


def _trades(library, edition_name: str) -> list:
    """The unit groups of the edition's classification that its trade groups select."""
    edition = _edition(library, edition_name)
    params = {name: p.value_on(edition.ruleset.effective_from) for name, p in edition.ruleset.parameters.items()}
    classifier = TradeClassifier(
        edition.tables.noc, params["noc_version"], params["trade_groups"], params["excluded_trade_groups"]
    )
    return [o for o in edition.tables.noc.units[params["noc_version"]].values() if classifier.is_skilled(o)]


def _decide(evaluator, name: str):
    applicant, _ = read_applicant_with_positions(EXAMPLES / name)
    return applicant, evaluator.evaluate(applicant, source=name)


def test_fst_is_an_installed_program_with_both_editions(library):
    assert "fst" in installed_programs()
    assert [e.ruleset.edition for e in library.programs["fst"]] == ["2015-01-01", "2022-11-16"]


def test_noc2021_trade_groups_select_exactly_96_unit_groups(library):
    """Domain sheet 6.2: major groups 72, 73, 82, 83, 92, 93 without 726 and 932, minor group 6320 and
    unit group 62200 select 96 of the 516 unit groups of noc2021.csv."""
    trades = _trades(library, "2022-11-16")
    assert len(trades) == 96
    codes = {o.code for o in trades}
    assert {"62200", "63200", "63201", "63202", "73300", "72200"} <= codes
    assert not any(code.startswith(("726", "932")) for code in codes)


def test_noc2016_trade_groups_are_all_skill_level_b(library):
    """Before 2022-11-16 the groups (72, 73, 82, 92, 632, 633) hold only skill level B unit groups."""
    trades = _trades(library, "2015-01-01")
    assert trades and {o.level for o in trades} == {"B"}
    assert {"6321", "6322", "6331", "6332", "7241"} <= {o.code for o in trades}


FST_ROWS = [row for row in readme_rows() if row["file"].startswith(FST_PREFIX)]


def test_every_fst_example_is_in_the_table():
    assert sorted(r["file"] for r in FST_ROWS) == sorted(p.name for p in EXAMPLES.glob(f"{FST_PREFIX}*.yaml"))


@pytest.mark.parametrize("row", FST_ROWS, ids=[r["file"] for r in FST_ROWS])
def test_fst_example_gives_the_documented_outcome(fst, row):
    _, decision = _decide(fst, row["file"])
    undetermined = row["file"].startswith(f"{FST_PREFIX}undetermined")
    assert decision.applicant_id == row["id"] and decision.program == "fst"
    assert decision.eligible is (None if undetermined else row["eligible"])
    assert [c.id for c in decision.criteria if c.met is (None if undetermined else False)] == row["unmet"]
    assert max(t["hours"] for t in decision.derived["trades"]) == row["hours"]


def test_reasons_in_french(fst):
    applicant, decision = _decide(fst, "fst-ineligible-language.yaml")
    french = fst.plugin.translate(fst, decision, applicant, None, "x", "fr")
    language = next(c for c in french.criteria if c.id == "language_proficiency")
    assert "est exigé" in language.reason and language.citation.startswith("RIPR")


def test_what_would_meet_each_unmet_criterion(fst, library):
    applicant, decision = _decide(fst, "fst-ineligible-experience.yaml")
    edition, compiled = fst.context(applicant)
    texts = to_meet(decision, edition, compiled.parameters, "en")
    assert texts == {
        "skilled_trade_experience": "270 more qualifying hours in one skilled trade (at least 3,120 in the 5 years before applying)"
    }
    _, decision = _decide(fst, "fst-ineligible-language.yaml")
    assert to_meet(decision, edition, compiled.parameters, "fr") == {
        "language_proficiency": "expression orale doit atteindre le CLB 5"
    }


def test_fst_decisions_do_not_change_cec_ones(evaluator):
    """The FST plugin is a second program: deciding an FST example as CEC still uses CEC's rules."""
    _, decision = _decide(evaluator, "fst-eligible.yaml")
    assert decision.program == "cec" and [c.id for c in decision.criteria][0] == "skilled_work_experience"


def test_trade_groups_are_data(tmp_path):
    """Removing major group 72 from the edition's trade groups (a YAML edit) makes the electrician's work not count."""
    root = copy_rulesets(tmp_path, None)
    edit(root, NEW, 'value: ["72", "73", "82"', 'value: ["73", "82"')
    evaluator = Evaluator(load_bundled_or(root), "fst")
    _, decision = _decide(evaluator, "fst-eligible.yaml")
    assert decision.eligible is False
    assert next(c for c in decision.criteria if c.id == "skilled_trade_experience").met is False


def test_a_trade_group_that_is_no_noc_group_is_a_validation_error(tmp_path):
    root = copy_rulesets(tmp_path, None)
    line = edit(root, NEW, '"6320", "62200"]', '"6320", "62290"]')
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2
    assert f"fst/2022-11-16/ruleset.yaml:{line}" in result.output and "unknown value '62290'" in result.output


def test_fst_cases_run_under_fst_with_cec_test():
    result = CliRunner().invoke(cli, ["test", str(Path(__file__).resolve().parent.parent / "rulesets" / "fst")])
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.output and int(result.output.split()[-4]) >= 30


SELF_EMPLOYED = (
    Path(__file__).resolve().parent.parent / "rulesets" / "fst" / "2022-11-16" / "tests" / "self-employment.yaml"
)


def _self_employed_applicant(tmp_path):
    """The case "self-employed hours decisive" of the 2022-11-16 edition, as an applicant file."""
    case = yaml.safe_load(SELF_EMPLOYED.read_text(encoding="utf-8"))[0]
    path = tmp_path / "self-employed.json"
    path.write_text(json.dumps(case["applicant"]), encoding="utf-8")
    applicant, _ = read_applicant_with_positions(path)
    return applicant


def test_self_employment_counts_is_a_data_choice(tmp_path):
    """`self_employment_counts: false` (a YAML edit) gives back the confident unmet that `open` leaves undetermined."""
    root = copy_rulesets(tmp_path, None)
    edit(root, NEW, "    value: open\n", "    value: false\n")
    decision = Evaluator(load_bundled_or(root), "fst").evaluate(_self_employed_applicant(tmp_path), source="x")
    assert decision.eligible is False
    assert next(c for c in decision.criteria if c.id == "skilled_trade_experience").met is False


def test_a_self_employment_choice_outside_true_false_open_is_a_validation_error(tmp_path):
    root = copy_rulesets(tmp_path, None)
    line = edit(root, NEW, "    value: open\n", "    value: maybe\n")
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2
    assert f"fst/2022-11-16/ruleset.yaml:{line}" in result.output and "unknown value 'maybe'" in result.output


def test_what_would_settle_decisive_self_employed_hours(fst, tmp_path):
    """An undetermined criterion that needs `work_history[i].self_employed` asks whether the work is accepted,
    not for a NOC code."""
    applicant = _self_employed_applicant(tmp_path)
    decision = fst.evaluate(applicant, source="x")
    edition, compiled = fst.context(applicant)
    texts = to_meet(decision, edition, compiled.parameters, "en")
    assert texts["skilled_trade_experience"] == (
        "confirm that IRCC accepts the self-employed work of work_history[0].self_employed "
        "toward the trade hours, or add work that is not self-employed"
    )
