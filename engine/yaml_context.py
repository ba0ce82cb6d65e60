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


# What an editor most often did when PyYAML says this (its words name tokens, not the mistake).
HINTS = {
    "mapping values are not allowed here": "this line is indented deeper than the key above it allows (or that key less "
    "than it should be), or the line above lacks the ':' after its key, or an "
    "unquoted value holds ': ': align the keys of one mapping, add the ':', or quote the value",
    "did not find expected key": "a line here is indented less or more than the keys beside it: align it with its siblings",
    "expected <block end>, but found": "a line here is indented less or more than the keys beside it: align it with its siblings",
    "could not find expected ':'": "a key without ':' after it, or a value continued on a line of its own: add the ':' or quote the value",
}


def indentation_problem(exc) -> bool:
    """Whether PyYAML's problem is one of block indentation: the keys around the problem's own line, not
    around where the enclosing block started, say where it is."""
    return (exc.problem or "").startswith(tuple(start for start in HINTS if start != "could not find expected ':'"))


def syntax_message(exc) -> str:
    """`expected ',' or ']', but got ':' (while parsing a flow sequence started on line 3, column 6)`, then
    what an editor most often did to get it (HINTS), when there is a likely one."""
    problem = exc.problem or str(exc)
    if exc.context and exc.context_mark is not None:
        said = f"{problem} ({exc.context} started on line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    else:
        said = f"{problem} ({exc.context})" if exc.context else problem
    hint = next((words for start, words in HINTS.items() if problem.startswith(start)), None)
    return f"{said}: {hint}" if hint else said
