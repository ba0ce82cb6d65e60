"""What the generic engine needs to know of a program, and how it finds the programs installed.

The engine decides any program whose rules are written in the ruleset language; everything that is
particular to one program (the facts its derivation asserts, the parameters and explanation texts its
derivation and explainer read, the orderings it guarantees between fields, the Python that turns an
applicant into facts) comes from that program's plugin. A plugin is a `Program` value published in the
`cec_rules.programs` entry-point group, so a separately installed package can add a program without
touching this one:

    [project.entry-points."cec_rules.programs"]
    fsw = "my_package.fsw_program:PROGRAM"

The entry's name is the program id, the `program:` of its rulesets and the folder name under the
rulesets root. docs/engine.md "Programs as plugins" shows a whole plugin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Callable, Protocol

from .data_files import named_paths
from .rank.ranking import Ranking

ENTRY_POINT_GROUP = "cec_rules.programs"


class Derived(Protocol):
    """What a program's derivation returns: the facts to assert and the values to show in the decision."""

    facts: list[dict]
    derived: dict


# derive(applicant, day, edition, parameters, source) -> Derived; raises InputError for unusable input.
Derive = Callable[[Any, dt.date, Any, dict, str], Derived]
# screen_facts(applicant, day, edition, parameters, source) -> groups of facts the screen rules decide on, each
# group screened in a session of its own (typically one item and the facts that bear on it).
ScreenFacts = Callable[[Any, dt.date, Any, dict, str], list]
# read_applicant(data, source, limits) -> the program's applicant, from one parsed record; raises InputError.
ReadApplicant = Callable[[Any, str, Any], Any]
# translate(evaluator, decision, applicant, as_of, source, lang) -> the decision with its texts in `lang`.
Translate = Callable[[Any, Any, Any, "dt.date | None", str, str], Any]


def _no_tables(ruleset, reader) -> dict:
    return {}


def _data_paths(ruleset) -> list[str]:
    return named_paths(ruleset.data)


def _no_cells(derived: dict) -> list:
    return []


def _no_impact_values(derived: dict) -> dict:
    return {}


def _input_limits_unset() -> Any:
    return None


def _translate_unset(evaluator, decision, applicant, as_of, source, lang):
    return decision


# explain(evaluator, applicant, as_of, lang, source) -> the explanation document (`cec explain`).
Explain = Callable[[Any, Any, "dt.date | None", str, str], dict]
# describe_gain(gain, edition, lang) -> the words of one change engine/gains.py proposes (None: the engine's words).
DescribeGain = Callable[[Any, Any, str], "str | None"]


@dataclass(frozen=True)
class Distribution:
    """One histogram of `cec diff`'s report: how a value that decides outcomes was spread under the old rules,
    by outcome, with the thresholds a parameter sets marked on it.

    `value` is a key of the program's `impact_values`. Buckets: with `width` 1, one per value (the chart
    shows 0 to `top` - 1); otherwise ranges `0-119`, `120-239`, ... and `top+` (`top` a multiple of
    `width`). A value that is absent counts under `none`. `parameter` names the ruleset parameter whose
    values (every date's; a table's values) are the thresholds, kept in the summary under `thresholds`."""

    name: str  # its key under the summary's `distributions`
    value: str
    heading: str  # the HTML report's heading for the chart
    axis: str  # what one bar stands for (the chart's data attribute)
    width: int = 1
    top: int = 0
    thresholds: str | None = None  # its key under the summary's `thresholds`
    parameter: str | None = None


