"""2,000 applicants in a row through one Evaluator: more than durable-rules' 1,024 live sessions, so
sessions must be deleted after each decision, and no fact may leak from one applicant into another's.
"""

from __future__ import annotations

import datetime as dt

from support import applicant, day, job, lang

COUNT = 2000
PROVINCES = ["ON", "BC", "AB", "NS", "MB", "SK", "NB", "PE", "NL", "YT"]
FIRST_MONDAY = day("2023-11-06")
CLB6 = lang("ielts_general", "2025-06-01", 5.5, 5.0, 5.5, 5.5)


def variant(i: int) -> tuple[object, dict]:
    """Applicant `i` and what its decision must say. Work is in whole Monday-Sunday weeks under the cap."""
    kind = i % 4
    province = "QC" if kind == 2 else PROVINCES[i % len(PROVINCES)]
    weeks, hours = (20 + i % 20, 25) if kind == 1 else (60 + i % 50, 30)
    end = FIRST_MONDAY + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    fields = {
        "id": f"M-{i:04d}",
        "intended_province": province,
        "work_history": [job("21231", FIRST_MONDAY, end, hours)],
    }
    if kind == 3:
        fields["language_tests"] = [CLB6]
    unmet = {0: [], 1: ["skilled_work_experience"], 2: ["outside_quebec"], 3: ["language_proficiency"]}[kind]
    return applicant(**fields), {
        "id": fields["id"],
        "province": province,
        "hours": float(weeks * hours),
        "unmet": unmet,
    }


def test_two_thousand_applicants_each_get_their_own_decision(evaluator):
    for i in range(COUNT):
        person, expected = variant(i)
        decision = evaluator.evaluate(person, source=expected["id"])
        assert decision.applicant_id == expected["id"]
        assert decision.unmet == expected["unmet"], expected
        assert decision.derived["qualifying_hours"] == expected["hours"]
        assert expected["province"] in next(c.reason for c in decision.criteria if c.id == "outside_quebec")
        for step in decision.trace:
            for fact in step["facts"].values():
                if fact.get("t") == "applicant":
                    assert (fact["id"], fact["intended_province"]) == (expected["id"], expected["province"])
                elif fact.get("t") == "work_experience":
                    assert fact["qualifying_hours"] == expected["hours"]
        rules = [step["rule"] for step in decision.trace]
        assert len(rules) == len(set(rules)), f"{expected['id']}: a rule fired twice: {rules}"


def test_the_engine_runs_no_background_dispatch_thread(evaluator):
    """durable-rules' timer thread could run an applicant's pending action concurrently and lose a
    conclusion; the runtime's Host must not start it."""
    import threading
    import time

    from support import applicant

    evaluator.evaluate(applicant())
    time.sleep(0.3)  # the Host's first dispatch timer would have fired after 0.1 s
    host = evaluator.runtime._host
    assert host is not None and not hasattr(host, "_d_timer") and not hasattr(host, "_t_timer")
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]
