"""From an applicant to the facts FST's rules match, for one edition and assessment date.

The derivation does the arithmetic and the table look-ups: the 5-year window, each work period's trade
under the edition (its NOC unit group, inside or outside the edition's trade groups), the hours per trade
with the weekly cap, which trades a certificate or the job offer name, the best language result against
the per-ability levels, and the settlement funds for the family size on the date. Every number, list
and table comes from the ruleset's parameters (`REQUIRED_PARAMETERS`); the rules decide the criteria.

Interpretations (docs/programs/fst.md): the "skilled trade specified in the application" is any trade
the applicant could name, so the rules look for one trade with both the hours and a certificate or a
qualifying offer; "after becoming qualified to practise it independently" cannot be read from the
input, so qualification is taken from the work history and the reason says so. Self-employed work under
`self_employment_counts: open` (IRCC's practice not confirmed, interpretation 4) is like a split code's: in
its trade's possible hours, never in the settled ones, with a `self_employed_work` fact for the question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from cec_rules.engine.errors import InputError
from cec_rules.engine.values import ValueSpec

from ..applicant import Applicant, WorkPeriod
from ..dates import as_int, years_before
from ..derive import (
    HOURS,
    HOURS_PER_WEEK,
    REQUIRED_PARAMETERS as CEC_PARAMETERS,
    YEARS,
    Derivation,
    exact_hours,
    round_down,
    float_not_above,
)
from ..funds import amount_or_dispute
from ..hours import capped_hours, clip
from ..language import ConvertedResult, assess_results, result_summary
from ..findings import finding, split_code
from ..occupations import OccupationClassifier, OccupationStatus, candidates_text, code_question_facts, describe
from ..readings import Countable, hours_by_group
from ..tables import ABILITIES, NocTables, Occupation
from ..vocabulary import COUNTRIES, PROVINCES_AND_TERRITORIES


def _group_codes(data) -> list[str]:
    """Every code prefix of 2 digits or more of the edition's classification: the groups a trade list may name."""
    units = data.tables.noc.units[data.parameters["noc_version"]]
    return sorted({code[:length] for code in units for length in range(2, len(code) + 1)})


LEVELS = ValueSpec(minimum=1, maximum=12, items=ABILITIES, non_empty=True, complete=True)
AMOUNTS = ValueSpec(minimum=0, maximum=10_000_000)

REQUIRED_PARAMETERS: dict[str, tuple] = {
    "experience_window_years": ("integer", "length of the window in which work counts", YEARS),
    "weekly_hours_cap": ("number", "most hours credited per ISO week in one trade", HOURS_PER_WEEK),
    "min_trade_hours": ("number", "hours needed in the specified trade (rules compare; values checked)", HOURS),
    "noc_version": CEC_PARAMETERS["noc_version"],
    "trade_groups": (
        "list",
        "NOC groups (code prefixes: major, sub-major, minor or unit group) whose unit groups are skilled trades",
        ValueSpec(items=_group_codes, non_empty=True),
    ),
    "excluded_trade_groups": (
        "list",
        "NOC groups (code prefixes) taken out of trade_groups",
        ValueSpec(items=_group_codes),
    ),
    "self_employment_counts": (
        "choice",
        'whether self-employed work counts toward the hours: true, false, or "open" (possible '
        "hours, not certain ones: decisive self-employed hours leave the criterion undetermined)",
        ValueSpec(items=(True, False, "open")),
    ),
    "authorization_required_in": (
        "list",
        "countries where work counts only when done with authorization",
        ValueSpec(items=COUNTRIES),
    ),
    "funds_exemption_work_countries": (
        "list",
        "where an authorized work period now makes the applicant 'authorized to work' for the funds exemption",
        ValueSpec(items=COUNTRIES, non_empty=True),
    ),
    "language_level_by_ability": ("table", "CLB/NCLC level needed in each ability", LEVELS),
    # what facts/language.py reads, as CEC declares it
    **{
        name: CEC_PARAMETERS[name]
        for name in ("language_validity_years", "accepted_language_tests", "language_results_accepted_from")
    },
    "settlement_funds_by_family_size": (
        "table",
        "funds needed by family size on the date (empty: amounts not known for that period)",
        AMOUNTS,
    ),
    "settlement_funds_each_additional_member": (
        "number",
        "funds needed for each member beyond the table's largest size",
        AMOUNTS,
    ),
    "settlement_funds_disputed_by_family_size": (
        "table",
        "where the sources disagree on the day the amounts took effect, the amounts "
        "in force if the later day is right (empty on other days)",
        AMOUNTS,
    ),
    "settlement_funds_disputed_each_additional_member": (
        "number",
        "the same for each member beyond the disputed table's largest size",
        AMOUNTS,
    ),
    "settlement_funds_dispute_days": (
        "table",
        "on those days, the day each source gives for the amounts (source -> ISO date; empty on other days)",
        ValueSpec(dates=True),
    ),
    "provinces_and_territories": (
        "list",
        "the two-letter codes an intended province or a certificate's province may take",
        ValueSpec(items=PROVINCES_AND_TERRITORIES, non_empty=True, complete=True),
    ),
    "excluded_provinces": CEC_PARAMETERS["excluded_provinces"],
}

