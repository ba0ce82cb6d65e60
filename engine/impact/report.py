"""The impact reports: Markdown for reading and reviewing, HTML with charts (inline SVG, no scripts,
nothing fetched) for sharing. Every number in them comes from the summary JSON."""

from __future__ import annotations

import html

from .aggregate import CATEGORIES, FLIPS, bucket_keys
from .report_scores import html_ranks, html_scores, markdown_ranks, markdown_scores

LABELS = {
    "became_eligible": "became eligible",
    "became_ineligible": "became ineligible",
    "became_undetermined": "became undetermined",
    "eligible_both": "eligible under both",
    "ineligible_both": "ineligible under both",
    "undetermined_both": "undetermined under both",
}
COLOURS = {
    "became_eligible": "#1a7f37",
    "became_ineligible": "#cf222e",
    "became_undetermined": "#bf8700",
    "eligible_both": "#8fbcbb",
    "ineligible_both": "#c8c8c8",
    "undetermined_both": "#e6d3a3",
}


def markdown(summary: dict) -> str:
    """The report as Markdown."""
    lines = [
        f"# Impact of {summary['old']} -> {summary['new']}",
        "",
        f"Population: `{summary['population']}`: {summary['total']:,} records, {summary['decided']:,} decided, "
        f"{summary['rejected']:,} rejected.",
        "",
        "## Outcomes",
        "",
        "| outcome | applicants |",
        "|---|---|",
    ]
    lines += [f"| {LABELS[c]} | {summary['outcomes'][c]:,} |" for c in CATEGORIES]
    lines += [
        "",
        f"{summary['changed_outcome']:,} applicant(s) change outcome; {summary['changed_criterion_without_outcome']:,} more "
        "see a criterion change without a change of outcome.",
        "",
        "## Criteria responsible",
        "",
        "| criterion | change | applicants |",
        "|---|---|---|",
    ]
    lines += [
        f"| {c} | {direction} | {n:,} |"
        for c, v in sorted(summary["criteria_changed"].items())
        for direction, n in sorted(v.items())
        if n
    ]
    if not summary["criteria_changed"]:
        lines.append("| (none) | | 0 |")
    lines += ["", "## Sample applicants", ""]
    for direction in FLIPS:
        ids = summary["samples"].get(direction, [])
        lines.append(f"- {LABELS[direction]}: {', '.join(ids) if ids else '(none)'}")
    lines += [
        "",
        *markdown_scores(summary.get("scores")),
        *markdown_ranks(summary.get("ranks")),
        "## What changed in the rules",
        "",
    ]
    lines += [f"- `{c['edition']}` {c['kind']} `{c['name']}`: {c['change']}" for c in summary["rules_changes"]] or [
        "- (no difference)"
    ]
    ranks = f" Rank and invitation changes: `{summary['files']['ranks']}`." if "ranks" in summary["files"] else ""
    lines += [
        "",
        f"Per-applicant differences: `{summary['files']['changes']}`.{ranks} Rejected records: `{summary['files']['rejects']}`.",
        "",
    ]
    return "\n".join(lines)


def html_report(summary: dict, distributions: tuple = ()) -> str:
    """The report as one self-contained HTML page with bar charts (one per distribution of the program's
    plugin, with its thresholds marked)."""
    body = [
        f"<h1>Impact of {_e(summary['old'])} &rarr; {_e(summary['new'])}</h1>",
        f"<p>Population <code>{_e(summary['population'])}</code>: <span data-total='{summary['total']}'>{summary['total']:,}</span> records, "
        f"{summary['decided']:,} decided, {summary['rejected']:,} rejected.</p>",
        "<h2>Outcomes</h2>",
        _outcome_table(summary),
        "<h2>Outcome flips by criterion</h2>",
        _criteria_chart(summary),
        "<h2>Sample applicants</h2>",
        _samples(summary),
        *[part for d in distributions for part in _distribution(summary, d)],
        *html_scores(summary.get("scores")),
        *html_ranks(summary.get("ranks")),
        "<h2>What changed in the rules</h2>",
        _changes_list(summary),
    ]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>cec diff</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}th:first-child,td:first-child{text-align:left}"
        ".legend span{display:inline-block;margin-right:1em}.swatch{width:.8em;height:.8em;display:inline-block;margin-right:.3em}</style>"
        "</head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _outcome_table(summary: dict) -> str:
    rows = "".join(
        f"<tr><td>{LABELS[c]}</td><td data-outcome='{c}'>{summary['outcomes'][c]}</td></tr>" for c in CATEGORIES
    )
    return f"<table><tr><th>outcome</th><th>applicants</th></tr>{rows}</table>"


def _samples(summary: dict) -> str:
    """The same sample ids as the Markdown report, to look up in changes.jsonl."""
    items = "".join(
        f"<li>{LABELS[d]}: <span data-samples='{d}'>{_e(', '.join(summary['samples'].get(d, [])) or '(none)')}</span></li>"
        for d in FLIPS
    )
    return f"<ul>{items}</ul>"


MIN_BAR = 3  # pixels: a count of 1 among thousands still shows as a bar, with its number beside it


