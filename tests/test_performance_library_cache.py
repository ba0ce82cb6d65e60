"""The cache of loaded libraries (engine/library_cache.py) saves a cold start's parsing and validation,
and must never serve rules that are no longer on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine import library_cache
from cec_rules.engine.errors import RulesetErrors
from support import EXAMPLES, NEW_EDITION, copy_rulesets, edit


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(library_cache.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(library_cache.CACHE_ENV, raising=False)
    return folder


def decide(root, example="ineligible-work-experience.yaml") -> dict:
    result = CliRunner().invoke(cli, ["evaluate", str(EXAMPLES / example), "--format", "json", "--rulesets", str(root)])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def hours_met(decision: dict) -> bool:
    return next(c["met"] for c in decision["criteria"] if c["id"] == "skilled_work_experience")


def test_an_edited_threshold_is_seen_by_the_next_evaluate(tmp_path, cache):
    root = copy_rulesets(tmp_path)
    assert hours_met(decide(root)) is False
    assert list(cache.glob("library-*.pickle")), "the first evaluate stores the loaded library"
    edit(root, NEW_EDITION, "    value: 1560", "    value: 1200")
    assert hours_met(decide(root)) is True
    edit(root, NEW_EDITION, "    value: 1200", "    value: 1560")
    assert hours_met(decide(root)) is False


def test_an_edited_data_table_is_not_served_from_the_cache(tmp_path, cache, monkeypatch):
    root = copy_rulesets(tmp_path)
    loads = []
    real = library_cache.load_library
    monkeypatch.setattr(library_cache, "load_library", lambda *args: loads.append(1) or real(*args))
    first = library_cache.load_library_cached(root, _inputs())
    library_cache.load_library_cached(root, _inputs())
    assert len(loads) == 1
    noc = root / "data" / "noc" / "noc2021.csv"
    noc.write_bytes(noc.read_bytes() + b"\n")
    second = library_cache.load_library_cached(root, _inputs())
    assert len(loads) == 2, "a changed data file is read again"
    assert second.programs["cec"][-1].sha256 != first.programs["cec"][-1].sha256


def test_an_unchanged_folder_is_served_without_loading(tmp_path, cache, monkeypatch):
    root = copy_rulesets(tmp_path)
    loaded = library_cache.load_library_cached(root, _inputs())

    def must_not_load(*_args):
        raise AssertionError("an unchanged folder was parsed again")

    monkeypatch.setattr(library_cache, "load_library", must_not_load)
    again = library_cache.load_library_cached(root, _inputs())
    assert [e.sha256 for e in again.programs["cec"]] == [e.sha256 for e in loaded.programs["cec"]]


def test_each_program_is_served_unless_its_own_files_changed(tmp_path, cache, monkeypatch):
    """Editing one program's ruleset loads that program again, alone: the others are still served from the
    cache; editing CEC's own is seen by the next evaluate."""
    root = copy_rulesets(tmp_path, ("cec", "fsw"))
    assert hours_met(decide(root)) is False
    loads = []
    real = library_cache.load_library
    monkeypatch.setattr(library_cache, "load_library", lambda *args: loads.append(args[2:]) or real(*args))
    fsw = root / "fsw" / "2022-11-16" / "ruleset.yaml"
    fsw.write_text(fsw.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert hours_met(decide(root)) is False
    assert loads == [({"fsw"},)], "CEC is served from the cache while FSW is loaded again"
    assert hours_met(decide(root)) is False and len(loads) == 1, "the rewritten entry serves both"
    edit(root, NEW_EDITION, "    value: 1560", "    value: 1200")
    assert hours_met(decide(root)) is True
    assert loads[1:] == [({"cec"},)]


def test_a_program_is_unpickled_when_first_used(tmp_path, cache):
    root = copy_rulesets(tmp_path, ("cec", "fsw"))
    library_cache.load_library_cached(root, _inputs())
    served = library_cache.load_library_cached(root, _inputs()).programs
    assert set(served) == {"cec", "fsw"} and "fsw" in served
    assert served["cec"][0].ruleset.program == "cec"
    assert set(served._loaded) == {"cec"}, "FSW's editions are still pickled"


def test_the_next_process_finds_the_entry(tmp_path, cache):
    """The entry's name is the same in every process (no object address in it): otherwise each start
    misses the cache and writes one more entry."""
    script = (
        "from cec_rules.engine.library import bundled_root; from cec_rules.engine.program import installed_programs; "
        "from cec_rules.engine.library_cache import _entry_name; print(_entry_name(bundled_root(), installed_programs()))"
    )
    names = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert len(names) == 1 and names.pop().strip()


def test_a_new_edition_folder_invalidates_the_entry(tmp_path, cache):
    root = copy_rulesets(tmp_path)  # CEC alone: its broken edition leaves no program to load
    library_cache.load_library_cached(root, _inputs())
    (root / "cec" / "2030-01-01").mkdir()
    (root / "cec" / "2030-01-01" / "ruleset.yaml").write_text("id: [broken\n")
    with pytest.raises(RulesetErrors):
        library_cache.load_library_cached(root, _inputs())


def test_switched_off_by_the_environment(tmp_path, cache, monkeypatch):
    monkeypatch.setenv(library_cache.CACHE_ENV, "0")
    decide(copy_rulesets(tmp_path))
    assert not cache.exists()


def test_an_entry_others_may_write_is_ignored(tmp_path, cache):
    root = copy_rulesets(tmp_path)
    library_cache.load_library_cached(root, _inputs())
    entry = _entry(cache)
    assert library_cache._read(entry) is not None
    os.chmod(entry, 0o666)
    assert library_cache._read(entry) is None


def _inputs():
    from cec_rules.engine.program import installed_programs

    return installed_programs()


def _entry(cache):
    (entry,) = cache.glob("library-*.pickle")
    return entry


def test_the_cache_keeps_only_the_most_recently_used_entries(tmp_path, cache, monkeypatch):
    """Each copy of the rulesets is an entry of its own: the folder is bounded (least recently used out),
    and an entry served from the cache counts as used."""
    monkeypatch.setenv(library_cache.ENTRIES_ENV, "2")
    roots = [copy_rulesets(tmp_path / f"copy{i}") for i in range(3)]
    names = {}
    for root in roots[:2]:
        library_cache.load_library_cached(root, _inputs())
        names[root] = set(cache.glob("library-*.pickle")) - set().union(*names.values())
    first_entry = next(iter(names[roots[0]]))
    os.utime(first_entry, (1, 1))  # as if used long ago ...
    library_cache.load_library_cached(roots[0], _inputs())  # ... then served: now the most recent
    library_cache.load_library_cached(roots[2], _inputs())
    kept = set(cache.glob("library-*.pickle"))
    assert len(kept) == 2
    assert first_entry in kept and not names[roots[1]] & kept, "the least recently used entry went"
