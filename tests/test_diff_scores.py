"""Issue 10, "How we will know": changing one CRS table row, or one category's occupation list, in a copy of
the rulesets changes `cec rank` with no Python change, and `cec diff` reports exactly that: the score shifts
(each equal to the change made to the row), the factor that moved, the rank changes (the ranks `cec rank`
gives under each side), the categories joined and the invitations gained and lost.

The population is the example applicants (examples/*.yaml), every other one with a profile submission time,
all assessed on the day of a category round."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.impact.decider import Compared
from cec_rules.engine.impact.ranks import RankChanges
from cec_rules.engine.impact.scores import shift_bucket
from cec_rules.engine.library import bundled_root
from cec_rules.engine.rank.ranking import Ranking
from cec_rules.engine.rank.selection import Round
from support import EXAMPLES, copy_rulesets, edit

CRS_EDITION = "crs/2022-11-16/ruleset.yaml"
TABLE, FACTOR = "canadian_work_points", "canadian_work"
ROW = {"years": {"eq": 2}, "with_spouse": {"eq": False}}  # two years of Canadian work, no spouse counted
DELTA = 7
POOL_EDITION = "pool/2026-02-18/ruleset.yaml"
CATEGORY, OCCUPATION = "stem", "21231"  # software engineers join the STEM list
ROUND = f'date: "2026-11-01"\ntype: category\ncategory: {CATEGORY}\ninvitations: 2\n'


def _row_value(root: Path) -> int:
    """The points of ROW in TABLE, read from an edition's YAML."""
    rows = yaml.safe_load((root / CRS_EDITION).read_text(encoding="utf-8"))["tables"][TABLE]["rows"]
    return next(row["value"] for row in rows if row["when"] == ROW)


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """The population and the round file."""
    folder = tmp_path_factory.mktemp("scores")
    records = []
    for index, path in enumerate(sorted(EXAMPLES.glob("*.yaml"))):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if index % 2:
            record["profile_submitted"] = f"2026-0{1 + index % 9}-01T10:00:00Z"
        records.append(json.dumps(record))
    (folder / "pool.jsonl").write_text("\n".join(records) + "\n")
    (folder / "round.yaml").write_text(ROUND)
    return folder


@pytest.fixture(scope="module")
def crs_copy(tmp_path_factory) -> Path:
    """The rulesets with ROW's points raised by DELTA: one row of one table, nothing else."""
    root = copy_rulesets(tmp_path_factory.mktemp("crs-copy"), programs=None)
    old = _row_value(root)
    edit(
        root,
        CRS_EDITION,
        f"- {{when: {{years: {{eq: 2}}, with_spouse: {{eq: false}}}}, value: {old}}}",
        f"- {{when: {{years: {{eq: 2}}, with_spouse: {{eq: false}}}}, value: {old + DELTA}}}",
    )
    assert _row_value(root) == _row_value(bundled_root()) + DELTA
    return root


@pytest.fixture(scope="module")
def pool_copy(tmp_path_factory) -> Path:
    """The rulesets with one more occupation in one category's list."""
    root = copy_rulesets(tmp_path_factory.mktemp("pool-copy"), programs=None)
    edit(root, POOL_EDITION, 'value: ["20011", "21220", "21300"', f'value: ["20011", "21220", "{OCCUPATION}", "21300"')
    assert (
        OCCUPATION
        in yaml.safe_load((root / POOL_EDITION).read_text())["parameters"][f"{CATEGORY}_occupations"]["value"]
    )
    return root


def _invoke(*args) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + result.stderr


def _rank(work: Path, rulesets: Path, name: str) -> tuple[dict[str, dict], dict]:
    """`cec rank` of the population with `rulesets`, under the round: each profile's ranked line, and the summary."""
    out = work / f"{name}.jsonl"
    _invoke(
        "rank", work / "pool.jsonl", "-o", out, "--round", work / "round.yaml", "--workers", 1, "--rulesets", rulesets
    )
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    return {line["applicant_id"]: line for line in lines}, json.loads(out.with_suffix(".summary.json").read_text())


def _diff(
    work: Path, new: Path, program: str, name: str, *extra
) -> tuple[dict, dict[str, dict], dict[str, dict], Path]:
    """`cec diff <bundled> <new>`: the summary, changes.jsonl and ranks.jsonl by applicant, and the folder."""
    out = work / name
    _invoke(
        "diff",
        bundled_root(),
        new,
        "--population",
        work / "pool.jsonl",
        "-o",
        out,
        "--program",
        program,
        "--workers",
        1,
        *extra,
    )
    by_id = {}
    for file in ("changes.jsonl", "ranks.jsonl"):
        lines = [json.loads(line) for line in (out / file).read_text().splitlines()]
        by_id[file] = {line["applicant_id"]: line for line in lines}
    return json.loads((out / "summary.json").read_text()), by_id["changes.jsonl"], by_id["ranks.jsonl"], out


