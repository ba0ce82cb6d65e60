"""`cec test`: run the YAML test cases, print each failure as file:line, and list uncovered rules."""

from __future__ import annotations

from pathlib import Path

import click

from cec_rules.engine.cases import OUTCOME_WORDS, CaseResult, find_case_files, load_cases, program_of, rulesets_root_of, run_case
from cec_rules.engine.evaluator import DEFAULT_PROGRAM, Evaluator, load_bundled_or
from cec_rules.engine.library import Library, bundled_root


class EvaluatorsByRoot:
    """One Evaluator per rulesets folder and program (cases beside a copy of the rulesets run against that
    copy; a case file decides the program of the folder it sits in)."""

    def __init__(self, forced_root: Path | None):
        self.forced_root = forced_root
        self.libraries: dict[Path, Library] = {}
        self.evaluators: dict[tuple, Evaluator] = {}

    def for_case_file(self, case_file: Path) -> Evaluator:
        root = (self.forced_root or rulesets_root_of(case_file) or bundled_root()).resolve()
        key = (root, program_of(case_file))
        if root not in self.libraries:
            self.libraries[root] = load_bundled_or(root)
        if key not in self.evaluators:
            self.evaluators[key] = Evaluator(self.libraries[root], key[1] or DEFAULT_PROGRAM)
        return self.evaluators[key]


def run_cases(paths: list[Path], forced_root: Path | None, echo) -> tuple[list[CaseResult], int, EvaluatorsByRoot]:
    """Run every case under `paths`; echo failures; return the results and the count of invalid case files."""
    evaluators = EvaluatorsByRoot(forced_root)
    results, invalid = [], 0
    for case_file in find_case_files(paths):
        cases, problems = load_cases(case_file)
        for problem in problems:
            echo(f"INVALID {problem}")
        invalid += len(problems)
        for loaded in cases:
            result = run_case(loaded, evaluators.for_case_file(case_file))
            results.append(result)
            for failure in result.failures:
                echo(f"FAIL {loaded.where}: {loaded.case.name}: {failure}")
    return results, invalid, evaluators


def _possible_outcomes(ruleset) -> list[tuple[str, bool | None]]:
    """Every (criterion, met) the rules can conclude, plus unmet for every criterion (by "not established")."""
    concluded = {(rule.then.criterion, rule.then.met) for rule in ruleset.rules if rule.then.criterion}
    return [(c, met) for c in ruleset.criteria for met in (True, False, None) if met is False or (c, met) in concluded]


def coverage_lines(results: list[CaseResult], evaluators: EvaluatorsByRoot) -> list[str]:
    """Per edition: rules no case fired, and criterion outcomes (met/unmet) no case produced."""
    lines = []
    for library in evaluators.libraries.values():
        for editions in library.programs.values():
            for edition in editions:
                key = f"{edition.ruleset.program}/{edition.ruleset.edition}"
                mine = [r for r in results if r.ruleset == key]
                fired = set().union(*(r.rules_fired for r in mine)) if mine else set()
                seen = set().union(*(r.outcomes for r in mine)) if mine else set()
                rules = [rule.id for rule in edition.ruleset.rules if rule.id not in fired]
                outcomes = [f"{c} {OUTCOME_WORDS[met]}" for c, met in _possible_outcomes(edition.ruleset) if (c, met) not in seen]
                lines.append(f"{key}: {len(mine)} case(s); rules never fired: {', '.join(rules) or 'none'}; "
                             f"criterion outcomes never seen: {', '.join(outcomes) or 'none'}")
    return lines


@click.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--rulesets", "rulesets_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Run every case against this rulesets folder (default: the folder each case file sits in).")
@click.option("--coverage", is_flag=True, help="Also list, per edition, the rules and criterion outcomes no case exercises.")
def test_command(paths: tuple[Path, ...], rulesets_dir: Path | None, coverage: bool) -> None:
    """Run YAML test cases (default: the bundled rulesets' cases). Exit 0 when all pass, 1 otherwise."""
    targets = list(paths) or [rulesets_dir or bundled_root()]
    results, invalid, evaluators = run_cases(targets, rulesets_dir, lambda line: click.echo(line))
    failed = sum(1 for r in results if not r.passed) + invalid
    if coverage:
        for line in coverage_lines(results, evaluators):
            click.echo(line)
    click.echo(f"{len(results) - sum(1 for r in results if not r.passed)} passed, {failed} failed")
    if failed or not results:
        raise SystemExit(1)
