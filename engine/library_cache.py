"""A cache of the loaded and validated library in the user's cache folder, so a cold `cec evaluate`
does not parse and validate every ruleset and data table again (about 90 ms of a 400 ms start).

Never stale: an entry records the content hash (sha256) of every file the load read (each
`ruleset.yaml` and each data table it names) and the list of ruleset files found; it is served only
when the same ruleset files are found now and every recorded file still has the same hash. Its
name also covers the rulesets folder, the source of the engine and of every program plugin (its
`source_dirs`: a changed validator, model or derivation must not reuse an old load), the Python and
pydantic versions, and what each plugin declares (fact kinds, required parameters, ...). Only successful loads are stored: a
folder with problems is read, and reported, every time.

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
from dataclasses import replace
from pathlib import Path

from .library import RULESET_FILE, Library, bundled_root, load_library, table_paths
from .program import Program

CACHE_ENV = "CEC_RULES_CACHE"
CACHE_DIR_ENV = "CEC_RULES_CACHE_DIR"
ENTRIES_ENV = "CEC_RULES_CACHE_ENTRIES"
DEFAULT_ENTRIES = 32
_FORMAT = 1
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
    """`load_library(root, plugins)`, served from the cache when every file it would read is unchanged
    (what each plugin declares, and its source, are part of the key)."""
    folder = cache_dir()
    if folder is None:
        return load_library(root, plugins)
    given = Path(root) if root is not None else bundled_root()  # kept as given: display paths derive from it
    entry = folder / f"library-{_entry_name(given, plugins)}.pickle"
    library = _read(entry, given)
    if library is None:
        library = load_library(root, plugins)
        if not library.unavailable:  # a folder with problems is read, and reported, every time
            _write(entry, folder, library)
            _evict(folder, _max_entries())
    else:
        _mark_used(entry)
        library.plugins = dict(plugins)  # code, not data: never pickled (the key covers their source)
    return library


def _entry_name(root: Path, plugins: dict[str, Program]) -> str:
    declared = {name: (p.fact_kinds, p.required_parameters, p.required_advice, p.field_relations, p.data_files, f"{p.derive.__module__}.{p.derive.__qualname__}")
                for name, p in plugins.items()}
    digest = hashlib.sha256(f"{_FORMAT}\0{root}\0{root.resolve()}\0{os.getcwd()}\0{sys.version}\0{_pydantic_version()}\0{_canonical(declared)!r}".encode())
    folders = dict.fromkeys([_ENGINE_DIR, *(folder for name in sorted(plugins) for folder in plugins[name].source_dirs)])
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
        return [type(value).__qualname__, _canonical({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})]
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


def _ruleset_files(root: Path) -> list[str]:
    return [str(p) for p in sorted(root.glob(f"*/*/{RULESET_FILE}"))]


def _manifest(library: Library) -> dict[str, str]:
    """sha256 of every file the load read: each edition's ruleset file and data tables."""
    paths = {e.path for editions in library.programs.values() for e in editions}
    for program, editions in library.programs.items():
        for edition in editions:
            paths.update(table_paths(library.root, library.plugins[program], edition.ruleset))
    return {str(p): _sha256(Path(p)) for p in sorted(paths, key=str)}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _trusted(path: Path) -> bool:
    """Owned by this user and writable by nobody else (the file and its folder)."""
    for item in (path, path.parent):
        info = item.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o022:
            return False
    return True


def _read(entry: Path, root: Path) -> Library | None:
    try:
        if not entry.is_file() or not _trusted(entry):
            return None
        with entry.open("rb") as handle:
            stored = pickle.load(handle)
        if stored["ruleset_files"] != _ruleset_files(root):
            return None
        if any(_sha256(Path(path)) != digest for path, digest in stored["manifest"].items()):
            return None
        return stored["library"]
    except Exception:  # unreadable, truncated, from another version, or a file gone: load afresh
        return None


def _write(entry: Path, folder: Path, library: Library) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted_folder(folder):
            return
        stored = {"ruleset_files": _ruleset_files(library.root), "manifest": _manifest(library), "library": replace(library, plugins={})}
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".library-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:  # mkstemp creates it 0600
                pickle.dump(stored, out, protocol=pickle.HIGHEST_PROTOCOL)
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


def _trusted_folder(folder: Path) -> bool:
    info = folder.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022
