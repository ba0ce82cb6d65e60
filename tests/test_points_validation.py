"""Validation of decision tables and points grids (STYLE.md practice 5): one bad fixture per error kind, each
an edit of a private copy of the `pts` test program (tests/fixtures/points); each problem must name the
file, the line, the key path and the offending words. Includes the issue's check: the gap/overlap analysis
catches a broken age table (a missing age, two rows for one age) with file:line."""

from __future__ import annotations

import re
from importlib.metadata import EntryPoint

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine import program
from cec_rules.engine.errors import RulesetErrors
from cec_rules.engine.library import load_library
from points_program import FIXTURE, PROGRAM, RULESET, copy_fixture
from support import edit, line_of

FILE = "points/" + RULESET


def problems(root) -> list:
    with pytest.raises(RulesetErrors) as caught:
        load_library(root, {"pts": PROGRAM})
    return caught.value.problems


def assert_reported(found: list, line: int, key_path: str, *words: str) -> None:
    assert any(
        p.path == FILE and p.line == line and p.key_path == key_path and all(w in p.message for w in words)
        for p in found
    ), "\n".join(map(str, found))


def test_the_fixture_is_valid():
    assert not load_library(FIXTURE, {"pts": PROGRAM}).unavailable


def test_a_missing_age_and_two_rows_for_one_age_are_caught_with_their_lines(tmp_path):
    root = copy_fixture(tmp_path)
    row_36 = line_of(root, RULESET, "{age: {eq: 36}}")
    row_37 = edit(root, RULESET, "{when: {age: {eq: 37}}, value: 10}", "{when: {age: {eq: 36}}, value: 10}")
    found = problems(root)
    table = line_of(root, RULESET, "  age_points:")
    assert_reported(found, table, "tables.age_points", "age 37 is covered by no row")
    assert_reported(
        found,
        row_37,
        "tables.age_points.rows[3]",
        f"age 36 is covered by rows[2] (line {row_36}) and rows[3] (line {row_37})",
    )
    assert len(found) == 2


def test_a_gap_over_a_range_names_the_range(tmp_path):
    root = copy_fixture(tmp_path)
    edit(root, RULESET, "{when: {age: {gte: 47}}, value: 0}", "{when: {age: {gte: 50}}, value: 0}")
    assert_reported(
        problems(root),
        line_of(root, RULESET, "  age_points:"),
        "tables.age_points",
        "age 47 to 49 is covered by no row",
    )


def test_gaps_in_a_product_of_inputs_name_every_input(tmp_path):
    root = copy_fixture(tmp_path)
    edit(
        root,
        RULESET,
        "{when: {clb: {eq: 8}, first_language: {eq: true}}, value: 5}",
        "{when: {clb: {eq: 8}, first_language: {eq: false}}, value: 5}",
    )
    found = problems(root)
    table = line_of(root, RULESET, "  language_points:")
    assert_reported(found, table, "tables.language_points", "clb 8, first_language true is covered by no row")
    row_2 = line_of(root, RULESET, "{when: {clb: {eq: 8}, first_language: {eq: false}}")
    row_4 = line_of(root, RULESET, "{when: {clb: {gte: 7}, first_language: {eq: false}}")
    assert_reported(
        found,
        row_4,
        "tables.language_points.rows[4]",
        f"clb 8, first_language false is covered by rows[2] (line {row_2}) and rows[4] (line {row_4})",
    )


