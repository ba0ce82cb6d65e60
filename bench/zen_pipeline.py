"""A peer in the benchmark: the same CEC pipeline with the decision made by zen-engine (GoRules JDM).

Why it exists: the issue asks whether a compiled decision-table engine beats durable-rules on this
workload. Only the decision step differs from `cec batch`: the same JSON parsing and applicant
validation (`applicant_from_data`), the same edition choice and derivation (`derive`, with the
edition's parameters, counting the work that the edition's screen rules let count: that first session
runs on durable-rules here too, as in `cec batch`), and a full decision line written per applicant (criteria with met, reason
and citation, and the same `derived` block). The decision itself is `bench/cec_decision.jdm.json`,
a JDM graph that reads the derived facts and the edition's parameters (thresholds are not copied
into the graph). It has no rule trace: zen-engine's trace is a debugging aid, not an output.

Usage: python bench/zen_pipeline.py INPUT.jsonl -o OUT.jsonl [--workers N]   (needs the `bench` extra)
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

import orjson

GRAPH = Path(__file__).resolve().parent / "cec_decision.jdm.json"
CHUNK = 500
_PARAMETERS = (
    "min_qualifying_hours",
    "language_level_by_occupation_level",
    "excluded_provinces",
    "language_validity_years",
)


class ZenDecider:
    """Parses, derives and decides one record at a time; one per process."""

    def __init__(self) -> None:
        import zen

        from cec_rules.engine.evaluator import Evaluator, load_bundled_or

        self.evaluator = Evaluator(load_bundled_or(None), "cec")
        self.decision = zen.ZenEngine().create_decision(GRAPH.read_text(encoding="utf-8"))

    def decide(self, line: bytes, number: int) -> bytes | None:
        """The decision line, or None when the record is rejected (as `cec batch` rejects it)."""
        from cec_rules.engine.errors import CecError
        from cec_rules.facts.derive import derive
        from cec_rules.facts.reading import applicant_from_data

        source = f"input:{number}"
        try:
            applicant = applicant_from_data(orjson.loads(line), source)
            day = applicant.application_date
            edition, compiled = self.evaluator.context(applicant, None, source)
            screened = self.evaluator.screen(applicant, day, edition, source)  # which work counts: cec's screen rules
            derivation = derive(
                applicant,
                day,
                edition.tables.noc,
                edition.tables.language_tests,
                compiled.parameters,
                source,
                exclusions=screened.exclusions,
            )
        except (CecError, orjson.JSONDecodeError):
            return None
        facts = {fact["t"]: fact for fact in derivation.facts}
        context = {
            "applicant": facts["applicant"],
            "work": facts["work_experience"],
            "language": facts.get("language_result"),
            "occupations": [
                f
                for f in derivation.facts
                if f["t"] == "primary_occupation" and f["level"] in compiled.parameters["skilled_levels"]
            ],
            "params": {name: compiled.parameters[name] for name in _PARAMETERS},
        }
        verdicts = self.decision.evaluate(context)["result"]
        criteria = [
            {
                "id": name,
                "met": verdicts[name]["met"],
                "reason": verdicts[name]["reason"],
                "citation": criterion.citation,
            }
            for name, criterion in edition.ruleset.criteria.items()
        ]
        return orjson.dumps(
            {
                "applicant_id": applicant.id,
                "program": edition.ruleset.program,
                "ruleset": {"id": edition.ruleset.id, "edition": edition.ruleset.edition, "sha256": edition.sha256},
                "as_of": day.isoformat(),
                "eligible": all(c["met"] for c in criteria),
                "criteria": criteria,
                "derived": derivation.derived,
            }
        )


_DECIDER: ZenDecider | None = None


def _start() -> None:
    global _DECIDER
    _DECIDER = ZenDecider()


def _decide_chunk(chunk: tuple[int, list[bytes]]) -> list[bytes | None]:
    first, lines = chunk
    return [_DECIDER.decide(line, first + offset) for offset, line in enumerate(lines)]


def _chunks(source):
    lines, first = [], 1
    for number, line in enumerate(source, 1):
        lines.append(line)
        if len(lines) == CHUNK:
            yield first, lines
            lines, first = [], number + 1
    if lines:
        yield first, lines


def run(source, out, workers: int) -> tuple[int, int]:
    """Decide every line of `source` in order; returns (decided, rejected)."""
    decided = rejected = 0
    if workers > 1:
        pool = multiprocessing.get_context("forkserver").Pool(workers, initializer=_start)
        results = pool.imap(_decide_chunk, _chunks(source))
    else:
        pool = None
        _start()
        results = map(_decide_chunk, _chunks(source))
    for chunk in results:
        for line in chunk:
            if line is None:
                rejected += 1
            else:
                out.write(line + b"\n")
                decided += 1
    if pool is not None:
        pool.close()
        pool.join()
    return decided, rejected


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="JSON Lines file of applicants")
    parser.add_argument("-o", "--output", required=True, help="decisions as JSON Lines")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    with open(args.input, "rb") as source, open(args.output, "wb") as out:
        decided, rejected = run(source, out, args.workers)
    seconds = time.perf_counter() - began
    print(
        f"zen-engine: {decided} decided, {rejected} rejected in {seconds:.2f}s ({(decided + rejected) / seconds:,.0f} records/s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
