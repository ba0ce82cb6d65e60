"""Classifying a reported NOC code under an edition: the unit group(s) of the edition's classification
it can be, their levels, and whether the work is skilled (DESIGN.md "Editions").

A code in the edition's classification is its own unit group. A code in the other classification goes
through StatCan's 2016 <-> 2021 correspondence: a code with one counterpart is that unit group; a code
that splits into several is one of them, and which one the input does not say. Nothing here guesses:
the status lists every candidate, and says the work is skilled only when every candidate is skilled,
unskilled only when none is, and unsettled (None) otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tables import NocTables, Occupation


@dataclass(frozen=True)
class OccupationStatus:
    """How one reported code stands under the edition."""

    reported: Occupation
    candidates: tuple[Occupation, ...]  # the unit groups of the edition's classification it can be
    skilled: bool | None  # None: some candidates are skilled and some are not
    skilled_candidates: frozenset[str]  # codes of the candidates that are skilled

    @property
    def level(self) -> str | None:
        """The level when the unit group is known; None for a split code (never a guessed level)."""
        return self.candidates[0].level if len(self.candidates) == 1 else None

    @property
    def split(self) -> bool:
        return len(self.candidates) > 1

    @property
    def via(self) -> tuple[Occupation, ...]:
        """The correspondence targets used, if the code is in the other classification."""
        return self.candidates if self.candidates and self.candidates[0].version != self.reported.version else ()


def describe(occupation: Occupation, lang: str = "en") -> str:
    """`NOC 2021 73300 Transport truck drivers (TEER 3)`; in French `CNP 2021 73300 … (FEER 3)`."""
    return f"{LABELS[lang]['noc']} {occupation.version} {occupation.code} {occupation.title} ({level_label(occupation, lang)})"


LABELS = {
    "en": {"teer": "TEER", "level": "skill level", "noc": "NOC", "became": "became", "or": "or"},
    "fr": {"teer": "FEER", "level": "niveau de compétence", "noc": "CNP", "became": "est devenu", "or": "ou"},
}


def level_label(occupation: Occupation, lang: str = "en") -> str:
    """`TEER 3` (NOC 2021) or `skill level B` (NOC 2016); in French `FEER 3` or `niveau de compétence B`."""
    words = LABELS[lang]
    return (
        f"{words['teer']} {occupation.level}" if occupation.version == 2021 else f"{words['level']} {occupation.level}"
    )


def edition_levels(status: OccupationStatus, lang: str = "en") -> str:
    """The level(s) under the edition's classification of the work a reported code means: `A` for a code with
    one counterpart, `0 or B` when a split code's counterparts differ (in French `0 ou B`). A reason names the
    level the edition decides on, not the reported code's own level in the other classification (a NOC 2021
    code's TEER digit is no NOC 2016 skill level)."""
    levels = dict.fromkeys(c.level for c in status.candidates)
    return f" {LABELS[lang]['or']} ".join(levels)


def candidates_text(status: OccupationStatus, lang: str = "en") -> str:
    """`3142 became 31202 (TEER 1) or 32109 (TEER 2)`: what a split code can be, for reasons and needs
    (in French for a program's French reasons; the titles stay StatCan's English ones)."""
    words = LABELS[lang]
    listing = f" {words['or']} ".join(f"{c.code} {c.title} ({level_label(c, lang)})" for c in status.candidates)
    reported = status.reported
    return f"{words['noc']} {reported.version} {reported.code} ({reported.title}) {words['became']} {listing}"


QUESTIONS = {
    "en": "the NOC {version} code of {where}: {candidates}",
    "fr": "le code CNP {version} de {where} : {candidates}",
}


def code_question(status: OccupationStatus, where: str, lang: str = "en") -> str:
    """What to give for the split code at `where` (a field path such as `work_history[0]`), for a `needs` entry:
    `the NOC 2021 code of work_history[0]: NOC 2016 6331 (...) became 63201 ... or 65202 ...`."""
    return QUESTIONS[lang].format(
        version=status.candidates[0].version, where=where, candidates=candidates_text(status, lang)
    )


def code_question_facts(status: OccupationStatus, where: str) -> dict:
    """`why` and its French `why__fr` (the translation a French decision shows for the need)."""
    return {"why": code_question(status, where), "why__fr": code_question(status, where, "fr")}


class OccupationClassifier:
    """Resolves codes for one edition's classification and skilled levels (kept across applicants)."""

    def __init__(self, tables: NocTables, edition_version: int, skilled_levels: list):
        self.tables = tables
        self.edition_version = edition_version
        self.skilled_levels = {str(level) for level in skilled_levels}
        self._cache: dict[tuple[int, str], OccupationStatus] = {}

    def status(self, reported: Occupation) -> OccupationStatus:
        known = self._cache.get((reported.version, reported.code))
        if known is None:
            known = self._cache[(reported.version, reported.code)] = self._resolve(reported)
        return known

    def status_of(self, version: int, code: str) -> OccupationStatus | None:
        """The status of a reported code, looked up without its `Occupation` once known; None: the tables
        do not know the code."""
        known = self._cache.get((version, code))
        if known is None:
            reported = self.tables.find(version, code)
            return None if reported is None else self.status(reported)
        return known

    def is_skilled(self, occupation: Occupation) -> bool:
        return occupation.level in self.skilled_levels

    def _resolve(self, reported: Occupation) -> OccupationStatus:
        if reported.version == self.edition_version:
            candidates = (reported,)
        else:
            candidates = tuple(sorted(self.tables.counterparts(reported.version, reported.code), key=lambda o: o.code))
        skilled = frozenset(c.code for c in candidates if self.is_skilled(c))
        verdict = None if skilled and len(skilled) < len(candidates) else bool(skilled)
        return OccupationStatus(reported, candidates, verdict, skilled)


_CLASSIFIERS: dict[tuple, OccupationClassifier] = {}


def classifier_for(tables: NocTables, edition_version: int, skilled_levels) -> OccupationClassifier:
    """One classifier per edition's tables and parameters, kept across applicants (it caches each code's status)."""
    key = (id(tables), edition_version, tuple(skilled_levels))
    if key not in _CLASSIFIERS:
        _CLASSIFIERS[key] = OccupationClassifier(tables, edition_version, skilled_levels)
    return _CLASSIFIERS[key]
