"""Editions (DESIGN.md "Editions"): NOC 2016 skill levels until 2022-11-15, NOC 2021 TEER from 2022-11-16,
with codes in the other classification going through StatCan's correspondence.

Each applicant works full time from 2020-01-06 to 2021-12-26 (inside both windows) and has an IELTS
result of 2022-06-01 at CLB 9, so only the occupation decides the outcome.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from support import applicant, criterion, day, job, lang

LAST_OLD_DAY, FIRST_NEW_DAY = day("2022-11-15"), day("2022-11-16")
IELTS_2022 = lang("ielts_general", "2022-06-01", 8.0, 7.0, 7.0, 7.0)

# (2016 code, 2021 code, skilled before 2022-11-16, skilled from 2022-11-16)
RECLASSIFIED = [
    ("3413", "33102", False, True),  # nurse aides: skill level C -> TEER 3
    ("7511", "73300", False, True),  # transport truck drivers: C -> TEER 3
    ("1432", "13102", False, True),  # payroll administrators: C -> TEER 3
    ("5254", "54100", True, False),  # program leaders in recreation and fitness: B -> TEER 4
    ("6342", "64200", True, False),  # tailors: B -> TEER 4
]


def worker(code: str, as_of) -> object:
    return applicant(
        application_date=as_of, work_history=[job(code, "2020-01-06", "2021-12-26", 40)], language_tests=[IELTS_2022]
    )


def cases():
    for old, new, before, after in RECLASSIFIED:
        for code in (old, new):
            yield pytest.param(code, LAST_OLD_DAY, before, "2015-01-01", id=f"{code}-2022-11-15")
            yield pytest.param(code, FIRST_NEW_DAY, after, "2022-11-16", id=f"{code}-2022-11-16")


@pytest.mark.parametrize(("code", "as_of", "eligible", "edition"), list(cases()))
def test_reclassified_occupation_on_each_side_of_2022_11_16(evaluator, code, as_of, eligible, edition):
    decision = evaluator.evaluate(worker(code, as_of), as_of=as_of)
    assert decision.edition == edition
    assert decision.as_of == as_of.isoformat()
    assert decision.eligible is eligible
    assert decision.unmet == ([] if eligible else ["skilled_work_experience"])
    assert decision.derived["periods"][0]["counted"] is eligible
    assert decision.derived["findings"] == []


def test_as_of_overrides_the_application_date(evaluator):
    person = worker("73300", FIRST_NEW_DAY)
    assert evaluator.evaluate(person).eligible
    before = evaluator.evaluate(person, as_of=LAST_OLD_DAY)
    assert before.edition == "2015-01-01"
    assert not before.eligible


def test_split_with_mixed_teers_gives_a_finding_and_is_undetermined(evaluator):
    # NOC 2016 6331 splits into 63201 (TEER 3) and 65202 (TEER 5): skilled or not depends on the target,
    # so the period counts in one reading and not in the other: the experience criterion is undetermined.
    decision = evaluator.evaluate(worker("6331", FIRST_NEW_DAY))
    assert decision.edition == "2022-11-16"
    period = decision.derived["periods"][0]
    assert period["counted"] is None
    assert period["hours"] == 0 and period["possible_hours"] >= 1560
    findings = decision.derived["findings"]
    assert len(findings) == 1
    assert "work_history[0]" in findings[0]
    for code in ("6331", "63201", "65202"):
        assert code in findings[0]
    experience = criterion(decision, "skilled_work_experience")
    assert experience.met is None
    assert [need["field"] for need in experience.needs] == ["work_history[0].noc_code"]
    assert decision.eligible is None
    assert [c.id for c in decision.criteria] == [
        "skilled_work_experience",
        "language_proficiency",
        "outside_quebec",
        "admissibility",
    ]


def test_split_code_is_used_directly_under_its_own_edition(evaluator):
    decision = evaluator.evaluate(worker("6331", LAST_OLD_DAY))  # skill level B before 2022-11-16
    assert decision.derived["findings"] == []
    assert decision.eligible


def test_split_period_does_not_stop_other_periods_from_counting(evaluator):
    person = applicant(
        application_date=FIRST_NEW_DAY,
        language_tests=[IELTS_2022],
        work_history=[job("6331", "2020-01-06", "2020-06-28", 40), job("73300", "2020-07-06", "2021-12-26", 40)],
    )
    decision = evaluator.evaluate(person)
    assert [p["counted"] for p in decision.derived["periods"]] == [None, True]
    assert len(decision.derived["findings"]) == 1
    assert decision.eligible


def test_rulesets_list_shows_both_editions_with_dates():
    result = CliRunner().invoke(cli, ["rulesets", "list"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    old = next(line for line in lines if "2015-01-01" in line)
    new = next(line for line in lines if "2022-11-16" in line and "2015-01-01" not in line)
    assert "2022-11-15" in old
    assert "rulesets/cec/2015-01-01/ruleset.yaml" in old
    assert "rulesets/cec/2022-11-16/ruleset.yaml" in new
    assert lines.index(old) < lines.index(new)


CLB5_IELTS_2022 = lang("ielts_general", "2022-06-01", 5.0, 4.0, 5.0, 5.0)


@pytest.mark.parametrize("code", ["5254", "54100"], ids=["reported-2016", "reported-2021"])
def test_language_threshold_comes_through_the_correspondence(evaluator, code):
    # Skill level B before 2022-11-16 needs CLB 5, whether the code is reported in NOC 2016 or 2021.
    person = applicant(
        application_date=LAST_OLD_DAY,
        work_history=[job(code, "2020-01-06", "2021-12-26", 40)],
        language_tests=[CLB5_IELTS_2022],
    )
    decision = evaluator.evaluate(person)
    assert decision.derived["language_requirement"]["level"] == 5
    assert decision.eligible


def test_split_whose_targets_agree_is_used_without_a_finding(evaluator):
    # NOC 2016 2173 maps to 21211 and 21231, both TEER 1: skilled, CLB 7, no guess needed.
    person = applicant(
        application_date=FIRST_NEW_DAY,
        work_history=[job("2173", "2020-01-06", "2021-12-26", 40)],
        language_tests=[CLB5_IELTS_2022],
    )
    decision = evaluator.evaluate(person)
    assert decision.derived["findings"] == []
    assert decision.derived["periods"][0]["counted"] is True
    assert sorted(decision.derived["periods"][0]["via"]) == ["2021 21211", "2021 21231"]
    assert decision.derived["language_requirement"]["level"] == 7
    assert decision.unmet == ["language_proficiency"]
