"""The Federal Skilled Worker program: its examples through the CLI, its grid in the output contract, and
the parts of its derivation the YAML cases (rulesets/fsw/*/tests) cannot isolate."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.cases import find_case_files, load_cases
from support import EXAMPLES, REPO, copy_rulesets, edit

FSW_EXAMPLES = sorted(EXAMPLES.glob("fsw-*.yaml"))
FACTORS = [
    "education",
    "language_first",
    "language_second",
    "experience",
    "age",
    "arranged_employment",
    "adaptability_spouse_language",
    "adaptability_study",
    "adaptability_spouse_study",
    "adaptability_work",
    "adaptability_spouse_work",
    "adaptability_arranged_employment",
    "adaptability_relative",
]


def evaluate(*args: str):
    return CliRunner().invoke(cli, ["evaluate", "--program", "fsw", *args])


@pytest.mark.parametrize("path", FSW_EXAMPLES, ids=[p.name for p in FSW_EXAMPLES])
def test_example_prints_the_grid_with_every_factor(path):
    result = evaluate(str(path))
    assert result.exit_code == 0, result.stderr
    assert " for FSW (edition 2022-11-16" in result.stdout
    grid = result.stdout.split("  points: ", 1)[1]
    for factor in FACTORS:
        line = next(line for line in grid.splitlines() if line.strip().startswith(factor + " "))
        assert "(IRPR 8" in line or "(IRPR 7" in line, line  # points, max, reason and citation on each line


def test_the_decision_carries_the_score_of_the_output_contract():
    result = evaluate(str(EXAMPLES / "fsw-eligible.yaml"), "--format", "json")
    decision = json.loads(result.stdout)
    assert decision["program"] == "fsw" and decision["eligible"] is True
    score = decision["score"]
    assert (score["total"], score["possible_total"], score["max"]) == (74, 74, 100)
    assert [f["id"] for f in score["factors"]] == FACTORS
    assert score["caps"] == [{"id": "adaptability", "points": 0, "max": 10, "uncapped": 0}]


def test_cec_decisions_have_no_score():
    result = CliRunner().invoke(cli, ["evaluate", str(EXAMPLES / "eligible.yaml"), "--format", "json"])
    assert "score" not in json.loads(result.stdout)


def test_there_are_at_least_40_cases_and_each_example_has_one():
    cases = [c for path in find_case_files([REPO / "rulesets" / "fsw"]) for c in load_cases(path)[0]]
    assert len(cases) >= 40
    named = {c.case.applicant_file.rsplit("/", 1)[1] for c in cases if c.case.applicant_file}
    assert named == {p.name for p in FSW_EXAMPLES}


def test_a_gap_in_the_age_table_is_reported_with_its_line(tmp_path):
    root = copy_rulesets(tmp_path, programs=("fsw",))
    edit(root, "fsw/2022-11-16/ruleset.yaml", "      - {when: {age: {eq: 40}}, value: 7}\n", "")
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2
    assert "fsw/2022-11-16/ruleset.yaml" in result.stderr and "age 40" in result.stderr


def test_a_new_funds_amount_is_a_dated_entry_with_no_python(tmp_path):
    """IRCC's yearly update: one more dated value, and the decision follows it from that day."""
    root = copy_rulesets(tmp_path, programs=("fsw",))
    edit(
        root,
        "fsw/2022-11-16/ruleset.yaml",
        '      "2025-07-07": {1: 15263, 2: 19001, 3: 23360, 4: 28362, 5: 32168, 6: 36280, 7: 40392}\n',
        '      "2025-07-07": {1: 15263, 2: 19001, 3: 23360, 4: 28362, 5: 32168, 6: 36280, 7: 40392}\n'
        '      "2026-07-01": {1: 26000, 2: 30000, 3: 34000, 4: 38000, 5: 42000, 6: 46000, 7: 50000}\n',
    )
    edit(
        root,
        "fsw/2022-11-16/ruleset.yaml",
        '      "2025-07-07": 4112\n',
        '      "2025-07-07": 4112\n      "2026-07-01": 4200\n',
    )
    result = evaluate(str(EXAMPLES / "fsw-eligible.yaml"), "--rulesets", str(root), "--format", "json")
    funds = next(c for c in json.loads(result.stdout)["criteria"] if c["id"] == "settlement_funds")
    assert funds["met"] is False and "30,000 needed for a family of 2" in funds["reason"]


