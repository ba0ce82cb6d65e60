"""`cec diff` derives an applicant once when both sides' editions derive alike (engine/impact/shared.py):
a generated population decided that way and with every side on its own gives the same results; editions
that differ in what the derivation or the screen reads are never shared; and CEC's derivation reads no
parameter its plugin leaves out of `derivation_inputs`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from cec_rules.engine.batch.records import Record
from cec_rules.engine.batch.worker import Rejected
from cec_rules.engine.errors import InputError
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.engine.impact.decider import ImpactDecider
from cec_rules.engine.impact.shared import DECISION, FACTS, SHARE_ENV, derive_alike, same_screen
from cec_rules.engine.impact.sides import Side
from cec_rules.facts import cec_program
from support import NEW_EDITION, REPO, copy_rulesets, edit

@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[Record]:
    path = tmp_path_factory.mktemp("population") / "population.jsonl"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--count", "3000", "--seed", "11",
                    "--malformed-share", "0.02", "-o", str(path)], check=True, capture_output=True)
    return [Record(i, i + 1, path.name, line, "json") for i, line in enumerate(path.read_text().splitlines())]


def _variant(tmp_path_factory, name: str, old: str, new: str) -> Path:
    """A copy of the rulesets whose newest CEC edition has `old` replaced by `new`."""
    root = copy_rulesets(tmp_path_factory.mktemp(name))
    edit(root, NEW_EDITION, old, new)
    return root


@pytest.fixture(scope="module")
def rulesets(tmp_path_factory) -> dict[str, Path]:
    """The bundled rules copied, and copies with a threshold, a derivation parameter or a screened parameter changed."""
    return {"old": copy_rulesets(tmp_path_factory.mktemp("old")),
            "threshold": _variant(tmp_path_factory, "threshold", "unit: hours\n    value: 1560", "unit: hours\n    value: 1500"),
            "cap": _variant(tmp_path_factory, "cap", "unit: hours per week\n    value: 30", "unit: hours per week\n    value: 25"),
            "countries": _variant(tmp_path_factory, "countries", "value: [CA]", "value: [CA, FR]")}


def _decide(records: list[Record], old: Path, new: Path, as_of: str | None, monkeypatch, shared: bool):
    monkeypatch.setenv(SHARE_ENV, "1" if shared else "0")
    decider = ImpactDecider(Side("old", str(old), "cec", None), Side("new", str(new), "cec", None), as_of)
    return [decider.decide(record) for record in records], decider


@pytest.mark.parametrize("variant, as_of, expected", [("threshold", None, {FACTS, DECISION}), ("threshold", "2024-06-01", {FACTS}),
                                                       ("cap", None, {None, DECISION}), ("countries", "2024-06-01", {None})])
def test_deciding_once_what_both_sides_share_gives_the_same_results(records, rulesets, monkeypatch, variant, as_of, expected):
    shared, decider = _decide(records, rulesets["old"], rulesets[variant], as_of, monkeypatch, shared=True)
    separate, _ = _decide(records, rulesets["old"], rulesets[variant], as_of, monkeypatch, shared=False)
    assert set(decider.alike._pairs.values()) == expected
    assert shared == separate
    assert sum(isinstance(r, Rejected) for r in shared) > 10 and any(r.line for r in shared if not isinstance(r, Rejected))


def _editions(root: Path | None) -> dict[str, object]:
    return {e.ruleset.edition: e for e in load_bundled_or(root).programs["cec"]}


def test_editions_that_differ_in_what_the_derivation_or_the_screen_reads_are_not_alike(rulesets):
    plugin, old = cec_program.PROGRAM, _editions(rulesets["old"])
    new = {name: _editions(root) for name, root in rulesets.items()}
    assert derive_alike(plugin, old["2022-11-16"], new["threshold"]["2022-11-16"])
    assert derive_alike(plugin, old["2015-01-01"], new["cap"]["2015-01-01"])
    assert not derive_alike(plugin, old["2022-11-16"], new["cap"]["2022-11-16"]), "the weekly cap is read by the derivation"
    assert not same_screen(old["2022-11-16"].ruleset, new["countries"]["2022-11-16"].ruleset), "a screen rule names the countries"
    assert not derive_alike(plugin, old["2015-01-01"], old["2022-11-16"]), "two editions of different NOC versions"
    assert not derive_alike(plugin.__class__(**{**plugin.__dict__, "derivation_inputs": None}), old["2022-11-16"], new["threshold"]["2022-11-16"])


def test_the_same_data_bytes_are_needed(rulesets, tmp_path):
    """A data file changed under the same name (a language-test table) makes the editions derive apart."""
    root = copy_rulesets(tmp_path)
    edition = _editions(root)["2022-11-16"]
    table = root / edition.ruleset.data["language_tests"][0]
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not derive_alike(cec_program.PROGRAM, _editions(rulesets["old"])["2022-11-16"], _editions(root)["2022-11-16"])


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


def test_cec_derivation_reads_only_the_parameters_its_plugin_names(records):
    """Every applicant of the population, under both CEC editions: derive and screen_facts read no other parameter."""
    evaluator, read = Evaluator(load_bundled_or(None), "cec"), set()
    plugin = evaluator.plugin
    for edition in evaluator.library.programs["cec"]:
        for record in records:
            try:
                applicant = plugin.read_applicant(orjson.loads(record.text), "x", None)
                compiled = evaluator._compile(edition, applicant.application_date)
                screened = evaluator.screen(applicant, applicant.application_date, edition)
                parameters = _Reads(compiled.parameters, read)
                plugin.screen_facts(applicant, applicant.application_date, edition, parameters, "x")
                plugin.derive(applicant, applicant.application_date, edition, parameters, "x", exclusions=screened.exclusions)
            except (InputError, orjson.JSONDecodeError):  # a malformed record: what it read before failing counts too
                continue
    assert read and read <= set(cec_program.DERIVATION_PARAMETERS)
