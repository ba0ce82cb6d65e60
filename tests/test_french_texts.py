"""Decisions in French: every text a decision or explanation of CEC, FSW, FST, the CRS or the pool shows has
its French in the rulesets, `--lang fr` shows it, and the words the CRS's reasons and needs quote from the
facts (languages, abilities, education levels, what an input leaves open) come out in French too
(facts/crs/words.py); citations name the acts in French."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.evaluator import load_bundled_or
from cec_rules.engine.model import Localized

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "fsw-eligible.yaml"
BILINGUAL_PROGRAMS = ("cec", "fsw", "fst", "crs", "pool")


def _texts(ruleset):
    """(where, text) of every text a French decision or explanation shows from the ruleset: criterion, table,
    factor and cap descriptions, and rule reasons (a `needs` entry names an input field and quotes the
    derivation's `why`, shown in French where the derivation puts its French beside it, as the CRS's does)."""
    yield from ((f"criteria.{cid}", c.description) for cid, c in ruleset.criteria.items())
    yield from ((f"tables.{tid}", t.description) for tid, t in (ruleset.tables or {}).items())
    if ruleset.score is not None:
        yield from ((f"score.factors.{fid}", f.description) for fid, f in ruleset.score.factors.items())
        yield from ((f"score.caps.{cap.id}", cap.description) for cap in ruleset.score.caps)
    for rule in ruleset.rules:
        if rule.then.reason is not None:
            yield f"rules.{rule.id}.reason", rule.then.reason


@pytest.mark.parametrize("program", BILINGUAL_PROGRAMS)
def test_every_text_of_the_program_has_its_french(program):
    library = load_bundled_or(None)
    missing = [f"{program}/{edition.ruleset.edition}: {where}" for edition in library.programs[program]
               for where, text in _texts(edition.ruleset) if not isinstance(text, Localized)]
    assert missing == []


def _evaluate(*arguments: str):
    result = CliRunner().invoke(cli, ["evaluate", "--program", "crs", *arguments])
    assert result.exit_code == 0, result.output
    return result.output


def test_evaluate_in_french_gives_french_reasons():
    english, french = _evaluate(str(EXAMPLE)), _evaluate("--lang", "fr", str(EXAMPLE))
    assert "education masters: 135 points" in english
    assert "niveau de scolarité (maîtrise ou diplôme professionnel) : 135 points" in french
    assert "première langue officielle : anglais (compétence la plus faible au niveau 9)" in french
    assert "anglais, compréhension de l'oral, CLB 9 : 31" in french
    assert "year(s)" not in french and "education masters" not in french


def test_a_reason_quoting_an_open_input_is_french(tmp_path):
    """A split NOC code of a job offer: the reason quotes what the input leaves open, in French."""
    profile = {"id": "CRS-FR", "application_date": "2025-03-24", "intended_province": "ON", "date_of_birth": "1997-06-01",
               "education": [], "job_offer": {"noc_code": "1123", "noc_version": 2016, "lmia": True, "full_time": True},
               "language_tests": [{"test": "celpip_general", "date": "2025-01-15", "listening": 7, "reading": 7, "writing": 7, "speaking": 7}]}
    path = tmp_path / "split-offer.json"
    path.write_text(json.dumps(profile))
    decision = json.loads(_evaluate("--lang", "fr", "--format", "json", str(path)))
    offer = next(f for f in decision["score"]["factors"] if f["id"] == "arranged_employment")
    assert offer["points"] is None
    assert offer["reason"].startswith("le groupe de base de l'offre : CNP 2016 1123 (")
    assert " est devenu " in offer["reason"] and "(FEER 0)" in offer["reason"]
    assert decision["criteria"][1]["reason"].startswith("entre 178 et 378 points")


def test_the_pool_decides_in_french():
    result = CliRunner().invoke(cli, ["evaluate", "--program", "pool", "--lang", "fr", str(EXAMPLE.with_name("eligible.yaml"))])
    assert result.exit_code == 0, result.output
    assert "cec (2022-11-16) : exigences remplies" in result.output
    assert "IELTS General Training du 2025-06-01 : résultat valide" in result.output and " is " not in result.output


def test_what_an_undetermined_score_needs_is_said_in_french():
    """The needs of the criterion and of each open factor quote the derivation's text in the asked language;
    the English decision keeps its English."""
    example = str(EXAMPLE.with_name("eligible.yaml"))  # no date of birth, no education
    english = json.loads(_evaluate("--format", "json", example))
    french = json.loads(_evaluate("--lang", "fr", "--format", "json", example))
    for decision, why in ((english, "the age on the day points are assigned"), (french, "l'âge le jour de l'attribution des points")):
        age = next(f for f in decision["score"]["factors"] if f["id"] == "age")
        assert age["needs"] == [{"field": "date_of_birth", "why": why}]
        score = next(c for c in decision["criteria"] if c["id"] == "score_computed")
        assert {"field": "date_of_birth", "why": why} in score["needs"]


def test_explain_in_french_shows_the_facts_in_french():
    result = CliRunner().invoke(cli, ["explain", "--program", "crs", "--lang", "fr", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "education=maîtrise ou diplôme professionnel" in result.output and "__fr" not in result.output
    assert "CLB 10 en compréhension de l'oral (première langue officielle)" in result.output


@pytest.mark.parametrize("english, french", [
    ("IRPR 74(1) and 87.1(2)(d)-(e)", "RIPR 74(1) et 87.1(2)(d)-(e)"),
    ("MI (language results required for the pool and the ranking); IRPR 74(3)",
     "MI (language results required for the pool and the ranking); RIPR 74(3) (texte anglais)"),
])
def test_a_citation_in_french_translates_and_between_references_only(english, french):
    """"and" joining two references is "et"; inside English commentary it stays, marked as English text."""
    from cec_rules.facts.french import citation

    assert citation(english) == french


def test_what_a_split_code_leaves_open_is_said_in_french():
    """CEC's, FST's and FSW's need for a split NOC code quotes the derivation's question in the asked language."""
    example = str(EXAMPLE.with_name("fst-undetermined-split-code.yaml"))
    for program in ("fst", "cec", "fsw"):
        result = CliRunner().invoke(cli, ["evaluate", "--program", program, "--lang", "fr", "--format", "json", example])
        assert result.exit_code == 0, result.output
        needs = [need for criterion in json.loads(result.stdout)["criteria"] for need in criterion.get("needs", [])]
        assert needs and all(n["why"].startswith("le code CNP 2021 de work_history[0] : CNP 2016 6331 (") for n in needs), needs
        assert all(" est devenu 63201 " in n["why"] and "(FEER 3) ou 65202" in n["why"] for n in needs)


def _needs(decision: dict) -> list[dict]:
    """Every need a decision shows: its criteria's and, with a points grid, its factors'."""
    factors = decision.get("score", {}).get("factors", []) if decision.get("score") else []
    return [need for part in decision["criteria"] + factors for need in part.get("needs", [])]


def test_what_an_fsw_decision_needs_is_said_in_french():
    """Every input the FSW derivation asks for (funds, family size, date of birth, a credential's length, a
    split code) is asked for in French in a French decision, and in English in an English one."""
    examples = sorted(EXAMPLE.parent.glob("*.yaml"))
    asked = {"en": [], "fr": []}
    for lang in asked:
        for example in examples:
            result = CliRunner().invoke(cli, ["evaluate", "--program", "fsw", "--lang", lang, "--format", "json", str(example)])
            assert result.exit_code == 0, result.output
            asked[lang] += _needs(json.loads(result.stdout))
    assert {n["field"] for n in asked["fr"]} >= {"settlement_funds", "family_size", "work_history[0].noc_code"}
    assert len(asked["fr"]) == len(asked["en"])
    for english, french in zip(asked["en"], asked["fr"]):
        assert english["field"] == french["field"] and english["why"] != french["why"], (english, french)
        assert not french["why"].startswith("the "), french
