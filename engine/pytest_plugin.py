"""pytest plugin: collects the YAML test cases beside each edition (`<rulesets>/<program>/<edition>/tests/*.yaml`)
so that `pytest` runs them with the same runner as `cec test`. Registered through the `pytest11` entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cases import LoadedCase, load_cases, program_of, rulesets_root_of, run_case

_EVALUATORS: dict[tuple[Path, str], object] = {}


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix in (".yaml", ".yml") and file_path.parent.name == "tests" and rulesets_root_of(file_path):
        return CaseFile.from_parent(parent, path=file_path)
    return None


def _evaluator_for(case_file: Path):
    from .evaluator import Evaluator, load_bundled_or

    key = (rulesets_root_of(case_file), program_of(case_file))  # a case runs under the program of its folder
    if key not in _EVALUATORS:
        _EVALUATORS[key] = Evaluator(load_bundled_or(key[0]), key[1])
    return _EVALUATORS[key]


class CaseFile(pytest.File):
    """One case file: an item per case, and one failing item per problem in the file itself."""

    def collect(self):
        cases, problems = load_cases(self.path)
        for problem in problems:
            yield InvalidCase.from_parent(self, name=f"invalid:{problem.line}", problem=str(problem))
        for loaded in cases:
            yield CaseItem.from_parent(self, name=loaded.case.name, loaded=loaded)


class CaseFailed(Exception):
    """A case whose decision did not match its expectations."""


class CaseItem(pytest.Item):
    def __init__(self, *, loaded: LoadedCase, **kwargs):
        super().__init__(**kwargs)
        self.loaded = loaded

    def runtest(self) -> None:
        result = run_case(self.loaded, _evaluator_for(self.path))
        if result.failures:
            raise CaseFailed("\n".join(f"{self.loaded.where}: {self.loaded.case.name}: {f}" for f in result.failures))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, (self.loaded.line or 1) - 1, f"case: {self.loaded.case.name}"


class InvalidCase(pytest.Item):
    def __init__(self, *, problem: str, **kwargs):
        super().__init__(**kwargs)
        self.problem = problem

    def runtest(self) -> None:
        raise CaseFailed(self.problem)

    def repr_failure(self, excinfo, style=None):
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, 0, f"invalid case file: {self.problem}"
