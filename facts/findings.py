"""The notes derivations add to a decision (`derived.findings`: a split NOC code, work dated after the
assessment, a credential that does not count), each worded once in English and in French.

Why here and not in a ruleset: the derivations (CEC's, FSW's, FST's, the CRS's) write these notes from
what they find in the input, for every edition alike, as `facts/occupations.py` words a split code's
question. The English note is what decisions have always shown (the output contract). A French decision
shows the same note in French (`in_language`): the English one is read back against its template, and the
parts that are not plain values (a split code's candidates, an occupation) are worded again from the input
field the note names and the edition's NOC tables, never translated word by word.
"""

from __future__ import annotations

import re

from .occupations import OccupationStatus, candidates_text, describe

TEXTS = {
    "split_code": {
        "en": "{where}: {candidates}; give the NOC {version} code",
        "fr": "{where} : {candidates}; indiquez le code CNP {version}",
    },
    "starts_late": {
        "en": "{where}: starts on {start}, on or after the assessment date {as_of}: it never counts",
        "fr": "{where} : commence le {start}, à la date d'évaluation ({as_of}) ou après : elle ne compte jamais",
    },
    "no_counterpart": {
        "en": "{where}: {occupation} has no counterpart in the correspondence; give the code in the edition's classification",
        "fr": "{where} : {occupation} n'a pas d'équivalent dans la table de concordance; indiquez le code de la classification de l'édition",
    },
    "issued_late": {
        "en": "{where}: issued {issued}, after the assessment date {as_of}: it does not count",
        "fr": "{where} : délivré le {issued}, après la date d'évaluation ({as_of}) : il ne compte pas",
    },
    "completed_late": {
        "en": "{where}: completed after {day}, so it does not count yet",
        "fr": "{where} : obtenu après le {day}, il ne compte donc pas encore",
    },
    "eca_too_old": {
        "en": "{where}: a foreign credential counts only with an ECA less than {years} years old",
        "fr": "{where} : un diplôme étranger ne compte qu'avec une évaluation des diplômes d'études (EDE) de moins de {years} ans",
    },
}
_PART = {"where": r"[\w.\[\]]+", "version": r"\d{4}", "years": r"\d+", "candidates": r".+", "occupation": r".+"}
_DATE = r"\d{4}-\d{2}-\d{2}"
_PATTERNS = {
    kind: re.compile(
        "".join(
            f"(?P<{piece[1:-1]}>{_PART.get(piece[1:-1], _DATE)})" if piece.startswith("{") else re.escape(piece)
            for piece in re.split(r"(\{\w+\})", texts["en"])
        )
        + "$"
    )
    for kind, texts in TEXTS.items()
}


def finding(kind: str, **parts) -> str:
    """The English note of `kind` (a key of TEXTS) with its parts: what `derived.findings` holds."""
    return TEXTS[kind]["en"].format(**parts)


def split_code(where: str, status: OccupationStatus, lang: str = "en") -> str:
    """`work_history[0]: NOC 2016 6331 (...) became 63201 ... (TEER 3) or ...; give the NOC 2021 code`."""
    return TEXTS["split_code"][lang].format(
        where=where, candidates=candidates_text(status, lang), version=status.candidates[0].version
    )


def in_language(note: str, applicant, noc, lang: str) -> str:
    """`note` (an English finding) worded in `lang`; a note no template reads stays as it is. `noc`: the
    edition's NOC tables (the candidates and occupations are worded again from the code the input gives)."""
    for kind, pattern in _PATTERNS.items():
        found = pattern.match(note)
        if found is None:
            continue
        parts = found.groupdict()
        if kind == "split_code":
            status = _status(applicant, parts["where"], noc)
            return note if status is None else split_code(parts["where"], status, lang)
        if kind == "no_counterpart":
            status = _status(applicant, parts["where"], noc)
            if status is None:
                return note
            parts["occupation"] = describe(status.reported, lang)
        return TEXTS[kind][lang].format(**parts)
    return note


def _status(applicant, where: str, noc) -> OccupationStatus | None:
    """How the code of the input item at `where` (`work_history[0]`, `spouse.work_history[1]`) splits: the
    reported unit group and its counterparts in the other classification."""
    item = applicant
    for name, index in re.findall(r"(\w+)(?:\[(\d+)\])?", where):
        item = getattr(item, name, None)
        if item is not None and index:
            item = item[int(index)] if int(index) < len(item) else None
        if item is None:
            return None
    reported = noc.find(item.noc_version, item.noc_code) if noc is not None and hasattr(item, "noc_code") else None
    if reported is None:
        return None
    candidates = tuple(sorted(noc.counterparts(reported.version, reported.code), key=lambda o: o.code))
    return OccupationStatus(reported, candidates, None, frozenset())
