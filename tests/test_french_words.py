"""French decisions without English leftovers: a table parameter's entries named one by one
(`{param.NAME.KEY}`, checked by the validator), the ruleset's `words:` for texts the derivations write in
English (abilities, official languages, FST's "none" and its no-documents text), the needs' `why` worded in
both languages, FSW's NOC titles marked as English; English decisions unchanged; the pattern cache on or off
gives the same French."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine import pattern_cache
from cec_rules.engine.batch.worker import Record, RecordDecider
from cec_rules.engine.templates import compile_template
from support import REPO, copy_rulesets, edit

EXAMPLES = REPO / "examples"
FST = "fst/2022-11-16/ruleset.yaml"
FST_LEVELS_FR = "compréhension de l'oral 5, expression orale 5, compréhension de l'écrit 4, expression écrite 4"


def _decide(program: str, example: str, lang: str, output_format: str = "text", rulesets: Path | None = None):
    arguments = ["evaluate", "--program", program, "--lang", lang, "--format", output_format, str(EXAMPLES / example)]
    result = CliRunner().invoke(cli, arguments + (["--rulesets", str(rulesets)] if rulesets else []))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if output_format == "json" else result.stdout


def _criterion(decision: dict, name: str) -> dict:
    return next(c for c in decision["criteria"] if c["id"] == name)


def test_fst_language_levels_name_the_abilities_in_french():
    french = _criterion(_decide("fst", "fst-eligible.yaml", "fr", "json"), "language_proficiency")["reason"]
    english = _criterion(_decide("fst", "fst-eligible.yaml", "en", "json"), "language_proficiency")["reason"]
    assert french.endswith(f"(CLB); exigé : {FST_LEVELS_FR}")
    assert "listening" not in french and "\u2192" not in french
    assert english.endswith("(CLB); needed: listening \u2192 5, speaking \u2192 5, reading \u2192 4, writing \u2192 4")


def test_fst_language_shortfall_names_the_ability_and_the_levels_in_french():
    reason = _criterion(_decide("fst", "fst-ineligible-language.yaml", "fr", "json"), "language_proficiency")["reason"]
    assert reason == (
        "IELTS General Training du 2025-06-01 : expression orale au CLB 4; le CLB 5 est exigé "
        f"(niveaux exigés : {FST_LEVELS_FR})"
    )


def test_fst_criterion_description_in_french_names_the_levels():
    result = CliRunner().invoke(cli, ["rulesets", "show", "fst", "--as-of", "2026-11-01"])
    assert result.exit_code == 0, result.output
    from cec_rules.engine.evaluator import load_bundled_or
    from cec_rules.engine.model import wording
    from cec_rules.engine.templates import fill_parameters

    edition = next(e for e in load_bundled_or(None).programs["fst"] if e.ruleset.edition == "2022-11-16")
    parameters = {name: p.value_on(edition.ruleset.effective_from) for name, p in edition.ruleset.parameters.items()}
    text = fill_parameters(
        wording(edition.ruleset.criteria["language_proficiency"].description, "fr"), parameters, {}, "fr"
    )
    assert text == f"Un résultat valide d'un test désigné au moins égal à ces niveaux NCLC/CLB : {FST_LEVELS_FR}."


def test_fst_without_trade_or_documents_is_said_in_french():
    """No hours in any trade ("none") and no document at all: texts the derivation writes in English, worded
    in French by the ruleset's `words:`; the needs for funds and family size, worded in both languages."""
    french = _decide("fst", "eligible-french-tef.yaml", "fr", "json")
    english = _decide("fst", "eligible-french-tef.yaml", "en", "json")
    assert _criterion(french, "skilled_trade_experience")["reason"].endswith(
        "est 0 (aucun); au moins 3\u202f120 exigées"
    )
    assert _criterion(french, "offer_or_certificate")["reason"].endswith(
        " : aucune offre d'emploi ni certificat de compétence"
    )
    assert _criterion(english, "offer_or_certificate")["reason"].endswith(
        ": no job offer and no certificate of qualification"
    )
    assert _criterion(french, "settlement_funds")["needs"] == [
        {
            "field": "settlement_funds",
            "why": "les fonds d'établissement disponibles (en dollars canadiens), comparés au montant exigé pour la taille de la famille",
        },
        {
            "field": "family_size",
            "why": "le demandeur, l'époux ou le conjoint de fait et les enfants à charge, qu'ils accompagnent ou non",
        },
    ]
    assert _criterion(english, "settlement_funds")["needs"][1] == {
        "field": "family_size",
        "why": "the applicant, spouse or partner and dependent children, accompanying or not",
    }


def test_fsw_abilities_languages_and_titles_in_french():
    text = _decide("fsw", "fsw-ineligible-language.yaml", "fr")
    english = _decide("fsw", "fsw-ineligible-language.yaml", "en")
    assert "anglais (IELTS General Training), compréhension de l'oral CLB" in text
    assert " : expression écrite au CLB 6; le CLB 7 est exigé" in text
    assert "(titre anglais) (FEER 1), la profession principale" in text
    assert "english (IELTS General Training)" in english and "titre" not in english


