"""How FSW words a change that would gain points (engine/gains.py proposes it, `Program.describe_gain`):
a CLB level of one ability of a language result is shown as the score the same test needs for it
(the test's table on the result's date, as CEC's advice on language reads it, facts/advice.py)."""

from __future__ import annotations

from ..advice import minimum_score, score_text
from ..dates import as_date
from ..tables import ABILITIES

ABILITY = {
    "en": {"listening": "listening", "reading": "reading", "writing": "writing", "speaking": "speaking"},
    "fr": {
        "listening": "compréhension de l'oral",
        "reading": "compréhension de l'écrit",
        "writing": "expression écrite",
        "speaking": "expression orale",
    },
}
WORDS = {
    "en": "{level_name} {level} in {ability}: {test} {score}",
    "fr": "{level_name} {level} en {ability} : {test} {score}",
}


def describe_gain(gain, edition, language: str) -> str | None:
    """`CLB 8 in writing: IELTS General Training 6.5` for a level of one ability of a test result; None
    for any other change (the engine then names the field)."""
    fact = gain.fact
    test = edition.tables.language_tests.get(fact.get("test")) if gain.field in ABILITIES else None
    table = test.table_for(as_date(fact["date"])) if test is not None else None
    if table is None:
        return None
    score = score_text(minimum_score(table, gain.field, gain.proposed), language)
    return WORDS[language].format(
        level_name=fact["level_name"],
        level=gain.proposed,
        ability=ABILITY[language][gain.field],
        test=fact["test_title"],
        score=score,
    )
