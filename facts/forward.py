"""Advice on hours that looks forward from the assessment date: work not yet done cannot be in the past.

Why: the hours count in the years before the day the application is made, so the useful questions are
"from which day will my current job have brought me to the threshold?" and, failing that, "how long must I
work from now, and when can I apply then?". Work that already ended also falls out of the window as the
days pass; both answers are found by deciding the hours again on later days:
- a current (open-ended) qualifying job continues: the first day its hours, with the rest of the history,
  reach the minimum is "eligible if you apply on or after DATE";
- otherwise, a new job from the assessment date at the weekly cap, in the applicant's own skilled
  occupation where they have one: the first day it is enough gives its end (the day before) and the date
  to apply from.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Callable

from .advice import Advisor, Suggestion, _ceil_hundredth
from .applicant import Applicant, WorkPeriod
from .derive import experience

HORIZON_WEEKS = 53 * 3 + 2  # the window is at most 3 years; beyond it nothing already done counts


def more_hours(
    advisor: Advisor,
    applicant: Applicant,
    as_of: dt.date,
    noc,
    occupation: tuple[int, str, str],
    source: str,
    screen: Callable,
) -> Suggestion:
    """The date existing work reaches the minimum, or a job from `as_of` and the date to apply after it.
    `screen(person, day)` gives the screen rules' exclusions for that applicant assessed on that day."""
    params = advisor.params
    need = Fraction(str(params["min_qualifying_hours"]))
    state_on = lambda person, day: experience(person, day, noc, params, source, screen(person, day))
    hours_on = lambda person, day: state_on(person, day).total()
    suggestion = Suggestion("skilled_work_experience")
    now = state_on(applicant, as_of)
    for period in now.periods:
        if period.excluded is None and period.status.split:
            suggestion.text.append(
                advisor.say(
                    "unresolved_code", version=params["noc_version"], index=period.index, code=period.period.noc_code
                )
            )
    current = first_day(lambda day: hours_on(applicant, day) >= need, as_of + dt.timedelta(days=1))
    if current is not None:
        suggestion.text.append(advisor.say("apply_from", date=current.isoformat()))
        suggestion.changes.append({"op": "set", "path": "application_date", "value": current.isoformat()})
        return suggestion
    cap = float(now.cap)
    job = lambda end: _new_job(applicant, occupation, params, as_of, end, cap)
    day = first_day(lambda day: hours_on(job(day - dt.timedelta(days=1)), day) >= need, as_of + dt.timedelta(days=1))
    if day is None:
        suggestion.text.append(
            advisor.say(
                "hours_unreachable",
                hours=_ceil_hundredth(need - hours_on(applicant, as_of)),
                deadline=as_of.isoformat(),
            )
        )
        return suggestion
    end = day - dt.timedelta(days=1)
    version, code, title = occupation
    suggestion.text.append(
        advisor.say(
            "more_hours",
            hours=_ceil_hundredth(need - hours_on(applicant, day)),
            levels=advisor.say("levels_skilled"),
            deadline=day.isoformat(),
        )
    )
    suggestion.text.append(
        advisor.say(
            "example_period",
            weeks=-(-((end - as_of).days + 1) // 7),
            weekly_hours=cap,
            occupation=f"{code} {title}",
            start=as_of.isoformat(),
            end=end.isoformat(),
        )
    )
    suggestion.text.append(advisor.say("apply_from", date=day.isoformat()))
    suggestion.changes.append(
        {"op": "append", "path": "work_history", "value": _period_data(occupation, params, as_of, end, cap)}
    )
    suggestion.changes.append({"op": "set", "path": "application_date", "value": day.isoformat()})
    return suggestion


def first_day(reached, start: dt.date) -> dt.date | None:
    """The first day from `start` on which `reached(day)` holds: week by week, then day by day in the week."""
    previous = start - dt.timedelta(days=1)
    for week in range(HORIZON_WEEKS):
        day = start + dt.timedelta(weeks=week)
        if reached(day):
            for candidate in range(1, 7):
                earlier = previous + dt.timedelta(days=candidate)
                if earlier < day and reached(earlier):
                    return earlier
            return day
        previous = day
    return None


def _period_data(occupation: tuple[int, str, str], params: dict, start: dt.date, end: dt.date, cap: float) -> dict:
    version, code, _ = occupation
    return {
        "noc_code": code,
        "noc_version": version,
        "country": params["qualifying_work_countries"][0],
        "start": start.isoformat(),
        "end": end.isoformat(),
        "hours_per_week": cap,
        "paid": True,
        "self_employed": False,
        "authorized": True,
    }


def _new_job(applicant: Applicant, occupation, params: dict, start: dt.date, end: dt.date, cap: float) -> Applicant:
    period = WorkPeriod.model_validate(_period_data(occupation, params, start, end, cap))
    return applicant.model_copy(update={"work_history": [*applicant.work_history, period]})


def own_skilled_occupation(applicant: Applicant, state, noc, params: dict) -> tuple[int, str, str] | None:
    """The applicant's most recent occupation that is skilled under the edition (wherever and whenever the
    work was), so that the example is their own trade rather than an unrelated one."""
    skilled = [p for p in state.periods if p.status is not None and p.status.skilled and p.status.level is not None]
    if not skilled:
        return None
    latest = max(skilled, key=lambda p: (p.period.end or dt.date.max, p.period.start))
    version, code = latest.period.noc_version, latest.period.noc_code
    return version, code, noc.find(version, code).title