@pytest.fixture(scope="module")
def bundled(work):
    return _rank(work, bundled_root(), "bundled")


def _factor(line: dict, factor: str):
    return next(f["points"] for f in line["score_breakdown"]["factors"] if f["id"] == factor)


def _by_score(lines: dict[str, dict], scores: dict[str, int]) -> dict[str, int]:
    """Each profile's rank by score alone, then the earlier submission (none last), then the id."""
    order = sorted(
        lines, key=lambda i: (-scores[i], lines[i]["profile_submitted"] is None, lines[i]["profile_submitted"] or "", i)
    )
    return {applicant_id: rank for rank, applicant_id in enumerate(order, 1)}


# --- one CRS table row ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crs_effect(work, bundled, crs_copy):
    """Who the row applies to (from the bundled decisions: the factor has the row's old points) and the ranks."""
    old_lines, _ = bundled
    new_lines, _ = _rank(work, crs_copy, "crs-copy")
    row = _row_value(bundled_root())
    touched = {i for i, line in old_lines.items() if _factor(line, FACTOR) == row}
    assert touched and len(touched) < len(old_lines)
    return old_lines, new_lines, touched, row


def test_one_crs_row_changes_cec_rank_scores_and_order_with_no_python_change(crs_effect):
    old, new, touched, _ = crs_effect
    assert {i: new[i]["score"] - old[i]["score"] for i in old} == {i: DELTA if i in touched else 0 for i in old}
    assert {i for i in old if _factor(new[i], FACTOR) != _factor(old[i], FACTOR)} == touched
    in_pool = [i for i in old if old[i]["eligible"] is True]
    assert {i: new[i]["rank"] for i in in_pool} != {i: old[i]["rank"] for i in in_pool}  # the row reorders the pool
    expected = _by_score({i: old[i] for i in in_pool}, {i: new[i]["score"] for i in in_pool})
    assert {i: new[i]["rank"] for i in in_pool} == expected


def test_cec_diff_crs_reports_exactly_the_shifts_the_factor_and_the_rank_changes(work, crs_copy, crs_effect):
    old, new, touched, row = crs_effect
    summary, changes, ranks, out = _diff(work, crs_copy, "crs", "diff-crs")
    scores = summary["scores"]
    assert scores["total"] == {"rose": len(touched), "fell": 0, "same": len(old) - len(touched)}
    assert scores["factors"] == {
        FACTOR: {"records": len(touched), "rose": len(touched), "fell": 0, "total_shift": DELTA * len(touched)}
    }
    assert scores["shift_buckets"][shift_bucket(DELTA)] == len(touched) and scores["net_shift"] == DELTA * len(touched)
    assert {s["applicant_id"] for s in scores["largest_rises"]} == touched and not scores["largest_falls"]
    assert {i: c["score"]["shift"] for i, c in changes.items()} == dict.fromkeys(touched, DELTA)
    assert all(
        c["score"]["factors"] == {FACTOR: {"old": row, "new": row + DELTA, "shift": DELTA}} for c in changes.values()
    )
    assert all(
        c["score"]["old"]["total"] == old[i]["score"] and c["score"]["new"]["total"] == new[i]["score"]
        for i, c in changes.items()
    )
    # CRS on its own ranks everyone by score (no entry first): the ranks from the CRS scores of both sides
    before, after = _by_score(old, {i: old[i]["score"] for i in old}), _by_score(old, {i: new[i]["score"] for i in old})
    moved = {i: {"old": before[i], "new": after[i]} for i in old if before[i] != after[i]}
    assert moved and {i: r["rank"] for i, r in ranks.items()} == moved
    assert summary["ranks"]["changed"] == len(moved) and summary["ranks"]["same"] == len(old) - len(moved)
    assert (
        summary["ranks"]["groups"] is None and summary["ranks"]["entry_first"] is False
    )  # CRS alone: no groups, by score alone
    up = max(moved.values(), key=lambda r: r["old"] - r["new"])
    assert summary["ranks"]["largest_up"][0]["places"] == up["old"] - up["new"] > 0
    assert any(c["kind"] == "table" and c["name"] == TABLE for c in summary["rules_changes"])
    report = (out / "report.md").read_text()
    assert f"| {FACTOR} | {len(touched)} | {len(touched)} | 0 | +{DELTA * len(touched)} |" in report
    assert f"data-scores='{len(old)}'" in (out / "report.html").read_text()


