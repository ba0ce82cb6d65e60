"""`cec`: evaluate applicants, validate and list rulesets.

Exit codes: 0 decided (eligible or not) / valid; 2 bad input or invalid rulesets; 1 internal error;
141 standard output closed by its reader (`| head`), quietly (cli/closed_output.py).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from cec_rules.engine.errors import CecError, EngineError, InputError, RulesetErrors
from cec_rules.engine.each_program import EachProgram
from cec_rules.engine.evaluator import load_bundled_or
from cec_rules.engine.yaml_source import locate
from cec_rules.facts.reading import read_data_with_positions

from .closed_output import quiet_when_reader_gone
from .programs import chosen_programs, program_option
from .render import decision_json, decision_text, language_option
from .version import version_option

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1


class IsoDate(click.ParamType):
    """A YYYY-MM-DD date option."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date in the form YYYY-MM-DD", param, ctx)


rulesets_option = click.option(
    "--rulesets",
    "rulesets_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder laid out like the repository's rulesets/, used instead of the bundled rulesets.",
)


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _library(rulesets_dir: Path | None, only: Path | None = None, strict: bool = False):
    """Load a rulesets folder, or exit 2 listing every problem (of the file `only`, when given) with a path
    that opens from the current folder. A program whose rulesets have problems is unavailable while the
    others load: `strict` (validate) exits 2 listing its problems too; other commands warn in one line."""
    try:
        library = load_bundled_or(rulesets_dir)
    except RulesetErrors as exc:
        _exit_on_problems(exc.problems, rulesets_dir, only)
        return None
    if strict or only is not None:
        _exit_on_problems([p for found in library.unavailable.values() for p in found], rulesets_dir, only)
    else:
        for program, found in sorted(library.unavailable.items()):
            click.echo(
                f"warning: program {program} is unavailable: {len(found)} problem(s) in its rulesets (cec rulesets validate)",
                err=True,
            )
    return library


def _exit_on_problems(found: list, rulesets_dir: Path | None, only: Path | None) -> None:
    """Exit 2 printing `found` (those of the file `only`, when given); return when there are none."""
    from .paths import openable_problems

    problems = openable_problems(found, rulesets_dir, only)
    if not problems:
        return
    click.echo(f"error: the rulesets are not valid ({len(problems)} problem(s)):", err=True)
    click.echo("\n".join(problems), err=True)
    sys.exit(EXIT_BAD_INPUT)


def _recorder(url: str, library):
    """The decision record at `url`, tables created or upgraded (exit 2 when it cannot be opened)."""
    from cec_rules.service.records import Recorder
    from cec_rules.service.store import DecisionStore

    try:
        store = DecisionStore(url)
        store.migrate()
    except CecError as exc:
        _fail(str(exc), EXIT_BAD_INPUT)
    click.get_current_context().call_on_close(store.close)
    return Recorder(store, library)


def _recording(record_url: str | None) -> dict:
    """Batch options that make every worker store its decisions (the record is opened here first, so a bad
    URL is one error before any work, not one reject per record)."""
    if not record_url:
        return {}
    from cec_rules.service.batch_record import RECORDING_DECIDER

    _recorder(record_url, None)
    return {"decider": RECORDING_DECIDER, "decider_options": (record_url,)}


class _LazyGroup(click.Group):
    """Commands that live in their own modules are imported on first use, so `cec evaluate` starts
    without importing what explain, diff, schema and test need (a cold start is mostly imports)."""

    _more_registered = False

    def _register_more(self) -> None:
        if not self._more_registered:
            self._more_registered = True
            _register_command_modules(self)

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None:
            self._register_more()
            command = super().get_command(ctx, name)
        return command

    def list_commands(self, ctx):
        self._register_more()
        return super().list_commands(ctx)

    def make_context(self, *args, **kwargs):
        with quiet_when_reader_gone():  # `cec --help | head -1`
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with quiet_when_reader_gone():  # every command's output, and its --help
            return super().invoke(ctx)


