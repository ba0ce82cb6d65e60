"""A new edition added as YAML only (the policy-editing guide's worked example) takes effect on its date."""

import shutil
from pathlib import Path

from click.testing import CliRunner

from cec_rules.cli.main import cli
from cec_rules.engine.library import bundled_root

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _copy_rulesets(tmp_path: Path) -> Path:
    target = tmp_path / "rulesets"
    shutil.copytree(bundled_root(), target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return target


def _add_2027_edition(root: Path) -> None:
    """Exactly the steps of docs/policy-editing.md: copy, rename, raise TEER 2/3 to CLB 6, close the old one."""
    current = root / "cec" / "2022-11-16" / "ruleset.yaml"
    new_dir = root / "cec" / "2027-01-01"
    new_dir.mkdir()
    text = current.read_text()
    text = text.replace(
        'edition: "2022-11-16"\neffective_from: "2022-11-16"', 'edition: "2027-01-01"\neffective_from: "2027-01-01"'
    )
    text = text.replace('value: {"0": 7, "1": 7, "2": 5, "3": 5}', 'value: {"0": 7, "1": 7, "2": 6, "3": 6}')
    (new_dir / "ruleset.yaml").write_text(text)
    current.write_text(current.read_text().replace("effective_to: null", 'effective_to: "2026-12-31"', 1))


def _evaluate(root: Path, as_of: str) -> dict:
    import json

    result = CliRunner().invoke(
        cli,
        [
            "evaluate",
            str(EXAMPLES / "eligible-teer3-clb5.yaml"),
            "--rulesets",
            str(root),
            "--as-of",
            as_of,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_new_edition_applies_from_its_date_and_not_before(tmp_path):
    root = _copy_rulesets(tmp_path)
    _add_2027_edition(root)

    before = _evaluate(root, "2026-12-31")
    after = _evaluate(root, "2027-01-01")

    assert before["ruleset"]["edition"] == "2022-11-16" and before["eligible"] is True
    assert after["ruleset"]["edition"] == "2027-01-01" and after["eligible"] is False
    language = next(c for c in after["criteria"] if c["id"] == "language_proficiency")
    assert language["met"] is False and "CLB 6" in language["reason"]


def test_new_edition_is_listed_on_the_timeline(tmp_path):
    root = _copy_rulesets(tmp_path)
    _add_2027_edition(root)
    result = CliRunner().invoke(cli, ["rulesets", "list", "--rulesets", str(root)])
    assert result.exit_code == 0
    assert "2022-11-16 to 2026-12-31" in result.stdout
    assert "2027-01-01 to (no end)" in result.stdout


def test_forgetting_to_close_the_old_edition_is_an_overlap(tmp_path):
    root = _copy_rulesets(tmp_path)
    _add_2027_edition(root)
    old = root / "cec" / "2022-11-16" / "ruleset.yaml"
    old.write_text(old.read_text().replace('effective_to: "2026-12-31"', "effective_to: null"))
    result = CliRunner().invoke(cli, ["rulesets", "validate", str(root)])
    assert result.exit_code == 2
    assert "rulesets/cec/2027-01-01/ruleset.yaml:" in result.stderr
    assert "overlap" in result.stderr


def test_dated_parameter_values_change_a_threshold_on_their_date(tmp_path):
    """OpenFisca-style `values:` inside an edition: 1,560 hours until 2027-06-30, 1,000 from 2027-07-01."""
    root = _copy_rulesets(tmp_path)
    edition = root / "cec" / "2022-11-16" / "ruleset.yaml"
    text = edition.read_text()
    assert "    unit: hours\n    value: 1560\n" in text
    edition.write_text(
        text.replace(
            "    unit: hours\n    value: 1560\n",
            '    unit: hours\n    values:\n      "2022-11-16": 1560\n      "2027-07-01": 1000\n',
        )
    )
    import json

    applicant = tmp_path / "part-time.json"  # 2026-01-05 to 2027-02-28 at 20 h/week: 60 weeks, 1,200 hours
    applicant.write_text(
        json.dumps(
            {
                "id": "DATED",
                "application_date": "2027-07-01",
                "intended_province": "ON",
                "language_tests": [
                    {
                        "test": "celpip_general",
                        "date": "2027-01-10",
                        "listening": 9,
                        "reading": 9,
                        "writing": 9,
                        "speaking": 9,
                    }
                ],
                "work_history": [
                    {
                        "noc_code": "21231",
                        "noc_version": 2021,
                        "country": "CA",
                        "start": "2026-01-05",
                        "end": "2027-02-28",
                        "hours_per_week": 20,
                        "paid": True,
                        "self_employed": False,
                        "authorized": True,
                    }
                ],
            }
        )
    )

    def decide(as_of: str) -> dict:
        result = CliRunner().invoke(
            cli, ["evaluate", str(applicant), "--rulesets", str(root), "--as-of", as_of, "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    before, after = decide("2027-06-30"), decide("2027-07-01")
    experience = lambda d: next(c for c in d["criteria"] if c["id"] == "skilled_work_experience")
    assert experience(before)["met"] is False and "at least 1,560 needed" in experience(before)["reason"]
    assert experience(after)["met"] is True and "at least 1,000 needed" in experience(after)["reason"]
