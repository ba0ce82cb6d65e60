"""The score and rank sections of the impact reports (Markdown and HTML), from the summary's `scores` and
`ranks` (engine/impact/scores.py, engine/impact/ranks.py). A program without a score has no score section,
and one that is not ranked no rank section. Both formats show the same rows (the `_rows` functions)."""

from __future__ import annotations

import html

RISE, FALL, SAME = "#1a7f37", "#cf222e", "#8c959f"
FACTOR_HEADER = ["factor", "applicants", "rose", "fell", "net points"]
SHIFT_HEADER = ["applicant", "old", "new", "shift", "factors"]
MOVE_HEADER = ["applicant", "old rank", "new rank", "places", "old score", "new score"]
GROUP_HEADER = ["joined", "left", "sample ids"]
ROUND_HEADER = ["", "old rules", "new rules"]
INVITATIONS = (("Gain an invitation", "gained_samples"), ("Lose their invitation", "lost_samples"))


def markdown_scores(scores: dict | None) -> list[str]:
    """The score shifts: counts, the spread of the shifts, the factors that moved, the largest shifts."""
    if not scores:
        return []
    possible = scores["possible_total"]
    lines = [
        "## Scores",
        "",
        f"{_score_sentence(scores)}; possible total {possible['rose']:,} rose, {possible['fell']:,} fell, "
        f"{possible['same']:,} stayed.",
    ]
    if scores["old_only"] or scores["new_only"]:
        lines.append(
            f"Scored under the old rules only: {scores['old_only']:,}; under the new only: {scores['new_only']:,}."
        )
    lines += [
        "",
        *_markdown_table(
            ["shift", "applicants"], [[bucket, f"{n:,}"] for bucket, n in scores["shift_buckets"].items() if n]
        ),
    ]
    lines += ["", "### Factors that moved", "", *_markdown_table(FACTOR_HEADER, _factor_rows(scores))]
    for title, key in (("Largest rises", "largest_rises"), ("Largest falls", "largest_falls")):
        lines += ["", f"### {title}", "", *_markdown_table(SHIFT_HEADER, _shift_rows(scores[key]))]
    return lines + [""]


def markdown_ranks(ranks: dict | None) -> list[str]:
    """The rank changes: counts, the largest moves, the groups joined and left, the round."""
    if not ranks:
        return []
    lines = ["## Ranks", "", _rank_sentence(ranks)]
    for title, key in (("Largest moves up", "largest_up"), ("Largest moves down", "largest_down")):
        lines += ["", f"### {title}", "", *_markdown_table(MOVE_HEADER, _move_rows(ranks[key]))]
    groups = ranks["groups"]
    if groups:
        lines += [
            "",
            f"### {groups['name'].capitalize()}",
            "",
            *_markdown_table([groups["name"], *GROUP_HEADER], _group_rows(groups)),
        ]
    selection = ranks["round"]
    if selection:
        lines += [
            "",
            "### Round",
            "",
            _round_sentence(selection),
            "",
            *_markdown_table(ROUND_HEADER, _round_rows(selection, ranks["tie_field"])),
            "",
        ]
        lines += [f"- {title}: {_invitation_samples(selection[key])}" for title, key in INVITATIONS]
    return lines + [""]


def html_scores(scores: dict | None) -> list[str]:
    """The score section: the counts, a chart of the shifts, and the factor and largest-shift tables."""
    if not scores:
        return []
    return [
        "<h2>Scores</h2>",
        f"<p data-scores='{scores['scored']}'>{_e(_score_sentence(scores))}.</p>",
        _shift_chart(scores["shift_buckets"]),
        "<h3>Factors that moved</h3>",
        _table(FACTOR_HEADER, _factor_rows(scores), "factor"),
        "<h3>Largest shifts</h3>",
        _table(SHIFT_HEADER, _shift_rows(scores["largest_rises"] + scores["largest_falls"]), "shift"),
    ]


def html_ranks(ranks: dict | None) -> list[str]:
    """The rank section: the counts, the largest moves, the groups joined and left, the round."""
    if not ranks:
        return []
    groups = ranks["groups"]
    parts = [
        "<h2>Ranks</h2>",
        f"<p data-ranks-changed='{ranks['changed']}'>{_e(_rank_sentence(ranks))}</p>",
        "<h3>Largest moves</h3>",
        _table(MOVE_HEADER, _move_rows(ranks["largest_up"] + ranks["largest_down"]), "move"),
    ]
    if groups:
        parts += [
            f"<h3>{_e(groups['name'].capitalize())}</h3>",
            _table([groups["name"], *GROUP_HEADER], _group_rows(groups), "group"),
        ]
    selection = ranks["round"]
    if selection:
        samples = "".join(f"<li>{title}: {_e(_invitation_samples(selection[key]))}</li>" for title, key in INVITATIONS)
        parts += [
            "<h3>Round</h3>",
            f"<p data-round-gained='{selection['gained']}' data-round-lost='{selection['lost']}'>"
            f"{_e(_round_sentence(selection))}</p>",
            _table(ROUND_HEADER, _round_rows(selection, ranks["tie_field"]), "round"),
            f"<ul>{samples}</ul>",
        ]
    return parts


