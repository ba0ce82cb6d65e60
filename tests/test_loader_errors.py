"""Ruleset validation (STYLE.md practice 5): one bad fixture per error kind.

Each fixture is a private copy of the bundled rulesets with one text edit. Each test asserts the problem
names the file (relative to the rulesets folder's parent), the line, the key path where one is
meaningful, and the offending word; both through the library and through `cec rulesets validate DIR`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.errors import RulesetErrors
from cec_rules.engine.evaluator import load_bundled_or
from support import NEW_EDITION, OLD_EDITION, copy_rulesets, edit, line_of

NEW_FILE = f"rulesets/{NEW_EDITION}"
OLD_FILE = f"rulesets/{OLD_EDITION}"
CORRESPONDENCE = "data/noc/noc2016_to_2021.csv"
RULE0_HEAD = "  - id: experience_hours_reached\n    description: Qualifying hours in the window reach the minimum.\n    citation: IRPR 87.1(2)(a)\n    when:\n"


@dataclass
class Expected:
    """Where one problem must be reported and what it must say."""

    path: str
    line: int
    key_path: str | re.Pattern | None  # None: no key path is meaningful (syntax errors, CSV rows)
    words: tuple[str, ...]
    alternatives: list["Expected"] = field(default_factory=list)  # other acceptable locations

    def matches(self, problem) -> bool:
        return any(e._matches(problem) for e in [self, *self.alternatives])

    def _matches(self, problem) -> bool:
        if problem.path != self.path or problem.line != self.line:
            return False
        if isinstance(self.key_path, re.Pattern):
            if not self.key_path.fullmatch(problem.key_path):
                return False
        elif self.key_path is not None and problem.key_path != self.key_path:
            return False
        return all(word in problem.message for word in self.words)


# --- the fixtures: each edits a fresh copy and returns where the problem must be reported ---------


def unknown_key(root: Path) -> Expected:
    line = edit(
        root,
        NEW_EDITION,
        "    citation: IRPR 87.1(2)(a); IRCC CEC page (1,560 hours)",
        "    citaton: IRPR 87.1(2)(a); IRCC CEC page (1,560 hours)",
    )
    return Expected(NEW_FILE, line, "parameters.min_qualifying_hours.citaton", ("citaton",))


def wrong_type_of_parameter(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, "    value: 1560", "    value: many")
    at_parameter = line_of(root, NEW_EDITION, "  min_qualifying_hours:")
    return Expected(
        NEW_FILE,
        line,
        "parameters.min_qualifying_hours.value",
        ("many",),
        [Expected(NEW_FILE, at_parameter, "parameters.min_qualifying_hours", ("many",))],
    )


def wrong_type_in_rule(root: Path) -> Expected:
    edit(root, NEW_EDITION, RULE0_HEAD, RULE0_HEAD.replace("    when:\n", "    priority: high\n    when:\n"))
    return Expected(NEW_FILE, line_of(root, NEW_EDITION, "priority: high"), "rules[0].priority", ("high",))


def duplicate_key(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, "    value: 1560", "    value: 1560\n    value: 1600") + 1
    return Expected(NEW_FILE, line, "parameters.min_qualifying_hours.value", ("duplicate", "value"))


def invalid_yaml(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, "    unit: hours\n    value: 1560", "    unit: hours: per: year\n    value: 1560")
    return Expected(NEW_FILE, line, None, ("not valid YAML",))


def unknown_parameter(root: Path) -> Expected:
    line = edit(
        root,
        NEW_EDITION,
        "qualifying_hours: {gte: {param: min_qualifying_hours}}",
        "qualifying_hours: {gte: {param: min_qualifying_hour}}",
    )
    return Expected(
        NEW_FILE,
        line,
        "rules[0].when[0].where.qualifying_hours.gte.param",
        ("'min_qualifying_hour'", "did you mean 'min_qualifying_hours'"),
    )


def unknown_fact(root: Path) -> Expected:
    edit(
        root,
        NEW_EDITION,
        RULE0_HEAD + "      - fact: work_experience\n",
        RULE0_HEAD + "      - fact: work_experiance\n",
    )
    return Expected(
        NEW_FILE,
        line_of(root, NEW_EDITION, "fact: work_experiance"),
        "rules[0].when[0].fact",
        ("'work_experiance'", "did you mean 'work_experience'"),
    )


def unknown_fact_field(root: Path) -> Expected:
    line = edit(
        root,
        NEW_EDITION,
        "qualifying_hours: {gte: {param: min_qualifying_hours}}",
        "qualifying_hour: {gte: {param: min_qualifying_hours}}",
    )
    return Expected(
        NEW_FILE,
        line,
        "rules[0].when[0].where.qualifying_hour",
        ("'qualifying_hour'", "did you mean 'qualifying_hours'"),
    )


def criterion_never_met(root: Path) -> Expected:
    edit(root, NEW_EDITION, "      meet: admissibility", "      fail: admissibility")
    return Expected(
        NEW_FILE, line_of(root, NEW_EDITION, "  admissibility:"), "criteria.admissibility", ("'admissibility'", "never")
    )


def undefined_criterion(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, "      meet: outside_quebec", "      meet: outside_quebek")
    return Expected(
        NEW_FILE, line, re.compile(r"rules\[\d+\]\.then\.meet"), ("'outside_quebek'", "did you mean 'outside_quebec'")
    )


def _timeline(root: Path, effective_to: str, word: str) -> Expected:
    old_line = edit(root, OLD_EDITION, 'effective_to: "2022-11-15"', f'effective_to: "{effective_to}"')
    new_line = line_of(root, NEW_EDITION, "effective_from:")
    return Expected(
        NEW_FILE,
        new_line,
        "effective_from",
        (effective_to, word, "2015-01-01"),
        [Expected(OLD_FILE, old_line, "effective_to", (effective_to, word, "2022-11-16"))],
    )


def overlapping_editions(root: Path) -> Expected:
    return _timeline(root, "2022-11-20", "overlap")


def gap_between_editions(root: Path) -> Expected:
    return _timeline(root, "2022-11-10", "gap")


def effective_to_before_effective_from(root: Path) -> Expected:
    line = edit(root, OLD_EDITION, 'effective_to: "2022-11-15"', 'effective_to: "2014-12-31"')
    return Expected(OLD_FILE, line, "effective_to", ("2014-12-31",))


def correspondence_unknown_code(root: Path) -> Expected:
    path = root / CORRESPONDENCE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "1432,Payroll administrators,99999,No such unit group,VC1 - Code Change,,1,1,1:1\n", encoding="utf-8"
    )
    return Expected(f"rulesets/{CORRESPONDENCE}", text.count("\n") + 1, None, ("99999",))


def unknown_data_name(root: Path) -> Expected:
    """`data:` names what the program's plugin reads (its `data_files`): a misspelt name is unknown."""
    line = edit(root, NEW_EDITION, "  noc_2016: data/noc/noc2016.csv\n", "  noc_2061: data/noc/noc2016.csv\n")
    return Expected(
        NEW_FILE,
        line,
        "data.noc_2061",
        ("unknown data file 'noc_2061'", "did you mean 'noc_2016'?", "noc_correspondence"),
    )


