"""What would meet an unmet criterion: the smallest change, worded from the ruleset's `advice` texts
(English or French) and given as edits that can be applied to the applicant file.

- hours: looking forward from the assessment date (see `facts.forward`): the day current work reaches the
  minimum, or a job from the assessment date in the applicant's main occupation (else their own skilled
  occupation, else a skilled one with the lowest language level) and the day to apply after it;
- language: for the valid result needing the fewest abilities raised, each ability's minimum score for
  the required level in that test's table; with no valid result, a new result with those minimums;
- province: any province or territory not excluded; admissibility: not something an applicant changes.

An edit is `{"op": "set", "path": "language_tests[0].writing", "value": 6.0}` or
`{"op": "append", "path": "work_history", "value": {...}}`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from .tables import ABILITIES, LanguageTest

from .applicant import Applicant
from .derive import Experience
from .hours import capped_hours

REQUIRED_ADVICE = {
    "more_hours": {"hours", "levels", "deadline"},
    "example_period": {"weeks", "weekly_hours", "occupation", "start", "end"},
    "hours_unreachable": {"hours", "deadline"},
    "apply_from": {"date"},
    "unresolved_code": {"version", "index", "code"},
    "raise_ability": {"ability", "level_name", "level", "test", "score"},
    "at_least": {"score"},
    "new_result": {"test", "oldest", "latest", "scores"},
    "province": {"excluded", "example"},
    "admissibility": set(),
    **{f"ability_{name}": set() for name in ABILITIES},
    "levels_skilled": set(),
}


@dataclass
class Suggestion:
    """What would meet one criterion: sentences for people and edits for programs."""

    criterion: str
    text: list[str] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)


class Advisor:
    """Words and computes suggestions for one decision, in one language."""

    def __init__(self, advice: dict, params: dict, language: str):
        self.advice, self.params, self.language = advice, params, language

    def say(self, kind: str, **values) -> str:
        return getattr(self.advice[kind], self.language).format(**{k: self._show(v) for k, v in values.items()})

    def _show(self, value) -> str:
        if isinstance(value, float) and self.language == "fr":
            return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")
        if isinstance(value, float):
            return f"{value:,.2f}".rstrip("0").rstrip(".")
        return str(value)

    def ability(self, name: str) -> str:
        return self.say(f"ability_{name}")


# --- hours ---------------------------------------------------------------------------------------


def _ceil_hundredth(hours: Fraction) -> float:
    return math.ceil(hours * 100) / 100


def example_occupation(state: Experience, noc, params: dict) -> tuple[int, str, str]:
    """The main occupation (more hours there keep the language level), or a skilled one with the lowest level."""
    counted = state.counted
    if counted:
        hours: dict[tuple[int, str], Fraction] = {}
        for p in counted:
            key = (p.period.noc_version, p.period.noc_code)
            hours[key] = hours.get(key, 0) + capped_hours([(i, p.rate) for i in p.intervals], state.cap)
        version, code = max(sorted(hours), key=lambda k: hours[k])
        return version, code, noc.find(version, code).title
    levels = params["language_level_by_occupation_level"]
    skilled = sorted(params["skilled_levels"], key=lambda level: (levels.get(level, 99), level))
    version = params["noc_version"]
    for level in skilled:
        for occupation in sorted(noc.units[version].values(), key=lambda o: o.code):
            if occupation.level == level:
                return version, occupation.code, occupation.title
    raise LookupError("no skilled occupation in the NOC table")


# --- language ------------------------------------------------------------------------------------


def better_language(
    advisor: Advisor, applicant: Applicant, decision_derived: dict, tests: dict[str, LanguageTest], as_of: dt.date
) -> Suggestion:
    """Raise the fewest abilities of a valid result, or take a new designated test."""
    level = (decision_derived.get("language_requirement") or {}).get("level")
    suggestion = Suggestion("language_proficiency")
    if level is None:
        return suggestion
    valid = [r for r in decision_derived.get("language_results", []) if r["valid"]]
    if valid:
        best = min(
            valid,
            key=lambda r: (
                sum(1 for v in r["levels"].values() if v < level),
                r["date"] and -dt.date.fromisoformat(r["date"]).toordinal(),
            ),
        )
        test = tests[best["test"]]
        table = test.table_for(dt.date.fromisoformat(best["date"]))
        for ability in ABILITIES:
            if best["levels"][ability] < level:
                score = minimum_score(table, ability, level)
                suggestion.text.append(
                    advisor.say(
                        "raise_ability",
                        ability=advisor.ability(ability),
                        level_name=test.level_name,
                        level=level,
                        test=test.title,
                        score=advisor.say("at_least", score=score_text(score, advisor.language)),
                    )
                )
                suggestion.changes.append(
                    {"op": "set", "path": f"language_tests[{best['index']}].{ability}", "value": score}
                )
        return suggestion
    return _new_result(advisor, applicant, tests, as_of, level, suggestion)


def _new_result(
    advisor: Advisor,
    applicant: Applicant,
    tests: dict[str, LanguageTest],
    as_of: dt.date,
    level: int,
    suggestion: Suggestion,
) -> Suggestion:
    accepted = [name for name in advisor.params["accepted_language_tests"] if name in tests]
    recent = [
        t.test for t in sorted(applicant.language_tests, key=lambda t: t.date, reverse=True) if t.test in accepted
    ]
    test = tests[(recent or accepted)[0]]
    latest = as_of - dt.timedelta(days=1)
    table = test.table_for(latest)
    scores = {ability: minimum_score(table, ability, level) for ability in ABILITIES}
    from .dates import years_before

    oldest = years_before(as_of, advisor.params["language_validity_years"])
    shown = ", ".join(f"{advisor.ability(a)} {score_text(s, advisor.language)}" for a, s in scores.items())
    suggestion.text.append(
        advisor.say("new_result", test=test.title, oldest=oldest.isoformat(), latest=latest.isoformat(), scores=shown)
    )
    suggestion.changes.append(
        {"op": "append", "path": "language_tests", "value": {"test": test.test, "date": latest.isoformat(), **scores}}
    )
    return suggestion


def minimum_score(table, ability: str, level: int):
    """The lowest score reaching `level` (or the next level the table lists)."""
    levels = sorted(lv for lv in table.minimum_score[ability] if lv >= level)
    return table.minimum_score[ability][levels[0]] if levels else table.score_range[ability].max


def score_text(score, language: str = "en") -> str:
    """A score as the test reports it: IELTS bands keep their decimal (6.0, not 6); French uses a comma."""
    text = f"{score:.1f}" if isinstance(score, float) else str(score)
    return text.replace(".", ",") if language == "fr" else text


# --- province and admissibility --------------------------------------------------------------------


def other_province(advisor: Advisor) -> Suggestion:
    excluded = advisor.params["excluded_provinces"]
    example = next(p for p in advisor.params["provinces_and_territories"] if p not in excluded)
    return Suggestion(
        "outside_quebec",
        [advisor.say("province", excluded=", ".join(excluded), example=example)],
        [{"op": "set", "path": "intended_province", "value": example}],
    )


def admissibility(advisor: Advisor) -> Suggestion:
    return Suggestion(
        "admissibility", [advisor.say("admissibility")], [{"op": "set", "path": "admissible", "value": True}]
    )
