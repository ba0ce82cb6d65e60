"""Ruleset *values* are validated, not only shapes (issue 8 §2): one bad fixture per error kind.

Each fixture is one edit, found by mutating the bundled rulesets, that `cec rulesets validate` used to
accept and that then either made every decision an internal error, looped, or silently changed decisions
(a typo in a test id, a province, a level). Each must now be a validation error naming the file, the
line, the key path and the offending word (STYLE.md practice 5), through the library and the CLI.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.errors import EngineError, RulesetErrors
from cec_rules.engine.library import load_library
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.engine.model import Rule
from cec_rules.facts.cec_program import PROGRAM as CEC
from cec_rules.facts.reading import read_applicant_file
from cec_rules.engine.validator import MAX_PATTERNS_PER_KIND, MAX_RULES
from support import EXAMPLES, NEW_EDITION, OLD_EDITION, copy_rulesets, edit, line_of
from test_loader_errors import Expected, describe, load_problems

NEW_FILE = f"rulesets/{NEW_EDITION}"
OLD_FILE = f"rulesets/{OLD_EDITION}"
IELTS = "data/language/ielts_general.yaml"
NOC2021 = "data/noc/noc2021.csv"


# --- parameters: names from their vocabulary ------------------------------------------------------


def excluded_province_typo(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, "    value: [QC]", "    value: [QB]")
    return Expected(NEW_FILE, line, "parameters.excluded_provinces.value[0]", ("'QB'", "QC"))


def accepted_test_typo(root: Path) -> Expected:
    line = edit(
        root,
        NEW_EDITION,
        '      "2022-11-16": [celpip_general, ielts_general,',
        '      "2022-11-16": [celpip_general, ielts_generl,',
    )
    return Expected(
        NEW_FILE,
        line,
        "parameters.accepted_language_tests.values.2022-11-16[1]",
        ("'ielts_generl'", "did you mean 'ielts_general'"),
    )


def numbers_where_levels_expected(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, '    value: ["0", "1", "2", "3"]', "    value: [0, 1, 2, 3]")
    return Expected(NEW_FILE, line, "parameters.skilled_levels.value[0]", ("unknown value 0", "int"))


def level_not_in_the_classification(root: Path) -> Expected:
    line = edit(root, OLD_EDITION, '    value: ["0", "A", "B"]', '    value: ["0", "A", "9"]')
    return Expected(OLD_FILE, line, "parameters.skilled_levels.value[2]", ("'9'", "0, A, B, C, D"))


def unknown_country(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, "    value: [CA]", "    value: [CAN]")
    return Expected(
        NEW_FILE, line, "parameters.qualifying_work_countries.value[0]", ("'CAN'", "did you mean", "249 in all")
    )


def unknown_noc_version(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, "    value: 2021", "    value: 2012")
    return Expected(NEW_FILE, line, "parameters.noc_version.value", ("unknown value 2012", "2016"))


def empty_province_list(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, "    value: [AB, BC, MB, NB, NL, NS, NT, NU, ON, PE, QC, SK, YT]", "    value: []")
    return Expected(NEW_FILE, line, "parameters.provinces_and_territories.value", ("must not be empty",))


def incomplete_province_list(root: Path) -> Expected:
    line = edit(
        root,
        NEW_EDITION,
        "    value: [AB, BC, MB, NB, NL, NS, NT, NU, ON, PE, QC, SK, YT]",
        "    value: [AB, BC, MB, NB, NL, NS, NT, NU, PE, QC, SK, YT]",
    )
    return Expected(NEW_FILE, line, "parameters.provinces_and_territories.value", ("missing ON",))


def level_table_missing_a_level(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, '    value: {"0": 7, "1": 7, "2": 5, "3": 5}', '    value: {"0": 7, "1": 7, "2": 5}')
    return Expected(
        NEW_FILE, line, "parameters.language_level_by_occupation_level.value", ("no entry for '3'", "skilled_levels")
    )


def level_table_value_out_of_range(root: Path) -> Expected:
    line = edit(
        root, NEW_EDITION, '    value: {"0": 7, "1": 7, "2": 5, "3": 5}', '    value: {"0": 70, "1": 7, "2": 5, "3": 5}'
    )
    return Expected(
        NEW_FILE,
        line,
        "parameters.language_level_by_occupation_level.value.0",
        ("70", "outside the sane range 1 to 12"),
    )


def accepted_from_unknown_test(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, '    value: {pte_core: "2024-01-30"}', '    value: {pte_cor: "2024-01-30"}')
    return Expected(
        NEW_FILE,
        line,
        "parameters.language_results_accepted_from.value.pte_cor",
        ("'pte_cor'", "did you mean 'pte_core'"),
    )


def accepted_from_not_a_date(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, '    value: {pte_core: "2024-01-30"}', '    value: {pte_core: "2024-01-3x"}')
    return Expected(
        NEW_FILE, line, "parameters.language_results_accepted_from.value.pte_core", ("'2024-01-3x'", "not a date")
    )


# --- parameters: numbers finite and in a sane range for their unit ---------------------------------


def _number(old: str, new: str, key_path: str, *words: str):
    def fixture(root: Path) -> Expected:
        line = edit(root, NEW_EDITION, old, new)
        return Expected(NEW_FILE, line, key_path, words)

    fixture.__name__ = (
        f"number_{key_path.split('.')[1]}_{re.sub(r'[^a-z0-9]+', '_', new.split(':')[-1].strip().lower())[:12]}"
    )
    return fixture


infinite_hours = _number(
    "    value: 1560", "    value: .inf", "parameters.min_qualifying_hours.value", "inf", "not a finite number"
)
huge_negative_hours = _number(
    "    value: 1560", "    value: -1.0e+308", "parameters.min_qualifying_hours.value", "-1e+308"
)
weekly_cap_10_to_30 = _number(
    "    value: 30\n",
    "    value: 1000000000000000000000000000000\n",
    "parameters.weekly_hours_cap.value",
    "1000000000000000000000000000000",
    "2**53",
)
validity_2_to_63 = _number(
    "    value: 2\n",
    "    value: 9223372036854775808\n",
    "parameters.language_validity_years.value",
    "9223372036854775808",
)
window_3000_years = _number(
    "    value: 3\n", "    value: 3000\n", "parameters.experience_window_years.value", "3000", "1 to 50"
)
weekly_cap_zero = _number("    value: 30\n", "    value: 0\n", "parameters.weekly_hours_cap.value", "0", "1 to 168")


def infinite_number_in_a_condition(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, "          admissible: {eq: true}", "          admissible: {eq: .inf}")
    return Expected(NEW_FILE, line, re.compile(r"rules\[\d+\]\.when\[0\]\.where\.admissible\.eq"), ("inf", "finite"))


# --- language score tables -------------------------------------------------------------------------


def _ielts(old: str, new: str, key_path: str, *words: str):
    def fixture(root: Path) -> Expected:
        line = edit(root, IELTS, old, new)
        if key_path == "tables[0]":  # a check across abilities: reported at the table
            line = line_of(root, IELTS, "  - name:")
        return Expected(f"rulesets/{IELTS}", line, key_path, words)

    fixture.__name__ = "ielts_" + re.sub(r"[^a-z0-9]+", "_", new.strip().lower())[:30]
    return fixture


step_zero = _ielts(
    "      listening: {min: 0, max: 9, step: 0.5}",
    "      listening: {min: 0, max: 9, step: 0}",
    "tables[0].score_range.listening",
    "step 0",
    "positive",
)
step_vanishing = _ielts(
    "      listening: {min: 0, max: 9, step: 0.5}",
    "      listening: {min: 0, max: 9, step: 1.0e-308}",
    "tables[0].score_range.listening",
    "1e-308",
    "10,000 steps",
)
minimum_above_maximum = _ielts(
    "      listening: {min: 0, max: 9, step: 0.5}",
    "      listening: {min: 10, max: 9, step: 0.5}",
    "tables[0].score_range.listening",
    "min 10",
    "below max 9",
)
level_13 = _ielts("      listening: {10: 8.5,", "      listening: {13: 8.5,", "tables[0]", "levels 1-12", "13")
minimum_outside_range = _ielts(
    "      listening: {10: 8.5,", "      listening: {10: 85,", "tables[0]", "85", "outside the score range"
)


def renamed_test_id(root: Path) -> Expected:
    line = edit(root, IELTS, "test: ielts_general", "test: ielts_generl")
    return Expected(f"rulesets/{IELTS}", line, "test", ("'ielts_generl'", "ielts_general.yaml"))


# --- NOC tables ------------------------------------------------------------------------------------


def teer_9(root: Path) -> Expected:
    line = edit(root, NOC2021, "00010,Legislators,0,", "00010,Legislators,9,")
    return Expected(f"rulesets/{NOC2021}", line, "teer", ("'9'", "0, 1, 2, 3, 4, 5"))


def duplicate_noc_row(root: Path) -> Expected:
    path = root / NOC2021
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "00010,Legislators again,0,Legislative and senior management occupations\n", encoding="utf-8"
    )
    return Expected(f"rulesets/{NOC2021}", text.count("\n") + 1, "code", ("duplicate", "'00010'", "first on line 2"))


def row_cut_to_one_field(root: Path) -> Expected:
    line = line_of(root, NOC2021, "00011,")
    path = root / NOC2021
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = "00011"
    path.write_text("\n".join(lines), encoding="utf-8")
    return Expected(f"rulesets/{NOC2021}", line, None, ("1 field(s)", "header has 4"))


def missing_title(root: Path) -> Expected:
    line = edit(root, NOC2021, "00010,Legislators,0,", "00010,,0,")
    return Expected(f"rulesets/{NOC2021}", line, "title", ("'00010'", "no title"))


# --- rules: contradictions, cycles, size ------------------------------------------------------------


def where_deleted(root: Path) -> Expected:
    edit(
        root,
        NEW_EDITION,
        "        as: work\n        where:\n          qualifying_hours: {gte: {param: min_qualifying_hours}}\n",
        "        as: work\n",
    )
    line = line_of(root, NEW_EDITION, "      fail: skilled_work_experience")
    return Expected(
        NEW_FILE,
        line,
        "rules[1].then.fail",
        ("'experience_hours_short'", "'experience_hours_reached'", "line ", "concluded two ways"),
    )


def comparison_dropped(root: Path) -> Expected:
    """The two rules then test different fields: independent fields can both hold."""
    line = edit(
        root,
        NEW_EDITION,
        "          possible_hours: {lt: {param: min_qualifying_hours}}\n          unsettled_periods: {eq: 0}\n",
        "          unsettled_periods: {eq: 0}\n",
    )
    return Expected(
        NEW_FILE, line + 2, "rules[1].then.fail", ("'experience_hours_short'", "'experience_hours_reached'")
    )


def overlapping_membership(root: Path) -> Expected:
    line = edit(
        root,
        NEW_EDITION,
        "          intended_province: {in: {param: excluded_provinces}}",
        "          intended_province: {in: [ON, QC]}",
    )
    return Expected(
        NEW_FILE,
        line + 2,
        re.compile(r"rules\[\d+\]\.then\.fail"),
        ("'intends_to_live_in_quebec'", "'intends_to_live_outside_quebec'"),
    )


def rule_derives_its_own_kind(root: Path) -> Expected:
    line = edit(
        root,
        NEW_EDITION,
        "          tied: {eq: false}\n    then:\n      derive:\n        fact: language_requirement\n",
        "          tied: {eq: false}\n    then:\n      derive:\n        fact: primary_occupation\n",
    )
    return Expected(
        NEW_FILE,
        line + 3,
        re.compile(r"rules\[\d+\]\.then\.derive\.fact"),
        ("'language_level_from_main_occupation'", "primary_occupation -> primary_occupation", "forever"),
    )


def _copies(
    root: Path, count: int, kind: str = "applicant", where: str = "admissible: {eq: true}", meet: str = "admissibility"
) -> None:
    copies = "".join(
        f"  - id: copy_{i}\n    description: copy\n    when:\n      - fact: {kind}\n        where:\n          {where}\n"
        f"    then:\n      meet: {meet}\n      reason: copy\n"
        for i in range(count)
    )
    edit(root, NEW_EDITION, "\n# --- explanations", "\n" + copies + "\n# --- explanations")


def too_many_rules(root: Path) -> Expected:
    _copies(root, MAX_RULES)
    return Expected(
        NEW_FILE,
        line_of(root, NEW_EDITION, "\nrules:") + 1,
        "rules",
        (" rules; a ruleset may have at most", str(MAX_RULES)),
    )


def too_many_patterns_on_one_kind(root: Path) -> Expected:
    existing = (root / NEW_EDITION).read_text(encoding="utf-8").count("fact: applicant\n")
    _copies(root, MAX_PATTERNS_PER_KIND)
    first_beyond = line_of(root, NEW_EDITION, f"  - id: copy_{MAX_PATTERNS_PER_KIND - existing}\n")
    return Expected(
        NEW_FILE,
        first_beyond,
        re.compile(r"rules\[\d+\]"),
        ("match fact 'applicant'", f"at most {MAX_PATTERNS_PER_KIND} per fact kind"),
    )


# --- criterion descriptions ------------------------------------------------------------------------


def stale_number_in_description(root: Path) -> Expected:
    line = edit(
        root, NEW_EDITION, "      en: At least {param.min_qualifying_hours} hours", "      en: At least 1,560 hours"
    )
    return Expected(
        NEW_FILE,
        line,
        "criteria.skilled_work_experience.description.en",
        ("'1,560'", "min_qualifying_hours", "{param.min_qualifying_hours}"),
    )


def unknown_parameter_in_description(root: Path) -> Expected:
    line = edit(
        root,
        NEW_EDITION,
        "      en: At least {param.min_qualifying_hours} hours",
        "      en: At least {param.min_hours} hours",
    )
    return Expected(
        NEW_FILE,
        line,
        "criteria.skilled_work_experience.description.en",
        ("'min_hours'", "did you mean 'min_qualifying_hours'"),
    )


FIXTURES = [
    excluded_province_typo,
    accepted_test_typo,
    numbers_where_levels_expected,
    level_not_in_the_classification,
    unknown_country,
    unknown_noc_version,
    empty_province_list,
    incomplete_province_list,
    level_table_missing_a_level,
    level_table_value_out_of_range,
    accepted_from_unknown_test,
    accepted_from_not_a_date,
    infinite_hours,
    huge_negative_hours,
    weekly_cap_10_to_30,
    validity_2_to_63,
    window_3000_years,
    weekly_cap_zero,
    infinite_number_in_a_condition,
    step_zero,
    step_vanishing,
    minimum_above_maximum,
    level_13,
    minimum_outside_range,
    renamed_test_id,
    teer_9,
    duplicate_noc_row,
    row_cut_to_one_field,
    missing_title,
    where_deleted,
    comparison_dropped,
    overlapping_membership,
    rule_derives_its_own_kind,
    too_many_rules,
    too_many_patterns_on_one_kind,
    stale_number_in_description,
    unknown_parameter_in_description,
]
IDS = [f.__name__ for f in FIXTURES]


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_reported_with_file_line_key_path_and_word_and_cli_exits_2(tmp_path, fixture):
    root = copy_rulesets(tmp_path)
    expected = fixture(root)
    problems = load_problems(root)
    assert any(expected.matches(p) for p in problems), f"expected {expected}\ngot:\n{describe(problems)}"
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert str(next(p for p in problems if expected.matches(p))) in result.stderr


# --- symbolic links: reported, never silently skipped --------------------------------------------------


def test_an_edition_file_that_is_a_symlink_loop_is_reported(tmp_path):
    root = copy_rulesets(tmp_path)
    (root / NEW_EDITION).unlink()
    os.symlink("ruleset.yaml", root / NEW_EDITION)
    problems = load_problems(root)
    assert any(p.path == NEW_FILE and "cannot read" in p.message for p in problems), describe(problems)


def test_an_edition_folder_that_is_a_symlink_loop_is_reported(tmp_path):
    root = copy_rulesets(tmp_path)
    os.symlink("2030-01-01", root / "cec/2030-01-01")
    problems = load_problems(root)
    assert any(p.path == "rulesets/cec/2030-01-01" and "looping symbolic link" in p.message for p in problems), (
        describe(problems)
    )


def test_a_data_file_that_is_a_symlink_loop_is_reported(tmp_path):
    root = copy_rulesets(tmp_path)
    (root / IELTS).unlink()
    os.symlink("ielts_general.yaml", root / IELTS)
    problems = load_problems(root)
    line = line_of(root, NEW_EDITION, "    - data/language/ielts_general.yaml")
    assert any(p.path == NEW_FILE and p.line == line and "ielts_general.yaml" in p.message for p in problems), describe(
        problems
    )


# --- contradictions include undetermined (a third verdict) ------------------------------------------


def test_a_deleted_where_contradicts_the_undetermined_rule_too(tmp_path):
    root = copy_rulesets(tmp_path)
    where_deleted(root)
    line = line_of(root, NEW_EDITION, "      undetermined: skilled_work_experience")
    problems = load_problems(root)
    assert any(
        p.line == line and "'experience_hours_reached'" in p.message and "(undetermined)" in p.message for p in problems
    ), describe(problems)


# --- the last line of defence: a bound on rule firings per decision -----------------------------------


def test_a_decision_that_fires_more_rules_than_the_bound_is_an_internal_error_naming_them():
    result = CliRunner().invoke(cli, ["evaluate", str(EXAMPLES / "eligible.yaml")], env={"CEC_MAX_FIRINGS": "3"})
    assert result.exit_code == 1
    assert "more than 3 rule firings" in result.stderr and "experience_hours_reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_rules_that_feed_each_other_stop_at_the_bound():
    """The validator refuses such a ruleset; this builds one past it, as a last line of defence."""
    library = load_bundled_or(None)
    edition = library.programs["cec"][-1]
    loop = Rule.model_validate(
        {
            "id": "feeds_itself",
            "description": "x",
            "when": [{"fact": "language_requirement", "as": "r"}],
            "then": {
                "derive": {
                    "fact": "language_requirement",
                    "set": {
                        "reading": {"ref": "r.reading"},
                        "level": {"ref": "r.level"},
                        "basis": {"text": "again {r.basis}"},
                    },
                }
            },
        }
    )
    looping = dataclasses.replace(
        edition, ruleset=edition.ruleset.model_copy(update={"rules": [*edition.ruleset.rules, loop]}), sha256="loop"
    )
    with pytest.raises(EngineError, match=r"more than 1,000 rule firings .* feeds_itself \(\d+ times\)"):
        Evaluator(library, "cec").evaluate(read_applicant_file(EXAMPLES / "eligible.yaml"), edition=looping)


# --- descriptions show the parameter's value ----------------------------------------------------------


def test_explain_fills_a_criterion_description_from_the_parameter(tmp_path):
    root = copy_rulesets(tmp_path)
    edit(root, NEW_EDITION, "    value: 1560", "    value: 1700")
    result = CliRunner().invoke(cli, ["explain", "--rulesets", str(root), str(EXAMPLES / "eligible.yaml")])
    assert result.exit_code == 0, result.stderr
    assert "At least 1,700 hours of paid, authorized work" in result.stdout
    assert "At least 1,560" not in result.stdout and "{param." not in result.stdout


def test_field_relations_the_program_declares_separate_the_bundled_experience_rules():
    """qualifying_hours <= possible_hours is what makes "reached" and "short however codes are read"
    exclusive; without that declaration the analysis would report them (fields are otherwise independent)."""
    load_library(None, {"cec": CEC})
    with pytest.raises(RulesetErrors, match="'experience_hours_short' \\(fail\\) and 'experience_hours_reached'"):
        load_library(None, {"cec": dataclasses.replace(CEC, field_relations={})})
