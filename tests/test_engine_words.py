"""engine/ knows no program (issue 9: `grep -riE "noc|clb|teer|language|hours" engine/` finds nothing
but generic words in comments). The rule, checked token by token on every engine/**/*.py:

1. Code (every token that is not a comment or a docstring: names, attributes, keywords, string and
   f-string text) contains none of the words noc, clb, teer, language, hours, in any case and anywhere
   in a token (`qualifying_hours`, `NocTables`, "language" as a key are all refused). The one exception
   is the name of the engine's own reference page, `docs/ruleset-language.md`, which error messages cite.
   A text's language (en/fr) is therefore `lang` in engine/ code.
2. Comments and docstrings never contain noc, clb, teer or hours; they may say "language" or "languages"
   only as a word of its own (the ruleset language, a text's language, the official languages), never
   as part of a name (`language_tests`, `language_proficiency`: a program's vocabulary).
3. Nowhere in engine/ is the program named: no `CEC` as a word (the tool's own names, `cec_rules`,
   `CecError`, `CEC_MAX_FIRINGS`, the `cec` command, are not the program), and no string constant in
   code is an installed program's id (a default program belongs to cli/).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from cec_rules.engine.program import installed_programs

ENGINE = Path(__file__).resolve().parent.parent / "engine"
FILES = sorted(ENGINE.rglob("*.py"))
WORDS = re.compile(r"noc|clb|teer|language|hours", re.IGNORECASE)
PROSE_WORDS = re.compile(r"noc|clb|teer|hours|(?<![\w`])languages?(?![\w`])(?P<generic>)|language", re.IGNORECASE)
REFERENCE_PAGE = "ruleset-language.md"
PROGRAM_NAME = re.compile(r"\bCEC\b")
CODE_TOKENS = (
    tokenize.NAME,
    tokenize.STRING,
    tokenize.OP,
    tokenize.NUMBER,
    *(
        getattr(tokenize, name)
        for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
        if hasattr(tokenize, name)
    ),
)


def _docstring_lines(source: str) -> set[int]:
    """The lines of every module, class and function docstring."""
    lines = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                lines.update(range(first.lineno, first.end_lineno + 1))
    return lines


def _parts(path: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(code tokens, prose) of a file, each with its line: prose is comments and docstrings."""
    source = path.read_text(encoding="utf-8")
    docstrings = _docstring_lines(source)
    code, prose = [], []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        line = token.start[0]
        if token.type == tokenize.COMMENT or (token.type == tokenize.STRING and line in docstrings):
            prose.append((line, token.string))
        elif token.type in CODE_TOKENS:
            code.append((line, token.string))
    return code, prose


def _where(path: Path, line: int, text: str) -> str:
    return f"{path.relative_to(ENGINE.parent)}:{line}: {text[:100]!r}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_engine_code_names_no_program_vocabulary(path):
    code, _ = _parts(path)
    found = [_where(path, line, text) for line, text in code if WORDS.search(text.replace(REFERENCE_PAGE, ""))]
    assert not found, "program words in engine/ code:\n" + "\n".join(found)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_engine_comments_use_only_generic_words(path):
    _, prose = _parts(path)
    found = [
        _where(path, line, match.group(0) + " in " + text.strip())
        for line, text in prose
        for match in PROSE_WORDS.finditer(text.replace(REFERENCE_PAGE, ""))
        if match.group("generic") is None
    ]
    assert not found, "program words in engine/ comments or docstrings:\n" + "\n".join(found)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ENGINE)))
def test_engine_names_no_program(path):
    code, prose = _parts(path)
    ids = set(installed_programs())
    named = [_where(path, line, text) for line, text in code + prose if PROGRAM_NAME.search(text)]
    constants = [_where(path, line, text) for line, text in code if text[:1] in "\"'" and _constant(text) in ids]
    assert not named + constants, "engine/ names a program:\n" + "\n".join(named + constants)


def _constant(token: str):
    try:
        return ast.literal_eval(token)
    except (ValueError, SyntaxError):
        return None


def test_the_rule_catches_what_it_is_for(tmp_path):
    """The scanner itself: a program's words in code or as part of a name in prose are found; the
    generic word is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Reasons in either language."""\nhours = 1  # the language_tests files\nLEVEL = "CLB"\n', encoding="utf-8"
    )
    code, prose = _parts(sample)
    assert [text for _, text in code if WORDS.search(text)] == ["hours", '"CLB"']
    assert [m.group(0) for _, text in prose for m in PROSE_WORDS.finditer(text) if m.group("generic") is None] == [
        "language"
    ]