def missing_data_name(root: Path) -> Expected:
    edit(root, NEW_EDITION, "  noc_correspondence: data/noc/noc2016_to_2021.csv\n", "")
    return Expected(
        NEW_FILE,
        line_of(root, NEW_EDITION, "\ndata:") + 1,
        "data",
        ("missing data file 'noc_correspondence' (one path)",),
    )


def data_list_for_one_path(root: Path) -> Expected:
    line = edit(root, NEW_EDITION, "  noc_2021: data/noc/noc2021.csv\n", "  noc_2021: [data/noc/noc2021.csv]\n")
    return Expected(NEW_FILE, line, "data.noc_2021", ("'noc_2021' needs one path, not a list of paths",))


def value_dates_out_of_order(root: Path) -> Expected:
    """A mistyped year in a parameter's `values`: its dates no longer increase."""
    line = edit(root, NEW_EDITION, '      "2024-01-30": [celpip_general', '      "2021-01-30": [celpip_general')
    return Expected(
        NEW_FILE,
        line,
        "parameters.accepted_language_tests.values.2021-01-30",
        ("the dates of values must increase: 2021-01-30 comes after 2022-11-16", "mistyped year"),
    )


def key_indented_less(root: Path) -> Expected:
    """A parameter's key indented less than its siblings: PyYAML's words, then what to do."""
    line = edit(root, NEW_EDITION, "    unit: hours\n    value: 1560", "  unit: hours\n    value: 1560") + 1
    return Expected(
        NEW_FILE,
        line,
        "parameters.unit.value",
        ("not valid YAML: mapping values are not allowed here", "align the keys of one mapping"),
    )