def test_a_table_parameters_entry_fills_alike_with_or_without_the_parameters_given():
    """`{param.NAME.KEY}` shows one entry (a YAML number key by its digits); an unknown key shows "?"; a key
    after a fact's field is not a placeholder. Filled at compile time (the runtime) or at fill time
    (explanations), the text is the same."""
    template = "{param.levels.listening} / {param.levels.0} / {param.levels.x} / {r.a.b} / {param.levels.listening}h"
    parameters = {"levels": {"listening": 1560, 0: 7}}
    units, formats = {"levels": "hours"}, {"hours": "measure"}
    now = compile_template(template, {}, {}, units, "fr", formats, parameters)({}, {})
    later = compile_template(template, {}, {}, units, "fr", formats)({}, parameters)
    assert now == later == "1\u202f560 / 7 / ? / {r.a.b} / 1\u202f560h"


@pytest.mark.parametrize(
    "placeholder, words",
    [
        (
            "{param.language_level_by_ability.listning}",
            [
                "parameter 'language_level_by_ability' has no key 'listning'",
                "did you mean 'listening'?",
                "keys: listening, speaking, reading, writing",
            ],
        ),
        (
            "{param.min_trade_hours.listening}",
            ["parameter 'min_trade_hours' is not a table (3120), so it has no key 'listening'"],
        ),
        ("{param.language_level_by_ability.Listening}", ["a key is written in lowercase letters, digits and _"]),
        (
            "{param.settlement_funds_by_family_size.1}",
            ["parameter 'settlement_funds_by_family_size' has no key '1' on 2022-11-16"],
        ),
        (
            "{result.listening.level}",
            ["only a table parameter's entry is named by a key ({param.NAME.KEY}), not a fact's field"],
        ),
        ("{param.language_levels.listening}", ["unknown parameter 'language_levels'"]),
    ],
)
def test_a_bad_table_entry_placeholder_is_reported_with_its_line(tmp_path, placeholder, words):
    root = copy_rulesets(tmp_path, ("fst",))
    line = edit(
        root,
        FST,
        "exigé : compréhension de l'oral {param.language_level_by_ability.listening},",
        f"exigé : compréhension de l'oral {placeholder},",
    )
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2, result.output
    reported = [out for out in result.output.splitlines() if placeholder in out or "unknown parameter" in out]
    assert reported, result.output
    location = reported[0].split(": ")[0]
    assert location.startswith(str(root / FST)) and int(location.split(":")[1]) <= line
    for word in words:
        assert word in reported[0], reported[0]


def test_the_pattern_cache_on_or_off_gives_the_same_french(tmp_path, monkeypatch):
    """French decisions of a generated population (FST and FSW, whose reasons use the new forms), replayed
    or decided afresh by durable-rules: the same bytes."""
    path = tmp_path / "population.jsonl"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "--count", "300", "--seed", "5", "-o", str(path)],
        check=True,
        capture_output=True,
    )
    texts = path.read_text().splitlines()
    outputs = []
    for cache_on in (False, True):
        monkeypatch.setenv(pattern_cache.CACHE_ENV, "1" if cache_on else "0")
        decider = RecordDecider(None, None, "jsonl", lang="fr", programs=("fst", "fsw"))
        lines = []
        for seq, text in enumerate(texts):
            outcome = decider.decide(Record(seq, seq + 1, "population.jsonl", text, "json"))
            lines.append(
                outcome.line.decode() if hasattr(outcome, "line") else repr(outcome.reject)
            )  # JSON lines: UTF-8 bytes
        outputs.append(lines)
        if cache_on:
            assert decider.evaluator.runtime.patterns.stats.hits > 0
    assert outputs[0] == outputs[1]
    assert any("exigé : compréhension de l'oral" in line for line in outputs[1])


def test_the_engines_explanation_cites_the_thresholds_in_french():
    """FSW's explanation (the engine's, for a ruleset with a score) names the acts of its thresholds'
    citations in French, through the plugin's `cite`; English unchanged."""

    def explained(lang: str) -> str:
        result = CliRunner().invoke(
            cli, ["explain", "--program", "fsw", "--lang", lang, str(EXAMPLES / "fsw-eligible.yaml")]
        )
        assert result.exit_code == 0, result.output
        return result.stdout

    assert (
        "  Seuils: pass_mark = 67 (RIPR 76(1)(a), 76(2) (pass mark set by the Minister) (texte anglais))"
        in explained("fr")
    )
    assert "  Thresholds: pass_mark = 67 (IRPR 76(1)(a), 76(2) (pass mark set by the Minister))" in explained("en")


def test_fsw_points_reasons_word_the_offer_and_mark_its_title():
    """A points reason quoting the offer's facts: `yes` worded by the ruleset, the NOC title marked."""
    text = _decide("fsw", "fst-ineligible-offer-or-certificate.yaml", "fr")
    assert (
        "l'offre comme 72200 Electricians (except industrial and power system) (titre anglais) n'est pas admissible "
        "(EIMT ou dispense : oui; temps plein : non; spécialisée : oui;"
    ) in text