FIELD_RELATIONS: dict[str, list[tuple[str, str]]] = {
    "work_experience": [
        ("most_hours", "most_possible_hours"),
        ("most_hours", "most_hours_every_reading"),
        ("most_hours_every_reading", "most_possible_hours"),
    ],
    "trade": [("hours", "possible_hours")],
    "backed_trade": [("hours", "possible_hours")],  # derived by the rules, copied from a trade fact
}


class TradeClassifier(OccupationClassifier):
    """A unit group "counts" when its code starts with one of the edition's trade groups and with none of
    its excluded groups (IRPR 87.2(1)); the rest (correspondence, splits) is the shared classifier's."""

    def __init__(self, tables: NocTables, version: int, groups: list, excluded: list):
        super().__init__(tables, version, [])
        self.groups, self.excluded = tuple(map(str, groups)), tuple(map(str, excluded))

    def is_skilled(self, occupation: Occupation) -> bool:
        return occupation.code.startswith(self.groups) and not occupation.code.startswith(self.excluded)


_CLASSIFIERS: dict[tuple, TradeClassifier] = {}


def trade_classifier(noc: NocTables, params: dict) -> TradeClassifier:
    """One classifier per edition's tables and trade groups, kept across applicants (it caches each code)."""
    key = (id(noc), params["noc_version"], tuple(params["trade_groups"]), tuple(params["excluded_trade_groups"]))
    if key not in _CLASSIFIERS:
        _CLASSIFIERS[key] = TradeClassifier(
            noc, params["noc_version"], params["trade_groups"], params["excluded_trade_groups"]
        )
    return _CLASSIFIERS[key]


@dataclass
class TradePeriod:
    """One work period: how its code stands under the edition, its days in the window, why it does not count."""

    index: int
    work: WorkPeriod
    status: OccupationStatus
    rate: Fraction
    intervals: list = field(default_factory=list)
    excluded: str | None = None
    doubted: bool = False  # counts only in the readings where its self-employment counts (self_employment_counts: open)

    @property
    def trades(self) -> tuple[Occupation, ...]:
        """The trades it may be in (one when its code settles the unit group)."""
        return tuple(c for c in self.status.candidates if c.code in self.status.skilled_candidates)

    @property
    def settled(self) -> bool:
        return self.excluded is None and not self.status.split and not self.doubted

    @property
    def unsettled(self) -> bool:
        return self.excluded is None and self.status.split


@dataclass
class Document:
    """A certificate of qualification or the job offer: the trade it names, when its code settles one."""

    where: str  # job_offer, job_offer.other_employers[i] or certificates_of_qualification[i]
    status: OccupationStatus
    counts: bool = True  # false: issued after the assessment date

    @property
    def trade(self) -> Occupation | None:
        status = self.status
        return status.candidates[0] if self.counts and not status.split and status.skilled else None

    @property
    def unsettled(self) -> bool:
        return self.counts and self.status.split and bool(self.status.skilled_candidates)

    @property
    def trades(self) -> tuple[Occupation, ...]:
        """The trades its code may name (one when the code settles it)."""
        return tuple(c for c in self.status.candidates if c.code in self.status.skilled_candidates)


