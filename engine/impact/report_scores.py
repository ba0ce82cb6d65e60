"""The score and rank sections of the impact reports (Markdown and HTML), from the summary's `scores` and
`ranks` (engine/impact/scores.py, engine/impact/ranks.py). A program without a score has no score section,
and one that is not ranked no rank section."""

from __future__ import annotations

import html

RISE, FALL, SAME = "#1a7f37", "#cf222e", "#8c959f"


def markdown_scores(scores: dict | None) -> list[str]:
    """The score shifts: counts, the spread of the shifts, the factors that moved, the largest shifts."""
    if not scores:
        return []
    total, possible = scores["total"], scores["possible_total"]
    lines = ["## Scores", "", f"{scores['scored']:,} applicant(s) scored under both rules: total {total['rose']:,} rose, "
             f"{total['fell']:,} fell, {total['same']:,} stayed (net shift {scores['net_shift']:+,}); possible total "
             f"{possible['rose']:,} rose, {possible['fell']:,} fell, {possible['same']:,} stayed."]
    if scores["old_only"] or scores["new_only"]:
        lines.append(f"Scored under the old rules only: {scores['old_only']:,}; under the new only: {scores['new_only']:,}.")
    lines += ["", "| shift | applicants |", "|---|---|"]
    lines += [f"| {bucket} | {n:,} |" for bucket, n in scores["shift_buckets"].items() if n]
    lines += ["", "### Factors that moved", "", "| factor | applicants | rose | fell | net points |", "|---|---|---|---|---|"]
    lines += [f"| {name} | {f['records']:,} | {f['rose']:,} | {f['fell']:,} | {f['total_shift']:+,} |" for name, f in scores["factors"].items()]
    if not scores["factors"]:
        lines.append("| (none) | 0 | | | |")
    for title, key in (("Largest rises", "largest_rises"), ("Largest falls", "largest_falls")):
        lines += ["", f"### {title}", "", "| applicant | old | new | shift | factors |", "|---|---|---|---|---|"]
        lines += [f"| {s['applicant_id']} | {s['old']} | {s['new']} | {s['shift']:+} | {_factors(s['factors'])} |" for s in scores[key]]
        if not scores[key]:
            lines.append("| (none) | | | | |")
    return lines + [""]


def markdown_ranks(ranks: dict | None) -> list[str]:
    """The rank changes: counts, the largest moves, the groups joined and left, the round."""
    if not ranks:
        return []
    lines = ["## Ranks", "", _rank_sentence(ranks)]
    for title, key in (("Largest moves up", "largest_up"), ("Largest moves down", "largest_down")):
        lines += ["", f"### {title}", "", "| applicant | old rank | new rank | places | old score | new score |", "|---|---|---|---|---|---|"]
        lines += [f"| {m['applicant_id']} | {m['rank']['old']} | {m['rank']['new']} | {m['places']:+} | {m['score']['old']} | {m['score']['new']} |"
                  for m in ranks[key]]
        if not ranks[key]:
            lines.append("| (none) | | | | | |")
    groups = ranks["groups"]
    lines += ["", f"### {groups['name'].capitalize()}", "", f"| {groups['name']} | joined | left | sample ids |", "|---|---|---|---|"]
    lines += [f"| {name} | {c['joined']:,} | {c['left']:,} | {', '.join(c['samples']['joined'] + c['samples']['left'])} |"
              for name, c in groups["changed"].items()]
    if not groups["changed"]:
        lines.append("| (none changed) | 0 | 0 | |")
    return lines + _markdown_round(ranks["round"], ranks["tie_field"]) + [""]


def _rank_sentence(ranks: dict) -> str:
    order = "in the pool first, then " if ranks["entry_first"] else ""
    return (f"Ranked in the order cec rank uses ({order}{ranks['score_program']} score, then the earlier {ranks['tie_field']}, then the id): "
            f"{ranks['ranked']['old']:,} ranked under the old rules, {ranks['ranked']['new']:,} under the new; {ranks['changed']:,} "
            f"changed rank, {ranks['same']:,} kept it, {ranks['entered']:,} entered the ranking, {ranks['left']:,} left it.")


def _markdown_round(selection: dict | None, tie_field: str) -> list[str]:
    if not selection:
        return []
    lines = ["", "### Round", "", f"{selection['description']}: {selection['gained']:,} gain an invitation, {selection['lost']:,} lose one.",
             "", "| | old rules | new rules |", "|---|---|---|",
             f"| invited | {selection['old']['invited']:,} | {selection['new']['invited']:,} |",
             f"| cut-off score | {_none(selection['old']['cutoff']['score'])} | {_none(selection['new']['cutoff']['score'])} |",
             f"| cut-off {tie_field} | {_none(selection['old']['cutoff'][tie_field])} | {_none(selection['new']['cutoff'][tie_field])} |", ""]
    for title, key in (("Gain an invitation", "gained_samples"), ("Lose their invitation", "lost_samples")):
        ids = [f"{s['applicant_id']} (rank {_none(s['rank']['old'])} -> {_none(s['rank']['new'])})" for s in selection[key]]
        lines.append(f"- {title}: {', '.join(ids) or '(none)'}")
    return lines


