"""`cec test`: run the YAML test cases, print each failure as file:line, and list uncovered rules."""

from __future__ import annotations

from pathlib import Path

import click

from cec_rules.engine.cases import (
    OUTCOME_WORDS,
    CaseResult,
    find_case_files,
    load_cases,
    program_of,
    rulesets_root_of,
    run_case,
)
from cec_rules.engine.each_program import ALL_PROGRAMS
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.engine.library import Library, bundled_root
from cec_rules.engine.program import installed_programs

from .programs import DEFAULT_PROGRAM, program_option, unknown_program


class EvaluatorsByRoot:
    """One Evaluator per rulesets folder and program (cases beside a copy of the rulesets run against that
    copy, each under the program of the folder it sits in; a case file elsewhere under `default_program`)."""

    def __init__(self, forced_root: Path | None, default_program: str = DEFAULT_PROGRAM):
        self.forced_root = forced_root
        self.default_program = default_program
        self.libraries: dict[Path, Library] = {}
        self.evaluators: dict[tuple[Path, str], Evaluator] = {}

    def for_case_file(self, case_file: Path) -> Evaluator:
        root = (self.forced_root or rulesets_root_of(case_file) or bundled_root()).resolve()
        key = (root, program_of(case_file) or self.default_program)
        if root not in self.libraries:
            self.libraries[root] = load_bundled_or(root)
        if key not in self.evaluators:
            self.evaluators[key] = Evaluator(self.libraries[root], key[1])
        return self.evaluators[key]


def case_files(paths: list[Path], program: str | None) -> list[Path]:
    """The case files under `paths`; with `program`, those of its folders (and case files outside any
    program's folder, which run under it). An unknown program is a usage error."""
    found = find_case_files(paths)
    if program is None:
        return found
    known = sorted(set(installed_programs()) | {p for p in map(program_of, found) if p})
    if program not in known:
        raise unknown_program(program, known)
    return [path for path in found if program_of(path) in (None, program)]


def run_cases(
    paths: list[Path], forced_root: Path | None, echo, program: str | None = None
) -> tuple[list[CaseResult], int, EvaluatorsByRoot]:
    """Run every case under `paths` (only `program`'s, when given); echo failures; return the results and
    the count of invalid case files."""
    evaluators = EvaluatorsByRoot(forced_root, program or DEFAULT_PROGRAM)
    results, invalid = [], 0
    for case_file in case_files(paths, program):
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


def coverage_lines(results: list[CaseResult], evaluators: EvaluatorsByRoot, program: str | None = None) -> list[str]:
    """Per edition (of `program` when given): rules no case fired, and criterion outcomes (met/unmet) no case produced."""
    lines = []
    for library in evaluators.libraries.values():
        for name, editions in library.programs.items():
            if program is not None and name != program:
                continue
            for edition in editions:
                key = f"{edition.ruleset.program}/{edition.ruleset.edition}"
                mine = [r for r in results if r.ruleset == key]
                fired = set().union(*(r.rules_fired for r in mine)) if mine else set()
                seen = set().union(*(r.outcomes for r in mine)) if mine else set()
                rules = [rule.id for rule in edition.ruleset.rules if rule.id not in fired]
                outcomes = [
                    f"{c} {OUTCOME_WORDS[met]}"
                    for c, met in _possible_outcomes(edition.ruleset)
                    if (c, met) not in seen
                ]
                lines.append(
                    f"{key}: {len(mine)} case(s); rules never fired: {', '.join(rules) or 'none'}; "
                    f"criterion outcomes never seen: {', '.join(outcomes) or 'none'}"
                )
    return lines


@click.command(name="test", short_help="Run the YAML test cases beside each edition, of every program or one.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--rulesets",
    "rulesets_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Run every case against this rulesets folder (default: the folder each case file sits in).",
)
@click.option(
    "--coverage", is_flag=True, help="Also list, per edition, the rules and criterion outcomes no case exercises."
)
@program_option(
    default=None,
    what="Run only this program's cases",
    all_help="each case runs under the program of the folder it sits in.",
)
def test_command(paths: tuple[Path, ...], rulesets_dir: Path | None, coverage: bool, program: str | None) -> None:
    """Run YAML test cases (default: the bundled rulesets' cases, of every program). Exit 0 when all pass, 1 otherwise, 141 when the reader closes standard output (| head)."""
    targets = list(paths) or [rulesets_dir or bundled_root()]
    only = None if program in (None, ALL_PROGRAMS) else program
    results, invalid, evaluators = run_cases(targets, rulesets_dir, lambda line: click.echo(line), only)
    failed = sum(1 for r in results if not r.passed) + invalid
    if coverage:
        for line in coverage_lines(results, evaluators, only):
            click.echo(line)
    click.echo(f"{len(results) - sum(1 for r in results if not r.passed)} passed, {failed} failed")
    if failed or not results:
        raise SystemExit(1)
