"""engine/external_sort.py: the same order as `sorted`, whatever the run size, and no run file left behind."""

from __future__ import annotations

import random

import pytest

from cec_rules.engine import external_sort as module
from cec_rules.engine.external_sort import external_sort


def _keys(count: int, seed: int = 5) -> list[tuple]:
    """Keys shaped like the rank's: few distinct values per place (many ties): ints, floats, booleans, texts."""
    rng = random.Random(seed)
    return [
        (
            rng.choice([0, 1, 2]),
            -rng.choice([480, 450, 450.5, 0]),
            rng.random() < 0.3,
            rng.choice(["", "2026-01-01", "2026-02-01"]),
            rng.choice("ABC"),
            rng.choice([3, 7]),
        )
        for _ in range(count)
    ]


@pytest.mark.parametrize("run_size", [1, 2, 3, 7, 100, 1000])
def test_every_run_size_gives_sorted_order(tmp_path, run_size):
    keys = _keys(250)
    with external_sort(iter(keys), tmp_path / "sorting", run_size) as ordered:
        assert list(ordered) == sorted(keys)
    assert not (tmp_path / "sorting").exists()


def test_more_runs_than_the_fan_in_are_merged_in_passes(tmp_path, monkeypatch):
    monkeypatch.setattr(module, "FAN_IN", 3)
    keys, opened = _keys(101), []
    spill = module._spill
    monkeypatch.setattr(module, "_spill", lambda keys, folder, name: opened.append(name) or spill(keys, folder, name))
    with external_sort(keys, tmp_path / "sorting", 4) as ordered:
        assert list(ordered) == sorted(keys)
    assert len([name for name in opened if name.startswith("merged-")]) == 11  # 25 runs, 2 fewer per pass, down to 3
    assert not (tmp_path / "sorting").exists()


def test_a_folder_left_by_a_killed_sort_is_emptied_first_and_removed_after_an_error(tmp_path):
    folder = tmp_path / "sorting"
    folder.mkdir()
    (folder / "0.run").write_text("[9]\n[8]\n")  # a stale run, never merged
    with pytest.raises(RuntimeError, match="stop"):
        with external_sort([(3,), (1,), (2,)], folder, 1) as ordered:
            assert next(ordered) == (1,) and sorted(p.name for p in folder.iterdir()) == ["0.run", "1.run"]
            raise RuntimeError("stop")
    assert not folder.exists()


def test_keys_that_fit_in_one_run_or_without_a_folder_never_touch_the_disk(tmp_path):
    with external_sort(_keys(50), tmp_path / "sorting", 50) as ordered:
        assert list(ordered) == sorted(_keys(50)) and not (tmp_path / "sorting").exists()
    with external_sort(_keys(50), None, 1) as ordered:
        assert list(ordered) == sorted(_keys(50))
