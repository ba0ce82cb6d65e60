"""`cec explain`: facts, thresholds and citations per criterion, in English and French; and for an unmet
criterion, a smallest change that, applied to the applicant file, makes that criterion met."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.evaluator import Evaluator
from cec_rules.facts.explain import explain
from cec_rules.facts.reading import applicant_from_data
from support import EXAMPLES, applicant_data, cec_examples, job

UNMET_EXAMPLES = cec_examples("ineligible-*.yaml")


def apply_changes(data: dict, changes: list[dict]) -> dict:
    """Apply explain's edits ({op: set|append, path, value}) to applicant data."""
    data = copy.deepcopy(data)
    for change in changes:
        *parents, last = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", change["path"])]
        target = data
        for part in parents:
            target = target[part]
        if change["op"] == "append":
            target.setdefault(last, []).append(change["value"])
        else:
            target[last] = change["value"]
    return data


def _criterion(doc: dict, name: str) -> dict:
    return next(c for c in doc["criteria"] if c["id"] == name)


def _met(evaluator, data: dict, name: str) -> bool:
    decision = evaluator.evaluate(applicant_from_data(data, "changed"))
    return next(c for c in decision.criteria if c.id == name).met


def _unmet_with_changes(evaluator, data: dict, language: str = "en"):
    doc = explain(evaluator, applicant_from_data(data, "x"), None, language, "x")
    return doc, [c for c in doc["criteria"] if not c["met"]]


@pytest.mark.parametrize("path", UNMET_EXAMPLES, ids=lambda p: p.stem)
def test_applying_the_suggested_change_meets_the_criterion(evaluator, path):
    data = yaml.safe_load(path.read_text())
    _, unmet = _unmet_with_changes(evaluator, data)
    assert unmet, "every ineligible example has an unmet criterion"
    for criterion in unmet:
        assert criterion["to_meet"]["text"] and criterion["to_meet"]["changes"], criterion["id"]
        assert _met(evaluator, apply_changes(data, criterion["to_meet"]["changes"]), criterion["id"]), criterion


@pytest.mark.parametrize(
    "data",
    [
        applicant_data(work_history=[job("21231", "2025-01-06", None, 20)], language_tests=[]),  # no result at all
        applicant_data(
            work_history=[job("21231", "2024-01-01", None, 40)],
            language_tests=[
                {
                    "test": "celpip_general",
                    "date": "2023-01-01",
                    "listening": 9,
                    "reading": 9,
                    "writing": 9,
                    "speaking": 9,
                }
            ],
        ),
        applicant_data(
            work_history=[job("73300", "2024-01-01", None, 40)],
            language_tests=[
                {
                    "test": "tef_canada",
                    "date": "2025-01-10",
                    "listening": 300,
                    "reading": 420,
                    "writing": 500,
                    "speaking": 380,
                }
            ],
        ),
        applicant_data(
            work_history=[job("21231", "2023-11-01", "2024-03-31", 40), job("21231", "2026-09-01", None, 40)]
        ),
    ],
    ids=["no-result-and-short-hours", "expired-result", "tef-several-abilities", "two-gaps"],
)
def test_suggestions_work_in_harder_cases(evaluator, data):
    _, unmet = _unmet_with_changes(evaluator, data)
    assert unmet
    for criterion in unmet:
        assert _met(evaluator, apply_changes(data, criterion["to_meet"]["changes"]), criterion["id"]), criterion


def test_hours_suggestion_names_the_day_current_work_reaches_the_minimum(evaluator):
    """20 h/week from 2025-09-01 (still going): 1,560 h / (20/7 h a day) = 546 days, 2025-09-01 .. 2027-02-28,
    so an application on 2027-03-01 counts them all."""
    data = yaml.safe_load((EXAMPLES / "ineligible-work-experience.yaml").read_text())
    doc, unmet = _unmet_with_changes(evaluator, data)
    assert unmet[0]["to_meet"]["text"] == ["eligible on this criterion if you apply on or after 2027-03-01"]
    assert unmet[0]["to_meet"]["changes"] == [{"op": "set", "path": "application_date", "value": "2027-03-01"}]


def test_a_new_job_is_never_in_the_past_and_is_in_the_applicants_own_skilled_occupation(evaluator):
    """TEER 4 work now (does not count) and an old TEER 1 job outside the window: the example is TEER 1
    work (the applicant's own 21231) from the assessment date, 52 weeks at 30 h, then apply."""
    data = applicant_data(
        work_history=[job("21231", "2019-01-07", "2020-12-31", 40), job("64100", "2023-01-02", None, 40)]
    )
    _, unmet = _unmet_with_changes(evaluator, data)
    hours = next(c for c in unmet if c["id"] == "skilled_work_experience")["to_meet"]
    period = hours["changes"][0]["value"]
    assert period["noc_code"] == "21231" and period["start"] == data["application_date"] == "2026-11-01"
    assert (
        period["end"] == "2027-10-30"
        and hours["text"][-1] == "eligible on this criterion if you apply on or after 2027-10-31"
    )
    assert hours["changes"][1] == {"op": "set", "path": "application_date", "value": "2027-10-31"}