def _criteria_chart(summary: dict) -> str:
    items = [
        (f"{c}: {d}", n, "#cf222e" if d == "met -> unmet" else "#1a7f37", f"{c}|{d}")
        for c, v in sorted(summary["criteria_changed"].items())
        for d, n in v.items()
        if n
    ]
    if not items:
        return "<p>No criterion changed for any applicant.</p>"
    top = max(n for _, n, _, _ in items) or 1
    height = 28 * len(items) + 10
    widths = [max(MIN_BAR, 400 * n / top) if n else 0 for _, n, _, _ in items]
    bars = "".join(
        f"<text x='0' y='{28 * i + 18}' font-size='12'>{_e(label)}</text>"
        f"<rect x='220' y='{28 * i + 5}' width='{w:.1f}' height='18' fill='{colour}' data-criterion='{_e(key)}' data-count='{n}'/>"
        f"<text x='{225 + w:.1f}' y='{28 * i + 18}' font-size='12'>{n:,}</text>"
        for i, ((label, n, colour, key), w) in enumerate(zip(items, widths))
    )
    return f"<svg role='img' aria-label='flips by criterion' width='700' height='{height}' xmlns='http://www.w3.org/2000/svg'>{bars}</svg>"


def _distribution(summary: dict, distribution) -> list[str]:
    """A distribution's heading and chart, its thresholds marked where their values fall among the buckets."""
    width = distribution.width
    marks = _markers(summary.get("thresholds", {}).get(distribution.thresholds), lambda v: v / width)
    return [
        f"<h2>{_e(distribution.heading)}</h2>",
        _stacked_chart(
            summary["distributions"][distribution.name], bucket_keys(distribution), distribution.axis, marks
        ),
    ]


def _markers(values: dict | None, position) -> list[tuple[float, str, str]]:
    """(bar position, label, colour) for each threshold value: unchanged ones grey, old red, new green."""
    if not values:
        return []
    old, new = set(values["old"]), set(values["new"])
    marks = [(position(v), f"{v:g}", "#555") for v in sorted(old & new)]
    marks += [(position(v), f"old {v:g}", "#cf222e") for v in sorted(old - new)]
    marks += [(position(v), f"new {v:g}", "#1a7f37") for v in sorted(new - old)]
    return marks


def _stacked_chart(distribution: dict, keys: list[str], name: str, marks: list | None = None) -> str:
    """Bars per bin, stacked by outcome (the flips at the bottom so they stand out); thresholds as dashed lines.
    A non-empty segment is at least MIN_BAR high; the bin with no value ("none") stands apart, labelled."""
    order = (
        "became_ineligible",
        "became_eligible",
        "became_undetermined",
        "eligible_both",
        "ineligible_both",
        "undetermined_both",
    )
    totals = [sum(distribution[c].get(k, 0) for c in order) for k in keys]
    top = max(totals) or 1
    width, height, bar = 720, 240, 720 / (len(keys) + 1)
    parts = []
    step = max(1, (len(keys) - 1) // 8)
    for i, key in enumerate(keys):
        x = (i + 1 if key == "none" else i) * bar
        y = height
        for c in order:
            n = distribution[c].get(key, 0)
            if n:
                h = max(MIN_BAR, (height - 20 - len(order) * MIN_BAR) * n / top)
                y -= h
                parts.append(
                    f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar - 2:.1f}' height='{h:.1f}' fill='{COLOURS[c]}' "
                    f"data-{name}='{_e(key)}' data-outcome='{c}' data-count='{n}'><title>{_e(key)}: {n:,} {LABELS[c]}</title></rect>"
                )
        if key == "none" or i % step == 0 or i == len(keys) - 2:
            label = "no value" if key == "none" else key
            parts.append(
                f"<text x='{x + (bar - 2) / 2:.1f}' y='{height + 14}' font-size='10' text-anchor='middle' data-axis='{_e(key)}'>{_e(label)}</text>"
            )
    for offset, label, colour in marks or []:
        x = offset * bar
        parts.append(
            f"<line x1='{x:.1f}' y1='0' x2='{x:.1f}' y2='{height}' stroke='{colour}' stroke-dasharray='4 3' data-threshold='{_e(label)}'/>"
            f"<text x='{x + 3:.1f}' y='12' font-size='11' fill='{colour}'>{_e(label)}</text>"
        )
    legend = "".join(
        f"<span><span class='swatch' style='background:{COLOURS[c]}'></span>{LABELS[c]}</span>" for c in order
    )
    return (
        f"<svg role='img' aria-label='{name} distribution' width='{width + 40}' height='{height + 24}' xmlns='http://www.w3.org/2000/svg' "
        f"style='overflow:visible'>" + "".join(parts) + f"</svg><div class='legend'>{legend}</div>"
    )


def _changes_list(summary: dict) -> str:
    items = "".join(
        f"<li><code>{_e(c['edition'])}</code> {_e(c['kind'])} <code>{_e(c['name'])}</code>: {_e(c['change'])}</li>"
        for c in summary["rules_changes"]
    )
    return f"<ul>{items or '<li>(no difference)</li>'}</ul>"
