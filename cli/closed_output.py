"""A reader that stops reading is not an error: `cec evaluate … | head -1` exits quietly with 141.

When the program reading standard output closes it (`head`, `less` quit early, a consumer that died), the
next write raises BrokenPipeError. Click turns that into exit 1, which the CLI contract reserves for an
internal error. Well-behaved Unix tools stop there without a message, and the shell reports a tool that
SIGPIPE ended as 128 + 13 = 141; `cec` exits with that code (as Ctrl-C gives 130), so a script still sees
that not every output line was delivered, and `set -o pipefail` treats it like any other producer cut off
by `head`. Standard output is pointed at /dev/null first, so the flush at interpreter exit of what is
still buffered cannot print "Exception ignored … BrokenPipeError".
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import click

EXIT_READER_GONE = 141  # 128 + SIGPIPE


@contextmanager
def quiet_when_reader_gone():
    """Run a command (or its argument parsing, where --help and --version print): a closed standard output
    ends it with exit 141 and nothing on stderr."""
    try:
        yield
    except BrokenPipeError:
        _silence_stdout()
        raise click.exceptions.Exit(EXIT_READER_GONE) from None


def _silence_stdout() -> None:
    """What is still buffered for standard output goes nowhere, without an error at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (
        OSError,
        ValueError,
        AttributeError,
    ):  # no file descriptor (a test's captured output): nothing buffered there
        pass