def derive(
    applicant: Applicant, as_of: dt.date, edition, params: dict, source: str, translations: bool = False
) -> Derivation:
    """All FST facts for one applicant; raises `InputError` for codes, tests or provinces the data does not know.
    With `translations`, the documents' description also in French (`described__fr`, from the ruleset's `words`)."""
    tables = edition.tables
    _check_province(applicant.intended_province, "intended_province", params, source)
    classifier = trade_classifier(tables.noc, params)
    window = (years_before(as_of, params["experience_window_years"]), as_of - dt.timedelta(days=1))
    findings: list[str] = []
    periods = [
        _period(i, w, as_of, window, classifier, params, source, findings) for i, w in enumerate(applicant.work_history)
    ]
    offers = _offers(applicant, classifier, source)
    certificates = _certificates(applicant, as_of, classifier, params, source, findings)
    cap = exact_hours(params["weekly_hours_cap"])
    hours, possible = _hours_by_trade(periods, cap)
    trades = _trade_facts(hours, possible, _offer_trade(offers), certificates)
    results, valid = assess_results(applicant.language_tests, as_of, tables.language_tests, params, source)
    best = _best(valid, params["language_level_by_ability"])
    funds = _funds_facts(applicant, params)
    every_reading = _hours_in_every_reading(periods, hours, cap)
    facts = [
        _applicant_fact(applicant, as_of, params),
        _experience_fact(window, hours, possible, periods, every_reading, translations),
        *trades,
        _documents_fact(offers, certificates, applicant, edition.ruleset.words.get("fr") if translations else None),
        *funds,
    ]
    facts += [_question(f"work_history[{p.index}]", p.status) for p in periods if p.unsettled]
    facts += [_self_employed_fact(p, possible, translations) for p in periods if p.doubted]
    facts += _split_documents(offers, certificates, possible, translations)
    if offers:
        facts.append(_offer_fact(applicant.job_offer, offers))
    if best is not None:
        facts.append(_language_fact(best, params["language_level_by_ability"]))
    derived = {
        "window": {"start": window[0].isoformat(), "end": window[1].isoformat()},
        "trades": _trade_summaries(trades, hours, possible),
        "periods": [_period_summary(p, cap) for p in periods],
        "language_results": results,
        "best_language_result": result_summary(best) if best else None,
        "funds": _funds_summary(funds),
        "authorized_in_canada": facts[0]["authorized_in_canada"],
        "findings": findings,
    }
    return Derivation(facts, derived, findings)


def _check_province(code: str, where: str, params: dict, source: str) -> None:
    if code not in params["provinces_and_territories"]:
        raise InputError(
            source,
            where,
            f"{code!r} is not a province or territory code; known: {', '.join(params['provinces_and_territories'])}",
        )


def _status(classifier: TradeClassifier, version: int, code: str, where: str, source: str) -> OccupationStatus:
    reported = classifier.tables.find(version, code)
    if reported is None:
        raise InputError(source, where, f"unknown NOC {version} code {code!r}")
    return classifier.status(reported)


def _period(index: int, work: WorkPeriod, as_of: dt.date, window, classifier, params, source, findings) -> TradePeriod:
    period = TradePeriod(
        index,
        work,
        _status(classifier, work.noc_version, work.noc_code, f"work_history[{index}].noc_code", source),
        exact_hours(work.hours_per_week),
    )
    period.excluded = _exclusion(work, params) or _timing(period, as_of, window) or _trade_exclusion(period.status)
    period.doubted = period.excluded is None and work.self_employed and params["self_employment_counts"] == "open"
    if period.unsettled:
        findings.append(split_code(f"work_history[{index}]", period.status))
    return period


