"""Counting a population's changes with flat memory: totals, flips by direction and criterion, sample
ids, and the distributions of the deciding values (qualifying hours, lowest language level)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cec_rules.engine.batch.worker import Rejected


SAMPLES = 10
HOURS_BIN = 120
HOURS_TOP = 3120
CATEGORIES = ("became_eligible", "became_ineligible", "became_undetermined", "eligible_both", "ineligible_both", "undetermined_both")
FLIPS = ("became_eligible", "became_ineligible", "became_undetermined")
_BECAME = {True: "became_eligible", False: "became_ineligible", None: "became_undetermined"}
_BOTH = {True: "eligible_both", False: "ineligible_both", None: "undetermined_both"}
OUTCOME_WORDS = {True: "met", False: "unmet", None: "undetermined"}


def category(old: dict, new: dict) -> str:
    """Where one applicant's outcome went (eligible is True, False or None: undetermined)."""
    return (_BECAME if old["eligible"] != new["eligible"] else _BOTH)[new["eligible"]]


def criterion_change(old_met: bool | None, new_met: bool | None) -> str:
    """`met -> undetermined`, and so on."""
    return f"{OUTCOME_WORDS[old_met]} -> {OUTCOME_WORDS[new_met]}"


def hours_bin(hours) -> str:
    if hours is None:
        return "none"
    start = min(int(hours // HOURS_BIN) * HOURS_BIN, HOURS_TOP)
    return f"{start}+" if start == HOURS_TOP else f"{start}-{start + HOURS_BIN - 1}"


@dataclass
class ImpactCounts:
    total: int = 0
    rejected: int = 0
    outcomes: dict = field(default_factory=lambda: {c: 0 for c in CATEGORIES})
    criteria_changed: dict = field(default_factory=dict)   # criterion -> {"met -> unmet": n, "unmet -> met": n}
    changed_without_outcome: int = 0                       # a criterion changed but eligibility did not
    samples: dict = field(default_factory=lambda: {c: [] for c in FLIPS})
    hours: dict = field(default_factory=lambda: {c: {} for c in CATEGORIES})      # old hours, binned
    language: dict = field(default_factory=lambda: {c: {} for c in CATEGORIES})   # old lowest level
    editions: dict = field(default_factory=dict)                                  # (old edition, new edition) -> n

    def add(self, result) -> None:
        self.total += 1
        if isinstance(result, Rejected):
            self.rejected += 1
            return
        kind = category(result.old, result.new)
        self.outcomes[kind] += 1
        pair = (result.old["edition"], result.new["edition"])
        self.editions[pair] = self.editions.get(pair, 0) + 1
        if kind in self.samples and len(self.samples[kind]) < SAMPLES:
            self.samples[kind].append(result.applicant_id)
        changed = False
        for criterion, met in result.new["criteria"].items():
            if criterion in result.old["criteria"] and result.old["criteria"][criterion] != met:
                counts = self.criteria_changed.setdefault(criterion, {"met -> unmet": 0, "unmet -> met": 0})
                direction = criterion_change(result.old["criteria"][criterion], met)
                counts[direction] = counts.get(direction, 0) + 1
                changed = True
        if changed and kind not in FLIPS:
            self.changed_without_outcome += 1
        _bump(self.hours[kind], hours_bin(result.old["qualifying_hours"]))
        lowest = result.old["language_lowest"]
        _bump(self.language[kind], "none" if lowest is None else str(lowest))

    @property
    def decided(self) -> int:
        return self.total - self.rejected

    def to_json(self) -> dict:
        return {"total": self.total, "decided": self.decided, "rejected": self.rejected, "outcomes": self.outcomes,
                "changed_outcome": sum(self.outcomes[c] for c in FLIPS),
                "criteria_changed": self.criteria_changed, "changed_criterion_without_outcome": self.changed_without_outcome,
                "samples": self.samples,
                "editions_used": [{"old": o, "new": n, "applicants": c} for (o, n), c in sorted(self.editions.items())],
                "distributions": {"qualifying_hours_old": _ordered(self.hours), "lowest_language_level_old": _ordered(self.language)}}


def bucket_order(key: str) -> tuple:
    """Buckets in numeric order ("120-239" after "0-119", "3120+" last of the numbers), "none" at the end."""
    digits = key.split("-")[0].rstrip("+")
    return (0, int(digits), key) if digits.isdigit() else (1, 0, key)


def _ordered(by_outcome: dict) -> dict:
    return {c: dict(sorted(counter.items(), key=lambda item: bucket_order(item[0]))) for c, counter in by_outcome.items()}


def _bump(counter: dict, key: str) -> None:
    counter[key] = counter.get(key, 0) + 1
