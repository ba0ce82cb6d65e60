"""Counting a population's changes with flat memory: totals, flips by direction and criterion, sample
ids, and the distributions of the deciding values (which ones is the program plugin's
`impact_distributions`)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from cec_rules.engine.batch.worker import Rejected


SAMPLES = 10
CATEGORIES = (
    "became_eligible",
    "became_ineligible",
    "became_undetermined",
    "eligible_both",
    "ineligible_both",
    "undetermined_both",
)
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


def bucket(distribution, value) -> str:
    """The bucket of `value` in `distribution` (a `Distribution`): the value itself (width 1), a range
    `start-end`, `top+`, or `none` for no value.

    Examples:
        >>> from cec_rules.engine.program import Distribution
        >>> spread = Distribution("d", "v", "", "", width=120, top=3120)
        >>> bucket(spread, 1559.9), bucket(spread, 5000), bucket(spread, None), bucket(Distribution("d", "v", "", ""), 7)
        ('1440-1559', '3120+', 'none', '7')
    """
    if value is None:
        return "none"
    if distribution.width == 1:
        return str(value)
    start = min(int(value // distribution.width) * distribution.width, distribution.top)
    return f"{start}+" if start == distribution.top else f"{start}-{start + distribution.width - 1}"


def bucket_keys(distribution) -> list[str]:
    """Every bucket a chart of `distribution` shows, in order, `none` last."""
    if distribution.width == 1:
        return [str(value) for value in range(distribution.top)] + ["none"]
    starts = range(0, distribution.top, distribution.width)
    return [f"{s}-{s + distribution.width - 1}" for s in starts] + [f"{distribution.top}+", "none"]


@dataclass
class ImpactCounts:
    distributions: tuple = ()  # the program's `impact_distributions`
    total: int = 0
    rejected: int = 0
    outcomes: dict = field(default_factory=lambda: {c: 0 for c in CATEGORIES})
    criteria_changed: dict = field(default_factory=dict)  # criterion -> {"met -> unmet": n, "unmet -> met": n}
    changed_without_outcome: int = 0  # a criterion changed but eligibility did not
    samples: dict = field(default_factory=lambda: {c: [] for c in FLIPS})
    spread: dict = field(default_factory=dict)  # distribution name -> outcome -> bucket -> n (old values)
    editions: dict = field(default_factory=dict)  # (old edition, new edition) -> n

    def __post_init__(self):
        self.spread = {d.name: {c: {} for c in CATEGORIES} for d in self.distributions}

    def add(self, result) -> None:
        self.total += 1
        if isinstance(result, Rejected):
            self.rejected += 1
            return
        old, new = result.old, result.new
        kind = category(old, new)
        self.outcomes[kind] += 1
        pair = (old["edition"], new["edition"])
        self.editions[pair] = self.editions.get(pair, 0) + 1
        if kind in self.samples and len(self.samples[kind]) < SAMPLES:
            self.samples[kind].append(result.applicant_id)
        if (
            old["criteria"] != new["criteria"]
            and self._criteria_changed(old["criteria"], new["criteria"])
            and kind not in FLIPS
        ):
            self.changed_without_outcome += 1
        for distribution in self.distributions:
            _bump(self.spread[distribution.name][kind], bucket(distribution, old.get(distribution.value)))

    def _criteria_changed(self, old: dict, new: dict) -> bool:
        """Count each criterion of both sides whose outcome changed; whether one did."""
        changed = False
        for criterion, met in new.items():
            if criterion in old and old[criterion] != met:
                counts = self.criteria_changed.setdefault(criterion, {"met -> unmet": 0, "unmet -> met": 0})
                direction = criterion_change(old[criterion], met)
                counts[direction] = counts.get(direction, 0) + 1
                changed = True
        return changed

    def merge(self, other: "ImpactCounts") -> None:
        """Add the counts of the applicants that follow (a worker's chunk, engine/impact/packed.py): the same
        counts, samples and first-seen orders as adding them one at a time."""
        self.total += other.total
        self.rejected += other.rejected
        self.changed_without_outcome += other.changed_without_outcome
        _add_counts(self.outcomes, other.outcomes)
        _add_counts(self.editions, other.editions)
        for criterion, directions in other.criteria_changed.items():
            _add_counts(self.criteria_changed.setdefault(criterion, {"met -> unmet": 0, "unmet -> met": 0}), directions)
        for kind, ids in other.samples.items():
            self.samples[kind] += ids[: SAMPLES - len(self.samples[kind])]
        for name, by_outcome in other.spread.items():
            for kind, counter in by_outcome.items():
                _add_counts(self.spread[name][kind], counter)

    @property
    def decided(self) -> int:
        return self.total - self.rejected

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "decided": self.decided,
            "rejected": self.rejected,
            "outcomes": self.outcomes,
            "changed_outcome": sum(self.outcomes[c] for c in FLIPS),
            "criteria_changed": self.criteria_changed,
            "changed_criterion_without_outcome": self.changed_without_outcome,
            "samples": self.samples,
            "editions_used": [{"old": o, "new": n, "applicants": c} for (o, n), c in sorted(self.editions.items())],
            "distributions": {name: _ordered(by_outcome) for name, by_outcome in self.spread.items()},
        }


def bucket_order(key: str) -> tuple:
    """Buckets in numeric order ("120-239" after "0-119", "3120+" last of the numbers), "none" at the end."""
    digits = key.split("-")[0].rstrip("+")
    return (0, int(digits), key) if digits.isdigit() else (1, 0, key)


def _ordered(by_outcome: dict) -> dict:
    return {
        c: dict(sorted(counter.items(), key=lambda item: bucket_order(item[0]))) for c, counter in by_outcome.items()
    }


def _bump(counter: dict, key: str) -> None:
    counter[key] = counter.get(key, 0) + 1


def _add_counts(counter: dict, more: dict) -> None:
    """Add `more`'s counts to `counter`; keys new to it follow, in `more`'s order."""
    for key, n in more.items():
        counter[key] = counter.get(key, 0) + n


def keep_largest(heap: list, item: tuple) -> None:
    """Keep in `heap` the SAMPLES largest of the `(size, -seq, sample)` items pushed (on equal sizes, the
    earlier record): bounded memory for "the largest shifts" over any population."""
    if len(heap) < SAMPLES:
        heapq.heappush(heap, item)
    elif item[:2] > heap[0][:2]:
        heapq.heapreplace(heap, item)


def largest(heap: list) -> list:
    """The samples of a `keep_largest` heap, largest first."""
    return [sample for _, _, sample in sorted(heap, key=lambda item: item[:2], reverse=True)]