def _exclusion(work: WorkPeriod, params: dict) -> str | None:
    """Why a period does not count whatever its occupation, or None."""
    if not work.paid:
        return "unpaid work is not work"
    if work.self_employed and params["self_employment_counts"] is False:
        return "self-employment does not count (self_employment_counts)"
    if not work.authorized and work.country in params["authorization_required_in"]:
        return f"work in {work.country} without authorization does not count"
    return None


def _timing(period: TradePeriod, as_of: dt.date, window) -> str | None:
    work = period.work
    if work.start >= as_of:
        return "starts on or after the assessment date, so it never counts"
    inside = clip(
        (work.start.toordinal(), (work.end or window[1]).toordinal()), (window[0].toordinal(), window[1].toordinal())
    )
    period.intervals = [inside] if inside else []
    return None if inside else "outside the counting window"


def _trade_exclusion(status: OccupationStatus) -> str | None:
    if not status.candidates:
        return "the NOC code has no counterpart in the edition's classification"
    if not status.skilled_candidates:
        return (
            f"{describe(status.reported)} is not in a skilled trade group of this edition"
            if not status.via
            else f"{candidates_text(status)}: not in a skilled trade group of this edition"
        )
    return None


def _offers(applicant: Applicant, classifier, source: str) -> list[Document]:
    """One document per employer of the job offer (none without an offer): `job_offer`, then each of
    `job_offer.other_employers` (87.2(3)(d): up to two employers)."""
    offer = applicant.job_offer
    if offer is None:
        return []
    wheres = ["job_offer", *(f"job_offer.other_employers[{i}]" for i in range(len(offer.other_employers)))]
    return [
        Document(where, _status(classifier, o.noc_version, o.noc_code, f"{where}.noc_code", source))
        for where, o in zip(wheres, offer.employers)
    ]


def _offer_trade(offers: list[Document]) -> Occupation | None:
    """The trade of the job offer: the one trade every employer's offer names (None: none, or different ones)."""
    trades = {d.trade for d in offers}
    return next(iter(trades)) if len(trades) == 1 else None


def _certificates(applicant: Applicant, as_of: dt.date, classifier, params, source, findings) -> list[Document]:
    documents = []
    for index, cert in enumerate(applicant.certificates_of_qualification):
        where = f"certificates_of_qualification[{index}]"
        _check_province(cert.province, f"{where}.province", params, source)
        document = Document(
            where,
            _status(classifier, cert.noc_version, cert.noc_code, f"{where}.noc_code", source),
            counts=cert.issued <= as_of,
        )
        if not document.counts:
            findings.append(finding("issued_late", where=where, issued=cert.issued, as_of=as_of))
        documents.append(document)
    return documents


def _hours_by_trade(periods: list[TradePeriod], cap: Fraction) -> tuple[dict, dict]:
    """(settled hours, possible hours) per trade: a split period may be any of its trades, so it adds to
    each one's possible hours; the weekly cap applies within each trade."""
    settled = [p for p in periods if p.settled]
    hours = hours_by_group([_countable(p) for p in settled], [p.trades[0] for p in settled], cap)
    possible = {}
    for trade in {t for p in periods if p.excluded is None for t in p.trades}:
        members = [p for p in periods if p.excluded is None and trade in p.trades]
        possible[trade] = capped_hours([(i, p.rate) for p in members for i in p.intervals], cap)
    return hours, possible


def _countable(period: TradePeriod) -> Countable:
    return Countable(period.index, tuple(period.intervals), period.rate, period.trades, False)


def _hours_in_every_reading(
    periods: list[TradePeriod], hours: dict, cap: Fraction
) -> tuple[Fraction, TradePeriod | None]:
    """The most hours one trade has in every reading of the split codes, and the split period that gives them
    (None: a settled trade does). A period whose split code has only trades as counterparts is in one trade
    whichever it is, so that trade has at least the period's hours with the settled periods of that trade,
    the fewest over its counterparts (IRPR 87.2(3)(b) is then met in every reading; which trade stays open)."""
    best, source = max(hours.values(), default=Fraction(0)), None
    for period in periods:
        if period.unsettled and period.status.skilled and not period.doubted:
            least = min(_hours_as(period, trade, periods, cap) for trade in period.trades)
            if least > best:
                best, source = least, period
    return best, source


