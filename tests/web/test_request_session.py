"""One session per admin and API request (ivr.web.request_session), on SQLite and PostgreSQL over real HTTP: a save
is one transaction, committed once; the routing snapshot is rewritten only after the commit; a failure after the
first write leaves nothing written. Transactions are counted with SQLAlchemy's own engine events."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from ivr.settings import Settings
from ivr.store import businesses, keys, staff
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.store.snapshot import RoutingSnapshot
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.local_server import running_server
from tests.twilio_client import TwilioLikeClient
from tests.web.test_admin import EMAIL, PASSWORD, PUBLIC_URL, TUESDAY_10, log_in


@dataclass
class Counted:
    """What the engine did, and the snapshot's revision of the business's number at each commit."""

    snapshot: Path
    number: str
    begins: int = 0  # every connection's, the plain reads' too (a preview's call reads as the webhooks do)
    sessions: int = 0  # ORM session transactions
    commits: int = 0
    rollbacks: int = 0
    snapshot_at_commit: list[int | None] = field(default_factory=list)

    def reset(self) -> None:
        self.begins = self.sessions = self.commits = self.rollbacks = 0
        self.snapshot_at_commit.clear()

    def snapshot_revision(self) -> int | None:
        return RoutingSnapshot(self.snapshot).revision_of(self.number)  # read from the file, as another process would


@dataclass
class Served:
    http: httpx.Client
    database: Database
    counted: Counted
    business_id: int
    key: str


@pytest.fixture
def served(database_url: str, settings: Settings, demo_text: str, tmp_path: Path) -> Iterator[Served]:
    upgrade(database_url)
    snapshot = tmp_path / "routing.json"
    database = Database(database_url, snapshot)
    stored = apply_text(database, demo_text, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=stored.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
        _, key = keys.create(session, business_id=stored.id, label="test", now=TUESDAY_10)
    counted = Counted(snapshot, stored.document["numbers"][0])

    def on_begin(_connection: object) -> None:
        counted.begins += 1

    def on_commit(_connection: object) -> None:
        counted.commits += 1
        counted.snapshot_at_commit.append(counted.snapshot_revision())

    def on_rollback(_connection: object) -> None:
        counted.rollbacks += 1

    def on_session_begin(_session: object, _transaction: object, _connection: object) -> None:
        counted.sessions += 1

    event.listen(database.engine, "begin", on_begin)
    event.listen(database.engine, "commit", on_commit)
    event.listen(database.engine, "rollback", on_rollback)
    event.listen(Session, "after_begin", on_session_begin)
    app_settings = settings.model_copy(
        update={"database_url": database_url, "public_url": PUBLIC_URL, "snapshot_path": snapshot}
    )
    app = create_app(app_settings, clock=lambda: TUESDAY_10, database=database)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield Served(http, database, counted, stored.id, key)
    event.remove(Session, "after_begin", on_session_begin)
    database.dispose()


def _revision(database: Database, business_id: int) -> int:
    with database.transaction() as session:
        return businesses.get(session, business_id).revision


def test_an_admin_settings_save_is_one_transaction_and_heard_only_after_its_commit(served: Served) -> None:
    token = log_in(served.http)
    before = _revision(served.database, served.business_id)
    served.http.get("/admin/settings")  # the directory and the templates loaded: only the save is counted
    served.counted.reset()

    page = served.http.post("/admin/settings/rings", data={"rings": "3", "csrf": token})

    assert page.status_code == 200 and "Opgeslagen." in page.text
    assert "3 keer overgaan is ongeveer 15 seconden." in page.text  # the page shown again in the same session
    counted = served.counted
    # One transaction, committed once; the other connections are the preview's plain reads (autocommit, no BEGIN).
    assert (counted.sessions, counted.commits) == (1, 1)
    assert counted.rollbacks == counted.begins - 1
    # At the commit the snapshot still had the old revision; right after it (before the answer) the new one.
    assert counted.snapshot_at_commit == [before]
    assert counted.snapshot_revision() == before + 1 == _revision(served.database, served.business_id)
    # The next call hears it.
    assert 'timeout="10"' in TwilioLikeClient(served.http, public_url=PUBLIC_URL).post("/twilio/voice").text


def test_an_api_change_commits_once_and_the_snapshot_follows(served: Served) -> None:
    before = _revision(served.database, served.business_id)
    headers = {"Authorization": f"Bearer {served.key}"}
    served.counted.reset()

    answer = served.http.put(f"/api/v1/businesses/{served.business_id}/rings", json={"rings": 2}, headers=headers)

    assert answer.status_code == 200 and answer.json()["rings"] == 2
    assert (served.counted.sessions, served.counted.commits) == (1, 1)
    assert served.counted.snapshot_at_commit == [before]
    assert served.counted.snapshot_revision() == before + 1
    assert 'timeout="5"' in TwilioLikeClient(served.http, public_url=PUBLIC_URL).post("/twilio/voice").text


def _refuse_history(database: Database) -> None:
    """A database trigger refuses every new document version: a change then fails after it updated the business
    row and its numbers (ivr.store.businesses.replace writes the version last)."""
    with database.engine.begin() as connection:
        if database.engine.dialect.name == "sqlite":
            connection.execute(
                text(
                    "CREATE TRIGGER refuse_versions BEFORE INSERT ON document_versions "
                    "BEGIN SELECT RAISE(ABORT, 'versions refused'); END"
                )
            )
            return
        connection.execute(
            text(
                "CREATE FUNCTION refuse_versions() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'versions refused'; END $$"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER refuse_versions BEFORE INSERT ON document_versions "
                "FOR EACH ROW EXECUTE FUNCTION refuse_versions()"
            )
        )


def _stored(database: Database, business_id: int) -> tuple[int, list[str], int]:
    with database.transaction() as session:
        stored = businesses.get(session, business_id)
        numbers = session.execute(
            text("SELECT number FROM business_numbers WHERE business_id = :id ORDER BY number"), {"id": business_id}
        )
        return stored.revision, [row[0] for row in numbers], stored.document["rings"]


@pytest.mark.parametrize("via", ["admin", "api"])
def test_a_change_that_fails_after_its_first_write_leaves_nothing_written(served: Served, via: str) -> None:
    token = log_in(served.http)
    before = _stored(served.database, served.business_id)
    snapshot_before = served.counted.snapshot_revision()
    _refuse_history(served.database)
    served.counted.reset()

    if via == "admin":
        answer = served.http.post("/admin/settings/rings", data={"rings": "3", "csrf": token})
    else:
        headers = {"Authorization": f"Bearer {served.key}"}
        answer = served.http.patch(
            f"/api/v1/businesses/{served.business_id}/config", json={"rings": 3}, headers=headers
        )

    assert answer.status_code == 500
    assert served.counted.commits == 0 and served.counted.rollbacks >= 1
    assert _stored(served.database, served.business_id) == before  # the row, its numbers, the ring count
    assert served.counted.snapshot_revision() == snapshot_before  # nothing to hear: no after-commit rewrite
