"""The decision record store: SQLite by default, PostgreSQL for `postgresql://` URLs.

Plain DB-API (sqlite3 from the standard library, psycopg 3 for PostgreSQL) rather than an ORM: the
store is two tables and four statements, and the SQL below is the same for both databases except for
the placeholder style, which `_sql` converts. JSON is kept as TEXT, not jsonb, on purpose: a stored
decision must come back byte for byte as it was produced (jsonb reorders keys).

Migrations are numbered lists of statements; `migrate()` applies the ones a database has not seen and
records the version in `cec_schema`.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cec_rules.engine.errors import CecError

DEFAULT_URL = "sqlite:///cec-decisions.db"

MIGRATIONS: list[list[str]] = [
    [  # 1: decisions and the rulesets they were made under
        """CREATE TABLE IF NOT EXISTS rulesets (
             sha256 TEXT PRIMARY KEY, program TEXT NOT NULL, edition TEXT NOT NULL, definition TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS decisions (
             id TEXT PRIMARY KEY, input TEXT NOT NULL, input_sha256 TEXT NOT NULL,
             program TEXT NOT NULL, edition TEXT NOT NULL, ruleset_sha256 TEXT NOT NULL, as_of TEXT NOT NULL,
             parameters TEXT NOT NULL, code_version TEXT NOT NULL, decision TEXT NOT NULL, outcome TEXT NOT NULL,
             first_decided_at TEXT NOT NULL, last_decided_at TEXT NOT NULL, times_decided INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS decisions_input ON decisions (input_sha256)",
    ],
]

_COLUMNS = (
    "id",
    "input",
    "input_sha256",
    "program",
    "edition",
    "ruleset_sha256",
    "as_of",
    "parameters",
    "code_version",
    "decision",
    "outcome",
    "first_decided_at",
    "last_decided_at",
    "times_decided",
)

_UPSERT = (
    f"INSERT INTO decisions ({', '.join(_COLUMNS)}) VALUES ({', '.join(f'%({c})s' for c in _COLUMNS)}) "
    "ON CONFLICT (id) DO UPDATE SET last_decided_at = excluded.last_decided_at, "
    "times_decided = decisions.times_decided + 1"
)
_PUT_RULESET = (
    "INSERT INTO rulesets (sha256, program, edition, definition) "
    "VALUES (%(sha256)s, %(program)s, %(edition)s, %(definition)s) ON CONFLICT (sha256) DO NOTHING"
)


class StoreError(CecError):
    """The record store cannot be opened or used (bad URL, database unreachable)."""


@dataclass
class StoredRecord:
    """One row of `decisions`: what was decided, from which input, under which rules, parameters and code."""

    id: str
    input: str
    input_sha256: str
    program: str
    edition: str
    ruleset_sha256: str
    as_of: str
    parameters: str
    code_version: str
    decision: str
    outcome: str
    first_decided_at: str
    last_decided_at: str
    times_decided: int


class DecisionStore:
    """A connection to one record database. Not shared between threads or processes: open one each."""

    def __init__(self, url: str):
        self.url = url
        self.postgres = url.startswith(("postgresql://", "postgres://"))
        try:
            self._connection = _connect_postgres(url) if self.postgres else _connect_sqlite(url)
        except StoreError:
            raise
        except Exception as exc:  # driver errors differ by database: one message for the user
            raise StoreError(f"cannot open the decision record {redact(url)}: {exc}") from None

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> "DecisionStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def migrate(self) -> int:
        """Create or upgrade the tables; returns the schema version."""
        self._execute("CREATE TABLE IF NOT EXISTS cec_schema (version INTEGER NOT NULL)")
        row = self._query_one("SELECT MAX(version) FROM cec_schema")
        current = (row[0] if row else None) or 0
        for version, statements in enumerate(MIGRATIONS, start=1):
            if version > current:
                for statement in statements:
                    self._execute(statement)
                self._execute("INSERT INTO cec_schema (version) VALUES (%(v)s)", {"v": version})
        self._commit()
        return len(MIGRATIONS)

    def put(self, record: StoredRecord, ruleset: dict | None) -> None:
        """Store a decision (once per id: a repeat only counts and dates it) and, unless None (known to be
        stored already), its ruleset (once per sha)."""
        try:
            if ruleset is not None:
                self._execute(_PUT_RULESET, ruleset)
            self._execute(_UPSERT, record.__dict__)
            self._commit()
        except Exception as exc:  # leave the connection usable for the next decision
            self._connection.rollback()
            raise StoreError(f"the decision could not be recorded in {redact(self.url)}: {exc}") from None

    def get(self, record_id: str) -> StoredRecord | None:
        row = self._query_one(f"SELECT {', '.join(_COLUMNS)} FROM decisions WHERE id = %(id)s", {"id": record_id})
        return StoredRecord(*row) if row else None

    def ruleset_definition(self, sha256: str) -> str | None:
        row = self._query_one("SELECT definition FROM rulesets WHERE sha256 = %(sha)s", {"sha": sha256})
        return row[0] if row else None

    def count(self) -> int:
        return self._query_one("SELECT COUNT(*) FROM decisions")[0]

    def ping(self) -> None:
        self._query_one("SELECT 1")

    def _execute(self, sql: str, params: dict | None = None) -> None:
        self._connection.execute(self._sql(sql), params or {})

    def _query_one(self, sql: str, params: dict | None = None):
        return self._connection.execute(self._sql(sql), params or {}).fetchone()

    def _commit(self) -> None:
        self._connection.commit()

    def _sql(self, sql: str) -> str:
        """psycopg takes %(name)s placeholders, sqlite3 :name."""
        return sql if self.postgres else re.sub(r"%\((\w+)\)s", r":\1", sql)


def _connect_sqlite(url: str) -> sqlite3.Connection:
    path = sqlite_path(url)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer; workers write in turn
    # A commit survives the crash of any process; only a power cut can lose the last ones (no fsync per
    # decision, which costs more than the decision). PostgreSQL is the choice for power-cut durability.
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA busy_timeout=30000")
    return connection


def _connect_postgres(url: str):
    try:
        import psycopg
    except ImportError:
        raise StoreError("PostgreSQL needs the psycopg package: pip install 'psycopg[binary]'") from None
    return psycopg.connect(url, connect_timeout=10)


def sqlite_path(url: str) -> str:
    """`sqlite:///relative.db`, `sqlite:////absolute.db` (SQLAlchemy's convention), or a plain file path.

    Examples:
        >>> sqlite_path("sqlite:///cec.db"), sqlite_path("sqlite:////tmp/cec.db"), sqlite_path("data/cec.db")
        ('cec.db', '/tmp/cec.db', 'data/cec.db')
    """
    if url.startswith("sqlite://"):
        rest = url[len("sqlite://") :]
        if not rest.startswith("/"):
            raise StoreError(f"{url}: write sqlite:///relative/path.db or sqlite:////absolute/path.db")
        return rest[1:] or ":memory:"
    if "://" in url:
        raise StoreError(f"{redact(url)}: unsupported database; use sqlite:///FILE or postgresql://…")
    return url


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"://([^:/@]+):[^@/]*@", r"://\1:***@", url)
