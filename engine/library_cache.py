"""A cache of the loaded and validated library in the user's cache folder, so a cold `cec evaluate`
does not parse and validate every ruleset and data table again (without it a cold start took 1.05 s, with it
0.25 s, at load 1).

Never stale: an entry holds a part per program, which records the content hash (sha256) of every file
the program's load read (each `ruleset.yaml` and each data table it names) and the ruleset files found
in its folder; a program is served from its part only when the same ruleset files are found there now
and every recorded file still has the same hash. The programs that are not are loaded again, alone, and
the entry rewritten: editing one program's ruleset costs that program's load, not every program's. The
entry's name covers the rulesets folder, the source of the engine and of every program plugin (its
`source_dirs`: a changed validator, model or derivation must not reuse an old load), the Python and
pydantic versions, and what each plugin declares (fact kinds, required parameters, ...). Only usable
programs are stored: a program with problems is read, and reported, every time.

A part keeps its program's editions pickled on their own, unpickled when the program is first used: one
`cec evaluate` decides one program (and those it consumes), and unpickling all of them cost it ~40 ms.

Why pickle is safe here: the cache holds Python objects (pydantic models, tables) that JSON would
have to rebuild by validating again, which is the cost being saved. Unpickling runs code chosen by
whoever wrote the file, so the file is only ever read when this tool wrote it: it lives in the
user's own cache folder, created 0700; entries are written 0600 through a temporary file and an
atomic rename; and an entry (or its folder) that is not owned by the current user, or that group or
others may write, is ignored. Anyone who could still plant a file there can already write the
user's shell profile. A cache that cannot be read or written is skipped silently: it only saves time.

Bounded: every copy of the rulesets a user (or a test) evaluates is an entry of its own, so after a write
the folder keeps only the CEC_RULES_CACHE_ENTRIES (default 32) most recently used entries; a hit marks its
entry used. Without this bound the folder grew by an entry per edited copy, without end.

Environment: CEC_RULES_CACHE=0 (or off/no/false) disables it; CEC_RULES_CACHE_DIR sets the folder
(default $XDG_CACHE_HOME/cec-rules, else ~/.cache/cec-rules); CEC_RULES_CACHE_ENTRIES bounds it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from .library import RULESET_FILE, Edition, Library, bundled_root, load_library, table_paths
from .program import Program

CACHE_ENV = "CEC_RULES_CACHE"
CACHE_DIR_ENV = "CEC_RULES_CACHE_DIR"
ENTRIES_ENV = "CEC_RULES_CACHE_ENTRIES"
DEFAULT_ENTRIES = 32
_FORMAT = 2  # 2: a part per program
_ENGINE_DIR = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is switched off."""
    if os.environ.get(CACHE_ENV, "").strip().lower() in ("0", "off", "no", "false"):
        return None
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cec-rules"


def load_library_cached(root: Path | None, plugins: dict[str, Program]) -> Library:
    """`load_library(root, plugins)`, each program served from the cache when every file it read is unchanged
    (what each plugin declares, and its source, are part of the key); the programs whose files changed are
    loaded again, alone. A program's editions are unpickled when first used."""
    folder = cache_dir()
    if folder is None:
        return load_library(root, plugins)
    given = Path(root) if root is not None else bundled_root()  # kept as given: display paths derive from it
    entry = folder / f"library-{_entry_name(given, plugins)}.pickle"
    found = _files_by_program(given)
    stored = _read(entry)
    parts = _fresh_parts(stored, found)
    stale = set(found) - set(parts)
    library = Library(given, _Programs(parts), dict(plugins))
    if stale or not parts:  # (none served: the whole folder is loaded, and its problems raised)
        loaded = load_library(root, plugins, None if not parts else stale)
        library = _merged(library, loaded, parts)
        new_parts = _new_parts(loaded, found)
        if (
            new_parts or stored is None or set(parts) != set(stored["parts"])
        ):  # not when only programs with problems were read
            _write(entry, folder, {"parts": {**parts, **new_parts}})
            _evict(folder, _max_entries())
            return library
    _mark_used(entry)
    return library


def _merged(cached: Library, loaded: Library, parts: dict) -> Library:
    """The programs served from the cache beside those loaded again (with no part served, `load_library` loaded
    the whole folder and raised when no program is usable)."""
    if not parts:
        return loaded
    return replace(cached, programs=_Programs(parts, loaded.programs), unavailable=loaded.unavailable)


class _Programs(Mapping):
    """A library's programs, each program's editions unpickled on first use: one `cec evaluate` decides one
    program (and those it consumes), and unpickling every program's editions was a fifth of its start."""

    def __init__(self, parts: dict, loaded: dict | None = None):
        self._parts = {name: part["editions"] for name, part in parts.items()}
        self._loaded = dict(loaded or {})

    def __getitem__(self, program: str) -> list[Edition]:
        if program not in self._loaded:
            self._loaded[program] = pickle.loads(self._parts[program])
        return self._loaded[program]

    def __contains__(self, program) -> bool:
        return program in self._loaded or program in self._parts

    def __iter__(self):
        return iter(sorted(set(self._parts) | set(self._loaded)))

    def __len__(self) -> int:
        return len(set(self._parts) | set(self._loaded))


