"""How the CRS words a change that would gain points (engine/gains.py proposes it, `Program.describe_gain`):
a CLB/NCLC level names the ability it is for (`CLB 10 in listening`). The CRS's ability facts do not carry
the test's date, so unlike FSW no test score is shown (the level is what the points table reads)."""

from __future__ import annotations

from ..fsw.gains import ABILITY

WORDS = {"en": "{level_name} {level} in {ability} ({role})", "fr": "{level_name} {level} en {ability} ({role})"}
ROLES = {
    "en": {
        "first": "first official language",
        "second": "second official language",
        "spouse": "the spouse's first official language",
    },
    "fr": {
        "first": "première langue officielle",
        "second": "seconde langue officielle",
        "spouse": "première langue officielle de l'époux",
    },
}


def describe_gain(gain, edition, language: str) -> str | None:
    """The level and ability of a language level change; None for any other change (the engine names the field)."""
    fact = gain.fact
    if gain.field != "clb" or fact.get("ability") not in ABILITY["en"]:
        return None
    role = ROLES[language].get(fact.get("role"), fact.get("role", ""))
    return WORDS[language].format(
        level_name=fact.get("level_name", "CLB"),
        level=gain.proposed,
        ability=ABILITY[language][fact["ability"]],
        role=role,
    )
