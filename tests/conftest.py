"""Shared fixtures: real databases (SQLite files, PostgreSQL schemas), settings, and a demo document."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy

from ivr.settings import Settings
from ivr.store.database import Database
from ivr.store.migrate import upgrade

pytest_plugins = ["tests.fakes.google_tts"]

REPO = Path(__file__).resolve().parent.parent
DEMO_DOCUMENT = REPO / "examples" / "huisartsenpraktijk-de-linde.yaml"
POSTGRES_URL = os.environ.get("GREETLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEST_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC_URL = "https://greetline.test"


def _postgres_reachable() -> str | None:
    try:
        engine = sqlalchemy.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:
        return (
            f"PostgreSQL at {POSTGRES_URL} is not reachable ({type(error).__name__}); set GREETLINE_TEST_POSTGRES_URL"
        )
    return None


@pytest.fixture(scope="session")
def postgres_unavailable() -> str | None:
    return _postgres_reachable()


@contextmanager
def _postgres_namespace(postgres_unavailable: str | None, create: str, drop: str) -> Iterator[str]:
    """Run `create`, yield the name it made, run `drop`; skip (fail in CI) when PostgreSQL is unreachable."""
    if postgres_unavailable:
        if os.environ.get("CI"):
            pytest.fail(postgres_unavailable)
        pytest.skip(postgres_unavailable)
    name = f"t_{secrets.token_hex(6)}"
    admin = sqlalchemy.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(create.format(name=name)))
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(drop.format(name=name)))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_unavailable: str | None) -> Iterator[str]:
    """A fresh schema in the test PostgreSQL database; dropped afterwards."""
    with _postgres_namespace(postgres_unavailable, "CREATE SCHEMA {name}", "DROP SCHEMA {name} CASCADE") as schema:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


@contextmanager
def own_postgres_database(postgres_unavailable: str | None) -> Iterator[str]:
    """A database of its own (not a schema): NOTIFY reaches every listener of a database, whatever its schema."""
    create, drop = "CREATE DATABASE {name}", "DROP DATABASE {name} WITH (FORCE)"
    with _postgres_namespace(postgres_unavailable, create, drop) as name:
        yield sqlalchemy.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def postgres_database_url(postgres_unavailable: str | None) -> Iterator[str]:
    with own_postgres_database(postgres_unavailable) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'greetline.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    upgrade(database_url)
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'greetline.db'}"
    upgrade(url)
    return url


@pytest.fixture
def settings(sqlite_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=sqlite_url,
        media_dir=tmp_path / "media",
        speech_cache_dir=tmp_path / "speech-cache",
        snapshot_path=tmp_path / "routing-snapshot.json",
        call_log_spill_path=tmp_path / "call-log-spill.jsonl",
        # Google is out of reach here: fail over to espeak-ng without waiting out real back-off delays.
        tts_retry_base_delay_s=0.01,
        # A save waits for its texts to be spoken before it answers, so a test reads the recording in the answer;
        # tests of the "being spoken" answer (tests/web/test_speaking_later.py) set the page's own grace.
        speaking_grace_s=300.0,
        public_url=PUBLIC_URL,
        twilio_auth_token=TEST_TOKEN,
    )


@pytest.fixture
def demo_text() -> str:
    return DEMO_DOCUMENT.read_text("utf-8")
