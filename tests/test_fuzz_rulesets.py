"""Seeded mutation fuzzing of the bundled rulesets (issue 8 §4): a ruleset that validates never fails when deciding.

Each mutant is a temporary copy of the rulesets with one random edit: a number made infinite, huge,
negative or zero; a string misspelt; a list emptied or filled with numbers; a key deleted; a rule
duplicated (same id, or many copies under new ids); a `where:` dropped; a rule made to derive the kind it
matches; a CSV row cut, duplicated or given an unknown level. For every mutant:

- `cec rulesets validate` never shows a traceback; it exits 0, or 2 with every problem as `file:line[:col]: ...`;
- a mutant that validates decides every `examples/*.yaml` without an internal error (never exit 1).
  Exit 2 is accepted only for what is genuinely the applicant's side of a data table: the applicant's own
  value is checked against the table as data (a score outside a test's changed scale or steps, a test date
  no score table covers any more, a NOC code a table no longer lists). Anything else an applicant is refused
  for (a province, a test id the edition names but does not ship) would blame the applicant for the rulesets'
  mistake, so the validator must catch it instead.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.yaml_source import load_yaml
from support import cec_examples, copy_rulesets

SEED = int(os.environ.get("CEC_FUZZ_SEED", "20261201"))  # another seed explores other mutants
MUTANTS = int(os.environ.get("CEC_FUZZ_MUTANTS", "40"))
PROBLEM_LINE = re.compile(r"^\S+:\d+(:\d+)?: \S")
# Applicant fields a data table legitimately governs (see the module docstring).
APPLICANT_SIDE = re.compile(
    r": (language_tests\[\d+\]\.(listening|reading|writing|speaking|date)|work_history\[\d+\]\.noc_code): "
)
NUMBERS = [math.inf, -math.inf, 1e308, -1e308, 10**30, 2**63, -1, 0, 3000, 1e-308]


# --- writing mutated data back as YAML (flow style, one entry per line so problems keep lines) --------


def dump(value, indent: int = 0) -> str:
    pad = " " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{pad}{_key(k)}: {dump(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "}" if items else "{}"
    if isinstance(value, list):
        items = [f"{pad}{dump(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "]" if items else "[]"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
    if isinstance(value, float):
        text = repr(value)
        return text if "." in text or "e" not in text else text.replace("e", ".0e", 1)  # YAML floats need a dot
    return json.dumps(value, ensure_ascii=False, default=str)


def _key(key) -> str:
    return str(key) if isinstance(key, int) else json.dumps(str(key), ensure_ascii=False)


# --- the mutations ---------------------------------------------------------------------------------


def leaves(value, path=()):
    """(path, value) of every scalar, list and mapping inside `value`."""
    yield path, value
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from leaves(child, path + (key,))


def set_at(data, path, new) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = new


def typo(text: str, rng: random.Random) -> str:
    if not text:
        return "x"
    i = rng.randrange(len(text))
    return rng.choice([text[:i] + text[i + 1 :], text[:i] + "x" + text[i:], text + "_"]) or "x"


def mutate_value(data, rng: random.Random) -> str:
    path, value = rng.choice([(p, v) for p, v in leaves(data) if p])
    if isinstance(value, bool):
        new = not value
    elif isinstance(value, (int, float)):
        new = rng.choice(NUMBERS)
    elif isinstance(value, str):
        new = typo(value, rng)
    elif isinstance(value, list):
        new = rng.choice([[], [0, 1, 2]])
    else:
        key = rng.choice(list(value)) if value else None
        if key is None:
            return "nothing"
        del value[key]
        return f"delete {path + (key,)}"
    set_at(data, path, new)
    return f"{path} = {new!r}"


def mutate_rules(data, rng: random.Random) -> str:
    rules = data["rules"]
    index = rng.randrange(len(rules))
    rule = rules[index]
    choice = rng.choice(["duplicate", "copies", "drop_where", "self_derive"])
    if choice == "duplicate":
        rules.append(copy.deepcopy(rule))
    elif choice == "copies":
        count = rng.choice([100, 300])
        rules.extend({**copy.deepcopy(rule), "id": f"copy_{i}"} for i in range(count))
        return f"{count} copies of {rule['id']}"
    elif choice == "drop_where":
        patterns = [p.get("not", p) for p in rule["when"] if "where" in p.get("not", p)]
        if not patterns:
            return "nothing"
        del rng.choice(patterns)["where"]
    else:
        kinds = [p["fact"] for p in rule["when"] if "fact" in p]
        if "derive" not in rule["then"] or not kinds:
            return "nothing"
        rule["then"]["derive"]["fact"] = rng.choice(kinds)
    return f"{choice} {rule['id']}"


def mutate_csv(path: Path, rng: random.Random) -> str:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    index = rng.randrange(1, len(rows))
    choice = rng.choice(["cut", "duplicate", "level", "delete", "title"])
    if choice == "cut":
        rows[index] = rows[index][:1]
    elif choice == "duplicate":
        rows.append(list(rows[index]))
    elif choice == "level" and len(rows[index]) > 2:
        rows[index][2] = rng.choice(["9", "E", "", "01"])
    elif choice == "title":
        rows[index][1] = ""
    else:
        del rows[index]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return f"{choice} row {index + 1}"


def mutate(root: Path, rng: random.Random) -> str:
    """One random edit of the copy at `root`; returns what was done, for the failure message."""
    yamls = sorted(root.glob("cec/*/ruleset.yaml")) + sorted(root.glob("data/language/*.yaml"))
    csvs = sorted(root.glob("data/noc/*.csv"))
    target = rng.choice(yamls * 3 + csvs)
    if target.suffix == ".csv":
        return f"{target.name}: {mutate_csv(target, rng)}"
    data, _ = load_yaml(target.read_text(encoding="utf-8"), str(target))
    if target.name == "ruleset.yaml" and rng.random() < 0.3:
        done = mutate_rules(data, rng)
    else:
        done = mutate_value(data, rng)
    target.write_text(dump(data) + "\n", encoding="utf-8")
    return f"{target.relative_to(root)}: {done}"


# --- the property ------------------------------------------------------------------------------------


def check_mutant(root: Path, what: str) -> bool:
    """Validate the mutant; when it validates, decide every example. Returns whether it validated."""
    runner = CliRunner()
    result = runner.invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), f"{what}: {result.exception!r}"
    assert "Traceback" not in result.output, what
    assert result.exit_code in (0, 2), f"{what}: exit {result.exit_code}\n{result.output}"
    if result.exit_code == 2:
        problems = result.stderr.splitlines()[1:]
        assert problems, f"{what}: exit 2 without problems\n{result.stderr}"
        for line in problems:
            assert PROBLEM_LINE.match(line), f"{what}: not a file:line[:col] problem: {line}"
        return False
    decided = runner.invoke(cli, ["evaluate", "--rulesets", str(root), *map(str, cec_examples())])
    assert decided.exception is None or isinstance(decided.exception, SystemExit), f"{what}: {decided.exception!r}"
    assert decided.exit_code in (0, 2), (
        f"{what}: a validated mutant made a decision fail (exit {decided.exit_code}):\n{decided.stderr}"
    )
    for line in decided.stderr.splitlines():
        assert APPLICANT_SIDE.search(line), (
            f"{what}: a validated mutant refused an applicant for the rulesets' mistake:\n{line}"
        )
    return True


@pytest.mark.slow
def test_no_mutant_of_the_bundled_rulesets_validates_and_then_fails(tmp_path):
    rng = random.Random(SEED)
    pristine = copy_rulesets(tmp_path / "pristine")
    outcomes = []
    for number in range(MUTANTS):
        root = tmp_path / f"m{number}" / "rulesets"
        root.parent.mkdir()
        shutil.copytree(pristine, root)
        what = f"mutant {number} (seed {SEED}): " + mutate(root, rng)
        outcomes.append(check_mutant(root, what))
        shutil.rmtree(root.parent)
    assert not all(outcomes) and any(outcomes), "the mutations should produce both valid and invalid rulesets"