def test_cec_diff_pool_ranks_as_cec_rank_does_under_each_side(work, crs_copy, crs_effect):
    old, new, touched, _ = crs_effect
    summary, changes, ranks, _ = _diff(work, crs_copy, "pool", "diff-pool-crs")
    moved = {i: {"old": old[i]["rank"], "new": new[i]["rank"]} for i in old if old[i]["rank"] != new[i]["rank"]}
    assert moved and {i: r["rank"] for i, r in ranks.items()} == moved
    assert {i: c["score"]["shift"] for i, c in changes.items() if "score" in c} == dict.fromkeys(touched, DELTA)
    assert summary["ranks"]["ranked"] == {
        "old": sum(r["rank"] is not None for r in old.values()),
        "new": sum(r["rank"] is not None for r in new.values()),
    }
    assert any(
        c["edition"] == "crs/2022-11-16" and c["name"] == TABLE for c in summary["rules_changes"]
    )  # the consumed program's change


# --- one category's occupation list ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def category_effect(work, bundled, pool_copy):
    old_lines, old_summary = bundled
    new_lines, new_summary = _rank(work, pool_copy, "pool-copy")
    joined = {
        i for i in old_lines if CATEGORY in new_lines[i]["categories"] and CATEGORY not in old_lines[i]["categories"]
    }
    return old_lines, new_lines, joined, old_summary, new_summary


def _works_in(applicant_id: str, occupation: str) -> bool:
    record = next(
        yaml.safe_load(p.read_text())
        for p in EXAMPLES.glob("*.yaml")
        if yaml.safe_load(p.read_text())["id"] == applicant_id
    )
    return any(period["noc_code"] == occupation for period in record.get("work_history", []))


def test_one_category_list_changes_cec_rank_categories_and_the_round(category_effect):
    old, new, joined, old_summary, new_summary = category_effect
    assert joined and all(_works_in(i, OCCUPATION) for i in joined)
    assert {i: sorted(set(new[i]["categories"]) - set(old[i]["categories"])) for i in old} == {
        i: [CATEGORY] if i in joined else [] for i in old
    }
    assert all(
        new[i]["score"] == old[i]["score"] and new[i]["rank"] == old[i]["rank"] for i in old
    )  # scores and order unchanged
    assert {i for i in new if new[i]["invited"]} != {i for i in old if old[i]["invited"]}
    assert new_summary["rank"]["round"]["cutoff"] != old_summary["rank"]["round"]["cutoff"]


def test_cec_diff_pool_reports_the_category_joined_and_the_invitations_gained_and_lost(
    work, pool_copy, category_effect
):
    old, new, joined, old_summary, new_summary = category_effect
    summary, changes, ranks, out = _diff(work, pool_copy, "pool", "diff-pool-category", "--round", work / "round.yaml")
    changed = summary["ranks"]["groups"]["changed"]
    assert summary["ranks"]["groups"]["name"] == "categories" and list(changed) == [CATEGORY]
    assert (changed[CATEGORY]["joined"], changed[CATEGORY]["left"]) == (len(joined), 0)
    assert {i for i, c in changes.items() if "categories" in c} == joined
    assert all(
        CATEGORY in changes[i]["categories"]["new"] and CATEGORY not in changes[i]["categories"]["old"] for i in joined
    )
    assert summary["scores"]["total"]["same"] == len(old) and summary["ranks"]["changed"] == 0
    selection = summary["ranks"]["round"]
    gained = {i for i in old if new[i]["invited"] and not old[i]["invited"]}
    lost = {i for i in old if old[i]["invited"] and not new[i]["invited"]}
    assert (selection["gained"], selection["lost"]) == (len(gained), len(lost)) and gained
    assert {s["applicant_id"] for s in selection["gained_samples"]} == gained
    assert {i for i, r in ranks.items() if r["invited"]["new"] and not r["invited"]["old"]} == gained
    for side, ranked in (("old", old_summary), ("new", new_summary)):
        assert selection[side]["cutoff"] == ranked["rank"]["round"]["cutoff"]
        assert selection[side]["invited"] == ranked["rank"]["round"]["invited"]
    assert any(c["kind"] == "parameter" and c["name"] == f"{CATEGORY}_occupations" for c in summary["rules_changes"])
    assert f"| {CATEGORY} | {len(joined)} | 0 |" in (out / "report.md").read_text()
    assert f"data-round-gained='{len(gained)}' data-round-lost='{len(lost)}'" in (out / "report.html").read_text()


def test_a_round_needs_a_ranked_program(work, crs_copy):
    result = CliRunner().invoke(
        cli,
        [
            "diff",
            str(bundled_root()),
            str(crs_copy),
            "--population",
            str(work / "pool.jsonl"),
            "-o",
            str(work / "refused"),
            "--program",
            "cec",
            "--round",
            str(work / "round.yaml"),
        ],
    )
    assert result.exit_code == 2 and "not ranked" in result.stderr


