"""Check that each decision on split NOC codes is what every way of settling them agrees on.

Why: a code reported in the classification the edition does not use may mean several unit groups; the
applicant settles it by giving the one meant. Each settlement of the work history's split codes is a plain
decision of the program. The decision on the unsettled record must be their Kleene join: eligible when
every settlement is, not eligible when none is, undetermined when they disagree (DESIGN.md "Editions"; a
`not_together` rule is how a ruleset says "none is" while each criterion stays open). This is the question
cec-probe asked of CEC with its own checker, asked of the engine itself, for any program.

For the programs whose outcome is eligibility (cec, fsw, fst). Not for the CRS, whose `eligible` says that
the score is settled: every settlement has a score, but different ones leave the unsettled score open
(its bounds are checked by tests/test_crs_work_bounds.py); nor the pool, which reads profiles.

A record counts when its work history has 2 to `--most` settlements; when a settlement is itself
undetermined (something else is open: a missing date of birth, an offer's split code), the join is not
known, and the record is only checked not to be eligible while a settlement is not.

Usage: python bench/settlement_join.py FILE.jsonl --program cec [--most 64] [--show 5]
Exit 1 when a decision differs from the join of its settlements.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import sys

from cec_rules.engine.errors import CecError
from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.facts.reading import applicant_from_data

SOURCE = "<settlement_join>"
PROGRAMS = ("cec", "fsw", "fst")  # outcome = eligibility (see above)


def settlements(record: dict, evaluator: Evaluator, most: int) -> list[dict] | None:
    """The record with each split work code replaced by each of its counterparts in the classification of the
    edition in force, every combination; None when there is one (no split code) or more than `most`."""
    applicant = applicant_from_data(record, SOURCE)
    edition = evaluator.edition_for(applicant.application_date, SOURCE)
    version = edition.ruleset.parameters["noc_version"].value_on(applicant.application_date)
    noc = edition.tables.noc
    choices = []
    for period in record["work_history"]:
        counterparts = (
            noc.counterparts(period["noc_version"], period["noc_code"]) if period["noc_version"] != version else []
        )
        choices.append(
            [{"noc_version": o.version, "noc_code": o.code} for o in counterparts] if len(counterparts) > 1 else [{}]
        )
    count = 1
    for options in choices:
        count *= len(options)
    if count == 1 or count > most:
        return None
    return [
        {**record, "work_history": [{**p, **code} for p, code in zip(record["work_history"], chosen)]}
        for chosen in itertools.product(*choices)
    ]


def verdict(got, outcomes: list) -> str:
    """ok, or what is wrong with `got` against the settlements' `outcomes` (True, False or None each)."""
    if None in outcomes:  # the join is not known; a decision can still be too sure
        return (
            "ok (a settlement open)"
            if got is not True or all(o is True for o in outcomes)
            else "eligible though a settlement is not"
        )
    want = True if all(outcomes) else False if not any(outcomes) else None
    return "ok" if got is want else f"{got} where the settlements give {want}"


def check(path: str, program: str, most: int, show: int) -> collections.Counter:
    """Verdicts counted over the records of `path` with split work codes; the first `show` of each difference printed."""
    evaluator = Evaluator(load_bundled_or(None), program)
    tally: collections.Counter = collections.Counter()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            _check_line(line, evaluator, most, show, tally)
    return tally


def _check_line(line: str, evaluator: Evaluator, most: int, show: int, tally: collections.Counter) -> None:
    """Decide one record and each of its settlements; count the verdict (records without split codes are skipped)."""
    try:
        record = json.loads(line)
        every = settlements(record, evaluator, most) if isinstance(record, dict) else None
        if every is None:
            return
        got = evaluator.evaluate(applicant_from_data(record, SOURCE), source=SOURCE).eligible
        outcomes = [evaluator.evaluate(applicant_from_data(one, SOURCE), source=SOURCE).eligible for one in every]
    except (CecError, ValueError, KeyError, TypeError):
        tally["rejected"] += 1  # a record the input contract refuses (its settlements too)
        return
    found = verdict(got, outcomes)
    tally[found] += 1
    if not found.startswith("ok") and tally[found] <= show:
        print(f"{record.get('id')}: {found} ({outcomes})", file=sys.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--program", default="cec", choices=PROGRAMS)
    parser.add_argument("--most", type=int, default=64, help="skip records with more settlements than this")
    parser.add_argument("--show", type=int, default=5, help="print the first N differences of each kind")
    args = parser.parse_args(argv)
    tally = check(args.input, args.program, args.most, args.show)
    print(json.dumps({"program": args.program, **dict(sorted(tally.items()))}))
    return 1 if any(not key.startswith("ok") and key != "rejected" for key in tally) else 0


if __name__ == "__main__":
    sys.exit(main())
