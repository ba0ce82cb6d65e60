"""What would meet each FST criterion that is not met, worded from the ruleset's `advice` texts (EN/FR).

FST has no `cec explain` of its own yet; `to_meet` gives, per unmet or undetermined criterion, one
sentence built from the decision's derived values and the edition's parameters, so that a caller (or a
later explainer) can show it beside the reasons. The words are the ruleset's, so policy staff edit them.
"""

from __future__ import annotations

from cec_rules.engine.templates import format_value

from ..advice import Advisor
from ..tables import ABILITIES

REQUIRED_ADVICE = {
    "trade_hours": {"hours", "minimum", "years"},
    "offer_or_certificate": {"months"},
    "raise_ability": {"ability", "level_name", "level"},
    "new_result": {"levels"},
    "funds": {"amount", "family_size"},
    "funds_details": set(),
    "unresolved_code": {"field"},
    "self_employed": {"field"},
    "province": {"excluded"},
    "admissibility": set(),
    **{f"ability_{name}": set() for name in ABILITIES},
}


def to_meet(decision, edition, params: dict, language: str = "en") -> dict[str, str]:
    """criterion id -> what would meet it, for each criterion the decision did not find met."""
    advisor = Advisor(edition.ruleset.advice, params, language)
    texts = {}
    for result in decision.criteria:
        if result.met is None:
            texts[result.id] = "; ".join(
                advisor.say(_question(n["field"]), field=n["field"]) for n in result.needs
            ) or advisor.say("funds_details")
        elif result.met is False:
            texts[result.id] = _unmet(result.id, decision.derived, advisor, params, language)
    return texts


def _question(field: str) -> str:
    """The advice that settles a needed field: a split code's, or whether self-employed work is accepted."""
    return "self_employed" if field.endswith(".self_employed") else "unresolved_code"


def _unmet(criterion: str, derived: dict, advisor: Advisor, params: dict, language: str) -> str:
    if criterion == "skilled_trade_experience":
        most = max((t["hours"] for t in derived["trades"]), default=0)
        return advisor.say(
            "trade_hours",
            hours=_number(params["min_trade_hours"] - most, language),
            minimum=_number(params["min_trade_hours"], language),
            years=params["experience_window_years"],
        )
    if criterion == "language_proficiency":
        return _language(derived.get("best_language_result"), advisor, params)
    if criterion == "offer_or_certificate":
        return advisor.say("offer_or_certificate", months=params["min_offer_months"])
    if criterion == "settlement_funds":
        funds = derived["funds"]
        if funds["required"] is None:
            return advisor.say("funds_details")
        return advisor.say("funds", amount=_number(funds["required"], language), family_size=funds["family_size"])
    if criterion == "outside_quebec":
        return advisor.say("province", excluded=", ".join(params["excluded_provinces"]))
    return advisor.say("admissibility")


def _language(best: dict | None, advisor: Advisor, params: dict) -> str:
    required = params["language_level_by_ability"]
    if best is None:
        levels = ", ".join(f"{advisor.say('ability_' + a)} {required[a]}" for a in ABILITIES)
        return advisor.say("new_result", levels=levels)
    short = [a for a in ABILITIES if best["levels"][a] < required[a]]
    return "; ".join(
        advisor.say(
            "raise_ability", ability=advisor.say(f"ability_{a}"), level_name=best["level_name"], level=required[a]
        )
        for a in short
    )


def _number(value: float, language: str) -> str:
    return format_value(float(value), None, language)