@dataclass(frozen=True)
class Program:
    """One program's plugin.

    - `fact_kinds`: kind -> {field: (type, description)}, the vocabulary its rules may match (the
      validator checks every pattern against it; types drive how reasons show values);
    - `required_parameters`: name -> (type, why[, ValueSpec]), what every edition must define because
      the derivation reads it (a ValueSpec checks the value itself);
    - `required_advice`: name -> placeholders, the explanation texts the explainer reads;
    - `field_relations`: kind -> [(lesser, greater)], orderings the derivation guarantees between two
      fields of one fact (the conflict analysis uses them to tell exclusive rules apart);
    - `derive`: the applicant's facts for one edition on one day;
    - `read_applicant`: the applicant from one parsed input record (cases, batch records);
    - `input_limits`: the size limits the reader applies (read once per batch worker; `record_bytes`
      bounds one batch record), and `translate`: a decision with its texts in another language;
    - `explain`: the explanation of a decision for `cec explain` (None: the engine's own for a ruleset with
      `score:`, engine/explanation.py; else the program has none); `describe_gain(gain, edition, lang)`: the
      words for one change that would gain points (engine/gains.py; None: the engine names the fact field);
      `cite(citation, lang)`: a citation as a text in `lang` shows it (the engine's explanation applies it to
      the thresholds' citations; None: as written);
    - `data_files`: name -> (form, why), the names every edition's `data:` must give ("path": one file,
      "paths": a list of files), because `load_tables` reads them; any other name is a problem;
    - `load_tables(ruleset, reader)`: the edition's data tables (whatever `derive` and the ValueSpecs
      read, as `edition.tables`), or None when one is unusable; the engine's `TableReader` resolves the
      paths the ruleset's `data:` names (a missing file is a problem with file:line) and reads each file
      once; `table_files(ruleset)`: those paths, relative to the rulesets folder (hashed with the edition;
      default: every path `data:` names, in order);
    - `csv_columns`, `csv_cells(derived)`: the columns a `cec batch --csv` row shows between the
      outcome and the reasons, and their cells from the decision's derived values;
    - `formats`: how values show in reasons: a field type of `fact_kinds`, or a word found in a parameter's
      `unit`, -> an engine format ("measure": thousands separators and at most two decimals, integers too;
      "date" needs no entry);
    - `impact_values(derived)`: the values of a decision `cec diff` keeps per applicant and side (they
      appear in changes.jsonl), and `impact_distributions`: the report's histograms of them (`Distribution`);
    - `ranking`: how the program's decisions are ranked (engine/rank/ranking.py: entry, the score that ranks,
      the tie-break field, the groups a round selects by), read by `cec diff` to report rank changes and
      invitations gained and lost; None: the program is not ranked (its scores, if any, still show their shifts);
    - `order`: where the program comes when several decide (`--program all`): lower first, then by id
      (docs/engine.md lists the values the bundled programs take; default 100);
    - `source_dirs`: the folders of the plugin's Python, part of the library cache's key (a changed
      derivation or catalog must not reuse an old validated load);
    - `screen_facts`, `screen_kinds`: the facts of the screen (the first stage, where `phase: screen`
      rules decide which items count), as groups screened in sessions of their own, and which of
      `fact_kinds` they are; a program with a screen gets the exclusions as
      `derive(..., exclusions=[Exclusion, ...])`, in the ruleset's rule order;
    - `derive_translations`: `derive` accepts `translations=True` (passed only by an evaluator made with
      translations, for a decision shown in another language) and then puts the French of each text it
      writes in English beside it: FIELD__fr in a fact, `findings__fr` among the derived values (the
      translated decision shows it as its findings). English decisions never see either;
    - `derive_unshown`: `derive` accepts `shown=False` (passed for a decision that is compared and not shown:
      `cec diff` decides each side so first, engine/impact/decider.py) and then gives the same facts and
      errors, and of its derived values at least those `impact_values` and `ranking` read (it may leave
      out summaries that a decision only shows);
    - `derivation_inputs(edition)`: everything of an edition that `derive` and `screen_facts` read besides its
      data tables (the parameters they read, texts), as a value compared with `==`: `cec diff` derives an
      applicant once for two editions whose values are equal (engine/impact/shared.py). None: the
      plugin does not say, and each side derives on its own. Reading anything it leaves out would make
      `cec diff` decide with the other edition's facts.
    """

    id: str
    fact_kinds: dict
    required_parameters: dict
    derive: Derive
    read_applicant: ReadApplicant
    input_limits: Callable[[], Any] = _input_limits_unset
    translate: Translate = _translate_unset
    explain: Explain | None = None
    describe_gain: DescribeGain | None = None
    cite: Callable[[str, str], str] | None = None
    data_files: dict = field(default_factory=dict)
    load_tables: Callable[[Any, Any], Any] = _no_tables
    table_files: Callable[[Any], list[str]] = _data_paths
    csv_columns: tuple[str, ...] = ()
    csv_cells: Callable[[dict], list] = _no_cells
    required_advice: dict = field(default_factory=dict)
    field_relations: dict = field(default_factory=dict)
    formats: dict = field(default_factory=dict)
    impact_values: Callable[[dict], dict] = _no_impact_values
    impact_distributions: tuple[Distribution, ...] = ()
    ranking: Ranking | None = None
    order: int = 100
    source_dirs: tuple[Path, ...] = ()
    screen_facts: ScreenFacts | None = None
    screen_kinds: tuple[str, ...] = ()
    derivation_inputs: Callable[[Any], Any] | None = None
    derive_translations: bool = False
    derive_unshown: bool = False

    @property
    def field_types(self) -> dict[str, dict[str, str]]:
        """kind -> {field: type}, what the runtime and reason templates need."""
        return {kind: {name: spec[0] for name, spec in fields.items()} for kind, fields in self.fact_kinds.items()}


@cache
def _discover() -> tuple[dict[str, Program], dict[str, str]]:
    """(working plugins by id, why each broken one cannot be used) from the entry-point group."""
    programs, broken = {}, {}
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            plugin = entry.load()
        except Exception as exc:  # any import-time failure of a third-party plugin costs that program only
            broken[entry.name] = f"its plugin {entry.value} cannot be loaded: {type(exc).__name__}: {exc}"
            continue
        if not isinstance(plugin, Program) or plugin.id != entry.name:
            broken[entry.name] = f"its plugin {entry.value} is not a Program with id {entry.name!r}"
            continue
        programs[entry.name] = plugin
    return programs, broken


def in_order(plugins) -> list[Program]:
    """`plugins` in the order their decisions are shown: by `order`, then by id."""
    return sorted(plugins, key=lambda plugin: (plugin.order, plugin.id))


def installed_programs() -> dict[str, Program]:
    """Every working program plugin of the entry-point group, by id."""
    return dict(_discover()[0])


def broken_plugins() -> dict[str, str]:
    """Programs whose plugin is installed but cannot be used, with the reason (the loader reports it)."""
    return dict(_discover()[1])