def html_scores(scores: dict | None) -> list[str]:
    """The score section: the counts, a chart of the shifts, and the factor and largest-shift tables."""
    if not scores:
        return []
    total = scores["total"]
    return ["<h2>Scores</h2>",
            f"<p data-scores='{scores['scored']}'>{scores['scored']:,} scored under both rules: <span data-score='rose'>{total['rose']:,}</span> rose, "
            f"<span data-score='fell'>{total['fell']:,}</span> fell, <span data-score='same'>{total['same']:,}</span> stayed "
            f"(net shift {scores['net_shift']:+,}).</p>",
            _shift_chart(scores["shift_buckets"]), "<h3>Factors that moved</h3>",
            _table(["factor", "applicants", "rose", "fell", "net points"],
                   [[name, f["records"], f["rose"], f["fell"], f"{f['total_shift']:+,}"] for name, f in scores["factors"].items()], "factor"),
            "<h3>Largest shifts</h3>",
            _table(["applicant", "old", "new", "shift", "factors"],
                   [[s["applicant_id"], s["old"], s["new"], f"{s['shift']:+}", _factors(s["factors"])]
                    for s in scores["largest_rises"] + scores["largest_falls"]], "shift")]


def html_ranks(ranks: dict | None) -> list[str]:
    """The rank section: the counts, the largest moves, the groups joined and left, the round."""
    if not ranks:
        return []
    groups, rows = ranks["groups"], []
    for key in ("largest_up", "largest_down"):
        rows += [[m["applicant_id"], m["rank"]["old"], m["rank"]["new"], f"{m['places']:+}", m["score"]["old"], m["score"]["new"]] for m in ranks[key]]
    parts = ["<h2>Ranks</h2>", f"<p data-ranks-changed='{ranks['changed']}'>{_e(_rank_sentence(ranks))}</p>", "<h3>Largest moves</h3>",
             _table(["applicant", "old rank", "new rank", "places", "old score", "new score"], rows, "move"),
             f"<h3>{_e(groups['name'].capitalize())}</h3>",
             _table([groups["name"], "joined", "left", "sample ids"], [[name, c["joined"], c["left"], ", ".join(c["samples"]["joined"] + c["samples"]["left"])]
                                                                      for name, c in groups["changed"].items()], "group")]
    selection = ranks["round"]
    if selection:
        tie = ranks["tie_field"]
        parts += ["<h3>Round</h3>", f"<p data-round-gained='{selection['gained']}' data-round-lost='{selection['lost']}'>{_e(selection['description'])}: "
                  f"{selection['gained']:,} gain an invitation, {selection['lost']:,} lose one.</p>",
                  _table(["", "old rules", "new rules"], [["invited", selection["old"]["invited"], selection["new"]["invited"]],
                                                          ["cut-off score", _none(selection["old"]["cutoff"]["score"]), _none(selection["new"]["cutoff"]["score"])],
                                                          [f"cut-off {tie}", _none(selection["old"]["cutoff"][tie]), _none(selection["new"]["cutoff"][tie])]], "round")]
    return parts


def _shift_chart(buckets: dict) -> str:
    """One bar per shift bucket (falls red, rises green, unchanged grey), every non-empty one visible."""
    top = max(buckets.values(), default=0) or 1
    bar, height, parts = 56, 160, []
    for i, (bucket, n) in enumerate(buckets.items()):
        colour = SAME if bucket == "0" else RISE if bucket.startswith("+") else FALL
        h = max(3, (height - 20) * n / top) if n else 0
        if n:
            parts.append(f"<rect x='{i * bar}' y='{height - h:.1f}' width='{bar - 4}' height='{h:.1f}' fill='{colour}' data-shift='{_e(bucket)}' "
                         f"data-count='{n}'><title>{_e(bucket)}: {n:,}</title></rect>"
                         f"<text x='{i * bar + (bar - 4) / 2}' y='{height - h - 3:.1f}' font-size='10' text-anchor='middle'>{n:,}</text>")
        parts.append(f"<text x='{i * bar + (bar - 4) / 2}' y='{height + 14}' font-size='9' text-anchor='middle'>{_e(bucket)}</text>")
    return (f"<svg role='img' aria-label='score shifts' width='{bar * len(buckets)}' height='{height + 24}' "
            f"xmlns='http://www.w3.org/2000/svg'>{''.join(parts)}</svg>")


def _table(header: list, rows: list[list], kind: str) -> str:
    if not rows:
        return "<p>(none)</p>"
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(f"<tr data-{kind}='{_e(row[0])}'>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _factors(factors: dict) -> str:
    return ", ".join(f"{name} {shift:+}" for name, shift in factors.items())


def _none(value) -> str:
    return "(none)" if value is None else str(value)


def _e(text) -> str:
    return html.escape(str(text), quote=True)
