"""Counting what a batch decided, for the final summary (text on stderr, JSON with --summary)."""

from __future__ import annotations


OUTCOME_KEYS = {True: "eligible", False: "ineligible", None: "undetermined"}


def new_counts() -> dict:
    return {
        "total": 0,
        "eligible": 0,
        "ineligible": 0,
        "undetermined": 0,
        "rejected": 0,
        "unmet_by_criterion": {},
        "undetermined_by_criterion": {},
        "by_edition": {},
    }


def count_rejected(counts: dict, n: int = 1) -> None:
    """Add `n` rejected records (the counts stay JSON-ready: a checkpoint stores them)."""
    counts["total"] += n
    counts["rejected"] += n


def count_outcome(counts: dict, key: tuple, n: int = 1) -> None:
    """Add `n` decided records with one outcome: (eligible, unmet, edition, undetermined, programs), where
    `programs` has (program, eligible, unmet, edition, undetermined) per decision when several programs decide."""
    eligible, unmet, edition, undetermined, programs = key
    counts["total"] += n
    counts[OUTCOME_KEYS[eligible]] += n
    if not programs:
        _count_decision(counts, eligible, unmet, edition, undetermined, n, outcome=False)
    for program, eligible, unmet, edition, undetermined in programs:
        mine = counts.setdefault("programs", {}).setdefault(program, _program_counts())
        _count_decision(mine, eligible, unmet, edition, undetermined, n)


def _program_counts() -> dict:
    """One program's counts in a run that decides several (`programs` in the summary)."""
    return {
        "eligible": 0,
        "ineligible": 0,
        "undetermined": 0,
        "unmet_by_criterion": {},
        "undetermined_by_criterion": {},
        "by_edition": {},
    }


def _count_decision(
    counts: dict, eligible, unmet, edition: str, undetermined, n: int = 1, outcome: bool = True
) -> None:
    if outcome:
        counts[OUTCOME_KEYS[eligible]] += n
    counts["by_edition"][edition] = counts["by_edition"].get(edition, 0) + n
    for criterion in unmet:
        counts["unmet_by_criterion"][criterion] = counts["unmet_by_criterion"].get(criterion, 0) + n
    for criterion in undetermined:
        by_criterion = counts.setdefault("undetermined_by_criterion", {})  # absent in checkpoints of older runs
        by_criterion[criterion] = by_criterion.get(criterion, 0) + n


def summary(counts: dict, elapsed: float, workers: int, worker_deaths: int, resumed_from: int) -> dict:
    """The summary document."""
    rate = (counts["total"] - resumed_from) / elapsed if elapsed > 0 else 0.0
    return {
        **counts,
        "decided": counts["eligible"] + counts["ineligible"] + counts.get("undetermined", 0),
        "elapsed_seconds": round(elapsed, 3),
        "records_per_second": round(rate, 1),
        "workers": workers,
        "worker_deaths": worker_deaths,
        "resumed_from": resumed_from,
    }


def _criteria_lines(counts: dict, indent: str) -> list[str]:
    """The criteria most often unmet, then undetermined."""
    lines = [
        f"{indent}unmet {criterion}: {n:,}"
        for criterion, n in sorted(counts["unmet_by_criterion"].items(), key=lambda kv: -kv[1])
    ]
    return lines + [
        f"{indent}undetermined {criterion}: {n:,}"
        for criterion, n in sorted(counts.get("undetermined_by_criterion", {}).items(), key=lambda kv: -kv[1])
    ]


def summary_text(doc: dict) -> str:
    """A few lines for the operator; with several programs, each program's counts after the totals (which
    count an applicant eligible when any program finds it eligible)."""
    lines = [
        f"batch: {doc['total']:,} records: {doc['eligible']:,} eligible, {doc['ineligible']:,} not eligible, "
        f"{doc.get('undetermined', 0):,} undetermined, {doc['rejected']:,} rejected; {doc['elapsed_seconds']:.1f} s, {doc['records_per_second']:,.0f} records/s "
        f"with {doc['workers']} worker(s)"
    ]
    lines += _criteria_lines(doc, "  ")
    for program, mine in doc.get("programs", {}).items():
        lines.append(
            f"  {program}: {mine['eligible']:,} eligible, {mine['ineligible']:,} not eligible, {mine['undetermined']:,} undetermined"
        )
        lines += _criteria_lines(mine, "    ")
    if doc["worker_deaths"]:
        lines.append(f"  worker processes that died and were replaced: {doc['worker_deaths']}")
    if doc["resumed_from"]:
        lines.append(f"  resumed after {doc['resumed_from']:,} records already done")
    return "\n".join(lines)