def test_experience_points_that_do_not_rise_with_the_years_are_bounded_over_every_count(tmp_path):
    """A table giving 11 for 3 and for 5 years but 13 for 4: 3 to 5 years under a split code are 11 to 13 points,
    undetermined, not 11 (the two ends agreeing settles nothing: a reading may count 4 years)."""
    root = copy_rulesets(tmp_path, programs=("fsw",))
    edit(
        root,
        "fsw/2022-11-16/ruleset.yaml",
        "      - {when: {years: {gte: 4, lte: 5}}, value: 13}\n",
        "      - {when: {years: {eq: 4}}, value: 13}\n      - {when: {years: {eq: 5}}, value: 11}\n",
    )
    case = REPO / "rulesets/fsw/2022-11-16/tests/experience.yaml"
    applicant = next(
        c.case.applicant
        for c in load_cases(case)[0]
        if c.case.applicant and c.case.applicant["id"] == "F-split-3-5-years"
    )
    path = tmp_path / "applicant.json"
    path.write_text(json.dumps(applicant))
    result = evaluate(str(path), "--rulesets", str(root), "--format", "json")
    score = json.loads(result.stdout)["score"]
    experience = next(f for f in score["factors"] if f["id"] == "experience")
    assert (experience["points"], experience["between"], score["total"], score["possible_total"]) == (
        None,
        [11, 13],
        70,
        72,
    )


def _readme_rows() -> list[list[str]]:
    lines = (EXAMPLES / "README.md").read_text(encoding="utf-8").splitlines()
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines if line.startswith("| `fsw-")]


@pytest.mark.parametrize("row", _readme_rows(), ids=lambda row: row[0])
def test_the_examples_table_gives_each_outcome(row):
    decision = json.loads(evaluate(str(EXAMPLES / row[0].strip("`")), "--format", "json").stdout)
    assert decision["applicant_id"] == row[1]
    unmet = [c["id"] for c in decision["criteria"] if c["met"] is False]
    assert ("eligible" if decision["eligible"] else "unmet: " + ", ".join(f"`{c}`" for c in unmet)) == row[2]
    assert decision["derived"]["continuous_run"]["hours"] == float(row[3].replace(",", ""))


def test_explain_fsw_shows_the_grid_and_the_cheapest_ways_to_the_pass_mark():
    """66 points, one under the pass mark: CLB 8 in one ability (+1) or a doctorate (+2) reaches it; experience
    (15/15) and age are never proposed (a full factor; age is not improvable)."""
    path = str(EXAMPLES / "fsw-ineligible-points.yaml")
    text = CliRunner().invoke(cli, ["explain", "--program", "fsw", path])
    assert text.exit_code == 0, text.output
    assert "points: 66 / 100" in text.output
    assert (
        "+1 point(s) for First official language: CLB 8 in writing: IELTS General Training 6.5 "
        "(total 67, reaches the pass mark of 67)"
    ) in text.output
    assert (
        "+2 point(s) for Education: edu.level from masters to doctoral (total 68, reaches the pass mark of 67)"
        in text.output
    )
    french = CliRunner().invoke(cli, ["explain", "--program", "fsw", "--lang", "fr", path]).output
    assert (
        "+1 point(s) pour Première langue officielle : CLB 8 en expression écrite : IELTS General Training 6,5 "
        "(total 67, atteint la note de passage de 67)"
    ) in french
    doc = json.loads(CliRunner().invoke(cli, ["explain", "--program", "fsw", "--format", "json", path]).output)
    gains = {(g["input"], g["from"], g["to"], g["points"], g["total"], g["passes"]) for g in doc["score"]["gains"]}
    assert gains == {
        ("edu.level", "masters", "doctoral", 2, 68, True),
        *{(f"lang.{ability}", 7, 8, 1, 67, True) for ability in ("listening", "reading", "writing", "speaking")},
    }
    assert doc["score"]["pass_mark"] == 67 and doc["eligible"] is False


def test_a_split_codes_levels_under_the_edition_are_named_in_french(tmp_path):
    """The case `O-split-levels` (rulesets/fsw/2015-01-01/tests/more.yaml) in French: 70012 is 0714 (skill type 0)
    or 6221 (skill level B) under NOC 2016, and the French reason joins the two levels with `ou`."""
    path = REPO / "rulesets" / "fsw" / "2015-01-01" / "tests" / "more.yaml"
    case = next(c.case for c in load_cases(path)[0] if c.case.applicant and c.case.applicant["id"] == "O-split-levels")
    applicant = tmp_path / "applicant.json"
    applicant.write_text(json.dumps(case.applicant))
    decision = json.loads(evaluate(str(applicant), "--format", "json", "--lang", "fr").stdout)
    reason = next(c["reason"] for c in decision["criteria"] if c["id"] == "work_experience")
    assert "70012 Facility operation and maintenance managers (titre anglais) (niveau de compétence 0 ou B)" in reason