def _hours_as(period: TradePeriod, trade: Occupation, periods: list[TradePeriod], cap: Fraction) -> Fraction:
    """The hours of `trade` if the split `period` is that trade: its own with the trade's settled periods."""
    members = [p for p in periods if p is period or (p.settled and p.trades[0] == trade)]
    return capped_hours([(i, p.rate) for p in members for i in p.intervals], cap)


def _trade_facts(
    hours: dict, possible: dict, offer_trade: Occupation | None, certificates: list[Document]
) -> list[dict]:
    """One fact per trade with hours or named by a document (`offer_trade`: the job offer's, `_offer_trade`)."""
    named = {d.trade for d in certificates if d.trade} | ({offer_trade} if offer_trade else set())
    facts = []
    for trade in sorted(set(possible) | named, key=lambda o: o.code):
        facts.append(
            {
                "t": "trade",
                "noc_code": trade.code,
                "noc_version": trade.version,
                "title": trade.title,
                "hours": float_not_above(hours.get(trade, Fraction(0))),
                "possible_hours": float_not_above(possible.get(trade, Fraction(0))),
                "certificate": any(d.trade == trade for d in certificates),
                "offer": offer_trade == trade,
            }
        )
    return facts


def _applicant_fact(applicant: Applicant, as_of: dt.date, params: dict) -> dict:
    return {
        "t": "applicant",
        "id": applicant.id,
        "as_of": as_int(as_of),
        "intended_province": applicant.intended_province,
        "admissible": applicant.admissible,
        "authorized_in_canada": _authorized_now(applicant, as_of, params),
    }


def _authorized_now(applicant: Applicant, as_of: dt.date, params: dict) -> bool:
    """Interpretation of "authorized to work in Canada" (87.2(5)): an authorized work period in Canada that is
    still running on the assessment date (`end: null`, or an end on or after it), as FSW reads 76(1)(b)(ii).
    A period that ended the day before shows a job that is over, not a permit that still runs."""
    return any(
        w.authorized
        and w.country in params["funds_exemption_work_countries"]
        and w.start <= as_of
        and (w.end is None or w.end >= as_of)
        for w in applicant.work_history
    )


def _experience_fact(
    window, hours: dict, possible: dict, periods: list[TradePeriod], every_reading: tuple, translations: bool
) -> dict:
    top = min(hours.items(), key=lambda kv: (-kv[1], kv[0].code), default=None)
    least, source = every_reading
    fact = {
        "t": "work_experience",
        "window_start": as_int(window[0]),
        "window_end": as_int(window[1]),
        "most_hours": float_not_above(top[1]) if top else 0.0,
        "most_possible_hours": float_not_above(max(possible.values(), default=Fraction(0))),
        "most_hours_trade": f"{top[0].code} {top[0].title}" if top else "none",
        "unsettled_periods": sum(1 for p in periods if p.unsettled),
        "most_hours_every_reading": float_not_above(least),
        "every_reading_work": f"work_history[{source.index}]: {candidates_text(source.status)}" if source else "",
    }
    if translations and source:
        fact["every_reading_work__fr"] = f"work_history[{source.index}] : {candidates_text(source.status, 'fr')}"
    return fact


def _offer_fact(given, offers: list[Document]) -> dict:
    """The job offer as a whole: its terms hold when every employer's offer has them (durable-rules has no
    "for all"), its length is the shortest employer's, and `employers` lets the rules bound their number."""
    first = offers[0].status
    occupation = first.candidates[0] if len(first.candidates) == 1 else first.reported
    terms = given.employers
    lengths = [o.duration_months for o in terms if o.duration_months is not None]
    return {
        "t": "job_offer",
        "noc_code": occupation.code,
        "title": occupation.title,
        "in_trade": _offer_trade(offers) is not None,
        "lmia": all(o.lmia for o in terms),
        "full_time": all(o.full_time for o in terms),
        "open_ended": not lengths,
        "duration_months": min(lengths, default=0),
        "employers": len(terms),
    }


