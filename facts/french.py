"""French output that stays French: legal citations in their French names, and English-only texts marked.

Why: the rulesets carry French wording for reasons and advice, but citations are written once (in English
abbreviations) and the NOC titles come from StatCan's English tables; no French CNP titles are bundled
(this machine cannot fetch them). Rather than mix languages silently, the French output names the acts by
their French abbreviations (IRPR -> RIPR, IRPA -> LIPR) and marks what is only available in English.
"""

from __future__ import annotations

import re

ACTS = {"IRPR": "RIPR", "IRPA": "LIPR"}
ENGLISH_TITLE = "titre anglais"
ENGLISH_TEXT = "texte anglais"
_REFERENCE = re.compile(
    r"\b(?:RIPR|LIPR)\b(?:\s*(?:ss?\.|art\.)?\s*[\d.]+(?:\([\w.]+\))*(?:\s*(?:-|–|and|et|,)\s*[\d.]*(?:\([\w.]+\))*)*)?"
)


_BETWEEN_REFERENCES = re.compile(r"(?<=[\d)]) and (?=\d)")


def cite(text: str, language: str) -> str:
    """A citation as a text in `language` shows it (a program plugin's `cite`): English as written."""
    return text if language == "en" else citation(text)


def citation(text: str) -> str:
    """`IRPR 87.1(2)(a), 87.1(3)` -> `RIPR 87.1(2)(a), 87.1(3)`; a citation with English commentary beyond the
    references gets `(texte anglais)`.

    Examples:
        >>> citation("IRPR 87.1(2)(a), 87.1(3)")
        'RIPR 87.1(2)(a), 87.1(3)'
        >>> citation("IRPR 87.1(2)(a); IRCC CEC page (1,560 hours)")
        'RIPR 87.1(2)(a); IRCC CEC page (1,560 hours) (texte anglais)'
        >>> citation("IRPR 74(1) and 87.1(2)(d)-(e)")
        'RIPR 74(1) et 87.1(2)(d)-(e)'
        >>> citation("MI (first and second official language)")
        'MI (first and second official language) (texte anglais)'

    Only an "and" between two references becomes "et": inside English commentary it stays English.
    """
    translated = _BETWEEN_REFERENCES.sub(" et ", re.sub(r"\b(IRPR|IRPA)\b", lambda m: ACTS[m[1]], text))
    rest = _REFERENCE.sub("", translated)
    words = [w for w in re.findall(r"[A-Za-z]{3,}", rest) if w not in ACTS.values()]
    return f"{translated} ({ENGLISH_TEXT})" if words else translated


def mark_titles(value, titles: set[str]):
    """Every NOC title in the strings of `value` (a doc of dicts, lists and strings) followed by `(titre anglais)`."""
    if isinstance(value, str):
        if not titles:
            return value
        # one pass, longest title first, a title already marked taken whole with its mark: a title inside a
        # longer one ("Retail salespersons" in "Retail salespersons and visual merchandisers") is never
        # marked in the middle of it, and marking a marked text again changes nothing
        either = "|".join(re.escape(title) for title in sorted(titles, key=len, reverse=True))
        return re.sub(
            rf"({either})( \({ENGLISH_TITLE}\))?", lambda m: m[0] if m[2] else f"{m[1]} ({ENGLISH_TITLE})", value
        )
    if isinstance(value, list):
        return [mark_titles(v, titles) for v in value]
    if isinstance(value, dict):
        return {k: mark_titles(v, titles) for k, v in value.items()}
    return value
