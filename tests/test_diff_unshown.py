"""`cec diff` derives each side for the comparison only (`Evaluator.facts(..., shown=False)`, a plugin with
`Program.derive_unshown`: CEC's `derive(..., shown=False)`), since an applicant that is not shown needs no
period, occupation or result summaries. Proved here:
- the facts, the screen result and every error are the same either way, and so is what `cec diff` compares
  (`impact_values`, and each derived value left in) and the decision without reasons (generated applicants,
  every CEC edition, with the screen's exclusions);
- a plugin without `derive_unshown` is never asked (every program on the examples);
- a shown and an unshown applicant get the same decision fields in changes.jsonl's comparison: covered
  for whole diffs by tests/test_diff_lazy.py (`CEC_DIFF_REASONS=1` derives every side whole).
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from cec_rules.engine.evaluator import Evaluator, load_bundled_or
from cec_rules.facts.applicant import Applicant
from strategies import applicants
from support import EXAMPLES


@pytest.fixture(scope="module")
def cec_evaluator() -> Evaluator:
    return Evaluator(load_bundled_or(None), "cec")


def _both_ways(evaluator: Evaluator, applicant, edition):
    """(whole facts, unshown facts), or the error both ways raise (the same message)."""
    day = applicant.application_date
    try:
        whole = evaluator.facts(applicant, day, edition, "x")
    except Exception as error:
        with pytest.raises(type(error)) as raised:
            evaluator.facts(applicant, day, edition, "x", shown=False)
        assert str(raised.value) == str(error)
        return None
    return whole, evaluator.facts(applicant, day, edition, "x", shown=False)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=applicants())
def test_an_unshown_derivation_has_the_same_facts_and_compared_values(cec_evaluator, record):
    applicant = Applicant.model_validate(record)
    plugin = cec_evaluator.plugin
    for edition in cec_evaluator.library.programs["cec"]:
        both = _both_ways(cec_evaluator, applicant, edition)
        if both is None:
            continue
        (screened, whole), (unshown_screened, unshown) = both
        assert unshown_screened.exclusions == screened.exclusions
        assert unshown.facts == whole.facts and unshown.findings == whole.findings
        assert all(whole.derived[name] == value for name, value in unshown.derived.items())
        assert "periods" in whole.derived and "periods" not in unshown.derived  # the summaries are left out
        day = applicant.application_date
        decisions = [cec_evaluator.evaluate(applicant, day, "x", edition, facts, reasons=False) for facts in both]
        assert plugin.impact_values(decisions[1].derived) == plugin.impact_values(decisions[0].derived)
        assert decisions[1].criteria == decisions[0].criteria and decisions[1].eligible == decisions[0].eligible


def test_a_plugin_without_derive_unshown_derives_whole():
    library, checked = load_bundled_or(None), 0
    for program, plugin in library.plugins.items():
        evaluator = Evaluator(library, program)
        for example in sorted(EXAMPLES.glob("*.yaml")):
            try:
                applicant = plugin.read_applicant(
                    yaml.safe_load(example.read_text(encoding="utf-8")), example.name, None
                )
                day = applicant.application_date
                edition = evaluator.edition_for(day, example.name)
                whole = evaluator.facts(applicant, day, edition, example.name)
            except Exception:  # an example of another program
                continue
            unshown = evaluator.facts(applicant, day, edition, example.name, shown=False)
            assert unshown[1].facts == whole[1].facts
            assert (unshown[1].derived == whole[1].derived) is (not plugin.derive_unshown)
            checked += 1
    assert checked > 20 and any(not plugin.derive_unshown for plugin in library.plugins.values())