def _documents_fact(
    offers: list[Document], certificates: list[Document], applicant: Applicant, french: dict | None = None
) -> dict:
    """What the documents are, for the offer-or-certificate reasons; with the ruleset's French `words`, also
    in French (`described__fr`, each phrase its word: a reason shows it instead of the English)."""
    fact = {"t": "documents", "described": _described(offers, certificates, applicant)}
    if french is not None and (offers or certificates):  # (no document at all: the words give the whole text)
        fact["described__fr"] = _described(offers, certificates, applicant, french, "fr")
    return fact


def _described(
    offers: list[Document],
    certificates: list[Document],
    applicant: Applicant,
    words: dict | None = None,
    lang: str = "en",
) -> str:
    """`job offer as NOC 2021 72410 … (TEER 2) (LMIA or exemption: yes, full-time: no, 24 months); certificate
    of qualification as …`: each phrase in `words` (English -> the language's) when given."""
    say = (lambda phrase: words.get(phrase, phrase)) if words else (lambda phrase: phrase)
    parts = []
    for offer, given in zip(offers, applicant.job_offer.employers if offers else []):
        length = say("no end date") if given.duration_months is None else f"{given.duration_months} {say('months')}"
        parts.append(
            f"{say('job offer as')} {describe(offer.status.reported, lang)} ({say('LMIA or exemption:')} {say(_yes(given.lmia))}, "
            f"{say('full-time:')} {say(_yes(given.full_time))}, {length})"
        )
    parts += [
        f"{say('certificate of qualification as')} {describe(d.status.reported, lang)}"
        + ("" if d.counts else f" ({say('issued after the assessment date')})")
        for d in certificates
    ]
    return "; ".join(parts) or "no job offer and no certificate of qualification"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _question(where: str, status: OccupationStatus) -> dict:
    """What the input leaves open about a work period's split code: the field to give, and why."""
    return {"t": "unresolved_code", "field": f"{where}.noc_code", **code_question_facts(status, where)}


def _self_employed_fact(period: TradePeriod, possible: dict, translations: bool) -> dict:
    """A self-employed period whose hours are possible, not certain (self_employment_counts: open): the field
    that says it is self-employed, the work in words (with `translations`, also in French), and the most hours
    a trade it may be in could have."""
    work, where = period.work, f"work_history[{period.index}]"
    fact = {
        "t": "self_employed_work",
        "field": f"{where}.self_employed",
        "work": f"{where}: {describe(period.status.reported)}, from {work.start.isoformat()}"
        + (f" to {work.end.isoformat()}" if work.end else ""),
        "possible_hours": float_not_above(max(possible.get(t, Fraction(0)) for t in period.trades)),
    }
    if translations:
        fact["work__fr"] = f"{where} : {describe(period.status.reported, 'fr')}, du {work.start.isoformat()}" + (
            f" au {work.end.isoformat()}" if work.end else ""
        )
    return fact


def _split_documents(
    offers: list[Document], certificates: list[Document], possible: dict, translations: bool
) -> list[dict]:
    """One fact per split code of a document that may be for a trade: what the code may mean, whether it names a
    trade in every reading, and the most hours a trade it may name could have. The job offer is read as a whole:
    it is for a trade only when every employer's offer is for that same trade, so a split code of one employer
    leaves open only the trades every employer may name (none: the offer backs no trade in any reading)."""
    facts = [
        _split_document(d, d.trades, False, d.status.skilled is True, possible, translations)
        for d in certificates
        if d.unsettled
    ]
    if any(d.unsettled for d in offers):
        common = set.intersection(*(set(d.trades) for d in offers))
        every = len(offers) == 1 and offers[0].status.skilled is True
        facts += [
            _split_document(d, common, True, every, possible, translations) for d in offers if d.unsettled and common
        ]
    return facts


