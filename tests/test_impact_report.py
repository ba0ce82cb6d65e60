"""The impact report's charts: tiny counts stay visible, axis labels name their own bucket, and
summary.json lists histogram buckets in numeric order."""

from __future__ import annotations

import html
import re

from cec_rules.engine.impact.aggregate import CATEGORIES, _ordered, bucket_order
from cec_rules.engine.impact.report import MIN_BAR, html_report as _html_report, markdown
from cec_rules.facts.cec_program import PROGRAM as CEC


def html_report(summary: dict) -> str:
    """The report with CEC's distributions (the program's plugin gives them)."""
    return _html_report(summary, CEC.impact_distributions)


def _summary() -> dict:
    hours = {c: {} for c in CATEGORIES}
    hours["ineligible_both"] = {"1440-1559": 5000, "120-239": 3, "none": 40}
    hours["became_ineligible"] = {"1440-1559": 1}
    levels = {c: {} for c in CATEGORIES}
    levels["ineligible_both"] = {"5": 5000, "none": 43}
    levels["became_ineligible"] = {"5": 1}
    return {
        "old": "a",
        "new": "b",
        "population": "p.jsonl",
        "total": 5045,
        "decided": 5044,
        "rejected": 1,
        "outcomes": {c: 0 for c in CATEGORIES} | {"became_ineligible": 1, "ineligible_both": 5043},
        "changed_outcome": 1,
        "changed_criterion_without_outcome": 0,
        "criteria_changed": {
            "language_proficiency": {"met -> unmet": 1, "unmet -> met": 0},
            "skilled_work_experience": {"met -> unmet": 4000, "unmet -> met": 0},
        },
        "samples": {"became_eligible": [], "became_ineligible": ["A-7"]},
        "distributions": {"qualifying_hours_old": hours, "lowest_language_level_old": levels},
        "rules_changes": [],
        "files": {"changes": "c", "rejects": "r"},
    }


def _rects(page: str) -> list[dict]:
    return [
        {k: html.unescape(v) for k, v in re.findall(r"([\w-]+)='([^']*)'", attrs)}
        for attrs in re.findall(r"<rect ([^>]*)>", page)
    ]


def test_a_single_flip_among_thousands_is_a_visible_bar_with_its_count():
    page = html_report(_summary())
    flip = next(r for r in _rects(page) if r.get("data-criterion") == "language_proficiency|met -> unmet")
    assert float(flip["width"]) >= MIN_BAR
    assert re.search(r"<text [^>]*>1</text>", page)
    tiny = [r for r in _rects(page) if r.get("data-count") in ("1", "3")]
    assert tiny and all(float(r["height"]) >= MIN_BAR for r in tiny)


def test_no_bar_is_drawn_for_a_zero_count():
    assert all(int(r["data-count"]) > 0 for r in _rects(html_report(_summary())) if "data-count" in r)


def test_axis_labels_name_their_bucket_and_the_no_value_bucket_stands_apart():
    page = html_report(_summary())
    labels = dict(re.findall(r"data-axis='([^']+)'>([^<]+)<", page))
    assert labels["none"] == "no value" and labels["3120+"] == "3120+" and labels["0-119"] == "0-119"
    assert "none" not in labels.values()


def test_samples_are_in_both_reports():
    summary = _summary()
    assert "became ineligible: A-7" in markdown(summary)
    assert "data-samples='became_ineligible'>A-7<" in html_report(summary)


def test_histogram_buckets_sort_numerically():
    ordered = _ordered({"x": {"none": 1, "1080-1199": 1, "120-239": 1, "3120+": 1, "0-119": 1}})
    assert list(ordered["x"]) == ["0-119", "120-239", "1080-1199", "3120+", "none"]
    assert sorted(["10", "9", "none", "12"], key=bucket_order) == ["9", "10", "12", "none"]
