"""Shared fixtures: the bundled library (loaded once) and one Evaluator per test module.

durable-rules keeps one Host per Evaluator (with its own timer threads), so modules share one
Evaluator rather than making one per test.
"""

from __future__ import annotations

import pytest

from cec_rules.engine.evaluator import Evaluator, load_bundled_or


@pytest.fixture(scope="session")
def library():
    return load_bundled_or(None)


@pytest.fixture(scope="module")
def evaluator(library):
    return Evaluator(library)


@pytest.fixture(scope="session")
def service(tmp_path_factory):
    """One `cec serve` (SQLite decision record, 2 workers) shared by the service test modules: starting
    one takes seconds."""
    from service_support import Server

    folder = tmp_path_factory.mktemp("service")
    server = Server("--db", f"sqlite:///{folder}/records.db", cwd=folder)
    yield server
    server.stop()