def _entry_name(root: Path, plugins: dict[str, Program]) -> str:
    declared = {
        name: (
            p.fact_kinds,
            p.required_parameters,
            p.required_advice,
            p.field_relations,
            p.data_files,
            f"{p.derive.__module__}.{p.derive.__qualname__}",
        )
        for name, p in plugins.items()
    }
    digest = hashlib.sha256(
        f"{_FORMAT}\0{root}\0{root.resolve()}\0{os.getcwd()}\0{sys.version}\0{_pydantic_version()}\0{_canonical(declared)!r}".encode()
    )
    folders = dict.fromkeys(
        [_ENGINE_DIR, *(folder for name in sorted(plugins) for folder in plugins[name].source_dirs)]
    )
    for folder in folders:
        digest.update(str(folder).encode() + b"\0")
        for path in sorted(Path(folder).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


_PLAIN = (str, int, float, bool, type(None))


def _canonical(value):
    """A repr that is the same in every process: sets are sorted (their order follows the hash seed), and a
    function is named, not shown with its address (a `ValueSpec`'s `items=` may be a lambda; the plugins'
    source, hashed beside, covers what it does). A dataclass is taken field by field for the same reason.
    Plain values, nearly all of the plugins' declarations, are tested first: this runs on every start."""
    if type(value) in _PLAIN:
        return repr(value)
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            type(value).__qualname__,
            _canonical({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}),
        ]
    if isinstance(value, dict):
        return sorted((repr(k), _canonical(v)) for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_canonical(v)) for v in value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return repr(value)


def _pydantic_version() -> str:
    from pydantic import VERSION

    return VERSION


def _files_by_program(root: Path) -> dict[str, list[str]]:
    """Every ruleset file found under `root`, by its program's folder."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.glob(f"*/*/{RULESET_FILE}")):
        found.setdefault(path.parent.parent.name, []).append(str(path))
    return found


def _new_parts(library: Library, found: dict[str, list[str]]) -> dict:
    """The entry's part of each program just loaded and usable: its ruleset files, the sha256 of every file
    its editions read (ruleset files and data tables), and its editions pickled."""
    parts = {}
    for program, editions in library.programs.items():
        paths = {e.path for e in editions}
        for edition in editions:
            paths.update(table_paths(library.root, library.plugins[program], edition.ruleset))
        parts[program] = {
            "files": found.get(program, []),
            "manifest": {str(p): _sha256(Path(p)) for p in sorted(paths, key=str)},
            "editions": pickle.dumps(editions, protocol=pickle.HIGHEST_PROTOCOL),
        }
    return parts


def _fresh_parts(stored: dict | None, found: dict[str, list[str]]) -> dict:
    """The stored programs whose ruleset files are the same ones, each file with the same content, as now."""
    if stored is None:
        return {}
    fresh = {}
    for program, part in stored["parts"].items():
        try:
            if part["files"] == found.get(program) and all(
                _sha256(Path(path)) == digest for path, digest in part["manifest"].items()
            ):
                fresh[program] = part
        except OSError:  # a file gone: that program is loaded afresh
            continue
    return fresh


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _trusted(path: Path) -> bool:
    """The file and its folder are each `_private`."""
    return _private(path) and _private(path.parent)


def _read(entry: Path) -> dict | None:
    """The stored entry (each program's part), or None when there is none this tool can trust and read."""
    try:
        if not entry.is_file() or not _trusted(entry):
            return None
        with entry.open("rb") as handle:
            stored = pickle.load(handle)
        return stored if stored.get("format") == _FORMAT else None
    except Exception:  # unreadable, truncated or from another version: load afresh
        return None


def _write(entry: Path, folder: Path, stored: dict) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder):
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".library-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:  # mkstemp creates it 0600
                pickle.dump({**stored, "format": _FORMAT}, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, entry)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except Exception:  # a read-only or full disk costs only the time the cache would have saved
        return


def _max_entries() -> int:
    """CEC_RULES_CACHE_ENTRIES, or the default when unset or not a positive whole number (the cache only saves time)."""
    text = os.environ.get(ENTRIES_ENV, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_ENTRIES


def _mark_used(entry: Path) -> None:
    """Touch a served entry, so eviction (least recently used first) keeps it."""
    try:
        os.utime(entry)
    except OSError:
        pass


def _evict(folder: Path, keep: int) -> None:
    """Delete all but the `keep` most recently used entries, and the temporary files of writers killed over an
    hour ago (a younger one may be another process writing now)."""
    try:
        entries = sorted(folder.glob("library-*.pickle"), key=lambda path: path.stat().st_mtime, reverse=True)
        abandoned = [path for path in folder.glob(".library-*.tmp") if time.time() - path.stat().st_mtime > 3600]
        for path in entries[keep:] + abandoned:
            path.unlink(missing_ok=True)
    except OSError:  # an entry removed by another process meanwhile: the next write prunes again
        return


def _private(item: Path) -> bool:
    """Owned by this user and writable by nobody else."""
    info = item.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022
