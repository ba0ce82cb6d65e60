"""Re-dating test cases so that they run under another edition and still mean the same thing.

Why: a case is pinned to its edition by its dates (`as_of`, else `application_date`). When a new edition
starts on DATE, the copied cases must move on or after DATE, and the previous edition's cases dated on or
after DATE must move back before it; otherwise they test the wrong edition (or fail on `expect.edition`).

A case is moved as a whole: every date in it (facts, expectations, and the comments that explain it) is
shifted by the same offset, so windows, validity limits and week boundaries keep their relation. Offsets are
tried in this order, nearest first within each kind:
- whole calendar years that keep every date of the case on the same weekday (the case's calendar is
  unchanged: month-days for windows and validity, weekdays for ISO weeks; 28 years always does);
- other whole calendar years (same month and day; a 29 February only moves to another leap year);
- whole weeks (same weekday and ISO-week position).
Each candidate is checked by running the moved case against the target edition: the first that lands in
the edition and passes is kept. A case no offset can move (it is about a fixed date, such as the day a
rule of the edition starts to apply) is left out of the copy as a commented block, or, in the edition it
belongs to, left as it was; both are reported.

Case files are edited as text, case by case, so that the comments beside each case are kept (and re-dated).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .cases import load_cases, run_case

DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
ITEM = re.compile(r"^- ")
MAX_YEARS = 28  # the Gregorian calendar repeats weekdays and leap years every 28 years (1901-2099)


@dataclass
class Redated:
    """What happened to one case: "kept" (already in the edition), "moved" (`shift` says how: "+5 years",
    "-104 weeks"), "left out" (of a copy, as a commented block) or "stuck" (could not be moved)."""

    file: Path
    name: str
    status: str
    shift: str | None = None


@dataclass(frozen=True)
class Shift:
    years: int = 0
    weeks: int = 0

    def apply(self, day: dt.date) -> dt.date:
        """Raises ValueError for a 29 February moved to a year without one."""
        return day.replace(year=day.year + self.years) + dt.timedelta(weeks=self.weeks)

    def __str__(self) -> str:
        count, unit = (self.years, "year") if self.years else (self.weeks, "week")
        return f"{count:+d} {unit}{'s' if abs(count) != 1 else ''}"


def split_cases(text: str) -> tuple[str | None, list[str]]:
    """The file's header (None when there is none) and one text block per case (a case's comment lines
    directly above it belong to it)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if ITEM.match(line)]
    if not starts:
        return text, []
    cuts = []
    for start in starts:
        cut = start
        while cut > 0 and lines[cut - 1].startswith("#"):
            cut -= 1
        cuts.append(cut)
    blocks = ["\n".join(lines[a:b]) for a, b in zip(cuts, cuts[1:] + [len(lines)])]
    return ("\n".join(lines[: cuts[0]]) if cuts[0] else None), blocks


def shift_text(text: str, shift: Shift, keep: str | None = None) -> str:
    """Every valid date in `text` shifted; `edition: "<keep>"` lines are left to the caller."""

    def move(match: re.Match) -> str:
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return match[0]
        return shift.apply(day).isoformat()

    if keep is None:
        return DATE.sub(move, text)
    protected = re.split(rf"(edition:\s*[\"']?{re.escape(keep)}[\"']?)", text)
    return "".join(part if i % 2 else DATE.sub(move, part) for i, part in enumerate(protected))


def dates_in(text: str) -> list[dt.date]:
    """Every valid date written in `text`."""
    found = []
    for match in DATE.finditer(text):
        try:
            found.append(dt.date(int(match[1]), int(match[2]), int(match[3])))
        except ValueError:
            continue
    return found


def candidates(day: dt.date, start: dt.date, end: dt.date | None, dates: list[dt.date]) -> list[Shift]:
    """Offsets that move `day` into [start, end]. First those that keep every date's weekday and month-day
    (the case's calendar is unchanged), nearest first; then whole years; then whole weeks."""
    found = []
    for years in range(-MAX_YEARS, MAX_YEARS + 1):
        for shift in (Shift(years=years), *(Shift(weeks=round(years * 52.1775) + d) for d in (0, -1, 1))):
            try:
                moved = [shift.apply(d) for d in dates]
                landed = shift.apply(day)
            except ValueError:
                continue
            if start <= landed and (end is None or landed <= end) and shift not in found:
                found.append((shift, shift.years and all(m.weekday() == d.weekday() for m, d in zip(moved, dates))))
    return [
        shift for shift, _ in sorted(found, key=lambda f: (not f[1], f[0].weeks != 0, abs(f[0].years or f[0].weeks)))
    ]


