"""`cec diff` counts in its workers, a chunk at a time (engine/impact/packed.py), and compares each side's
outcome, score and place without building cec rank's whole ranked line (engine/impact/decider.py). Proved
here on a generated population (with malformed records) and the examples, for a CEC threshold, a CRS table
row (scores and ranks) and a pool category (groups), against the results computed the old way:
- each applicant's comparison is what the whole decisions give (the score's output form, `entry`'s line);
- chunks packed in the worker and merged in the parent, cut anywhere, give the counts, samples, score
  shifts, rank changes and lines of adding the applicants one at a time, as the parent used to;
- the reports do not depend on the number of workers or the size of the chunks."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cec_rules.engine.batch.chunks import unpack
from cec_rules.engine.batch.records import Record
from cec_rules.engine.batch.worker import Rejected, _parse
from cec_rules.engine.chaining import score_of
from cec_rules.engine.impact import run as impact_run
from cec_rules.engine.impact.aggregate import ImpactCounts
from cec_rules.engine.impact.decider import ImpactDecider, outcome
from cec_rules.engine.impact.packed import Merger, packed_rejects
from cec_rules.engine.impact.ranks import RankChanges
from cec_rules.engine.impact.run import DiffOptions, run_diff
from cec_rules.engine.impact.scores import ScoreShifts, shown_score
from cec_rules.engine.impact.sides import Side
from cec_rules.engine.rank.entry import entry, ranked_score
from cec_rules.engine.rank.selection import read_round
from support import NEW_EDITION, copy_rulesets, diff_population, edit

CRS_ROW = "- {when: {years: {eq: 2}, with_spouse: {eq: false}}, value: 53}"
POOL_EDITION = "pool/2026-02-18/ruleset.yaml"
STEM = 'value: ["20011", "21220", "21300"'


@pytest.fixture(scope="module")
def population(tmp_path_factory) -> Path:
    """Generated applicants (some malformed), every other one with a profile submission time, then the examples."""
    folder = tmp_path_factory.mktemp("population")
    diff_population(folder / "population.jsonl", 900, 5)
    (folder / "round.yaml").write_text('date: "2026-11-01"\ntype: category\ncategory: stem\ninvitations: 40\n')
    return folder


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> dict[str, tuple]:
    """(old rulesets, new rulesets, program, as_of) for a CEC threshold, a CRS row and a pool category."""
    old = copy_rulesets(tmp_path_factory.mktemp("old"), programs=None)
    threshold = copy_rulesets(tmp_path_factory.mktemp("threshold"), programs=None)
    edit(threshold, NEW_EDITION, "unit: hours\n    value: 1560", "unit: hours\n    value: 1200")
    crs = copy_rulesets(tmp_path_factory.mktemp("crs"), programs=None)
    edit(crs, "crs/2022-11-16/ruleset.yaml", CRS_ROW, CRS_ROW.replace("value: 53", "value: 60"))
    pool = copy_rulesets(tmp_path_factory.mktemp("pool"), programs=None)
    edit(pool, POOL_EDITION, STEM, 'value: ["20011", "21220", "21231", "21300"')
    return {
        "cec": (old, threshold, "cec", None),
        "crs": (old, crs, "crs", "2026-11-01"),
        "pool": (old, pool, "pool", "2026-11-01"),
    }


def _records(population: Path) -> list[Record]:
    lines = (population / "population.jsonl").read_text(encoding="utf-8").splitlines()
    return [Record(i, i + 1, "population.jsonl", line, "json") for i, line in enumerate(lines)]


def _decider(variant: tuple) -> ImpactDecider:
    old, new, program, as_of = variant
    return ImpactDecider(Side("old", str(old), program, None), Side("new", str(new), program, None), as_of)


@pytest.fixture(scope="module")
def decided(population, variants) -> dict[str, tuple]:
    """Per variant: the decider and each record's result."""
    results = {}
    for name, variant in variants.items():
        decider = _decider(variant)
        results[name] = decider, [decider.decide(record) for record in _records(population)]
    return results


def _whole_outcome(decision, plugin) -> dict:
    """An `outcome` the old way: the score from its whole output form (`score_of`, `ranked_score`)."""
    score = ranked_score(decision, plugin.ranking) if plugin.ranking else score_of(decision)
    shown = {
        "eligible": decision.eligible,
        "edition": decision.edition,
        "criteria": {c.id: c.met for c in decision.criteria},
        **plugin.impact_values(decision.derived),
    }
    if score is not None:
        shown["score"] = shown_score(score)
    return shown


def _whole_place(decision, applicant, ranking) -> tuple:
    """(tie-break value, place) the old way: from `cec rank`'s whole ranked line."""
    line = entry(decision, applicant, ranking)
    return line[ranking.tie_field], (
        line["eligible"],
        line["score"],
        tuple(line["programs"]),
        tuple(line[ranking.groups]),
    )


@pytest.mark.parametrize("name", ["cec", "crs", "pool"])
def test_each_side_is_compared_as_its_whole_decision_gives(population, variants, name):
    decider, checked = _decider(variants[name]), 0
    for record in _records(population):
        try:
            applicant = decider.plugin.read_applicant(_parse(record, "x")[0], "x", decider.limits)
            decisions = decider.evaluate(applicant, "x").decisions
        except Exception:  # a malformed record: rejected, never compared
            continue
        for decision in decisions:
            shown = outcome(decision, decider.plugin)
            assert json.dumps(shown) == json.dumps(_whole_outcome(decision, decider.plugin))
            if decider.plugin.ranking is not None:
                tie, whole = _whole_place(decision, applicant, decider.plugin.ranking)
                assert decider._ranked((decision, decision), applicant, shown, shown) == (tie, whole, whole)
            checked += 1
    assert checked > 1500