def test_forward_advice_in_french(evaluator):
    data = yaml.safe_load((EXAMPLES / "ineligible-work-experience.yaml").read_text())
    _, unmet = _unmet_with_changes(evaluator, data, "fr")
    assert unmet[0]["to_meet"]["text"] == ["critère rempli si la demande est présentée le 2027-03-01 ou après"]


def test_language_suggestion_gives_the_score_for_the_level(evaluator):
    data = yaml.safe_load((EXAMPLES / "ineligible-language.yaml").read_text())
    _, unmet = _unmet_with_changes(evaluator, data)
    assert unmet[0]["to_meet"]["text"] == [
        "writing must reach CLB 7: IELTS General Training 6.0 or higher (the minimum)"
    ]
    assert unmet[0]["to_meet"]["changes"] == [{"op": "set", "path": "language_tests[0].writing", "value": 6.0}]


def test_explanation_lists_facts_thresholds_and_citations(evaluator):
    data = yaml.safe_load((EXAMPLES / "ineligible-language.yaml").read_text())
    doc, _ = _unmet_with_changes(evaluator, data)
    language = _criterion(doc, "language_proficiency")
    assert language["citation"] == "IRPR 87.1(2)(d)-(e), 74(1)"
    assert language["facts_used"]["result"]["writing"] == 6 and language["facts_used"]["result"]["date"] == "2025-06-01"
    assert {t["parameter"] for t in language["thresholds"]} >= {"language_level_by_occupation_level"}
    assert all(t["citation"] for t in language["thresholds"])
    assert _criterion(doc, "skilled_work_experience")["thresholds"][0]["parameter"] == "min_qualifying_hours"


def test_french_explanation_uses_the_french_wording(evaluator):
    data = yaml.safe_load((EXAMPLES / "ineligible-language.yaml").read_text())
    doc, unmet = _unmet_with_changes(evaluator, data, "fr")
    assert unmet[0]["to_meet"]["text"] == [
        "expression écrite doit atteindre le CLB 7 : IELTS General Training 6,0 ou plus (le minimum)"
    ]
    assert "exigé dans les quatre compétences" in unmet[0]["reason"]
    assert "heures de travail admissibles" in _criterion(doc, "skilled_work_experience")["reason"]


def test_cli_explain_text_and_json(tmp_path):
    runner = CliRunner()
    text = runner.invoke(cli, ["explain", str(EXAMPLES / "ineligible-quebec.yaml")])
    assert text.exit_code == 0
    assert (
        "[UNMET] outside_quebec" in text.stdout
        and "To meet it: intend to live in a province or territory other than QC" in text.stdout
    )
    french = runner.invoke(cli, ["explain", "--lang", "fr", str(EXAMPLES / "ineligible-quebec.yaml")])
    assert "Pour le remplir" in french.stdout and "NON ADMISSIBLE" in french.stdout
    as_json = runner.invoke(cli, ["explain", "--format", "json", str(EXAMPLES / "eligible.yaml")])
    doc = json.loads(as_json.stdout)
    assert doc["eligible"] is True and all("to_meet" not in c for c in doc["criteria"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: X\napplication_date: '2026-13-01'\nintended_province: ON\n")
    failed = runner.invoke(cli, ["explain", str(bad)])
    assert failed.exit_code == 2 and "application_date" in failed.stderr


def test_french_explanation_is_french_throughout(library):
    """Citations under the French names of the acts, the basis of the language level in French, NOC titles
    (English only here) marked, and no Python words for facts."""
    data = yaml.safe_load((EXAMPLES / "ineligible-language.yaml").read_text())
    doc, _ = _unmet_with_changes(Evaluator(library, "cec", translations=True), data, "fr")
    language = _criterion(doc, "language_proficiency")
    assert language["citation"].startswith("RIPR ") and "IRPR" not in json.dumps(doc)
    assert _criterion(doc, "admissibility")["citation"].startswith("LIPR ")
    basis = language["facts_used"]["required"]["basis"]
    assert "celle qui compte le plus d'heures admissibles" in basis and "which has" not in json.dumps(
        doc, ensure_ascii=False
    )
    assert "Software engineers and designers (titre anglais)" in basis
    assert all("(texte anglais)" in t["citation"] for t in language["thresholds"] if "IRCC" in t["citation"])
    text = CliRunner().invoke(cli, ["explain", str(EXAMPLES / "ineligible-language.yaml"), "--lang", "fr"]).output
    assert "admissible=oui" in text and "True" not in text and "None" not in text
