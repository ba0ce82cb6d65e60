"""What a ranked pool adds up to: the CSV row of each profile, the counts, and the HTML summary (inline
SVG, no scripts, nothing fetched). Every number in the HTML comes from the summary document."""

from __future__ import annotations

import csv
import html
import io
import math

from .entry import Ranking

BIN = 50  # score points per bar of the distribution
ELIGIBLE_CELLS = {True: "true", False: "false", None: "undetermined"}


def csv_header(ranking: Ranking) -> str:
    return _line(
        [
            "rank",
            "applicant_id",
            "eligible",
            "score",
            "score_possible",
            ranking.tie_field,
            "programs",
            ranking.groups,
            "invited",
            "score_note",
            "reasons",
        ]
    )


def csv_row(line: dict, ranking: Ranking) -> str:
    invited = "" if line.get("invited") is None else str(line["invited"]).lower()
    reasons = " | ".join(f"{k}: {v}" for k, v in line["reasons"].items())
    return _line(
        [
            line["rank"] or "",
            line["applicant_id"],
            ELIGIBLE_CELLS[line["eligible"]],
            line["score"],
            "" if line["score_possible"] is None else line["score_possible"],
            line.get(ranking.tie_field) or "",
            ";".join(line["programs"]),
            ";".join(line[ranking.groups]),
            invited,
            line["score_note"] or "",
            reasons,
        ]
    )


def _line(values: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


class Counts:
    """Counts over the ranked pool, gathered in rank order."""

    def __init__(self, ranking: Ranking):
        self.ranking = ranking
        self.outcomes = {"in_pool": 0, "undetermined": 0, "not_in_pool": 0}
        self.bins: dict[int, int] = {}
        self.by_program: dict[str, int] = {}
        self.by_group: dict[str, int] = {}
        self.score_notes: dict[str, int] = {}

    def add(self, line: dict) -> None:
        self.outcomes[{True: "in_pool", None: "undetermined", False: "not_in_pool"}[line["eligible"]]] += 1
        if line["eligible"] is not True:
            return
        start = int(line["score"] // BIN * BIN)
        self.bins[start] = self.bins.get(start, 0) + 1
        for program in line["programs"]:
            self.by_program[program] = self.by_program.get(program, 0) + 1
        for group in line[self.ranking.groups]:
            self.by_group[group] = self.by_group.get(group, 0) + 1
        if line["score_note"]:
            self.score_notes[line["score_note"]] = self.score_notes.get(line["score_note"], 0) + 1

    def to_json(self, selection) -> dict:
        top = max(self.bins, default=0)
        doc = {
            **self.outcomes,
            "score_bins": {f"{s}-{s + BIN - 1}": self.bins.get(s, 0) for s in range(0, top + BIN, BIN)},
            "by_program": dict(sorted(self.by_program.items())),
            f"by_{self.ranking.groups}": dict(sorted(self.by_group.items())),
            "score_notes": self.score_notes,
            "round": None,
        }
        if selection.round is not None:
            doc["round"] = {
                **selection.round.model_dump(mode="json"),
                "description": selection.round.describe(),
                "invited": selection.invited,
                "cutoff": selection.cutoff(),
                "invited_by_program": dict(sorted(selection.by_program.items())),
                f"invited_by_{self.ranking.groups}": dict(sorted(selection.by_group.items())),
            }
        return doc


def html_report(summary: dict, ranking: Ranking) -> str:
    """The ranked pool as one self-contained HTML page."""
    rank = summary["rank"]
    round_ = rank["round"]
    body = [
        f"<h1>Ranked pool: {_e(summary['input'])}</h1>",
        f"<p><span data-in-pool='{rank['in_pool']}'>{rank['in_pool']:,}</span> profiles in the pool, {rank['undetermined']:,} undetermined, "
        f"{rank['not_in_pool']:,} not in the pool, {summary['rejected']:,} rejected. Ranked by the {_e(ranking.score_program)} score; "
        f"ties by the earlier {_e(ranking.tie_field)}.</p>",
    ]
    body += [
        f"<p class='note'>{_e(note)}: {n:,} profiles ranked with score 0.</p>"
        for note, n in rank["score_notes"].items()
    ]
    if round_:
        cutoff = round_["cutoff"]
        body.append(
            f"<h2>Round</h2><p data-invited='{round_['invited']}'>{_e(round_['description'])}: {round_['invited']:,} invited; "
            f"cut-off score <strong data-cutoff-score='{cutoff['score']}'>{cutoff['score']}</strong>, "
            f"{_e(ranking.tie_field)} {_e(cutoff[ranking.tie_field] or '(none)')}.</p>"
        )
    body += [
        "<h2>Score distribution (profiles in the pool)</h2>",
        _histogram(rank["score_bins"], round_["cutoff"]["score"] if round_ else None),
        "<h2>By program</h2>",
        _table(rank["by_program"], round_ and round_["invited_by_program"]),
        f"<h2>By {_e(ranking.groups)}</h2>",
        _table(rank[f"by_{ranking.groups}"], round_ and round_[f"invited_by_{ranking.groups}"]),
    ]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>cec rank</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}th:first-child,td:first-child{text-align:left}</style>"
        "</head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _histogram(bins: dict, cutoff) -> str:
    """Bars per score range, and a red line at the cut-off score."""
    width, height, labels = max(1, len(bins)) * 24, 160, list(bins)
    tallest = max(bins.values(), default=0) or 1
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width + 40}' height='{height + 40}' role='img' aria-label='score distribution'>"
    ]
    for index, (label, count) in enumerate(bins.items()):
        bar = math.ceil(count / tallest * height) if count else 0
        parts.append(
            f"<rect data-bin='{label}' data-count='{count}' x='{20 + index * 24}' y='{10 + height - bar}' width='20' height='{bar}' fill='#4c78a8'>"
            f"<title>{label}: {count:,}</title></rect>"
        )
    if cutoff is not None and labels:
        x = 20 + cutoff / BIN * 24
        parts.append(
            f"<line data-cutoff='{cutoff}' x1='{x:.1f}' x2='{x:.1f}' y1='5' y2='{height + 15}' stroke='#cf222e' stroke-width='2'/>"
        )
    parts.append(
        f"<text x='20' y='{height + 32}' font-size='11'>0</text><text x='{width}' y='{height + 32}' font-size='11'>{_e(labels[-1]) if labels else ''}</text></svg>"
    )
    return "".join(parts)


def _table(counts: dict, invited: dict | None) -> str:
    head = "<tr><th>name</th><th>in the pool</th>" + ("<th>invited</th>" if invited is not None else "") + "</tr>"
    rows = [
        f"<tr><td>{_e(name)}</td><td>{n:,}</td>"
        + (
            f"<td data-invited-{_e(name)}='{invited.get(name, 0)}'>{invited.get(name, 0):,}</td>"
            if invited is not None
            else ""
        )
        + "</tr>"
        for name, n in counts.items()
    ] or ["<tr><td>(none)</td><td>0</td></tr>"]
    return "<table>" + head + "".join(rows) + "</table>"


def _e(value) -> str:
    return html.escape(str(value), quote=True)
