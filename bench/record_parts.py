"""CPU time per record of the parts around the decision in one `cec batch` worker: reading the record (JSON
parse; limits and validation), the program's screen facts and derivation, the criteria and rule-derived facts,
and the decision line.

Why inside the decide loop, not each part alone over saved inputs: a part run alone over thousands of saved
decisions reads them cold from memory (the decision line costs twice as much that way); in the loop each
part sees what the worker just built. Each part is timed with `time.process_time` around its call (the
machine may be shared: CPU time, not wall time), the clock's own cost measured and taken off.

    python bench/generate.py --count 20000 --seed 7 -o /tmp/p20k.jsonl
    python bench/record_parts.py /tmp/p20k.jsonl --warm 5000     # the first 5,000 records warm the caches

Run it with two installs alternately (e.g. main's venv and a branch's) to compare them: the functions it
times keep their names.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cec_rules.engine import decision as decision_module
from cec_rules.engine import evaluator as evaluator_module
from cec_rules.engine.batch import worker as worker_module
from cec_rules.engine.batch.records import Record

CLOCK = time.process_time


class Timer:
    """Seconds and calls per part, with the cost of the clock itself measured once."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.clock_cost = self._clock_cost()

    def wrap(self, function, part: str):
        def timed(*args, **kwargs):
            start = CLOCK()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[part] = self.seconds.get(part, 0.0) + CLOCK() - start
                self.calls[part] = self.calls.get(part, 0) + 1

        return timed

    def microseconds(self, part: str, records: int) -> float:
        return (self.seconds[part] - self.calls[part] * self.clock_cost) / records * 1e6

    def _clock_cost(self) -> float:
        timed = self.wrap(lambda: None, "clock")
        for _ in range(100_000):
            timed()
        return self.seconds.pop("clock") / self.calls.pop("clock")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("population", type=Path, help="JSON Lines (bench/generate.py)")
    parser.add_argument("--warm", type=int, default=5000, help="records decided first, not timed")
    parser.add_argument("--count", type=int, default=20000, help="records read from the file")
    options = parser.parse_args()
    lines = options.population.read_text(encoding="utf-8").splitlines()[: options.count]
    records = [Record(i, i + 1, options.population.name, line, "json") for i, line in enumerate(lines)]
    decider = worker_module.RecordDecider(None, None, "jsonl", programs=("cec",))
    for record in records[: options.warm]:
        decider.decide(record)
    timed = records[options.warm :]
    timer = _timed_parts(decider)
    start = CLOCK()
    for record in timed:
        decider.decide(record)
    total = (CLOCK() - start - sum(timer.calls.values()) * timer.clock_cost) / len(timed) * 1e6
    parts = ["parse", "read_applicant", "screen_facts", "derive", "_criteria", "_rule_derived", "translate", "decided"]
    for part in parts + ["to_json_bytes"]:
        print(f"{part:16s} {timer.microseconds(part, len(timed)):7.2f} us")
    print(
        f"{'these parts':16s} {sum(timer.microseconds(p, len(timed)) for p in parts):7.2f} us   (decided includes to_json_bytes)"
    )
    print(f"{'whole decide':16s} {total:7.2f} us   ({len(timed)} records)")


def _timed_parts(decider) -> Timer:
    """Wrap each part where the decide loop looks it up (module functions, the plugin, the evaluator)."""
    timer = Timer()
    worker_module._parse = timer.wrap(worker_module._parse, "parse")
    object.__setattr__(decider.plugin, "read_applicant", timer.wrap(decider.plugin.read_applicant, "read_applicant"))
    object.__setattr__(decider.plugin, "translate", timer.wrap(decider.plugin.translate, "translate"))
    object.__setattr__(decider.plugin, "screen_facts", timer.wrap(decider.plugin.screen_facts, "screen_facts"))
    object.__setattr__(decider.plugin, "derive", timer.wrap(decider.plugin.derive, "derive"))
    decider.evaluator._criteria = timer.wrap(decider.evaluator._criteria, "_criteria")
    evaluator_module._rule_derived = timer.wrap(evaluator_module._rule_derived, "_rule_derived")
    decision_module.Decision.to_json_bytes = timer.wrap(decision_module.Decision.to_json_bytes, "to_json_bytes")
    decider.decided = timer.wrap(decider.decided, "decided")
    return timer


if __name__ == "__main__":
    main()