@click.group(cls=_LazyGroup)
@version_option
def cli() -> None:
    """Decide Express Entry eligibility from declarative YAML rulesets: the Canadian Experience Class by
    default, any installed program with --program P, or every program in force with --program all."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--as-of", type=IsoDate(), help="Assess on this date instead of each applicant's application_date.")
@rulesets_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json: one object per line, the output contract.",
)
@language_option("the reasons and the text")
@click.option(
    "--record",
    "record_url",
    metavar="URL",
    help="Also store each decision (in English) in this decision record: sqlite:///FILE or postgresql://…; its id goes to stderr.",
)
@program_option()
def evaluate(
    files: tuple[Path, ...],
    as_of: dt.date | None,
    rulesets_dir: Path | None,
    output_format: str,
    language: str,
    record_url: str | None,
    program: str,
) -> None:
    """Decide each applicant FILE (JSON or YAML). JSON output is one object per line.

    With --program all, one decision per program in force on the assessment date (CEC, FSW, FST, CRS, then
    the pool); a program that cannot decide is an error on stderr while the others still decide."""
    library = _library(rulesets_dir)
    deciders = EachProgram(library, chosen_programs(library, program), translations=language != "en")
    recorder = _recorder(record_url, library) if record_url else None
    bad = 0
    for path in files:
        positions = None
        try:
            data, positions = read_data_with_positions(path)
            results = deciders.decide(data, str(path), as_of)
        except InputError as exc:
            click.echo(f"error: {locate(exc, positions)}", err=True)
            bad += 1
            continue
        except EngineError as exc:
            _fail(f"{path}: internal error: {exc}", EXIT_INTERNAL)
        for result in results:
            shown = _shown(result, deciders, recorder, path, as_of, language, positions)
            if shown is None:
                bad += 1
            else:
                click.echo(decision_json(shown) if output_format == "json" else decision_text(shown, language))
    if bad:
        sys.exit(EXIT_BAD_INPUT)


def _shown(result, deciders: EachProgram, recorder, path: Path, as_of: dt.date | None, language: str, positions):
    """One program's decision recorded (when asked) and in the reader's language; None after printing
    why the program could not decide."""
    try:
        if result.error is not None:
            raise result.error
        evaluator, applicant, decision = deciders.evaluators[result.program], result.applicant, result.decision
        if recorder:
            record_id = (
                recorder.record(evaluator, applicant, decision, decision_json(decision))
                if language == "en"
                else recorder.record_english(applicant, as_of, str(path), result.program)
            )
            click.echo(f"{path}: record {record_id}", err=True)
        return evaluator.plugin.translate(evaluator, decision, applicant, as_of, str(path), language)
    except InputError as exc:
        click.echo(f"error: {locate(exc, positions)}", err=True)
    except EngineError as exc:
        _fail(f"{path}: internal error: {exc}", EXIT_INTERNAL)
    return None


EXIT_REJECTS = 3


@cli.command(short_help="Decide a file or folder of applicants in parallel, resumably, with a rejects file.")
@click.argument("input_path", metavar="INPUT")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Decisions, in input order (- for standard output; then --rejects is required).",
)
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default: CPU count).")
@click.option("--as-of", type=IsoDate(), help="Assess every applicant on this date instead of its application_date.")
@rulesets_option
@click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Records that could not be decided (default: OUTPUT.rejects.jsonl).",
)
@click.option(
    "--summary",
    "summary_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the summary as JSON here.",
)
@click.option("--resume", is_flag=True, help="Continue a run that was interrupted, from its last checkpoint.")
@click.option("--restart", is_flag=True, help="Start over, discarding the checkpoint of an interrupted run.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one decision per line (the output contract); csv: one row per applicant, with a reasons column.",
)
@language_option("the reasons in the output")
@click.option(
    "--csv-rejects",
    is_flag=True,
    help="With --format csv: also write each rejected record as a row with its error, so the CSV has every input row.",
)
@click.option(
    "--record",
    "record_url",
    metavar="URL",
    help="Also store each decision (in English) in this decision record: sqlite:///FILE or postgresql://…",
)
@program_option(
    all_help="all: one decision line per program in force for each applicant (JSON Lines only), and counts per program."
)
def batch(
    input_path,
    output,
    workers,
    as_of,
    rulesets_dir,
    rejects,
    summary_path,
    resume,
    restart,
    output_format,
    csv_rejects,
    language,
    record_url,
    program,
) -> None:
    """Decide every applicant of INPUT: JSON Lines (- for stdin), a JSON array, or a folder of files.

    \b
    Exit codes:
      0    every record decided
      3    some records rejected (see the rejects file)
      2    unreadable input or invalid rulesets
      1    fatal internal error
      130  interrupted (Ctrl-C): what was decided is kept; run again with --resume
      141  with -o -: the reader closed standard output (| head); the rejects
           found until then are in REJECTS.partial
    """
    import json
    import os

    from cec_rules.engine.batch.run import BatchOptions, run_batch
    from cec_rules.engine.batch.summary import summary_text

    if resume and restart:
        _fail(
            "--resume and --restart exclude each other: --resume finishes the interrupted run, --restart discards it",
            EXIT_BAD_INPUT,
        )
    if str(output) == "-" and rejects is None:
        _fail(
            "with -o - (decisions on standard output) give --rejects FILE for the records that cannot be decided",
            EXIT_BAD_INPUT,
        )
    options = BatchOptions(
        input_path,
        output,
        rejects or output.with_name(output.name + ".rejects.jsonl"),
        workers or os.cpu_count() or 1,
        as_of.isoformat() if as_of else None,
        str(rulesets_dir) if rulesets_dir else None,
        resume,
        output_format,
        csv_rejects=csv_rejects,
        lang=language,
        restart=restart,
        programs=_batch_programs(rulesets_dir, program),
        **_recording(record_url),
    )
    try:
        doc = run_batch(options)
    except KeyboardInterrupt:
        _fail(
            f"interrupted; what was decided is kept: run the same command with --resume to finish {options.output}", 130
        )
    except RulesetErrors as exc:
        _fail(f"the rulesets are not valid ({len(exc.problems)} problem(s)):\n{exc}", EXIT_BAD_INPUT)
    except CecError as exc:
        _fail(str(exc), EXIT_BAD_INPUT)
    click.echo(summary_text(doc), err=True)
    if summary_path:
        summary_path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    if doc["rejected"]:
        click.echo(f"batch: {doc['rejected']:,} record(s) rejected: see {options.rejects}", err=True)
        sys.exit(EXIT_REJECTS)


def _batch_programs(rulesets_dir: Path | None, program: str) -> tuple[str, ...]:
    """The programs a batch decides: the one named, or every usable one for `all` (each unavailable one
    named in a warning). Invalid rulesets are left for the batch to report."""
    try:
        library = load_bundled_or(rulesets_dir)
    except RulesetErrors:
        return (program,)
    chosen = chosen_programs(library, program)
    if len(chosen) == 1:
        return tuple(chosen)
    for name in chosen:
        if name in library.unavailable:
            click.echo(
                f"warning: program {name} is unavailable: {len(library.unavailable[name])} problem(s) in its rulesets (cec rulesets validate)",
                err=True,
            )
    return tuple(name for name in chosen if name in library.programs)


@cli.group()
def rulesets() -> None:
    """Inspect and check ruleset folders."""


@rulesets.command(short_help="Check a rulesets folder or one ruleset.yaml; each problem as file:line:col.")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def validate(path: Path | None) -> None:
    """Check the rulesets folder PATH, or one ruleset.yaml (default: the bundled rulesets).

    Each problem is printed as file:line:col: key.path: message, with a path that opens from the current folder.
    """
    from .paths import from_here, rulesets_root_of_file

    if path is not None and path.is_file():
        root = rulesets_root_of_file(path)
        _library(root, only=path)  # exits 2 when this file has problems; others' problems are not its own
        click.echo(f"ok: {from_here(path)} is valid")
        return
    library = _library(path, strict=True)
    count = sum(len(editions) for editions in library.programs.values())
    click.echo(f"ok: {count} edition(s) in {from_here(library.root)} are valid")


@rulesets.command(name="list", short_help="Every program's editions: dates in force, sha256, file; problems.")
@rulesets_option
def list_rulesets(rulesets_dir: Path | None) -> None:
    """Show every program's timeline: its editions, the dates each is in force, the first 12 hex digits of
    its sha256 (what decisions cite) and its file, in the order `--program all` decides them.

    A program whose rulesets have problems is shown as unavailable, with its problems."""
    from cec_rules.engine.each_program import program_order

    from .paths import openable_problems

    library = _library(rulesets_dir)
    for program in program_order(library):
        found = library.unavailable.get(program)
        if found:
            click.echo(f"{program}: unavailable, {len(found)} problem(s) in its rulesets (cec rulesets validate)")
            click.echo("\n".join(f"  {line}" for line in openable_problems(found, rulesets_dir, None)))
            continue
        click.echo(f"{program}:")
        for edition in library.programs[program]:
            ruleset = edition.ruleset
            until = ruleset.effective_to.isoformat() if ruleset.effective_to else "(no end)"
            click.echo(
                f"  {ruleset.edition}  {ruleset.effective_from} to {until}  sha256 {edition.sha256[:12]}  {ruleset.title}  [{edition.display_path}]"
            )


def _register_command_modules(group) -> None:
    """Commands that live in their own modules (registered on first use, see _LazyGroup)."""
    from .diff import register as register_diff
    from .explain import register as register_explain
    from .rank import rank_command
    from .replay import replay_command
    from .schema import schema_command
    from .serve import serve_command
    from .testing import test_command

    group.add_command(test_command)
    group.add_command(rank_command)
    group.add_command(schema_command)
    group.add_command(serve_command)
    group.add_command(replay_command)
    register_explain(group, _library, IsoDate())
    register_diff(group, IsoDate())


from .editions import register as register_editions  # noqa: E402  (subcommands of `rulesets`: light, registered now)

register_editions(rulesets, _library, IsoDate(), rulesets_option)


def main() -> None:
    """Entry point: an unexpected exception is an internal error, exit 1, one line on stderr (set
    CEC_DEBUG=1 to see the traceback when reporting it)."""
    import os

    try:
        cli(standalone_mode=True)
    except Exception as exc:  # commands handle CecErrors themselves; anything else is a bug
        if os.environ.get("CEC_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set CEC_DEBUG=1 for the traceback)", EXIT_INTERNAL)
