"""Educational credentials as the programs read them: Canadian or assessed, and an ECA's validity.

A foreign credential counts only with an educational credential assessment (ECA) less than
`eca_validity_years` old on the assessment date (IRPR 75(2)(e)(ii), 75(4): less than 5 years), read like
the language-result limit: valid when issued after the same calendar day that many years earlier.
"""

from __future__ import annotations

import datetime as dt

from .dates import years_before

CANADA = "CA"


def is_canadian(credential) -> bool:
    return credential.country == CANADA


def eca_valid(credential, as_of: dt.date, validity_years: int) -> bool:
    """Whether the credential's ECA was issued less than `validity_years` before `as_of` (and not after it)."""
    eca = credential.eca
    return eca is not None and years_before(as_of, validity_years) < eca.issued <= as_of


def recognized(credential, as_of: dt.date, validity_years: int) -> bool:
    """A Canadian credential, or a foreign one with a valid ECA: what a program may award or require."""
    return credential.completed <= as_of and (is_canadian(credential) or eca_valid(credential, as_of, validity_years))