def _score_sentence(scores: dict) -> str:
    total = scores["total"]
    return (
        f"{scores['scored']:,} applicant(s) scored under both rules: total {total['rose']:,} rose, {total['fell']:,} fell, "
        f"{total['same']:,} stayed (net shift {scores['net_shift']:+,})"
    )


def _rank_sentence(ranks: dict) -> str:
    order = "in the pool first, then " if ranks["entry_first"] else ""
    return (
        f"Ranked in the order cec rank uses ({order}{ranks['score_program']} score, then the earlier {ranks['tie_field']}, then the id): "
        f"{ranks['ranked']['old']:,} ranked under the old rules, {ranks['ranked']['new']:,} under the new; {ranks['changed']:,} "
        f"changed rank, {ranks['same']:,} kept it, {ranks['entered']:,} entered the ranking, {ranks['left']:,} left it."
    )


def _round_sentence(selection: dict) -> str:
    return f"{selection['description']}: {selection['gained']:,} gain an invitation, {selection['lost']:,} lose one."


def _factor_rows(scores: dict) -> list[list]:
    return [
        [name, f"{f['records']:,}", f"{f['rose']:,}", f"{f['fell']:,}", f"{f['total_shift']:+,}"]
        for name, f in scores["factors"].items()
    ]


def _shift_rows(shifts: list[dict]) -> list[list]:
    return [
        [
            s["applicant_id"],
            s["old"],
            s["new"],
            f"{s['shift']:+}",
            ", ".join(f"{name} {d:+}" for name, d in s["factors"].items()),
        ]
        for s in shifts
    ]


def _move_rows(moves: list[dict]) -> list[list]:
    return [
        [
            m["applicant_id"],
            m["rank"]["old"],
            m["rank"]["new"],
            f"{m['places']:+}",
            m["score"]["old"],
            m["score"]["new"],
        ]
        for m in moves
    ]


def _group_rows(groups: dict) -> list[list]:
    return [
        [name, f"{c['joined']:,}", f"{c['left']:,}", ", ".join(c["samples"]["joined"] + c["samples"]["left"])]
        for name, c in groups["changed"].items()
    ]


def _round_rows(selection: dict, tie_field: str) -> list[list]:
    """Invited, and the cut-off (score, tie-break value) on each side."""
    old, new = selection["old"], selection["new"]
    return [
        ["invited", f"{old['invited']:,}", f"{new['invited']:,}"],
        ["cut-off score", _none(old["cutoff"]["score"]), _none(new["cutoff"]["score"])],
        [f"cut-off {tie_field}", _none(old["cutoff"][tie_field]), _none(new["cutoff"][tie_field])],
    ]


def _invitation_samples(samples: list[dict]) -> str:
    return (
        ", ".join(f"{s['applicant_id']} (rank {_none(s['rank']['old'])} -> {_none(s['rank']['new'])})" for s in samples)
        or "(none)"
    )


def _markdown_table(header: list, rows: list[list]) -> list[str]:
    """A Markdown table; one row saying (none) when there is no row."""
    rows = rows or [["(none)", *[""] * (len(header) - 1)]]
    return [
        f"| {' | '.join(header)} |",
        "|" + "---|" * len(header),
        *[f"| {' | '.join(map(str, row))} |" for row in rows],
    ]


def _table(header: list, rows: list[list], kind: str) -> str:
    """An HTML table, each row marked with its first cell (`data-KIND`); (none) when there is no row."""
    if not rows:
        return "<p>(none)</p>"
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        f"<tr data-{kind}='{_e(row[0])}'>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _shift_chart(buckets: dict) -> str:
    """One bar per shift bucket (falls red, rises green, unchanged grey), every non-empty one visible."""
    top = max(buckets.values(), default=0) or 1
    bar, height, parts = 56, 160, []
    for i, (bucket, n) in enumerate(buckets.items()):
        colour = SAME if bucket == "0" else RISE if bucket.startswith("+") else FALL
        h = max(3, (height - 20) * n / top) if n else 0
        middle = i * bar + (bar - 4) / 2
        if n:
            parts.append(
                f"<rect x='{i * bar}' y='{height - h:.1f}' width='{bar - 4}' height='{h:.1f}' fill='{colour}' data-shift='{_e(bucket)}' "
                f"data-count='{n}'><title>{_e(bucket)}: {n:,}</title></rect>"
                f"<text x='{middle}' y='{height - h - 3:.1f}' font-size='10' text-anchor='middle'>{n:,}</text>"
            )
        parts.append(f"<text x='{middle}' y='{height + 14}' font-size='9' text-anchor='middle'>{_e(bucket)}</text>")
    return (
        f"<svg role='img' aria-label='score shifts' width='{bar * len(buckets)}' height='{height + 24}' "
        f"xmlns='http://www.w3.org/2000/svg'>{''.join(parts)}</svg>"
    )


def _none(value) -> str:
    return "(none)" if value is None else str(value)


def _e(text) -> str:
    return html.escape(str(text), quote=True)
