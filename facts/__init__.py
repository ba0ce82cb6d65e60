"""Applicant facts: the input model, and the derivations (hours, occupations, language levels) that
turn an applicant into the facts the rules match. Every number they use comes from the ruleset."""
