"""Rendering reason templates: `{alias.field}` and `{param.name}` placeholders, shown for people.

Values are formatted by the field's declared type: dates (integers YYYYMMDD inside the engine) as ISO
dates, measures (what a program's `formats` maps to "measure": a field type, or a word of a parameter's
unit) with thousands separators and at most two decimals, lists joined with commas.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, Decimal

MEASURE = "measure"  # a number shown grouped, with at most two decimals, even when it is an integer
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\}")


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
        return ", ".join(f"{format_value(k, None, lang)} \u2192 {format_value(v, None, lang)}" for k, v in value.items())
    return str(value)


def fill_parameters(text: str, parameters: dict, units: dict[str, str], lang: str = "en", formats: dict | None = None) -> str:
    """A criterion description with its `{param.NAME}` placeholders filled, so the number shown is the one
    the rules use (a changed threshold cannot leave a stale number in the description).

    Examples:
        >>> fill_parameters("At least {param.span} days", {"span": 1560}, {"span": "days"}, "fr", {"days": "measure"})
        'At least 1\u202f560 days'
    """
    return compile_template(text, {}, {}, units, lang, formats)({}, parameters)


def _truncated(value: float) -> Decimal:
    """Two decimals, rounded toward zero: 1,559.9986 shows as 1,559.99, never as a 1,560.00 it does not reach.

    Examples:
        >>> str(_truncated(1559.9986)), str(_truncated(1559.57))
        ('1559.99', '1559.57')
    """
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def render(template: str, matched: dict[str, dict], aliases: dict[str, str], parameters: dict, field_types: dict[str, dict],
           units: dict[str, str], lang: str = "en", formats: dict | None = None) -> str:
    """Fill a reason template once (explanations); rules firing per applicant use `compile_template`."""
    return compile_template(template, aliases, field_types, units, lang, formats)(matched, parameters)


def compile_template(template: str, aliases: dict[str, str], field_types: dict[str, dict], units: dict[str, str], lang: str = "en",
                     formats: dict | None = None):
    """`render` with the placeholders' kinds looked up once: a function of (matched facts, parameters).

    Rules fire for every applicant; their templates are known when the ruleset is compiled. `formats` is
    the program's (a field type or a unit word -> an engine format, e.g. "measure")."""
    formats = formats or {}
    parts = []
    for literal, head, name in _parts(template):
        if head == "param":
            kind = unit_format(units.get(name, ""), formats)
        else:
            declared = field_types.get(aliases.get(head, ""), {}).get(name) if head else None
            kind = formats.get(declared, declared)
        parts.append((literal, head, name, kind, f"{name}__{lang}"))

    def fill(matched: dict[str, dict], parameters: dict) -> str:
        out = []
        for literal, head, name, kind, translated in parts:
            out.append(literal)
            if head is None:
                continue
            if head == "param":
                out.append(format_value(parameters.get(name), kind, lang))
                continue
            fact = matched.get(head, {})
            value = fact.get(translated, fact.get(name, "?")) if lang != "en" else fact.get(name, "?")
            out.append(value if type(value) is str else format_value(value, kind, lang))  # text, most values, shows as is
        return "".join(out)

    return fill


def unit_format(unit: str, formats: dict) -> str | None:
    """The format of a parameter with this `unit`: that of the first name in `formats` the unit contains.

    Examples:
        >>> unit_format("days per week", {"days": "measure"}), unit_format("points", {"days": "measure"})
        ('measure', None)
    """
    return next((kind for word, kind in formats.items() if word in unit), None)


_PARSED: dict[str, list[tuple[str, str | None, str | None]]] = {}


def _parts(template: str) -> list[tuple[str, str | None, str | None]]:
    """The template split once into (literal text, alias or 'param', field) parts, then cached."""
    parts = _PARSED.get(template)
    if parts is None:
        parts, position = [], 0
        for match in _PLACEHOLDER.finditer(template):
            parts.append((template[position:match.start()], match.group(1), match.group(2)))
            position = match.end()
        parts.append((template[position:], None, None))
        _PARSED[template] = parts
    return parts
