"""The French of the CRS facts' words, for the rulesets' French reasons.

The rules quote some fact values in their reasons (`{ab.language}`, `{a.education}`, `{u.why}`); those values
are the vocabulary the rules match (`english`, `masters`), so they stay English in the facts, and the
derivation adds each one's French beside it as FIELD__fr (engine/templates.py renders FIELD__fr in French,
as CEC's `lowest_ability__fr`). Terms follow IRCC's French CRS pages (Système de classement global).
"""

from __future__ import annotations

from ..fsw.gains import ABILITY

LANGUAGES = {"english": "anglais", "french": "français", "none": "aucune"}
EDUCATION = {
    "none": "aucun diplôme",
    "secondary": "diplôme d'études secondaires",
    "one_year": "programme postsecondaire d'un an",
    "two_year": "programme postsecondaire de deux ans",
    "three_year": "baccalauréat ou programme postsecondaire de trois ans ou plus",
    "two_or_more": "deux diplômes ou plus, dont un d'un programme de trois ans ou plus",
    "masters": "maîtrise ou diplôme professionnel",
    "doctoral": "doctorat",
}
WHAT = {
    "Canadian work experience": "l'expérience de travail au Canada",
    "foreign work experience": "l'expérience de travail à l'étranger",
}


def with_french(fact: dict, **words: dict) -> dict:
    """`fact` with FIELD__fr for each FIELD named in `words` (FIELD=its table of French words)."""
    return {**fact, **{f"{name}__fr": table.get(fact[name], fact[name]) for name, table in words.items()}}


def ability_words(fact: dict) -> dict:
    """A crs_ability fact with the French of its language and ability."""
    return with_french(fact, language=LANGUAGES, ability=ABILITY["fr"])
