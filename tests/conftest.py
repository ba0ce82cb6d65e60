"""Shared fixtures: the bundled library (loaded once) and one Evaluator per test module.

durable-rules keeps one Host per Evaluator (with its own timer threads), so modules share one
Evaluator rather than making one per test.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from cec_rules.engine.evaluator import Evaluator, load_bundled_or


def pytest_configure(config):
    """The suite's library cache lives in a folder of its own (removed at the end), so tests that load
    hundreds of copied rulesets never evict the user's own entries; subprocesses inherit it."""
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist) makes it; workers inherit it
        config.cec_cache_dir = tempfile.mkdtemp(prefix="cec-rules-test-cache-")
        os.environ["CEC_RULES_CACHE_DIR"] = config.cec_cache_dir


def pytest_unconfigure(config):
    if getattr(config, "cec_cache_dir", None):
        shutil.rmtree(config.cec_cache_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def library():
    return load_bundled_or(None)


@pytest.fixture(scope="module")
def evaluator(library):
    return Evaluator(library, "cec")


@pytest.fixture(scope="session")
def service(tmp_path_factory):
    """One `cec serve` (SQLite decision record, 2 workers) shared by the service test modules: starting
    one takes seconds."""
    from service_support import Server

    folder = tmp_path_factory.mktemp("service")
    server = Server("--db", f"sqlite:///{folder}/records.db", cwd=folder)
    yield server
    server.stop()


# --- hypothesis: property tests (tests/test_properties.py); a test with its own @settings keeps them ---
# "ci", the default, is bounded and deterministic: the same examples on every run and machine
# (derandomize, no example database), no per-example deadline (a loaded 2-core machine must not
# turn slowness into a failure). "thorough" searches more, randomly, for local runs:
#   pytest tests/test_properties.py --hypothesis-profile=thorough
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=False,
)
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")