class _Lines:
    """A report file in memory."""

    def __init__(self):
        self.data = bytearray()

    def write(self, line: str) -> None:
        self.data += line.encode("utf-8") + b"\n"

    def write_bytes(self, lines) -> None:
        self.data += lines


def _reports(decider: ImpactDecider, tmp_path: Path, feed) -> tuple:
    """Everything the parent reports, fed by `feed(counts, scores, ranks, changes, rejects)`."""
    plugin = decider.plugin
    counts, scores, changes, rejects = ImpactCounts(plugin.impact_distributions), ScoreShifts(), _Lines(), _Lines()
    ranks = (
        RankChanges(plugin.ranking, read_round(tmp_path / "round.yaml"), tmp_path / "sorting")
        if plugin.ranking
        else None
    )
    feed(counts, scores, ranks, changes, rejects)
    ranked, changed = None, []
    if ranks is not None:
        ranked = ranks.compare(changed.append)
    return (
        json.dumps(counts.to_json()),
        json.dumps(scores.to_json()),
        json.dumps(ranked),
        changed,
        bytes(changes.data),
        bytes(rejects.data),
    )


def _one_at_a_time(results: list):
    """The parent's loop before chunks were counted in the workers."""

    def feed(counts, scores, ranks, changes, rejects):
        for result in results:
            counts.add(result)
            if isinstance(result, Rejected):
                rejects.write(json.dumps(result.reject, ensure_ascii=False))
                continue
            scores.add(result.seq, result.applicant_id, result.old.get("score"), result.new.get("score"))
            if ranks is not None:
                ranks.add(result)
            if result.line is not None:
                changes.write(result.line)

    return feed


def _in_chunks(decider: ImpactDecider, results: list, cuts: list[int]):
    """The results cut at `cuts`, each chunk packed as a worker packs it and merged as the parent does."""

    def chunks():
        bounds = [0, *sorted(set(cuts)), len(results)]
        for start, end in zip(bounds, bounds[1:]):
            if start < end:
                message = decider.pack(7, results[start:end])
                yield unpack(pickle.loads(message), message)

    def feed(counts, scores, ranks, changes, rejects):
        Merger(counts, scores, ranks, changes, rejects).merge(chunks(), lambda n: None)

    return feed


@pytest.mark.parametrize("name", ["cec", "crs", "pool"])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_chunks_counted_in_the_workers_give_what_one_at_a_time_gave(decided, population, tmp_path_factory, name, data):
    decider, results = decided[name]
    cuts = data.draw(st.lists(st.integers(1, len(results) - 1), max_size=40))
    folder = tmp_path_factory.mktemp("merge")
    (folder / "round.yaml").write_text((population / "round.yaml").read_text())
    expected = _reports(decider, folder, _one_at_a_time(results))
    assert _reports(decider, folder, _in_chunks(decider, results, cuts)) == expected
    assert expected[4] and expected[5], "changed applicants and rejects"


def test_the_variants_change_outcomes_scores_and_groups(decided, population, tmp_path_factory):
    folder = tmp_path_factory.mktemp("variants")
    (folder / "round.yaml").write_text((population / "round.yaml").read_text())
    reports = {name: _reports(decider, folder, _one_at_a_time(results)) for name, (decider, results) in decided.items()}
    assert json.loads(reports["cec"][0])["outcomes"]["became_eligible"] > 0
    assert json.loads(reports["crs"][1])["total"]["rose"] > 0 and json.loads(reports["crs"][2])["changed"] > 0
    assert json.loads(reports["pool"][2])["groups"]["changed"]["stem"]["joined"] > 0


def test_rejects_made_in_the_parent_are_merged_as_a_workers(decided, population, tmp_path_factory):
    decider, results = decided["cec"]
    rejected = [result for result in results if isinstance(result, Rejected)][:3]
    folder = tmp_path_factory.mktemp("crash")
    (folder / "round.yaml").write_text((population / "round.yaml").read_text())

    def feed(counts, scores, ranks, changes, rejects):
        Merger(counts, scores, ranks, changes, rejects).merge([packed_rejects(rejected)], lambda n: None)

    assert _reports(decider, folder, feed) == _reports(decider, folder, _one_at_a_time(rejected))


def _files(folder: Path) -> dict[str, bytes]:
    """The report files, the paths in them made relative."""
    files = {}
    for path in sorted(folder.iterdir()):
        text = path.read_bytes().replace(str(folder).encode(), b"OUT")
        if path.name == "summary.json":
            summary = json.loads(text)
            del summary["elapsed_seconds"]
            text = json.dumps(summary).encode()
        files[path.name] = text
    return files


@pytest.mark.parametrize("name", ["cec", "pool"])
def test_the_reports_do_not_depend_on_the_workers_or_the_chunks(population, variants, tmp_path, monkeypatch, name):
    old, new, program, as_of = variants[name]
    round_ = read_round(population / "round.yaml") if name == "pool" else None
    outputs = []
    for workers, lines_per_chunk in ((1, 256), (3, 7)):
        monkeypatch.setattr(impact_run, "CHUNK_RECORDS", lines_per_chunk)
        out = tmp_path / f"{workers}"
        run_diff(
            DiffOptions(
                Side("old", str(old), program, None),
                Side("new", str(new), program, None),
                str(population / "population.jsonl"),
                out,
                workers,
                as_of,
                round_,
            )
        )
        outputs.append(_files(out))
    assert outputs[0] == outputs[1]
    assert outputs[0]["changes.jsonl"] and outputs[0]["rejects.jsonl"]
