"""Bad applicant files get a one-line error naming the file, line and field (exit 2): never a crash, a hang,
or a value nobody wrote. One bad fixture per kind of trap: YAML's (aliases, tags, 1.1 numbers, nesting,
characters), JSON read as JSON, the size limits, and the country list."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given, strategies as st

from cec_rules.cli.main import cli
from cec_rules.engine.errors import InputError
from cec_rules.engine.yaml_source import MAX_DEPTH
from cec_rules.facts import limits as limits_module
from cec_rules.facts.limits import LISTS, NESTED, Limits, check_limits, walk_limits
from support import EXAMPLES

CEC = str(Path(sys.executable).with_name("cec"))
ELIGIBLE = json.dumps(__import__("yaml").safe_load((EXAMPLES / "eligible.yaml").read_text()), indent=2)


def _evaluate(path: Path, env: dict | None = None):
    result = CliRunner(env=env).invoke(cli, ["evaluate", str(path), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _error(path: Path, env: dict | None = None) -> str:
    """The one error line for a refused file (exit 2, no traceback)."""
    result = _evaluate(path, env)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}"), result.stderr
    return lines[0]


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_a_billion_laughs_file_is_refused_without_expanding_it(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    path = _write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    # A subprocess with a timeout: a regression would take a minute and gigabytes, not fail quietly.
    result = subprocess.run([CEC, "evaluate", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "alias" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("depth", [150, 1000])
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, depth):
    path = _write(tmp_path, "deep.yaml", "id: " + "[" * depth + "]" * depth + "\n")
    assert "nested deeper than 100 levels" in _error(path)


def test_deep_nesting_in_json_is_refused(tmp_path):
    path = _write(tmp_path, "deep.json", '{"id": ' + "[" * 1000 + "]" * 1000 + "}")
    assert "nested deeper than 100 levels" in _error(path)


@pytest.mark.parametrize(
    "value",
    ['!!python/object/apply:os.system ["echo owned"]', "!!python/object:x {a: 1}", "!!binary aGk=", "!custom x"],
)
def test_yaml_tags_are_refused(tmp_path, value):
    path = _write(tmp_path, "tag.yaml", f"id: {value}\n")
    message = _error(path)
    assert ":1: id: the YAML tag" in message and "is not allowed" in message


def test_non_utf8_bytes_name_the_line(tmp_path):
    path = _write(tmp_path, "latin1.yaml", "id: A-1\nintended_province: ON\nnote: caf\xe9\n".encode("latin-1"))
    assert _error(path) == f"error: {path}:3: not UTF-8 text: byte 0xe9 at column 10 (save the file as UTF-8)"


def test_a_nul_character_is_refused_with_its_line(tmp_path):
    path = _write(tmp_path, "nul.yaml", "id: A-1\nintended_province: O\0N\n")
    assert _error(path) == f"error: {path}:2: not valid YAML: character U+0000 is not allowed in YAML text"


@pytest.mark.parametrize("literal", ["2:30", "0x28", "050", "0b101000", "1_000"])
def test_yaml_11_number_forms_are_refused_not_silently_converted(tmp_path, literal):
    path = _write(
        tmp_path,
        "hours.yaml",
        (EXAMPLES / "eligible.yaml").read_text().replace("hours_per_week: 40", f"hours_per_week: {literal}"),
    )
    message = _error(path)
    assert (
        "work_history[0].hours_per_week" in message and "YAML 1.1 number form" in message and repr(literal) in message
    )


@pytest.mark.parametrize("literal", ["2:30", "0x28", "050", "0b101000", "NaN", "Infinity"])
def test_json_files_are_read_as_json(tmp_path, literal):
    path = _write(tmp_path, "a.json", ELIGIBLE.replace('"hours_per_week": 40', f'"hours_per_week": {literal}'))
    assert ELIGIBLE.count('"hours_per_week": 40') == 1
    message = _error(path)
    assert "not valid JSON" in message and f"{path}:22:" in message


def test_a_json_exponent_is_a_number(tmp_path):
    plain = _evaluate(_write(tmp_path, "plain.json", ELIGIBLE))
    exponent = _evaluate(
        _write(tmp_path, "exp.json", ELIGIBLE.replace('"hours_per_week": 40', '"hours_per_week": 4e1'))
    )
    assert plain.exit_code == exponent.exit_code == 0
    assert json.loads(exponent.stdout)["derived"] == json.loads(plain.stdout)["derived"]


def test_a_4301_digit_integer_is_an_input_error(tmp_path):
    path = _write(tmp_path, "big.json", ELIGIBLE.replace('"hours_per_week": 40', '"hours_per_week": ' + "1" * 4301))
    assert "work_history[0].hours_per_week: a number written with 4,301 characters" in _error(path)


def test_json_duplicate_keys_are_refused_with_both_lines(tmp_path):
    path = _write(
        tmp_path, "dup.json", ELIGIBLE.replace('"admissible": true', '"admissible": true,\n  "admissible": false')
    )
    message = _error(path)
    assert "admissible: duplicate key 'admissible' (first defined on line" in message


def test_json_errors_name_the_line_of_the_field(tmp_path):
    path = _write(tmp_path, "paid.json", ELIGIBLE.replace('"paid": true', '"paid": "yes"'))
    line = ELIGIBLE[: ELIGIBLE.index('"paid"')].count("\n") + 1
    assert _error(path).startswith(f"error: {path}:{line}: work_history[0].paid:")


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    data = json.loads(ELIGIBLE)
    path = _write(tmp_path, "big.json", json.dumps(dict(data, id="x" * 3000)))
    message = _error(path, env={"CEC_MAX_RECORD_BYTES": "2000"})
    assert "larger than the limit of 2,000 bytes per applicant (CEC_MAX_RECORD_BYTES)" in message


def test_a_fifty_megabyte_id_is_an_input_error(tmp_path):
    data = json.loads(ELIGIBLE)
    path = _write(tmp_path, "huge.json", json.dumps(dict(data, id="x" * (50 << 20))))
    result = subprocess.run([CEC, "evaluate", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "CEC_MAX_RECORD_BYTES" in result.stderr


def test_a_long_string_is_refused_with_its_field(tmp_path):
    data = json.loads(ELIGIBLE)
    path = _write(tmp_path, "long.json", json.dumps(dict(data, id="x" * 257), indent=1))
    assert (
        _error(path)
        == f"error: {path}:2: id: text of 257 characters is longer than the limit of 256 (CEC_MAX_STRING_CHARS)"
    )
    assert _evaluate(path, env={"CEC_MAX_STRING_CHARS": "300"}).exit_code == 0


@pytest.mark.parametrize(
    "field, variable", [("work_history", "CEC_MAX_WORK_PERIODS"), ("language_tests", "CEC_MAX_LANGUAGE_TESTS")]
)
def test_too_many_periods_or_tests_are_refused(tmp_path, field, variable):
    data = json.loads(ELIGIBLE)
    path = _write(tmp_path, "many.json", json.dumps(dict(data, **{field: data[field] * 3})))
    assert f"{field}: 3 entries is more than the limit of 2 ({variable})" in _error(path, env={variable: "2"})


def test_too_many_other_employers_of_a_job_offer_are_refused(tmp_path):
    offer = {"noc_version": "2021", "noc_code": "72200", "full_time": True, "duration_months": 12, "lmia": True}
    data = dict(json.loads(ELIGIBLE), job_offer=dict(offer, other_employers=[offer] * 3))
    path = _write(tmp_path, "offers.json", json.dumps(data))
    assert "job_offer.other_employers: 3 entries is more than the limit of 2 (CEC_MAX_OTHER_ENTRIES)" in _error(
        path, env={"CEC_MAX_OTHER_ENTRIES": "2"}
    )


def test_a_bad_limit_setting_is_a_clear_error(tmp_path):
    path = _write(tmp_path, "a.json", ELIGIBLE)
    result = _evaluate(path, env={"CEC_MAX_STRING_CHARS": "lots"})
    assert (
        result.exit_code == 2 and "CEC_MAX_STRING_CHARS: must be a positive whole number, got 'lots'" in result.stderr
    )


@pytest.mark.parametrize(
    "code, hint",
    [("XX", ""), ("UK", " (did you mean 'GB'?)"), ("ca", " (did you mean 'CA'?)"), ("Canada", " (did you mean 'CA'?)")],
)
def test_unknown_country_codes_are_refused(tmp_path, code, hint):
    path = _write(tmp_path, "c.json", ELIGIBLE.replace('"country": "CA"', f'"country": "{code}"', 1))
    assert (
        f"work_history[0].country: unknown country code {code!r}{hint}; expected an ISO 3166-1 alpha-2 code"
        in _error(path)
    )


def test_every_country_in_the_list_is_accepted_and_foreign_work_still_does_not_count(tmp_path):
    path = _write(tmp_path, "fr.json", ELIGIBLE.replace('"country": "CA"', '"country": "FR"', 1))
    result = _evaluate(path)
    assert result.exit_code == 0 and json.loads(result.stdout)["eligible"] is False


def test_a_4301_digit_integer_in_yaml_is_an_input_error(tmp_path):
    text = (EXAMPLES / "eligible.yaml").read_text().replace("hours_per_week: 40", "hours_per_week: " + "1" * 4301)
    assert "work_history[0].hours_per_week: a number written with 4,301 characters" in _error(
        _write(tmp_path, "big.yaml", text)
    )


# --- check_limits' fast yes (facts/limits.py `_mapping_within`) says yes exactly when the walk finds nothing ---------

_LIMITS = st.builds(
    Limits,
    string_chars=st.sampled_from([29, 30, 40]),
    work_periods=st.integers(1, 3),
    study_periods=st.integers(1, 3),
    language_tests=st.integers(1, 3),
    other_entries=st.integers(1, 3),
)  # (29: the longest name in LISTS)


@st.composite
def _near_the_limits(draw, limits: Limits, odd=st.nothing()):
    """A record whose texts, keys, whole numbers and lists are often just within or just over `limits`."""
    chars = limits.string_chars
    text = st.one_of(*[st.text(max_size=3)] * 5, st.text(min_size=chars - 1, max_size=chars + 1))
    whole = st.integers(-5, 5) | st.sampled_from([10**18 - 1, 10**18, -(10**18), 1 - 10**18])
    keys = st.sampled_from(sorted(LISTS) + list(NESTED) + ["id", "a"]) | text
    value = st.recursive(
        st.none() | st.booleans() | st.floats(allow_nan=False) | whole | text | odd,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=12,
    )
    lists = st.dictionaries(st.sampled_from(sorted(LISTS)), st.lists(value, max_size=4), max_size=2)
    nested = st.dictionaries(st.sampled_from(NESTED), lists | st.lists(lists, max_size=2) | value, max_size=2)
    return {**draw(st.dictionaries(keys, value, max_size=3)), **draw(nested), **draw(lists)}


def _walk_message(data, limits) -> str | None:
    try:
        walk_limits(data, "r", limits)
    except InputError as exc:
        return str(exc)
    return None


def _check_message(data, limits) -> str | None:
    try:
        check_limits(data, "r", limits)
    except InputError as exc:
        return str(exc)
    return None


@given(
    _LIMITS.flatmap(lambda limits: st.tuples(st.just(limits), _near_the_limits(limits))),
    st.sampled_from([2, 3, MAX_DEPTH]),
)
@example((Limits(work_periods=3), {"spouse": {"work_history": [1, 2, 3, 4]}}), MAX_DEPTH)
@example((Limits(other_entries=1), {"job_offer": {"other_employers": [{}, {}]}, "education": [1]}), MAX_DEPTH)
@example((Limits(), {"a": [[[]]]}), 2)
@example((Limits(), {"a": {"b": {"c": {}}}}), 2)
def test_the_fast_yes_of_the_limits_agrees_with_the_walk(limited, depth):
    limits, record = limited
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(limits_module, "MAX_DEPTH", depth)  # shallow limits too, so that hypothesis reaches them
        expected = _walk_message(record, limits)
        assert limits_module._mapping_within(record, 0, True, limits, set()) is (expected is None)
        assert (
            _check_message(record, limits) == expected
        )  # with the keys already seen (the cache of each limit on text)


class _Text(str):
    pass


@given(st.data(), _LIMITS)
def test_the_fast_yes_leaves_values_json_does_not_give_to_the_walk(data, limits):
    """A subclass of text, a date, bytes, a key that is not text (YAML gives some of those): the walk decides."""
    odd = st.sampled_from([_Text("x" * 50), dt.date(2026, 1, 1), {1: "a"}, {("k",): 1}, b"x" * 50])
    record = data.draw(_near_the_limits(limits, odd))
    if limits_module._mapping_within(record, 0, True, limits, set()):
        assert _walk_message(record, limits) is None
