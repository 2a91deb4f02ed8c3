"""The routing snapshot brought up to date from the database (ivr.routing.watch.refresh_routing): at a restart
with nothing changed no document is read and the file is left as it is; otherwise only the businesses whose
revision changed are read (issue 25: reading and validating all 10,000 held a server's first calls back)."""

import json
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from ivr.document.load import document_data, parse_document
from ivr.routing.watch import refresh_routing, routing_outdated
from ivr.store import businesses
from ivr.store.database import Database
from ivr.store.snapshot import SNAPSHOT_FORMAT
from ivr.store.tables import BusinessRow, NumberRow

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
NUMBERS = ["+31501234560", "+31501234561", "+31501234562"]
NEW_STAFF = ["+31503333333"]


def stored(url: str, snapshot: Path, demo_text: str) -> dict[str, int]:
    """Three businesses, one number each; returns each number's business id."""
    template = document_data(parse_document(demo_text))
    database = Database(url, snapshot)
    with database.transaction() as session:
        ids = {
            n: businesses.save(session, f"B{n}", [n], {**template, "business": f"B{n}", "numbers": [n]}, NOW).id
            for n in NUMBERS
        }
    database.dispose()
    return ids


def restarted(url: str, snapshot: Path) -> Database:
    """What a server process starting now has: the snapshot as the file holds it."""
    return Database(url, snapshot)


def file_version(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns


def test_a_restart_with_nothing_changed_reads_no_document_and_leaves_the_file_as_it_is(
    sqlite_url: str, tmp_path: Path, demo_text: str
) -> None:
    snapshot = tmp_path / "snapshot.json"
    ids = stored(sqlite_url, snapshot, demo_text)
    first = restarted(sqlite_url, snapshot)
    assert refresh_routing(first) == 3
    written = file_version(snapshot)
    first.dispose()
    again = restarted(sqlite_url, snapshot)
    assert routing_outdated(again) == 0
    assert refresh_routing(again) == 0
    assert file_version(snapshot) == written
    assert {n: (r.business_id, r.revision) for n in NUMBERS if (r := again.routing.get(n))} == {
        n: (ids[n], 1) for n in NUMBERS
    }
    again.dispose()


def test_only_the_changed_businesses_are_read_and_a_deleted_ones_numbers_go(
    sqlite_url: str, tmp_path: Path, demo_text: str
) -> None:
    snapshot = tmp_path / "snapshot.json"
    ids = stored(sqlite_url, snapshot, demo_text)
    first = restarted(sqlite_url, snapshot)
    refresh_routing(first)
    first.dispose()
    # While the server was away: one business got new staff, another was deleted.
    changed, gone = NUMBERS[1], NUMBERS[2]
    database = Database(sqlite_url)
    with database.transaction() as session:
        document: dict[str, Any] = dict(businesses.get(session, ids[changed]).document)
        businesses.replace(session, ids[changed], f"B{changed}", [changed], {**document, "operators": NEW_STAFF}, NOW)
        session.execute(delete(NumberRow).where(NumberRow.business_id == ids[gone]))
        session.execute(delete(BusinessRow).where(BusinessRow.id == ids[gone]))
    database.dispose()
    again = restarted(sqlite_url, snapshot)
    assert routing_outdated(again) == 1
    assert refresh_routing(again) == 1
    reread = restarted(sqlite_url, snapshot).routing  # from the file
    kept, new = reread.get(NUMBERS[0]), reread.get(changed)
    assert kept is not None and (kept.business_id, kept.revision) == (ids[NUMBERS[0]], 1)
    assert new is not None and (new.revision, list(new.operators)) == (2, NEW_STAFF)
    assert reread.get(gone) is None
    again.dispose()


def test_a_snapshot_of_an_older_format_or_ahead_of_the_database_is_written_whole(
    sqlite_url: str, tmp_path: Path, demo_text: str
) -> None:
    snapshot = tmp_path / "snapshot.json"
    ids = stored(sqlite_url, snapshot, demo_text)
    first = restarted(sqlite_url, snapshot)
    refresh_routing(first)
    first.dispose()
    # Written by an older Greetline: format 1 lacked the overflow fields, which stay empty until written again.
    data = json.loads(snapshot.read_text("utf-8"))
    older = {
        n: {k: v for k, v in e.items() if k not in ("overflow", "voicemail_box", "voicemail")}
        for n, e in data["numbers"].items()
    }
    snapshot.write_text(json.dumps({"format": 1, "numbers": older}), "utf-8")
    again = restarted(sqlite_url, snapshot)
    assert refresh_routing(again) == 3
    assert json.loads(snapshot.read_text("utf-8"))["format"] == SNAPSHOT_FORMAT
    again.dispose()
    # A database restored from a backup is behind the snapshot: its older revision must still win.
    ahead = restarted(sqlite_url, snapshot)
    entry = ahead.routing.get(NUMBERS[0])
    assert entry is not None
    newer = replace(entry, revision=9, operators=tuple(NEW_STAFF))
    ahead.routing.put_business(ids[NUMBERS[0]], 9, {NUMBERS[0]: newer})
    assert refresh_routing(ahead) == 3
    back = ahead.routing.get(NUMBERS[0])
    assert back is not None and back.revision == 1 and list(back.operators) != NEW_STAFF
    ahead.dispose()


def test_a_stopping_server_leaves_the_rewrite_to_its_next_start(
    sqlite_url: str, tmp_path: Path, demo_text: str
) -> None:
    snapshot = tmp_path / "snapshot.json"
    stored(sqlite_url, snapshot, demo_text)
    database = restarted(sqlite_url, snapshot)
    stop = threading.Event()
    stop.set()
    assert refresh_routing(database, stop) is None
    assert not snapshot.exists()
    assert refresh_routing(database) == 3  # the next start
    database.dispose()
