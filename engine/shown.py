"""Values and types in messages as the user wrote them (YAML/JSON spelling), never as Python prints them.

Why: a policy editor or an operator reads `null`, `true` and `"abc"` in their files; `None`, `True`,
`NoneType` and "a integer" are Python's words, and they make a message look like a crash.
"""

from __future__ import annotations

import json


def literal(value) -> str:
    """`None` -> `null`, `True` -> `true`, strings quoted; anything else as JSON would write it.

    Examples:
        >>> literal(None), literal(True), literal("x"), literal(1.5), literal([1, None])
        ('null', 'true', '"x"', '1.5', '[1, null]')
    """
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def a(word: str) -> str:
    """The indefinite article that goes with `word`.

    Examples:
        >>> a("integer"), a("number"), a("list")
        ('an integer', 'a number', 'a list')
    """
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"
