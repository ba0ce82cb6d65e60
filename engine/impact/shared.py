"""What `cec diff` need not do twice: when its two sides decide an applicant with editions that derive alike,
the applicant's screen stage and derivation are done once and both main stages run on them; when the two
editions are the same, the decision is made once.

Two editions of one program derive the same facts from any applicant on any day when:
- the program's plugin says what of an edition its `derive` and `screen_facts` read besides the data tables
  (`Program.derivation_inputs`), and that is equal for both (a plugin that does not say is never shared);
- their data tables are read from the same files (`data:`) with the same bytes;
- their screen stages are the same: equal screen rules, equal decision tables of the names those rules
  contain, and no parameter that differs between the editions named in either (a rule reads a parameter
  or a table by its name only, in a condition, a value or a `{param.NAME}` placeholder; a name merely
  contained in a longer one counts as named too).

The policy editor's usual change, one threshold or one table row of a copy of rulesets/, leaves all of
this equal, and only the main stage is decided twice. Two editions with the same sha256 (the same
ruleset file and data bytes) that consume no other program give the same decision.
"""

from __future__ import annotations

import hashlib
import json
import os

from cec_rules.engine.compiler import stage_rules
from cec_rules.engine.library import Edition, table_paths

SHARE_ENV = "CEC_DIFF_SHARED"  # 0: decide every applicant twice from the start (the comparison of both ways)
DECISION, FACTS = "decision", "facts"


class Alike:
    """Per pair of editions (old, new), what one applicant's two decisions share: DECISION, FACTS or None."""

    def __init__(self, plugin):
        self.plugin = plugin
        self.enabled = os.environ.get(SHARE_ENV, "1") != "0"
        self._pairs: dict[tuple[str, str], str | None] = {}

    def __call__(self, old: Edition, new: Edition) -> str | None:
        key = (old.sha256, new.sha256)
        if key not in self._pairs:
            self._pairs[key] = self._shared(old, new) if self.enabled else None
        return self._pairs[key]

    def _shared(self, old: Edition, new: Edition) -> str | None:
        if old.sha256 == new.sha256 and not old.ruleset.consumes:
            return DECISION
        return FACTS if derive_alike(self.plugin, old, new) else None


def derive_alike(plugin, old: Edition, new: Edition) -> bool:
    """Whether `old` and `new` (editions of `plugin`'s program) give every applicant the same screen result and
    derivation on every day (the module's docstring says why these tests suffice)."""
    if plugin.derivation_inputs is None or plugin.derivation_inputs(old) != plugin.derivation_inputs(new):
        return False
    digest = _data_digest(plugin, old)
    return (
        digest is not None
        and old.ruleset.data == new.ruleset.data
        and digest == _data_digest(plugin, new)
        and same_screen(old.ruleset, new.ruleset)
    )


def same_screen(old, new) -> bool:
    """Whether two rulesets' screen stages decide alike: equal screen rules and decision tables, and no
    parameter that differs between them named in those."""
    rules = stage_rules(old, screen=True)
    if rules != stage_rules(new, screen=True):
        return False
    text = _text(rules)
    tables = [
        name for name in old.tables.keys() | new.tables.keys() if name in text
    ]  # the decision tables they may use
    if any(old.tables.get(name) != new.tables.get(name) for name in tables):
        return False
    text += _text([old.tables[name] for name in tables])
    differing = {
        name
        for name in old.parameters.keys() | new.parameters.keys()
        if old.parameters.get(name) != new.parameters.get(name)
    }
    return not any(name in text for name in differing)


def _text(models: list) -> str:
    """Models as JSON text, where every name they use appears."""
    return json.dumps([model.model_dump(mode="json") for model in models], ensure_ascii=False)


def _data_digest(plugin, edition: Edition) -> str | None:
    """The sha256 of the data files the edition's tables were read from, in order; None when one cannot be
    read now (then nothing is shared: the tables in memory cannot be compared)."""
    digest = hashlib.sha256()
    try:
        for path in table_paths(edition.path.parents[2], plugin, edition.ruleset):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return digest.hexdigest()
