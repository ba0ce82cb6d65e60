"""`cec rank`: rank order and tie-break, rounds (by count, by cut-off, by program, by category), the CSV and
HTML outputs, rejects, and resumption after SIGKILL.

The ordering phase is tested on hand-made decided lines (so scores can differ while the CRS program is not
installed); the whole command on the example applicants, deciding them with the pool program."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.rank.entry import Ranking
from cec_rules.engine.rank.report import html_report
from cec_rules.engine.rank.run import RankOptions, write_ranked
from cec_rules.engine.rank.selection import Round, RoundError, read_round, sort_run_size
from cec_rules.facts.pool.ranking import RANKING

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ENGINE = Path(__file__).resolve().parent.parent / "engine"
CEC = str(Path(sys.executable).with_name("cec"))


def _line(
    applicant_id: str, score: int, submitted: str | None = None, eligible=True, programs=("cec",), categories=()
) -> dict:
    return {
        "applicant_id": applicant_id,
        "eligible": eligible,
        "edition": "2026-02-18",
        "score": score,
        "score_possible": score,
        "score_note": None,
        "profile_submitted": submitted,
        "programs": list(programs),
        "programs_undetermined": [],
        "categories": list(categories),
        "reasons": {},
        "score_breakdown": None,
    }


POOL = [
    _line("A", 450, "2026-03-01T10:00:00.000000Z", categories=["french"]),
    _line("B", 480, "2026-05-01T10:00:00.000000Z", programs=["fsw"]),
    _line("C", 450, "2026-02-01T10:00:00.000000Z", programs=["cec", "fsw"], categories=["stem"]),
    _line("D", 450, None),
    _line("E", 500, None, eligible=False),
    _line("F", 450, "2026-02-01T10:00:00.000000Z", categories=["french"]),
    _line("G", 300, None, eligible=None),
    _line("H", 420, "2025-12-31T23:59:59.000000Z", categories=["french", "stem"]),
]


def _ranked(tmp_path: Path, selection: Round | None = None, lines=POOL) -> tuple[list[dict], dict, RankOptions]:
    options = RankOptions(
        "in.jsonl",
        tmp_path / "ranked.jsonl",
        tmp_path / "rejects.jsonl",
        1,
        None,
        None,
        False,
        False,
        RANKING,
        selection,
    )
    options.decided.write_text("".join(json.dumps(line) + "\n" for line in lines))
    counts = write_ranked(options)
    return [json.loads(line) for line in options.output.read_text().splitlines()], counts, options


def test_higher_score_first_then_earlier_submission_then_id_missing_timestamps_last(tmp_path):
    ranked, counts, _ = _ranked(tmp_path)
    assert [r["applicant_id"] for r in ranked] == ["B", "C", "F", "A", "D", "H", "G", "E"]
    assert [r["rank"] for r in ranked] == [1, 2, 3, 4, 5, 6, None, None]  # only profiles in the pool get a rank
    assert "invited" not in ranked[0]  # no round, no invitation field
    assert (counts["in_pool"], counts["undetermined"], counts["not_in_pool"]) == (6, 1, 1)
    assert counts["score_bins"]["450-499"] == 5 and counts["score_bins"]["400-449"] == 1
    assert counts["by_categories"] == {"french": 3, "stem": 2}


def test_a_round_by_count_invites_in_rank_order_and_reports_the_tie_break_cutoff(tmp_path):
    ranked, counts, _ = _ranked(tmp_path, Round(date="2026-11-05", type="general", invitations=3))
    assert [r["applicant_id"] for r in ranked if r["invited"]] == ["B", "C", "F"]
    assert counts["round"]["cutoff"] == {
        "score": 450,
        "profile_submitted": "2026-02-01T10:00:00.000000Z",
        "applicant_id": "F",
    }
    assert counts["round"]["invited_by_program"] == {"cec": 2, "fsw": 2}


def test_a_round_by_cutoff_invites_everyone_at_or_above_it_in_the_pool(tmp_path):
    ranked, counts, _ = _ranked(tmp_path, Round(date="2026-11-05", type="general", cutoff=450))
    assert [r["applicant_id"] for r in ranked if r["invited"]] == [
        "B",
        "C",
        "F",
        "A",
        "D",
    ]  # E (500) is not in the pool
    assert counts["round"]["cutoff"]["score"] == 450 and counts["round"]["cutoff"]["profile_submitted"] is None


def test_a_program_round_invites_only_that_program(tmp_path):
    ranked, counts, _ = _ranked(tmp_path, Round(date="2026-11-05", type="program", program="fsw", invitations=10))
    assert [r["applicant_id"] for r in ranked if r["invited"]] == ["B", "C"]


def test_a_category_round_invites_only_that_category(tmp_path):
    ranked, counts, _ = _ranked(tmp_path, Round(date="2026-11-05", type="category", category="french", invitations=2))
    assert [r["applicant_id"] for r in ranked if r["invited"]] == ["F", "A"]
    assert counts["round"]["invited_by_categories"] == {"french": 2}
    assert counts["round"]["cutoff"]["applicant_id"] == "A"


def test_the_csv_has_a_row_per_profile_in_rank_order(tmp_path):
    _, _, options = _ranked(tmp_path, Round(date="2026-11-05", type="general", invitations=1))
    rows = options.csv.read_text().splitlines()
    assert (
        rows[0]
        == "rank,applicant_id,eligible,score,score_possible,profile_submitted,programs,categories,invited,score_note,reasons"
    )
    assert rows[1].startswith("1,B,true,480,480,2026-05-01T10:00:00.000000Z,fsw,,true,")
    assert rows[-1].startswith(",E,false,500")


@pytest.mark.parametrize(
    "text, words",
    [
        ("date: 2026-11-05\ntype: general\n", ["exactly one of invitations"]),
        ("date: 2026-11-05\ntype: category\ninvitations: 5\n", ["add `category: NAME`"]),
        ("date: 2026-11-05\ntype: general\ninvitations: 5\nprogram: cec\n", ["does not take `program`"]),
        ("date: 2026-11-05\ntype: draw\ninvitations: 5\n", ["round.yaml:2", "type"]),
        ("date: 2026-11-05\ntype: general\ninvitation: 5\n", ["round.yaml:3", "invitation", "did you mean"]),
    ],
)
def test_a_bad_round_file_names_the_file_line_and_key(tmp_path, text, words):
    path = tmp_path / "round.yaml"
    path.write_text(text)
    with pytest.raises(RoundError) as caught:
        read_round(path)
    for word in words:
        assert word in str(caught.value), str(caught.value)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_the_html_summary_shows_the_distribution_the_cutoff_and_the_invitations_in_a_browser(tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium on this machine (.ci/run installs it)")
    _, counts, options = _ranked(tmp_path, Round(date="2026-11-05", type="category", category="french", invitations=2))
    page = tmp_path / "ranked.html"
    page.write_text(html_report({"input": "in.jsonl", "rejected": 0, "rank": counts}, RANKING))
    run = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    dom = run.stdout
    bars = {label: int(n) for label, n in re.findall(r'data-bin="([^"]+)" data-count="(\d+)"', dom)}
    assert bars == counts["score_bins"] and sum(bars.values()) == counts["in_pool"]
    assert re.search(r'<line data-cutoff="450"', dom)
    assert 'data-invited="2"' in dom and 'data-invited-french="2"' in dom
    assert html.escape("category french round") in dom


def _ties() -> list[dict]:
    """POOL and 40 more hand-made lines with few distinct scores, timestamps and outcomes: many ties."""
    stamps = [None, "2026-02-01T10:00:00.000000Z", "2026-01-15T08:00:00.000000Z"]
    return POOL + [
        _line(
            f"T{(n * 7) % 40:02d}",
            450 + 30 * (n % 2),
            stamps[n % 3],
            eligible=[True, True, None, False][n % 4],
            categories=["french"] if n % 5 == 0 else [],
        )
        for n in range(40)
    ]


@pytest.mark.parametrize("lines", [POOL, _ties()], ids=["pool", "ties"])
def test_ranking_in_runs_of_three_keys_writes_the_same_bytes_as_in_one_run(tmp_path, monkeypatch, lines):
    """The external sort (engine/external_sort.py) spills runs of CEC_RANK_SORT_RUN keys: the order must not change."""
    selection = Round(date="2026-11-01", type="category", category="french", invitations=3)
    outputs = {}
    for run_size in ("3", "1000000"):
        monkeypatch.setenv("CEC_RANK_SORT_RUN", run_size)
        folder = tmp_path / run_size
        folder.mkdir()
        _, counts, options = _ranked(folder, selection, lines)
        outputs[run_size] = (options.output.read_bytes(), options.csv.read_bytes(), counts)
        assert sorted(p.name for p in folder.iterdir()) == [
            "ranked.csv",
            "ranked.jsonl",
            "ranked.jsonl.decided",
        ]  # no run files left
    assert outputs["3"] == outputs["1000000"]


@pytest.mark.parametrize("text, size", [("7", 7), ("0", 50_000), ("-3", 50_000), ("many", 50_000), ("", 50_000)])
def test_the_sort_run_setting_is_a_positive_whole_number_or_the_default(monkeypatch, text, size):
    monkeypatch.setenv("CEC_RANK_SORT_RUN", text)
    assert sort_run_size() == size


def test_the_sort_runs_are_removed_when_ordering_fails(tmp_path, monkeypatch):
    from cec_rules.engine.rank import run as run_module

    monkeypatch.setenv("CEC_RANK_SORT_RUN", "3")
    seen = []

    def failing(line, ranking):
        seen.append(sorted(p.name for p in (tmp_path / "ranked.jsonl.sorting").iterdir()))
        raise RuntimeError("disk full")

    monkeypatch.setattr(run_module, "csv_row", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        _ranked(tmp_path, lines=_ties())
    assert seen == [sorted(f"{n}.run" for n in range(15))]  # 48 keys: 15 runs of 3 spilled, the last 3 in memory
    assert not (tmp_path / "ranked.jsonl.sorting").exists()


# --- the whole command -------------------------------------------------------------------------------


def _population(path: Path, count: int, bad_every: int = 0) -> None:
    """Profiles cycling through the examples, on 2026-11-01, every third without a submission time."""
    examples = [yaml.safe_load(p.read_text()) for p in sorted(EXAMPLES.glob("*.yaml"))]
    lines = []
    for index in range(count):
        if bad_every and index % bad_every == bad_every - 1:
            lines.append('{"id": "BROKEN", ')
            continue
        record = dict(examples[index % len(examples)], id=f"P-{index:05d}")
        if index % 3:
            record["profile_submitted"] = f"2026-{1 + index % 9:02d}-01T{index % 24:02d}:00:00-05:00"
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n")


def _rank(*args, check_codes=(0, 3)) -> subprocess.CompletedProcess:
    result = subprocess.run([CEC, "rank", *map(str, args)], capture_output=True, text=True, timeout=600)
    assert result.returncode in check_codes, result.stderr
    return result


def test_cec_rank_ranks_every_profile_by_its_crs_score_and_rejects_bad_records(tmp_path):
    source, out = tmp_path / "pool.jsonl", tmp_path / "ranked.jsonl"
    _population(source, 40, bad_every=20)
    (tmp_path / "round.yaml").write_text('date: "2026-11-01"\ntype: program\nprogram: cec\ninvitations: 4\n')
    result = _rank(source, "-o", out, "--workers", 2, "--round", tmp_path / "round.yaml")
    assert result.returncode == 3
    ranked = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(ranked) == 38 and len((tmp_path / "ranked.jsonl.rejects.jsonl").read_text().splitlines()) == 2
    in_pool = [r for r in ranked if r["eligible"] is True]
    assert in_pool and all(
        r["score_note"] is None and 0 < r["score"] <= r["score_possible"] for r in in_pool
    )  # the CRS is installed
    order = [(-r["score"], r["profile_submitted"] is None, r["profile_submitted"] or "") for r in in_pool]
    assert (
        order == sorted(order) and len({r["score"] for r in in_pool}) > 1
    )  # by score, then the earlier submission, none last
    cec = [r for r in in_pool if "cec" in r["programs"]]  # a program round: only profiles eligible for CEC
    assert len(cec) < len(in_pool) and [r["applicant_id"] for r in in_pool if r["invited"]] == [
        r["applicant_id"] for r in cec[:4]
    ]
    assert (
        f"cut-off: score {cec[3]['score']}, profile_submitted {cec[3]['profile_submitted'] or '(none)'}"
        in result.stderr
    )
    assert "crs not installed" not in result.stderr
    assert {p.name for p in tmp_path.iterdir()} == {
        "pool.jsonl",
        "round.yaml",
        "ranked.jsonl",
        "ranked.csv",
        "ranked.html",
        "ranked.summary.json",
        "ranked.jsonl.rejects.jsonl",
    }


def test_cec_rank_in_runs_of_three_keys_writes_the_same_files_as_in_one_run(tmp_path, monkeypatch):
    source = tmp_path / "pool.jsonl"
    _population(source, 40, bad_every=20)
    (tmp_path / "round.yaml").write_text('date: "2026-11-01"\ntype: general\ninvitations: 7\n')
    for run_size in ("3", "1000000"):
        monkeypatch.setenv("CEC_RANK_SORT_RUN", run_size)
        (tmp_path / run_size).mkdir()
        _rank(source, "-o", tmp_path / run_size / "ranked.jsonl", "--workers", 2, "--round", tmp_path / "round.yaml")
    for name in ("ranked.jsonl", "ranked.csv", "ranked.html", "ranked.jsonl.rejects.jsonl"):
        assert (tmp_path / "3" / name).read_bytes() == (tmp_path / "1000000" / name).read_bytes(), name
    summaries = [json.loads((tmp_path / run_size / "ranked.summary.json").read_text()) for run_size in ("3", "1000000")]
    for summary in summaries:
        del summary["elapsed_seconds"], summary["records_per_second"], summary["files"]  # timings and paths
    assert summaries[0] == summaries[1] and summaries[0]["rank"]["round"]["invited"] == 7
    assert not (tmp_path / "3" / "ranked.jsonl.sorting").exists()


def test_an_unfinished_run_is_refused_without_resume_and_a_different_run_with_it(tmp_path):
    source, out = tmp_path / "pool.jsonl", tmp_path / "ranked.jsonl"
    _population(source, 5)
    (tmp_path / "ranked.jsonl.run").write_text(json.dumps({"fingerprint": {"input": "elsewhere"}}))
    refused = CliRunner().invoke(cli, ["rank", str(source), "-o", str(out)])
    assert refused.exit_code == 2 and "--resume" in refused.stderr
    different = CliRunner().invoke(cli, ["rank", str(source), "-o", str(out), "--resume"])
    assert different.exit_code == 2 and "different run" in different.stderr


def test_as_of_and_a_round_on_another_date_are_refused(tmp_path):
    (tmp_path / "round.yaml").write_text('date: "2026-11-01"\ntype: general\ninvitations: 4\n')
    result = CliRunner().invoke(
        cli,
        [
            "rank",
            "x.jsonl",
            "-o",
            str(tmp_path / "r.jsonl"),
            "--as-of",
            "2026-10-01",
            "--round",
            str(tmp_path / "round.yaml"),
        ],
    )
    assert result.exit_code == 2 and "differs from the round's date" in result.stderr


@pytest.mark.slow
def test_sigkill_then_resume_matches_an_uninterrupted_run(tmp_path):
    source = tmp_path / "pool.jsonl"
    _population(source, 3000, bad_every=250)
    reference = tmp_path / "ref.jsonl"
    _rank(source, "-o", reference, "--workers", 2)

    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [CEC, "rank", source, "-o", out, "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    progress = Path(str(out) + ".decided.progress")
    while not (progress.exists() and json.loads(progress.read_text() or "{}").get("done", 0) >= 300):
        assert process.poll() is None, "the run finished before it could be killed"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not out.exists()
    _rank(source, "-o", out, "--workers", 2, "--resume")
    assert out.read_bytes() == reference.read_bytes()
    assert out.with_suffix(".csv").read_bytes() == reference.with_suffix(".csv").read_bytes()
    assert (tmp_path / "out.jsonl.rejects.jsonl").read_bytes() == (tmp_path / "ref.jsonl.rejects.jsonl").read_bytes()
    assert not any(
        p.name.endswith((".decided", ".run", ".partial", ".progress", ".sorting")) for p in tmp_path.iterdir()
    )


def test_a_kill_after_deciding_resumes_by_ordering_again(tmp_path, monkeypatch):
    """Killed between the phases: --resume does not decide again, it orders the decided file."""
    from cec_rules.engine.rank import run as run_module

    source, out = tmp_path / "pool.jsonl", tmp_path / "ranked.jsonl"
    _population(source, 12)

    def killed(options):
        raise KeyboardInterrupt

    monkeypatch.setattr(run_module, "write_ranked", killed)
    assert CliRunner().invoke(cli, ["rank", str(source), "-o", str(out), "--workers", "1"]).exit_code == 130
    assert (tmp_path / "ranked.jsonl.decided").exists() and not out.exists()
    monkeypatch.undo()
    monkeypatch.setattr(run_module, "run_batch", lambda options: pytest.fail("decided again"))
    resumed = CliRunner().invoke(cli, ["rank", str(source), "-o", str(out), "--resume"])
    assert resumed.exit_code == 0, resumed.stderr
    assert len(out.read_text().splitlines()) == 12


def test_the_rank_engine_names_no_program_and_no_domain_word():
    """engine/rank and engine/chaining.py know programs only through the Ranking and `consumes` data."""
    words = re.compile(r"\b(fsw|fst|crs|noc|clb|teer|hours|profile_submitted|express entry)\b", re.IGNORECASE)
    for path in [ENGINE / "chaining.py", *sorted((ENGINE / "rank").glob("*.py"))]:
        found = words.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path}: {found}"
    assert isinstance(RANKING, Ranking) and RANKING.program == "pool"