def value_indented_less(root: Path) -> Expected:
    """A key indented one space less than its siblings: the key path is the line's own, not its block's."""
    line = edit(root, NEW_EDITION, "    unit: years\n    value: 3\n", "    unit: years\n   value: 3\n") + 1
    return Expected(
        NEW_FILE,
        line,
        "parameters.experience_window_years.value",
        ("not valid YAML: expected <block end>", "indented less or more than the keys beside it"),
    )


FIXTURES = [
    unknown_key,
    wrong_type_of_parameter,
    wrong_type_in_rule,
    duplicate_key,
    invalid_yaml,
    unknown_parameter,
    unknown_fact,
    unknown_fact_field,
    criterion_never_met,
    undefined_criterion,
    overlapping_editions,
    gap_between_editions,
    effective_to_before_effective_from,
    correspondence_unknown_code,
    unknown_data_name,
    missing_data_name,
    data_list_for_one_path,
    value_dates_out_of_order,
    key_indented_less,
    value_indented_less,
]
IDS = [f.__name__ for f in FIXTURES]


def load_problems(root: Path) -> list:
    with pytest.raises(RulesetErrors) as caught:
        load_bundled_or(root)
    return caught.value.problems


def describe(problems) -> str:
    return "\n".join(str(p) for p in problems)


# --- the tests -------------------------------------------------------------------------------------


def test_the_unedited_copy_is_valid(tmp_path):
    root = copy_rulesets(tmp_path)
    library = load_bundled_or(root)
    assert "cec" in library.programs and not library.unavailable
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"ok: {sum(len(e) for e in library.programs.values())} edition(s)")


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_library_reports_file_line_key_path_and_word(tmp_path, fixture):
    root = copy_rulesets(tmp_path)
    expected = fixture(root)
    problems = load_problems(root)
    assert any(expected.matches(p) for p in problems), f"expected {expected}\ngot:\n{describe(problems)}"


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_cli_validate_exits_2_with_every_problem_on_stderr(tmp_path, fixture):
    root = copy_rulesets(tmp_path)
    fixture(root)
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    for problem in load_problems(root):
        assert str(problem) in result.stderr


def test_two_problems_in_one_file_are_both_reported(tmp_path):
    root = copy_rulesets(tmp_path)
    expected = [unknown_parameter(root), undefined_criterion(root)]
    problems = load_problems(root)
    for one in expected:
        assert any(one.matches(p) for p in problems), f"expected {one}\ngot:\n{describe(problems)}"
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2
    assert "min_qualifying_hour'" in result.stderr and "outside_quebek" in result.stderr


def test_two_shape_problems_in_one_file_are_both_reported(tmp_path):
    root = copy_rulesets(tmp_path)
    expected = [unknown_key(root), wrong_type_in_rule(root)]
    problems = load_problems(root)
    for one in expected:
        assert any(one.matches(p) for p in problems), f"expected {one}\ngot:\n{describe(problems)}"


def test_problems_in_several_files_are_all_reported(tmp_path):
    root = copy_rulesets(tmp_path)
    in_new = unknown_parameter(root)
    old_line = edit(root, OLD_EDITION, "      meet: outside_quebec", "      meet: outside_quebek")
    in_old = Expected(OLD_FILE, old_line, re.compile(r"rules\[\d+\]\.then\.meet"), ("'outside_quebek'",))
    in_csv = correspondence_unknown_code(root)
    problems = load_problems(root)
    for one in (in_new, in_old, in_csv):
        assert any(one.matches(p) for p in problems), f"expected {one}\ngot:\n{describe(problems)}"


def test_missing_rulesets_folder_is_an_error(tmp_path):
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
