"""RFC 9457 problem details: the body of every error the service answers.

An input problem carries the same one-line message as the CLI (`detail`) and its parts (`errors`:
field path, message, line), so a client can point at the field without parsing text.
"""

from __future__ import annotations

from cec_rules.engine.errors import InputError

MEDIA_TYPE = "application/problem+json"


def problem(status: int, title: str, detail: str, kind: str, **extra) -> dict:
    return {"type": f"/problems/{kind}", "title": title, "status": status, "detail": printable(detail), **extra}


def printable(text: str) -> str:
    """`text` as valid UTF-8: a message may quote input, and JSON input can carry lone surrogates
    (`"\\udc00"`), which no UTF-8 encoder accepts; they are shown escaped.

    Examples:
        >>> printable("got 'a\\udc00b'")
        "got 'a\\\\udc00b'"
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def input_problem(exc: InputError) -> dict:
    """422: the applicant cannot be decided (bad syntax, a wrong field, or no edition in force)."""
    error = {"field": printable(exc.field), "message": printable(exc.detail)}
    if exc.line is not None:
        error["line"] = exc.line
    return problem(422, "The applicant record cannot be decided", str(exc), "invalid-input", errors=[error])


def internal_problem(detail: str) -> dict:
    """500: the engine failed on valid input (a bug to report), or the decision could not be recorded."""
    return problem(500, "Internal error", detail, "internal-error")
