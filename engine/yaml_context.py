"""Words for a YAML syntax error: where it is, what the parser expected, and the keys around it.

Why: PyYAML's messages ("expected ',' or ']', but got ':'") name the token, not the place in the document;
a policy editor needs the key path (`parameters.pass_mark.value`) to find the line in a long file.
The key path is read from the indentation of the lines above the error (the document cannot be parsed).
"""

from __future__ import annotations

import re

KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z0-9_.\"'-]+)\s*:(?:\s|$)")


def key_path_before(text: str, line: int) -> str:
    """The chain of mapping keys enclosing 1-based `line`, from the indentation of the lines above it.

    Examples:
        >>> key_path_before("a:\\n  b:\\n    c: [1,\\n  d: 2\\n", 3)
        'a.b.c'
    """
    lines = text.split("\n")[:line]
    path, indent = [], None
    for raw in reversed(lines):
        match = KEY.match(raw)
        if not match or raw.lstrip().startswith("#"):
            continue
        depth = len(match[1]) + (2 if raw.lstrip().startswith("- ") else 0)
        if indent is None or depth < indent:
            path.append(match[2].strip("\"'"))
            indent = depth
            if depth == 0:
                break
    return ".".join(reversed(path))


def syntax_message(exc) -> str:
    """`expected ',' or ']', but got ':' (while parsing a flow sequence started on line 3, column 6)`."""
    problem = exc.problem or str(exc)
    if exc.context and exc.context_mark is not None:
        return f"{problem} ({exc.context} started on line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    return f"{problem} ({exc.context})" if exc.context else problem
