"""The docstrings' examples run, so a docstring that shows how a function behaves stays true.

Each module of the installed package is imported by its `cec_rules.` name and its examples run with
`doctest`: one test per module, failing with doctest's report of the example that went wrong. (pytest's
`--doctest-modules` would import `engine/...` a second time as `engine....`, whose classes are not the
package's, so `isinstance` in an example would fail for the wrong reason.)
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("cec_rules.engine", "cec_rules.facts", "cec_rules.cli", "cec_rules.service")


def _modules() -> list[str]:
    names = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        names += [info.name for info in pkgutil.walk_packages(package.__path__, package_name + ".")]
    return sorted(names)


def _with_examples(name: str) -> bool:
    finder = doctest.DocTestFinder(exclude_empty=True)
    return any(test.examples for test in finder.find(importlib.import_module(name)))


MODULES = [name for name in _modules() if _with_examples(name)]


def test_the_examples_are_found():
    """The finder sees the modules known to hold examples (a broken walk would pass every test below)."""
    assert {"cec_rules.engine.errors", "cec_rules.engine.possible_points", "cec_rules.facts.language"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=True, verbose=False
    )
    assert tried > 0
    assert failures == 0, f"{failures} of {tried} examples in {name} failed (doctest's report above)"