def _split_document(document: Document, trades, offer: bool, every: bool, possible: dict, translations: bool) -> dict:
    """The fact of one split code (`trades`: what the document may be for; `every`: a trade in every reading)."""
    fact = {
        "t": "split_document",
        "field": f"{document.where}.noc_code",
        "offer": offer,
        "every_reading_a_trade": every,
        "possible_hours": float_not_above(max(possible.get(t, Fraction(0)) for t in trades)),
        "code": candidates_text(document.status),
        **code_question_facts(document.status, document.where),
    }
    if translations:
        fact["code__fr"] = candidates_text(document.status, "fr")
    return fact


def _best(valid: list[ConvertedResult], required: dict) -> ConvertedResult | None:
    """The result closest to (or furthest above) the per-ability levels; the later one on a tie."""
    return max(valid, key=lambda r: (_margin(r, required)[0], r.date), default=None)


def _margin(result: ConvertedResult, required: dict) -> tuple[int, str]:
    """(smallest level minus the level required, the ability where it is smallest)."""
    ability = min(ABILITIES, key=lambda a: result.levels[a] - required[a])
    return result.levels[ability] - required[ability], ability


def _language_fact(result: ConvertedResult, required: dict) -> dict:
    margin, ability = _margin(result, required)
    return {
        "t": "language_result",
        "test": result.test.test,
        "test_title": result.test.title,
        "language": result.test.language,
        "level_name": result.test.level_name,
        "date": as_int(result.date),
        **result.levels,
        "margin": margin,
        "weakest_ability": ability,
        "weakest_level": result.levels[ability],
        "weakest_required": required[ability],
    }


def _funds_facts(applicant: Applicant, params: dict) -> list[dict]:
    """Funds given, and (when the family size and the table in force on the date are known) funds needed; on a
    day where the sources disagree on the amounts in force, funds between the two get a `funds_dispute` fact
    instead (facts/funds.py: the same reading as FSW's)."""
    table = params["settlement_funds_by_family_size"]
    size = applicant.family_size
    facts = [
        {
            "t": "funds",
            "funds_given": applicant.settlement_funds is not None,
            "family_size_given": size is not None,
            "amounts_known": bool(table),
            "available": float(applicant.settlement_funds or 0),
        }
    ]
    if size is not None and table:
        amount, dispute = amount_or_dispute(size, applicant.settlement_funds, params)
        facts.append(dispute or {"t": "funds_needed", "amount": float(amount), "family_size": size})
    return facts


def _funds_summary(facts: list[dict]) -> dict:
    needed = facts[1] if len(facts) > 1 else {}
    return {
        "available": facts[0]["available"] if facts[0]["funds_given"] else None,
        "required": needed.get("amount"),
        "family_size": needed.get("family_size"),
        "amounts_known": facts[0]["amounts_known"],
    }


def _trade_summaries(trades: list[dict], hours: dict, possible: dict) -> list[dict]:
    """The trades as the decision shows them, most settled hours first; hours exact, rounded down to 2 decimals."""
    exact = {o.code: (hours.get(o, Fraction(0)), possible.get(o, Fraction(0))) for o in {*hours, *possible}}
    shown = []
    for fact in trades:
        settled, upper = exact.get(fact["noc_code"], (Fraction(0), Fraction(0)))
        shown.append(
            {
                "noc_code": fact["noc_code"],
                "noc_version": fact["noc_version"],
                "title": fact["title"],
                "hours": round_down(settled),
                "possible_hours": round_down(upper),
                "certificate": fact["certificate"],
                "offer": fact["offer"],
            }
        )
    return sorted(shown, key=lambda t: (-t["hours"], -t["possible_hours"], t["noc_code"]))


def _period_summary(p: TradePeriod, cap: Fraction) -> dict:
    counted = None if p.unsettled or p.doubted else p.excluded is None
    hours = capped_hours([(i, p.rate) for i in p.intervals], cap) if p.excluded is None else Fraction(0)
    return {
        "index": p.index,
        "noc_code": p.work.noc_code,
        "noc_version": p.work.noc_version,
        "title": p.status.reported.title,
        "trades": [f"{t.version} {t.code}" for t in p.trades] if p.excluded is None else [],
        "counted": counted,
        "excluded": p.excluded,
        "hours": round_down(hours),
    }
