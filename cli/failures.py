"""The one way commands report a user's error: `error: ...` on stderr, exit 2 (invalid rulesets or input)."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from cec_rules.engine.errors import CecError, RulesetErrors


@contextmanager
def exit_on_cec_errors(rulesets_context: str = ""):
    """Turn a `RulesetErrors` (every problem listed) or another `CecError` into a message and exit code 2."""
    try:
        yield
    except RulesetErrors as exc:
        click.echo(
            f"error: the rulesets are not valid{rulesets_context} ({len(exc.problems)} problem(s)):\n{exc}", err=True
        )
        sys.exit(2)
    except CecError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
