"""Rendering reason templates: `{alias.field}`, `{param.name}` and `{param.name.key}` (one entry of a table
parameter) placeholders, shown for people.

Values are formatted by the field's declared type: dates (integers YYYYMMDD inside the engine) as ISO
dates, measures (what a program's `formats` maps to "measure": a field type, or a word of a parameter's
unit) with thousands separators and at most two decimals, lists joined with commas.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal

MEASURE = "measure"  # a number shown grouped, with at most two decimals, even when it is an integer
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)(?:\.([a-z0-9_]+))?\}")
PARAM_KEY = re.compile(r"[a-z0-9_]+")  # a table parameter's key as `{param.NAME.KEY}` names it (engine/validator.py)


def format_value(value, kind: str | None = None, lang: str = "en") -> str:
    """Show one value, with the number conventions of `lang`.

    Examples:
        >>> format_value(20261101, "date"), format_value(1559.5714, "measure"), format_value(1560.0)
        ('2026-11-01', '1,559.57', '1,560')
        >>> format_value(1559.5714, "measure", "fr"), format_value(True, lang="fr")
        ('1\\u202f559,57', 'oui')
    """
    if kind == "date" and isinstance(value, int):
        text = str(value)
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if isinstance(value, bool):
        return {"en": ("yes", "no"), "fr": ("oui", "non")}[lang][0 if value else 1]
    if isinstance(value, str):
        return value
    if isinstance(value, float) or (isinstance(value, int) and kind == MEASURE):
        text = f"{value:,.0f}" if value == int(value) else f"{_truncated(value):,.2f}"
        return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text
    if isinstance(value, list):
        return ", ".join(format_value(v, None, lang) for v in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{format_value(k, None, lang)} \u2192 {format_value(v, None, lang)}" for k, v in value.items()
        )
    return str(value)


def fill_parameters(
    text: str, parameters: dict, units: dict[str, str], lang: str = "en", formats: dict | None = None
) -> str:
    """A criterion description with its `{param.NAME}` placeholders filled, so the number shown is the one
    the rules use (a changed threshold cannot leave a stale number in the description).

    Examples:
        >>> fill_parameters("At least {param.span} days", {"span": 1560}, {"span": "days"}, "fr", {"days": "measure"})
        'At least 1\u202f560 days'
    """
    return compile_template(text, {}, {}, units, lang, formats)({}, parameters)


def worded(facts: dict[str, dict], words: dict[str, str] | None, lang: str) -> dict[str, dict]:
    """Matched facts (alias -> fact) with FIELD__lang beside each text field whose whole value the ruleset's
    `words` for `lang` give (a text a derivation writes in English, such as an ability's name), unless the
    fact has its own translation: a reason rendered in `lang` then shows the words.

    Examples:
        >>> worded({"r": {"ability": "listening", "n": 5}}, {"listening": "compréhension de l'oral"}, "fr")
        {'r': {'ability': 'listening', 'n': 5, 'ability__fr': "compréhension de l'oral"}}
    """
    if not words:
        return facts
    suffix, shown = f"__{lang}", {}
    for alias, fact in facts.items():
        extra = (
            {
                name + suffix: words[value]
                for name, value in fact.items()
                if type(value) is str and value in words and name + suffix not in fact
            }
            if isinstance(fact, dict)
            else None
        )
        shown[alias] = {**fact, **extra} if extra else fact
    return shown


def _truncated(value: float) -> Decimal:
    """Two decimals, rounded toward zero: 1,559.9986 shows as 1,559.99, never as a 1,560.00 it does not reach.

    Examples:
        >>> str(_truncated(1559.9986)), str(_truncated(1559.57))
        ('1559.99', '1559.57')
    """
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def render(
    template: str,
    matched: dict[str, dict],
    aliases: dict[str, str],
    parameters: dict,
    field_types: dict[str, dict],
    units: dict[str, str],
    lang: str = "en",
    formats: dict | None = None,
) -> str:
    """Fill a reason template once (explanations); rules firing per applicant use `compile_template`."""
    return compile_template(template, aliases, field_types, units, lang, formats)(matched, parameters)


def compile_template(
    template: str,
    aliases: dict[str, str],
    field_types: dict[str, dict],
    units: dict[str, str],
    lang: str = "en",
    formats: dict | None = None,
    parameters: dict | None = None,
):
    """`render` with the placeholders' kinds looked up once: a function of (matched facts, parameters).

    Rules fire for every applicant; their templates are known when the ruleset is compiled. `formats` is
    the program's (a field type or a unit word -> an engine format, e.g. "measure"). With `parameters`
    (a compiled ruleset's, fixed for it), the `{param.…}` placeholders are filled now, once, and the
    function's own `parameters` argument is not read."""
    formats = formats or {}
    fields, literal = [], ""
    for text, head, name, key in _parts(template):
        literal += text
        if head is None:
            continue
        if head == "param":
            kind = unit_format(units.get(name, ""), formats)
            shown = _shown_now(parameters, name, key, kind, lang)
            if shown is not None:
                literal += shown
                continue
            fields.append((literal, head, name, key, _shower(kind, lang)))
        else:
            declared = field_types.get(aliases.get(head, ""), {}).get(name)
            kind = formats.get(declared, declared)
            fields.append((literal, head, name, f"{name}__{lang}", _shower(kind, lang)))
        literal = ""
    return _filler(tuple(fields), literal, lang)


def _filler(fields: tuple, last: str, lang: str):
    """The fill function of a prepared template: its placeholders `fields` (literal text before, alias or
    'param', field or parameter, the translated field or the parameter's key (None: the whole parameter),
    how the value shows), then the literal text `last`. The usual case (English, every parameter already
    shown) takes the shortest loop."""
    if not fields:
        return lambda matched, parameters: last
    if lang == "en" and all(head != "param" for _, head, _, _, _ in fields):
        facts_only = tuple((text, head, name, show) for text, head, name, _, show in fields)

        def fill_facts(matched: dict[str, dict], parameters: dict) -> str:
            out = []
            for text, head, name, show in facts_only:
                out.append(text)
                try:  # (a matched fact is always a mapping)
                    value = matched[head][name]
                except KeyError:
                    value = "?"
                out.append(value if type(value) is str else show(value))  # text, most values, shows as is
            out.append(last)
            return "".join(out)

        return fill_facts
    localized = lang != "en"

    def fill(matched: dict[str, dict], parameters: dict) -> str:
        out = []
        for text, head, name, translated, show in fields:
            out.append(text)
            if head == "param":
                value = parameter_value(parameters, name, translated)
            else:
                fact = matched.get(head, _NO_FACT)
                value = fact.get(translated, fact.get(name, "?")) if localized else fact.get(name, "?")
            out.append(value if type(value) is str else show(value))
        out.append(last)
        return "".join(out)

    return fill


_NO_FACT: dict = {}


def parameter_value(parameters: dict, name: str, key: str | None):
    """What `{param.NAME}` (key None) or `{param.NAME.KEY}` shows: the parameter, or its table's entry whose
    key reads KEY (a key written as a number in YAML too: `{param.levels.0}`); "?" when it has none.

    Examples:
        >>> levels = {"levels": {"listening": 5, 0: 7}}
        >>> parameter_value(levels, "levels", "listening"), parameter_value(levels, "levels", "0"), parameter_value(levels, "levels", "x")
        (5, 7, '?')
    """
    value = parameters.get(name)
    if key is None:
        return value
    if isinstance(value, dict):
        for entry, item in value.items():
            if str(entry) == key:
                return item
    return "?"


def _shown_now(parameters: dict | None, name: str, key: str | None, kind: str | None, lang: str) -> str | None:
    """Parameter `name` (or its entry `key`) shown, when `parameters` are given and it shows without error
    (a value that cannot be shown fails when the template is filled, as it would without `parameters`)."""
    if parameters is None:
        return None
    try:
        return format_value(parameter_value(parameters, name, key), kind, lang)
    except Exception:
        return None


def _shower(kind: str | None, lang: str):
    """`format_value` for one placeholder, with its kind and language fixed: a function of the value. The
    usual values (whole numbers, dates, measures) take a shorter way to the same text."""
    if kind == "date":

        def show_date(value) -> str:
            if type(value) is int:
                text = _DATES.get(value)
                if text is None:
                    text = _date_text(value)
                return text
            return show(value)

    def show(value) -> str:
        kind_of = type(value)
        if kind_of is int and plain_int:
            return str(value)
        if kind_of is float:
            text = _float_text(value)
            if text is not None:
                return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text
        return format_value(value, kind, lang)

    plain_int = kind not in ("date", MEASURE)
    return show_date if kind == "date" else show


_DATES: dict[int, str] = {}  # YYYYMMDD -> its ISO text: a population's reasons show a few thousand distinct days
_DATES_KEPT = 20_000


def _date_text(value: int) -> str:
    """`format_value`'s text of a date (an int YYYYMMDD), kept for the next reason that shows it."""
    text = str(value)
    text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if len(_DATES) >= _DATES_KEPT:
        _DATES.clear()
    _DATES[value] = text
    return text


def _float_text(value: float) -> str | None:
    """`format_value`'s text of a float (English), without its Decimal, for a float from 1e-4 up to 1e16,
    which Python writes without an exponent: a whole number shows grouped, another is truncated to two
    decimals, which is a cut of its shortest representation (what Decimal(repr(value)) holds); and zero.
    None: any other float (format_value decides).

    Examples:
        >>> _float_text(1559.5714285714284), _float_text(1560.0), _float_text(0.5), _float_text(1234567.891)
        ('1,559.57', '1,560', '0.50', '1,234,567.89')
        >>> _float_text(-1.5), _float_text(0.0), _float_text(float("nan"))
        (None, '0', None)
    """
    if not 1e-4 <= value < 1e16:
        return f"{value:,.0f}" if value == 0.0 else None  # (a measure of zero is common)
    text = repr(value)
    point = text.index(".")
    if point == len(text) - 2 and text[-1] == "0":  # a whole number: 1560.0
        return f"{value:,.0f}"
    whole = (
        text[:point]
        if point <= 3
        else text[: point - 3] + "," + text[point - 3 : point]
        if point <= 6
        else f"{int(text[:point]):,}"
    )
    decimals = text[point + 1 : point + 3]
    return f"{whole}.{decimals}" if len(decimals) == 2 else f"{whole}.{decimals}0"


def unit_format(unit: str, formats: dict) -> str | None:
    """The format of a parameter with this `unit`: that of the first name in `formats` the unit contains.

    Examples:
        >>> unit_format("days per week", {"days": "measure"}), unit_format("points", {"days": "measure"})
        ('measure', None)
    """
    return next((kind for word, kind in formats.items() if word in unit), None)


def placeholders(text: str) -> list[tuple[str, str, str | None]]:
    """(alias or 'param', field or parameter, key or None) of each `{…}` placeholder in `text`, read with the
    same pattern rendering uses (engine/references.py and engine/pattern_cache.py read templates with it).
    A key after a fact's field is listed too; rendering leaves such a text as it is.

    Examples:
        >>> placeholders("{f.total} of {param.least}; {param.levels.0}, {f.a.b}")
        [('f', 'total', None), ('param', 'least', None), ('param', 'levels', '0'), ('f', 'a', 'b')]
    """
    return [(head, name, key or None) for head, name, key in _PLACEHOLDER.findall(text)]


_PARSED: dict[str, list[tuple[str, str | None, str | None, str | None]]] = {}


def _parts(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """The template split once into (literal text, alias or 'param', field, a parameter's key or None)
    parts, then cached. A key after a fact's field (`{alias.field.key}`) is not a placeholder: it stays
    text, and engine/validator.py reports it."""
    parts = _PARSED.get(template)
    if parts is None:
        parts, position = [], 0
        for match in _PLACEHOLDER.finditer(template):
            head, name, key = match.groups()
            if key is not None and head != "param":
                continue
            parts.append((template[position : match.start()], head, name, key))
            position = match.end()
        parts.append((template[position:], None, None, None))
        _PARSED[template] = parts
    return parts
