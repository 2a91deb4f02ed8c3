"""Connecting to the database: SQLite by default, PostgreSQL when the URL says so."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ivr.store.snapshot import RoutingSnapshot

# Voice webhooks answer within 3 s whatever the database does (issue 8): the web app's database work is bounded
# well inside that, so a database that is slower than this counts as away and the caller hears the fallback.
# libpq counts connect_timeout in whole seconds and treats anything below 2 as 2.
CONNECT_TIMEOUT_S = 2
# A statement, or a wait for a lock, that takes longer is cancelled by PostgreSQL itself.
STATEMENT_TIMEOUT_MS = 1500
LOCK_TIMEOUT_MS = 1000
# SQLite retries a locked database for this long before it reports "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 1000
# Waiting for a pooled connection when all are taken (by calls stuck on a stalled server) ends after this.
POOL_TIMEOUT_S = 1.0
# Migrations may rewrite big tables and wait for a backup's lock: they get no statement timeout and wait longer
# for a lock, though not so long that `serve` with a locked database would be slow to start answering.
UNBOUNDED_BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets webhooks read while a write commits; NORMAL sync is durable across app crashes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.close()

    return on_connect


def _postgres_timeouts(dbapi_connection: Any, _record: Any) -> None:
    # Set per connection rather than through the URL's `options`, which the user's URL may already carry.
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
        cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
    dbapi_connection.commit()


def make_engine(database_url: str, *, bounded: bool = True) -> Engine:
    """`bounded`: the web app's engine, whose every wait is cut short; False for migrations."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        busy_timeout_ms = SQLITE_BUSY_TIMEOUT_MS if bounded else UNBOUNDED_BUSY_TIMEOUT_MS
        engine = create_engine(
            url,
            pool_timeout=POOL_TIMEOUT_S,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        return engine
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        pool_timeout=POOL_TIMEOUT_S,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
    )
    if bounded:
        event.listen(engine, "connect", _postgres_timeouts)
    return engine


class Database:
    """The engine and the one way to open a transaction; whoever opens it owns it.

    `routing` is the durable copy of every number's routing (`snapshot_path`; in memory only without one): it
    travels with the database so every use case that saves a change can rewrite it.
    """

    def __init__(self, database_url: str, snapshot_path: Path | None = None) -> None:
        self.url = database_url
        self.engine = make_engine(database_url)
        # Reads outside a transaction of their own, on the same pool: on PostgreSQL without autocommit every read
        # cost a BEGIN and a ROLLBACK, two round trips more than its query (issue 12).
        self._reads = (
            self.engine
            if self.engine.dialect.name == "sqlite"  # pysqlite starts no transaction for a SELECT anyway
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self.routing = RoutingSnapshot(snapshot_path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def session(self) -> Session:
        """A session whose owner ends it: commits, or rolls back (a web request's, ivr.web.request_session)."""
        return self._sessions()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A plain connection for the hot reads that need no ORM and no transaction of their own. Each statement sees
        what is committed when it runs, as in PostgreSQL's default READ COMMITTED transactions (and pysqlite's, which
        begin no transaction for a SELECT): what these reads see is the same, without BEGIN and ROLLBACK."""
        with self._reads.connect() as connection:
            yield connection

    def dispose(self) -> None:
        self.engine.dispose()
