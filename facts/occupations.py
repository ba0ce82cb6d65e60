"""Classifying a reported NOC code under an edition: its level, whether it is skilled, and its
language threshold, going through StatCan's 2016 <-> 2021 correspondence when the code is in the
other classification than the edition's (DESIGN.md "Editions").

A code in the other classification is used only when every corresponding unit group gives the same
result for the edition (skilled or not, and the same language threshold); a split with mixed results
is reported as a finding and the period does not count: never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from cec_rules.engine.tables import NocTables, Occupation


@dataclass(frozen=True)
class OccupationStatus:
    """How one reported code stands under the edition."""

    reported: Occupation
    level: str | None          # None when unresolved
    skilled: bool
    via: tuple[Occupation, ...] = ()  # correspondence targets used, if any
    finding: str | None = None


def describe(occupation: Occupation) -> str:
    """`NOC 2021 73300 Transport truck drivers (TEER 3)`."""
    level = f"TEER {occupation.level}" if occupation.version == 2021 else f"skill level {occupation.level}"
    return f"NOC {occupation.version} {occupation.code} {occupation.title} ({level})"


class OccupationClassifier:
    """Resolves codes for one edition's classification, skilled levels and language thresholds."""

    def __init__(self, tables: NocTables, edition_version: int, skilled_levels: list, threshold_by_level: dict):
        self.tables = tables
        self.edition_version = edition_version
        self.skilled_levels = {str(level) for level in skilled_levels}
        self.thresholds = {str(level): value for level, value in threshold_by_level.items()}
        self._cache: dict[tuple[int, str], OccupationStatus] = {}

    def status(self, reported: Occupation) -> OccupationStatus:
        key = (reported.version, reported.code)
        if key not in self._cache:
            self._cache[key] = self._resolve(reported)
        return self._cache[key]

    def _outcome(self, level: str) -> tuple[bool, object]:
        return level in self.skilled_levels, self.thresholds.get(level)

    def _resolve(self, reported: Occupation) -> OccupationStatus:
        if reported.version == self.edition_version:
            return OccupationStatus(reported, reported.level, self._outcome(reported.level)[0])
        targets = self.tables.counterparts(reported.version, reported.code)
        if not targets:
            return OccupationStatus(reported, None, False, (), f"{describe(reported)} has no NOC {self.edition_version} counterpart in the correspondence; give the NOC {self.edition_version} code")
        outcomes = {self._outcome(t.level) for t in targets}
        if len(outcomes) == 1:
            level = sorted(t.level for t in targets)[0]
            return OccupationStatus(reported, level, outcomes.pop()[0], tuple(targets))
        listing = " and ".join(describe(t) for t in targets)
        finding = (f"NOC {reported.version} {reported.code} ({reported.title}) maps to {listing}, which differ under this edition; "
                   f"give the NOC {self.edition_version} code")
        return OccupationStatus(reported, None, False, tuple(targets), finding)
