"""`cec diff` derives an applicant once when both sides' editions derive alike (engine/impact/shared.py):
a generated population decided that way and with every side on its own gives the same results; editions
that differ in what the derivation or the screen reads are never shared; and CEC's and the CRS's derivations
read no parameter their plugins leave out of `derivation_inputs`."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
import yaml

from cec_rules.engine.batch.records import Record
from cec_rules.engine.batch.worker import Rejected
from cec_rules.engine.errors import InputError
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.engine.impact.decider import ImpactDecider
from cec_rules.engine.impact.shared import DECISION, FACTS, SHARE_ENV, derive_alike, same_screen
from cec_rules.engine.impact.sides import Side
from cec_rules.facts import cec_program
from cec_rules.facts.crs import plugin as crs_plugin
from support import EXAMPLES, NEW_EDITION, REPO, copy_rulesets, edit

CRS_EDITION = "crs/2022-11-16/ruleset.yaml"


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[Record]:
    """Generated applicants (some malformed), then the examples (with the fields of the other programs)."""
    path = tmp_path_factory.mktemp("population") / "population.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "generate.py"),
            "--count",
            "1200",
            "--seed",
            "11",
            "--malformed-share",
            "0.03",
            "-o",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    lines = path.read_text().splitlines()
    lines += [
        json.dumps(yaml.safe_load(example.read_text(encoding="utf-8")), default=str)
        for example in sorted(EXAMPLES.glob("*.yaml"))
    ]
    return [Record(i, i + 1, path.name, line, "json") for i, line in enumerate(lines)]


def _variant(tmp_path_factory, name: str, old: str, new: str) -> Path:
    """A copy of the rulesets whose newest CEC edition has `old` replaced by `new`."""
    root = copy_rulesets(tmp_path_factory.mktemp(name))
    edit(root, NEW_EDITION, old, new)
    return root


@pytest.fixture(scope="module")
def rulesets(tmp_path_factory) -> dict[str, Path]:
    """The bundled rules copied, and copies with a threshold, a derivation parameter or a screened parameter changed."""
    crs = copy_rulesets(tmp_path_factory.mktemp("crs"), programs=("crs",))
    edit(
        crs,
        CRS_EDITION,
        "- {when: {years: {eq: 2}, with_spouse: {eq: false}}, value: 53}",
        "- {when: {years: {eq: 2}, with_spouse: {eq: false}}, value: 60}",
    )
    return {
        "old": copy_rulesets(tmp_path_factory.mktemp("old"), programs=("cec", "crs")),
        "threshold": _variant(
            tmp_path_factory, "threshold", "unit: hours\n    value: 1560", "unit: hours\n    value: 1500"
        ),
        "cap": _variant(
            tmp_path_factory, "cap", "unit: hours per week\n    value: 30", "unit: hours per week\n    value: 25"
        ),
        "countries": _variant(tmp_path_factory, "countries", "value: [CA]", "value: [CA, FR]"),
        "crs row": crs,
    }


def _decide(records: list[Record], old: Path, new: Path, program: str, as_of: str | None, monkeypatch, shared: bool):
    monkeypatch.setenv(SHARE_ENV, "1" if shared else "0")
    decider = ImpactDecider(Side("old", str(old), program, None), Side("new", str(new), program, None), as_of)
    return [decider.decide(record) for record in records], decider


@pytest.mark.parametrize(
    "variant, program, as_of, expected",
    [
        ("threshold", "cec", None, {FACTS, DECISION}),
        ("threshold", "cec", "2024-06-01", {FACTS}),
        ("cap", "cec", None, {None, DECISION}),
        ("countries", "cec", "2024-06-01", {None}),
        ("crs row", "crs", "2026-11-01", {FACTS}),
    ],
)
def test_deciding_once_what_both_sides_share_gives_the_same_results(
    records, rulesets, monkeypatch, variant, program, as_of, expected
):
    shared, decider = _decide(records, rulesets["old"], rulesets[variant], program, as_of, monkeypatch, shared=True)
    separate, _ = _decide(records, rulesets["old"], rulesets[variant], program, as_of, monkeypatch, shared=False)
    assert set(decider.alike._pairs.values()) == expected
    assert shared == separate
    assert sum(isinstance(r, Rejected) for r in shared) > 10 and any(
        r.line for r in shared if not isinstance(r, Rejected)
    )


def _editions(root: Path | None) -> dict[str, object]:
    return {e.ruleset.edition: e for e in load_bundled_or(root).programs["cec"]}


def test_editions_that_differ_in_what_the_derivation_or_the_screen_reads_are_not_alike(rulesets):
    plugin, old = cec_program.PROGRAM, _editions(rulesets["old"])
    new = {name: _editions(rulesets[name]) for name in ("threshold", "cap", "countries")}
    assert derive_alike(plugin, old["2022-11-16"], new["threshold"]["2022-11-16"])
    assert derive_alike(plugin, old["2015-01-01"], new["cap"]["2015-01-01"])
    assert not derive_alike(plugin, old["2022-11-16"], new["cap"]["2022-11-16"]), (
        "the weekly cap is read by the derivation"
    )
    assert not same_screen(old["2022-11-16"].ruleset, new["countries"]["2022-11-16"].ruleset), (
        "a screen rule names the countries"
    )
    assert not derive_alike(plugin, old["2015-01-01"], old["2022-11-16"]), "two editions of different NOC versions"
    assert not derive_alike(
        dataclasses.replace(plugin, derivation_inputs=None), old["2022-11-16"], new["threshold"]["2022-11-16"]
    )


def test_the_same_data_bytes_are_needed(rulesets, tmp_path):
    """A data file changed under the same name (a language-test table) makes the editions derive apart."""
    root = copy_rulesets(tmp_path)
    edition = _editions(root)["2022-11-16"]
    table = root / edition.ruleset.data["language_tests"][0]
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not derive_alike(
        cec_program.PROGRAM, _editions(rulesets["old"])["2022-11-16"], _editions(root)["2022-11-16"]
    )


class _Reads(dict):
    """Parameters that note each name read (anything that lists them counts as reading every one)."""

    def __init__(self, values: dict, read: set):
        super().__init__(values)
        self.read = read

    def __getitem__(self, name):
        self.read.add(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        self.read.add(name)
        return super().get(name, default)

    def __contains__(self, name):
        self.read.add(name)
        return super().__contains__(name)

    def _all(self):
        self.read.update(super().keys())

    def __iter__(self):
        self._all()
        return super().__iter__()

    def keys(self):
        self._all()
        return super().keys()

    def items(self):
        self._all()
        return super().items()

    def values(self):
        self._all()
        return super().values()


@pytest.mark.parametrize(
    "program, declared", [("cec", cec_program.DERIVATION_PARAMETERS), ("crs", crs_plugin.DERIVATION_PARAMETERS)]
)
def test_a_derivation_reads_only_the_parameters_its_plugin_names(records, program, declared):
    """Every applicant of the population, under every edition: derive and screen_facts read no other parameter."""
    evaluator, read = Evaluator(load_bundled_or(None), program), set()
    plugin = evaluator.plugin
    for edition in evaluator.library.programs[program]:
        for record in records:
            try:
                applicant = plugin.read_applicant(orjson.loads(record.text), "x", None)
                day = applicant.application_date
                parameters = _Reads(evaluator._compile(edition, day).parameters, read)
                plugin.screen_facts(applicant, day, edition, parameters, "x")
                plugin.derive(
                    applicant,
                    day,
                    edition,
                    parameters,
                    "x",
                    exclusions=evaluator.screen(applicant, day, edition).exclusions,
                )
            except (InputError, orjson.JSONDecodeError):  # a malformed record: what it read before failing counts too
                continue
    assert read and read <= set(declared)
    assert plugin.derivation_inputs(evaluator.library.programs[program][-1]) is not None
