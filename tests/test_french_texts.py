"""Decisions in French: every text a decision or explanation of CEC, FSW, FST, the CRS or the pool shows has
its French in the rulesets, `--lang fr` shows it, and the words the CRS's reasons and needs quote from the
facts (languages, abilities, education levels, what an input leaves open) come out in French too
(facts/crs/words.py); citations name the acts in French."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
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
    missing = [
        f"{program}/{edition.ruleset.edition}: {where}"
        for edition in library.programs[program]
        for where, text in _texts(edition.ruleset)
        if not isinstance(text, Localized)
    ]
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
    profile = {
        "id": "CRS-FR",
        "application_date": "2025-03-24",
        "intended_province": "ON",
        "date_of_birth": "1997-06-01",
        "education": [],
        "job_offer": {"noc_code": "1123", "noc_version": 2016, "lmia": True, "full_time": True},
        "language_tests": [
            {"test": "celpip_general", "date": "2025-01-15", "listening": 7, "reading": 7, "writing": 7, "speaking": 7}
        ],
    }
    path = tmp_path / "split-offer.json"
    path.write_text(json.dumps(profile))
    decision = json.loads(_evaluate("--lang", "fr", "--format", "json", str(path)))
    offer = next(f for f in decision["score"]["factors"] if f["id"] == "arranged_employment")
    assert offer["points"] is None
    assert offer["reason"].startswith("le groupe de base de l'offre : CNP 2016 1123 (")
    assert " est devenu " in offer["reason"] and "(FEER 0)" in offer["reason"]
    assert decision["criteria"][1]["reason"].startswith("entre 178 et 378 points")


def test_the_pool_decides_in_french():
    result = CliRunner().invoke(
        cli, ["evaluate", "--program", "pool", "--lang", "fr", str(EXAMPLE.with_name("eligible.yaml"))]
    )
    assert result.exit_code == 0, result.output
    assert "cec (2022-11-16) : exigences remplies" in result.output
    assert "IELTS General Training du 2025-06-01 : résultat valide" in result.output and " is " not in result.output


def test_what_an_undetermined_score_needs_is_said_in_french():
    """The needs of the criterion and of each open factor quote the derivation's text in the asked language;
    the English decision keeps its English."""
    example = str(EXAMPLE.with_name("eligible.yaml"))  # no date of birth, no education
    english = json.loads(_evaluate("--format", "json", example))
    french = json.loads(_evaluate("--lang", "fr", "--format", "json", example))
    for decision, why in (
        (english, "the age on the day points are assigned"),
        (french, "l'âge le jour de l'attribution des points"),
    ):
        age = next(f for f in decision["score"]["factors"] if f["id"] == "age")
        assert age["needs"] == [{"field": "date_of_birth", "why": why}]
        score = next(c for c in decision["criteria"] if c["id"] == "score_computed")
        assert {"field": "date_of_birth", "why": why} in score["needs"]


def test_explain_in_french_shows_the_facts_in_french():
    result = CliRunner().invoke(cli, ["explain", "--program", "crs", "--lang", "fr", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "education=maîtrise ou diplôme professionnel" in result.output and "__fr" not in result.output
    assert "CLB 10 en compréhension de l'oral (première langue officielle)" in result.output


@pytest.mark.parametrize(
    "english, french",
    [
        ("IRPR 74(1) and 87.1(2)(d)-(e)", "RIPR 74(1) et 87.1(2)(d)-(e)"),
        (
            "MI (language results required for the pool and the ranking); IRPR 74(3)",
            "MI (language results required for the pool and the ranking); RIPR 74(3) (texte anglais)",
        ),
    ],
)
def test_a_citation_in_french_translates_and_between_references_only(english, french):
    """ "and" joining two references is "et"; inside English commentary it stays, marked as English text."""
    from cec_rules.facts.french import citation

    assert citation(english) == french


def test_what_a_split_code_leaves_open_is_said_in_french():
    """CEC's, FST's and FSW's need for a split NOC code quotes the derivation's question in the asked language."""
    example = str(EXAMPLE.with_name("fst-undetermined-split-code.yaml"))
    for program in ("fst", "cec", "fsw"):
        result = CliRunner().invoke(
            cli, ["evaluate", "--program", program, "--lang", "fr", "--format", "json", example]
        )
        assert result.exit_code == 0, result.output
        needs = [
            need
            for criterion in json.loads(result.stdout)["criteria"]
            for need in criterion.get("needs", [])
            if need["field"].startswith("work_history")
        ]  # FSW also asks for the `education` the example leaves out
        assert needs and all(
            n["why"].startswith("le code CNP 2021 de work_history[0] : CNP 2016 6331 (") for n in needs
        ), needs
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
            result = CliRunner().invoke(
                cli, ["evaluate", "--program", "fsw", "--lang", lang, "--format", "json", str(example)]
            )
            assert result.exit_code == 0, result.output
            asked[lang] += _needs(json.loads(result.stdout))
    assert {n["field"] for n in asked["fr"]} >= {"settlement_funds", "family_size", "work_history[0].noc_code"}
    assert len(asked["fr"]) == len(asked["en"])
    for english, french in zip(asked["en"], asked["fr"]):
        assert english["field"] == french["field"] and english["why"] != french["why"], (english, french)
        assert not french["why"].startswith("the "), french


def _decision(program: str, example: str, lang: str, path: Path | None = None) -> dict:
    result = CliRunner().invoke(
        cli,
        ["evaluate", "--program", program, "--lang", lang, "--format", "json", str(path or EXAMPLE.with_name(example))],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _reason(decision: dict, criterion: str) -> str:
    return next(c for c in decision["criteria"] if c["id"] == criterion)["reason"]


def test_fst_describes_an_offer_that_does_not_qualify_in_french():
    """The documents' description, composed by the derivation, in the FST ruleset's `words`; English as it was."""
    french = _reason(_decision("fst", "fst-ineligible-offer-or-certificate.yaml", "fr"), "offer_or_certificate")
    english = _reason(_decision("fst", "fst-ineligible-offer-or-certificate.yaml", "en"), "offer_or_certificate")
    assert french.endswith(
        " : offre d'emploi comme CNP 2021 72200 Electricians (except industrial and power system) (titre anglais) "
        "(FEER 2) (EIMT ou dispense : oui, temps plein : non, 24 mois)"
    )
    assert english.endswith(
        ": job offer as NOC 2021 72200 Electricians (except industrial and power system) (TEER 2) "
        "(LMIA or exemption: yes, full-time: no, 24 months)"
    )


def test_fst_describes_a_certificate_issued_too_late_in_french(tmp_path):
    profile = yaml.safe_load(EXAMPLE.with_name("fst-ineligible-offer-or-certificate.yaml").read_text())
    profile["job_offer"] = None
    profile["certificates_of_qualification"] = [
        {"noc_code": "72200", "noc_version": 2021, "province": "ON", "issued": "2027-01-05"}
    ]
    path = tmp_path / "late-certificate.json"
    path.write_text(json.dumps(profile))
    french = _decision("fst", "", "fr", path)
    assert _reason(french, "offer_or_certificate").endswith(
        " : certificat de compétence comme CNP 2021 72200 Electricians (except industrial and power system) (titre anglais) (FEER 2) "
        "(délivré après la date d'évaluation)"
    )
    assert french["derived"]["findings"] == [
        "certificates_of_qualification[0] : délivré le 2027-01-05, après la date d'évaluation (2026-11-01) : il ne compte pas"
    ]
    english = _decision("fst", "", "en", path)
    assert english["derived"]["findings"] == [
        "certificates_of_qualification[0]: issued 2027-01-05, after the assessment date 2026-11-01: it does not count"
    ]


def test_fsw_says_why_an_eca_does_not_count_in_french():
    french = _reason(_decision("fsw", "fsw-ineligible-education.yaml", "fr"), "education")
    english = _reason(_decision("fsw", "fsw-ineligible-education.yaml", "en"), "education")
    assert french.endswith(
        " : education[0] (masters, IN, son EDE du 2021-10-15 n'est pas valide au 2026-11-01 "
        "(elle doit dater d'après le 2021-11-01))"
    )
    assert english.endswith(
        ": education[0] (masters, IN, its ECA of 2021-10-15 is not valid on 2026-11-01 (must be issued after 2021-11-01))"
    )


SPLIT_FINDING_FR = (
    "work_history[0] : CNP 2016 6331 (Butchers, meat cutters and fishmongers - retail and wholesale (titre anglais)) "
    "est devenu 63201 Butchers - retail and wholesale (titre anglais) (FEER 3) ou 65202 Meat cutters and fishmongers - "
    "retail and wholesale (titre anglais) (FEER 5); indiquez le code CNP 2021"
)


@pytest.mark.parametrize("program", ["cec", "fsw", "fst"])
def test_a_split_code_finding_and_need_are_french_with_the_titles_marked(program):
    french = _decision(program, "fst-undetermined-split-code.yaml", "fr")
    english = _decision(program, "fst-undetermined-split-code.yaml", "en")
    assert french["derived"]["findings"] == [SPLIT_FINDING_FR]
    assert english["derived"]["findings"] == [
        "work_history[0]: NOC 2016 6331 (Butchers, meat cutters and fishmongers - retail and wholesale) became 63201 Butchers - "
        "retail and wholesale (TEER 3) or 65202 Meat cutters and fishmongers - retail and wholesale (TEER 5); give the NOC 2021 code"
    ]
    needs = [
        need["why"]
        for c in french["criteria"]
        for need in c.get("needs", [])
        if need["field"].startswith("work_history")
    ]  # FSW also asks for the `education` the example leaves out
    assert needs and all("63201 Butchers - retail and wholesale (titre anglais) (FEER 3)" in why for why in needs)


def test_the_text_output_shows_the_findings_in_french():
    result = CliRunner().invoke(
        cli,
        ["evaluate", "--program", "cec", "--lang", "fr", str(EXAMPLE.with_name("fst-undetermined-split-code.yaml"))],
    )
    assert result.exit_code == 0, result.output
    assert f"remarque: {SPLIT_FINDING_FR}" in result.output


def test_the_pool_quotes_a_consumed_programs_need_in_french():
    decision = _decision("pool", "fst-undetermined-split-code.yaml", "fr")
    requirements = next(c for c in decision["criteria"] if c["id"] == "program_requirements")
    assert requirements["reason"].startswith(
        "aucun programme n'est rempli, et fst (2022-11-16) est indéterminé : le code CNP 2021 de work_history[0] : "
    )
    (need,) = requirements["needs"]
    assert need["why"].startswith(
        "fst reste indéterminé tant que ce n'est pas indiqué : le code CNP 2021 de work_history[0] : CNP 2016 6331 ("
    )
    assert "became" not in need["why"] and " est devenu 63201 " in need["why"]
    english = _decision("pool", "fst-undetermined-split-code.yaml", "en")
    assert next(c for c in english["criteria"] if c["id"] == "program_requirements")["needs"][0]["why"].startswith(
        "fst is undetermined until it is given: the NOC 2021 code of work_history[0]: NOC 2016 6331 ("
    )


@pytest.mark.parametrize(
    "english, french",
    [
        (
            "education[1]: completed after 2026-11-01, so it does not count yet",
            "education[1] : obtenu après le 2026-11-01, il ne compte donc pas encore",
        ),
        (
            "spouse.education[0]: a foreign credential counts only with an ECA less than 5 years old",
            "spouse.education[0] : un diplôme étranger ne compte qu'avec une évaluation des diplômes d'études (EDE) de moins de 5 ans",
        ),
        (
            "work_history[2]: starts on 2026-12-01, on or after the assessment date 2026-11-01: it never counts",
            "work_history[2] : commence le 2026-12-01, à la date d'évaluation (2026-11-01) ou après : elle ne compte jamais",
        ),
        ("a note no template reads", "a note no template reads"),
    ],
)
def test_every_finding_has_its_french(english, french):
    from cec_rules.facts.findings import in_language

    assert in_language(english, None, None, "fr") == french


# What French decisions showed in English before they were worded (each a phrase of a leftover's English).
ENGLISH_LEFTOVERS = (
    "became",
    "give the NOC",
    "job offer as",
    "LMIA or exemption",
    "full-time:",
    "certificate of qualification as",
    "issued after",
    "its ECA",
    "not valid on",
    "educational credential assessment",
    "is undetermined until",
    "starts on",
    "completed after",
    "counts only",
    " months",
    "no end date",
    "the NOC",
    "skill level",
    "TEER",
)


def _shown_texts(decision: dict):
    """(where, text) of every reason, need and finding of a decision."""
    factors = (decision.get("score") or {}).get("factors") or []
    for part in decision["criteria"] + factors:
        yield f"{decision['program']}.{part['id']}.reason", part["reason"] or ""
        yield from ((f"{decision['program']}.{part['id']}.needs", need["why"]) for need in part.get("needs") or [])
    yield from ((f"{decision['program']}.findings", note) for note in decision["derived"].get("findings") or [])


def _unmarked_titles(text: str, noc) -> list[str]:
    """The NOC titles `text` quotes after their code (`21231 Software engineers and designers`, `6331 (Butchers,
    …)`) other than whole and followed by `(titre anglais)` (not marked, or marked inside a title)."""
    plain, unmarked = text.replace(" (titre anglais)", ""), []
    for code in dict.fromkeys(re.findall(r"\b(\d{4,5}) ", plain)):
        occupation = noc.find(2021 if len(code) == 5 else 2016, code)
        if occupation is None:
            continue
        quoted, title = (f"{code} {occupation.title}", f"{code} ({occupation.title})"), occupation.title
        marked = text.count(f"{code} {title} (titre anglais)") + text.count(f"{code} ({title} (titre anglais))")
        if marked < sum(plain.count(form) for form in quoted):
            unmarked.append(f"{code} {title}")
    return unmarked


def test_a_generated_population_in_french_has_no_english_leftovers(tmp_path):
    """Every program's French decisions of generated applicants and the examples: no reason, need or finding
    holds a leftover's English, and every NOC title they quote after its code is marked as English. The
    population has split codes (findings and needs quoting them) and the pool quoting consumed needs."""
    from cec_rules.engine.batch.worker import Record, RecordDecider
    from support import diff_population

    lines = diff_population(tmp_path / "population.jsonl", 400, 5)
    decider = RecordDecider(None, None, "jsonl", lang="fr", programs=BILINGUAL_PROGRAMS)
    noc = next(e for e in load_bundled_or(None).programs["cec"]).tables.noc
    leftovers, unmarked, places = [], [], set()
    for seq, text in enumerate(lines):
        outcome = decider.decide(Record(seq, seq + 1, "population.jsonl", text, "json"))
        for line in outcome.line.splitlines() if hasattr(outcome, "line") else []:
            for where, shown in _shown_texts(json.loads(line)):
                places.add(where)
                leftovers += [(where, shown) for phrase in ENGLISH_LEFTOVERS if phrase in shown]
                unmarked += [(where, title) for title in _unmarked_titles(shown, noc)]
    assert {"cec.findings", "fsw.findings", "crs.findings", "pool.program_requirements.needs"} <= places
    assert leftovers == [] and unmarked == []


@pytest.mark.parametrize("program", ["cec", "fsw"])
def test_explain_shows_the_findings_in_french(program):
    """CEC's explainer (facts/explain.py) and the engine's (FSW: from the translated decision)."""
    example = str(EXAMPLE.with_name("fst-undetermined-split-code.yaml"))
    result = CliRunner().invoke(cli, ["explain", "--program", program, "--lang", "fr", example])
    assert result.exit_code == 0, result.output
    assert f"Remarque: {SPLIT_FINDING_FR}" in result.output
    english = CliRunner().invoke(cli, ["explain", "--program", program, example])
    assert "; give the NOC 2021 code" in english.output and "titre" not in english.output


def test_marking_titles_never_marks_inside_a_title_and_twice_changes_nothing():
    from cec_rules.facts.french import mark_titles

    titles = {"Retail salespersons", "Retail salespersons and visual merchandisers"}
    text = "64100 (Retail salespersons and visual merchandisers) est devenu 6421 Retail salespersons (FEER 4)"
    marked = mark_titles(text, titles)
    assert marked == (
        "64100 (Retail salespersons and visual merchandisers (titre anglais)) est devenu "
        "6421 Retail salespersons (titre anglais) (FEER 4)"
    )
    assert mark_titles(marked, titles) == marked