class Redater:
    """Moves cases into one edition, checking each move with the target edition's evaluator."""

    def __init__(
        self, evaluator, program: str, edition: str, start: dt.date, end: dt.date | None, drop_unmovable: bool = False
    ):
        self.evaluator, self.program, self.edition, self.start, self.end = evaluator, program, edition, start, end
        self.drop_unmovable = drop_unmovable

    def redate_file(self, path: Path, source_edition: str, note: str) -> list[Redated]:
        """Rewrite `path` so each of its cases runs under the target edition; return what was done."""
        header, blocks = split_cases(path.read_text(encoding="utf-8"))
        results, texts = [], []
        for block in blocks:
            text, result = self._redate_block(path, block, source_edition, note)
            texts.append(text)
            results.append(result)
        shifts = {r.shift for r in results}
        if header is not None and len(shifts) == 1 and all(r.status == "moved" for r in results):
            header = shift_text(header, _parse(shifts.pop()))
        path.write_text("\n".join(([] if header is None else [header]) + texts), encoding="utf-8")
        return results

    def _redate_block(self, path: Path, block: str, source_edition: str, note: str) -> tuple[str, Redated]:
        renamed = self._rename(block, source_edition)
        day = _case_day(path, block)
        name = _case_name(block)
        if day is None or (self.start <= day and (self.end is None or day <= self.end)):
            return renamed, Redated(path, name, "kept")
        for shift in candidates(day, self.start, self.end, dates_in(block)):
            moved = shift_text(block, shift, keep=source_edition)
            moved = self._rename(moved, source_edition)
            if self._passes(path, moved):
                comment = f"# {note}: every date {shift} (`cec rulesets new-edition`)."
                return _add_comment(moved, comment), Redated(path, name, "moved", str(shift))
        if self.drop_unmovable:
            why = (
                f"# Left out by `cec rulesets new-edition`: no shift of this case's dates lands it in edition {self.edition} "
                f"and passes (it is about a fixed date); it stays in edition {source_edition}'s tests."
            )
            return "\n".join([why] + [f"# {line}" if line else "#" for line in block.split("\n")]), Redated(
                path, name, "left out"
            )
        return block, Redated(path, name, "stuck")

    def _rename(self, block: str, source_edition: str) -> str:
        """`expect.edition` names the target edition."""
        return re.sub(rf"(edition:\s*[\"']?){re.escape(source_edition)}([\"']?)", rf"\g<1>{self.edition}\g<2>", block)

    def _passes(self, path: Path, block: str) -> bool:
        with tempfile.TemporaryDirectory() as folder:
            probe = Path(folder) / path.name
            probe.write_text(block, encoding="utf-8")
            cases, problems = load_cases(probe)
            if problems or len(cases) != 1:
                return False
            result = run_case(cases[0], self.evaluator)
        return result.passed and result.ruleset == f"{self.program}/{self.edition}"


def _case_day(path: Path, block: str) -> dt.date | None:
    """The date that picks the case's edition: `as_of`, else the applicant's `application_date`."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / path.name
        probe.write_text(block, encoding="utf-8")
        cases, _ = load_cases(probe)
    if len(cases) != 1:
        return None
    case = cases[0].case
    if case.as_of is not None:
        return case.as_of
    try:
        return dt.date.fromisoformat(str((case.applicant or {}).get("application_date")))
    except ValueError:
        return None


def _case_name(block: str) -> str:
    match = re.search(r"^- name:\s*(.+)$", block, re.MULTILINE)
    return match[1].strip().strip("\"'") if match else "(unnamed)"


def _add_comment(block: str, comment: str) -> str:
    lines = block.split("\n")
    first = next(i for i, line in enumerate(lines) if ITEM.match(line))
    return "\n".join(lines[:first] + [comment] + lines[first:])


def _parse(text: str) -> Shift:
    count, unit = text.split()
    return Shift(years=int(count)) if unit.startswith("year") else Shift(weeks=int(count))