def test_a_row_value_of_the_wrong_type(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(root, RULESET, "{when: {age: {eq: 36}}, value: 11}", "{when: {age: {eq: 36}}, value: eleven}")
    assert_reported(
        problems(root), line, "tables.age_points.rows[2].value", '"eleven" is not an integer', "output.type"
    )


def test_an_unknown_input_in_a_row(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(root, RULESET, "{when: {age: {eq: 36}}, value: 11}", "{when: {aeg: {eq: 36}}, value: 11}")
    assert_reported(
        problems(root), line, "tables.age_points.rows[2].when.aeg", "unknown input 'aeg'", "did you mean 'age'?"
    )


def test_an_unknown_parameter_in_a_row(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(
        root,
        RULESET,
        "{when: {age: {lt: {param: adult_age}}}, value: 0}",
        "{when: {age: {lt: {param: adult_aeg}}}, value: 0}",
    )
    assert_reported(
        problems(root),
        line,
        "tables.age_points.rows[0].when.age.lt.param",
        "unknown parameter 'adult_aeg'",
        "did you mean 'adult_age'?",
    )


def test_a_parameter_of_the_wrong_type_in_a_row(tmp_path):
    root = copy_fixture(tmp_path)
    edit(root, RULESET, "    value: 18\n", "    value: eighteen\n")
    line = line_of(root, RULESET, "{when: {age: {lt: {param: adult_age}}}")
    assert_reported(
        problems(root),
        line,
        "tables.age_points.rows[0].when.age.lt",
        "parameter 'adult_age' holds \"eighteen\"",
        "not a number",
    )


def test_an_unknown_enum_value_in_a_row(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(
        root, RULESET, "{when: {level: {eq: doctoral}}, value: 25}", "{when: {level: {eq: doctorate}}, value: 25}"
    )
    assert_reported(
        problems(root),
        line,
        "tables.education_points.rows[4].when.level.eq",
        'unknown value "doctorate"',
        "did you mean 'doctoral'?",
    )


def test_an_ordering_on_an_enum_input(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(
        root, RULESET, "{when: {level: {eq: doctoral}}, value: 25}", "{when: {level: {gte: doctoral}}, value: 25}"
    )
    assert_reported(problems(root), line, "tables.education_points.rows[4].when.level.gte", "compares numbers", "enum")


def test_an_input_domain_without_its_bounds(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(root, RULESET, "age: {type: integer, min: 0, max: 130}", "age: {type: integer, min: 0}")
    assert_reported(problems(root), line, "tables.age_points.inputs.age", "needs `min` and `max`")


def test_an_unknown_table_in_an_expression(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(
        root,
        RULESET,
        "{table: age_points, inputs: {age: {ref: person.age}}}",
        "{table: age_pionts, inputs: {age: {ref: person.age}}}",
    )
    assert_reported(
        problems(root),
        line,
        "rules[0].then.award.points.table",
        "unknown table 'age_pionts'",
        "did you mean 'age_points'?",
    )


def test_a_wrong_input_name_in_an_expression(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(
        root,
        RULESET,
        "{table: age_points, inputs: {age: {ref: person.age}}}",
        "{table: age_points, inputs: {years: {ref: person.age}}}",
    )
    found = problems(root)
    assert_reported(found, line, "rules[0].then.award.points.inputs.years", "table 'age_points' has no input 'years'")
    assert_reported(found, line, "rules[0].then.award.points.inputs", "needs input(s) age")


def test_a_literal_input_outside_its_domain(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(
        root,
        RULESET,
        "inputs: {clb: {ref: ability.clb}, first_language: true}",
        "inputs: {clb: {ref: ability.clb}, first_language: 1}",
    )
    assert_reported(
        problems(root),
        line,
        "rules[2].then.award.points.inputs.first_language",
        "1 is outside the domain of input 'first_language' (true or false)",
    )


def test_an_award_to_an_undeclared_factor(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(root, RULESET, "award: {factor: age,", "award: {factor: aeg,")
    assert_reported(problems(root), line, "rules[0].then.award.factor", "unknown factor 'aeg'", "did you mean 'age'?")


def test_undetermined_points_of_an_undeclared_factor(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(root, RULESET, "undetermined_points: age\n", "undetermined_points: ages\n")
    assert_reported(problems(root), line, "rules[1].then.undetermined_points", "unknown factor 'ages'")


def test_points_that_are_not_a_number(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(
        root,
        RULESET,
        "award: {factor: adaptability_relative, points: 5}",
        "award: {factor: adaptability_relative, points: five}",
    )
    assert_reported(problems(root), line, "rules[7].then.award.points", '"five" is not a number of points')


def test_points_from_a_table_of_text(tmp_path):
    root = copy_fixture(tmp_path)
    edit(root, RULESET, "doctoral]}\n    output: {type: integer}", "doctoral]}\n    output: {type: string}")
    line = line_of(root, RULESET, "award: {factor: education, points: {table: education_points")
    assert_reported(problems(root), line, "rules[4].then.award.points.table", "gives string values, not points")


def test_an_award_in_the_final_phase(tmp_path):
    root = copy_fixture(tmp_path)
    edit(
        root,
        RULESET,
        "    citation: IRPR 83(1)(e)\n    when:",
        "    citation: IRPR 83(1)(e)\n    phase: final\n    when:",
    )
    line = line_of(root, RULESET, "    phase: final\n    when:\n      - fact: person")
    assert_reported(problems(root), line, "rules[7].phase", "cannot award")


def test_a_rule_on_the_score_outside_the_final_phase(tmp_path):
    root = copy_fixture(tmp_path)
    edit(
        root,
        RULESET,
        "  - id: pass_mark_reached\n    description: The points reach the pass mark, however the undetermined factors turn out.\n    citation: IRPR 76(2)\n    phase: final\n",
        "  - id: pass_mark_reached\n    description: The points reach the pass mark, however the undetermined factors turn out.\n    citation: IRPR 76(2)\n",
    )
    rule = line_of(root, RULESET, "  - id: pass_mark_reached")
    assert_reported(problems(root), rule + 4, "rules[8].when[0].fact", "needs `phase: final`")


def test_an_award_without_a_score_section(tmp_path):
    root = copy_fixture(tmp_path)
    text = (root / RULESET).read_text(encoding="utf-8")
    edit(root, RULESET, text[text.index("score:\n") : text.index("rules:\n")], "")
    line = line_of(root, RULESET, "award: {factor: age,")
    assert_reported(problems(root), line, "rules[0].then.award.factor", "no score: section")


def test_a_cap_naming_an_unknown_factor(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(
        root,
        RULESET,
        "factors: [adaptability_spouse_language, adaptability_canadian_study, adaptability_relative]",
        "factors: [adaptability_spouse_language, adaptability_canadian_studies, adaptability_relative]",
    )
    assert_reported(
        problems(root),
        line,
        "score.caps[0].factors[1]",
        "unknown factor 'adaptability_canadian_studies'",
        "did you mean 'adaptability_canadian_study'?",
    )


def test_caps_that_overlap_without_nesting(tmp_path):
    root = copy_fixture(tmp_path)
    edit(
        root,
        RULESET,
        "       description: {en: Adaptability, fr: Capacité d'adaptation}, citation: IRPR 83(1)}\n",
        "       description: {en: Adaptability, fr: Capacité d'adaptation}, citation: IRPR 83(1)}\n"
        "    - {id: study_and_age, factors: [adaptability_canadian_study, age], max: 15}\n",
    )
    line = line_of(root, RULESET, "    - {id: study_and_age")
    assert_reported(
        problems(root),
        line,
        "score.caps[1]",
        "caps 'adaptability' and 'study_and_age' share adaptability_canadian_study",
        "nest",
    )


def test_a_factor_named_like_a_total(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(root, RULESET, "    age: {max: 12,", "    total: {max: 12,")
    assert_reported(problems(root), line, "score.factors.total", "factor 'total' would hide")


def test_a_factor_named_like_the_settled_field(tmp_path):
    root = copy_fixture(tmp_path)
    line = edit(root, RULESET, "    age: {max: 12,", "    settled: {max: 12,")
    assert_reported(problems(root), line, "score.factors.settled", "factor 'settled' would hide")


def test_validate_reports_the_broken_table_through_the_cli(tmp_path, monkeypatch):
    entries = [EntryPoint("pts", "points_program:PROGRAM", program.ENTRY_POINT_GROUP)]
    monkeypatch.setattr(program, "entry_points", lambda group: entries)
    program._discover.cache_clear()
    try:
        root = copy_fixture(tmp_path)
        edit(root, RULESET, "      - {when: {age: {eq: 40}}, value: 7}\n", "")
        result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    finally:
        monkeypatch.undo()
        program._discover.cache_clear()
    assert result.exit_code == 2
    table = line_of(root, RULESET, "  age_points:")
    assert re.search(
        rf"{re.escape(FILE)}:{table}:\d+: tables\.age_points: age 40 is covered by no row", result.output
    ), result.output


def test_undetermined_points_without_needs(tmp_path):
    root = copy_fixture(tmp_path)
    edit(
        root,
        RULESET,
        '      needs: [{field: date_of_birth, why: {text: "the age on the application date gives up to 12 points"}}]\n',
        "",
    )
    found = problems(root)
    line = line_of(root, RULESET, "      undetermined_points: age") - 1
    assert any(
        p.path == FILE
        and p.line == line
        and p.key_path == "rules[1].then"
        and "an undetermined_points conclusion needs `needs`" in p.message
        for p in found
    ), "\n".join(map(str, found))


def test_an_award_without_a_reason(tmp_path):
    root = copy_fixture(tmp_path)
    edit(root, RULESET, "      reason: a relative in Canada\n", "")
    found = problems(root)
    line = line_of(root, RULESET, "award: {factor: adaptability_relative") - 1  # the `then:` key
    assert any(
        p.path == FILE
        and p.line == line
        and p.key_path == "rules[7].then"
        and "an award conclusion needs a reason" in p.message
        for p in found
    ), "\n".join(map(str, found))


# --- possible_points: the bounds of an undetermined factor (engine/possible_points.py) ---------------------

AGE_RULE = "      undetermined_points: age\n"


def with_possible(tmp_path, possible: str) -> tuple[list, int]:
    """The problems of the fixture with `possible_points: POSSIBLE` on its age_unknown rule, and that line."""
    root = copy_fixture(tmp_path)
    line = edit(root, RULESET, AGE_RULE, AGE_RULE + f"      possible_points: {possible}\n") + 1
    return problems(root), line


def test_possible_points_on_an_award(tmp_path):
    root = copy_fixture(tmp_path)
    edit(
        root,
        RULESET,
        "award: {factor: adaptability_relative, points: 5}\n",
        "award: {factor: adaptability_relative, points: 5}\n      possible_points: {one_of: [0, 5]}\n",
    )
    line = line_of(root, RULESET, "award: {factor: adaptability_relative") - 1  # the `then:` key
    assert_reported(problems(root), line, "rules[7].then", "possible_points: only an undetermined_points conclusion")


@pytest.mark.parametrize(
    "possible, key_path, words",
    [
        (
            "{table: age_pionts, inputs: {age: {from: 36, to: 40}}}",
            "table",
            ("unknown table 'age_pionts'", "did you mean 'age_points'?"),
        ),
        (
            "{table: language_points, inputs: {clb: 7, first_language: {from: 0, to: 1}}}",
            "inputs.first_language",
            ("input 'first_language' of table 'language_points' is boolean", "only an integer input takes a range"),
        ),
        ("{table: age_points, inputs: {age: {from: 40, to: 36}}}", "inputs.age", ("from 40 is above to 36",)),
        (
            "{table: age_points, inputs: {age: {from: 0, to: 200}}}",
            "inputs.age.to",
            ("200 is outside the domain of input 'age' (integer 0 to 130)",),
        ),
        (
            "{table: age_points, inputs: {age: {from: 36, too: 40}}}",
            "inputs.age.too",
            ("unknown key 'too'", "did you mean 'to'?"),
        ),
        (
            "{table: language_points, inputs: {clb: {from: 0, to: 12}}}",
            "inputs",
            ("table 'language_points' needs input(s) first_language",),
        ),
        ("{one_of: [0, five]}", "one_of[1]", ('"five" is not a number of points',)),
        (
            "{one_of: [0, {ref: human.age}]}",
            "one_of[1].ref",
            ("'human.age' refers to 'human', which no earlier pattern of this rule names",),
        ),
        (
            "{one_of: [0, {param: adaptability_pionts}]}",
            "one_of[1].param",
            ("unknown parameter 'adaptability_pionts'", "did you mean 'adaptability_points'?"),
        ),
        ("{one_of: []}", "one_of", ("at least 1 item",)),
        ("{table: age_points}", "", ("either `table` with `inputs` (a table range) or `one_of`",)),
    ],
)
def test_possible_points_mistakes_are_reported_with_their_line_and_key_path(tmp_path, possible, key_path, words):
    found, line = with_possible(tmp_path, possible)
    assert_reported(found, line, "rules[1].then.possible_points" + ("." + key_path if key_path else ""), *words)


def test_possible_points_from_a_table_of_text(tmp_path):
    root = copy_fixture(tmp_path)
    edit(root, RULESET, "doctoral]}\n    output: {type: integer}", "doctoral]}\n    output: {type: string}")
    line = (
        edit(
            root,
            RULESET,
            AGE_RULE,
            AGE_RULE + "      possible_points: {one_of: [0, {table: education_points, inputs: {level: masters}}]}\n",
        )
        + 1
    )
    assert_reported(
        problems(root), line, "rules[1].then.possible_points.one_of[1].table", "gives string values, not points"
    )