# --- the rank comparison on its own -----------------------------------------------------------------------


def _compared(seq: int, applicant_id: str, old: tuple, new: tuple, stamp: str | None = None) -> Compared:
    return Compared(seq, applicant_id, None, {}, {}, (stamp, old, new))


def test_entered_left_unranked_and_the_order_without_entry_first():
    pool = Ranking(program="p", score_program="s", tie_field="t", groups="g")
    alone = Ranking(program="s", score_program="s", tie_field="t", entry_first=False)
    rows = [
        ("A", (True, 400, (), ()), (True, 400, (), ())),
        ("B", (False, 500, (), ()), (True, 500, (), ())),
        ("C", (True, 450, (), ()), (None, 450, (), ())),
        ("D", (False, 300, (), ()), (False, 300, (), ())),
    ]
    found = {}
    for ranking in (pool, alone):
        changes = RankChanges(ranking, Round(date="2026-11-01", type="general", invitations=1))
        for seq, (applicant_id, old, new) in enumerate(rows):
            changes.add(_compared(seq, applicant_id, old, new))
        written = []
        found[ranking.entry_first] = changes.compare(written.append), {w["applicant_id"]: w for w in written}
    summary, written = found[True]  # in the pool first: B enters, C leaves, D is never ranked, A keeps rank 2
    assert (summary["entered"], summary["left"], summary["unranked"], summary["same"]) == (1, 1, 1, 1)
    assert written["B"]["rank"] == {"old": None, "new": 1} and written["C"]["rank"] == {"old": 1, "new": None}
    assert (
        summary["round"]["old"]["cutoff"]["applicant_id"] == "C"
        and summary["round"]["new"]["cutoff"]["applicant_id"] == "B"
    )
    summary, written = found[False]  # by score alone: the outcomes do not move anyone
    assert summary["same"] == 4 and summary["ranked"] == {"old": 4, "new": 4}
    assert {i: w["invited"] for i, w in written.items()} == {
        "B": {"old": False, "new": True},
        "C": {"old": True, "new": False},
    }


def test_rank_changes_sorted_in_runs_of_one_key_are_the_same_as_in_memory(tmp_path, monkeypatch):
    """`cec diff` orders through engine/external_sort.py as `cec rank` does: spilling runs changes nothing."""
    pool = Ranking(program="p", score_program="s", tie_field="t", groups="g")
    rows = [
        (
            f"A{n}",
            (n % 3 != 2, 400 + 10 * (n % 4), (), ()),
            (n % 5 != 4, 400 + 10 * (n % 3), (), ()),
            [None, "2026-01-01"][n % 2],
        )
        for n in range(30)
    ]
    monkeypatch.setenv("CEC_RANK_SORT_RUN", "1")
    found = []
    for sorting in (None, tmp_path / "ranks.sorting"):
        changes, written = RankChanges(pool, Round(date="2026-11-01", type="general", invitations=5), sorting), []
        for seq, (applicant_id, old, new, stamp) in enumerate(rows):
            changes.add(_compared(seq, applicant_id, old, new, stamp))
        found.append((changes.compare(written.append), written))
    assert found[0] == found[1] and found[0][0]["changed"] > 0 and not (tmp_path / "ranks.sorting").exists()


@pytest.mark.parametrize(
    "rulesets, program, extra", [("crs_copy", "crs", ()), ("pool_copy", "pool", ("--round", "round.yaml"))]
)
def test_cec_diff_in_runs_of_two_keys_writes_the_same_files_as_in_one_run(
    work, request, monkeypatch, rulesets, program, extra
):
    """`cec diff`'s rank comparison spills its sort runs and reads its rows back by offset: the files do not change."""
    extra = [work / value if value.endswith(".yaml") else value for value in extra]
    found = {}
    for run_size in ("2", "1000000"):
        monkeypatch.setenv("CEC_RANK_SORT_RUN", run_size)
        summary, _, ranks, out = _diff(
            work, request.getfixturevalue(rulesets), program, f"diff-{program}-runs-{run_size}", *extra
        )
        del summary["elapsed_seconds"], summary["files"]  # timings and paths
        texts = {
            name: (out / name).read_text().replace(str(out), "OUT")
            for name in ("changes.jsonl", "ranks.jsonl", "report.md", "report.html")
        }
        found[run_size] = summary, texts, sorted(path.name for path in out.iterdir())
    assert found["2"] == found["1000000"] and found["2"][1]["ranks.jsonl"]
    assert found["2"][2] == [
        "changes.jsonl",
        "ranks.jsonl",
        "rejects.jsonl",
        "report.html",
        "report.md",
        "summary.json",
    ]  # no rows or runs left
