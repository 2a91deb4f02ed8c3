"""Times come back with their zone, and a revision can be held, on SQLite and PostgreSQL alike (issue 20)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ivr.errors import StaleRevisionError
from ivr.store import businesses, calls
from ivr.store.calls import CallStep
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.usecases.editing import change_parts

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
AMSTERDAM_WINTER = timezone(timedelta(hours=1))


def test_a_time_is_stored_as_its_instant_and_read_back_with_its_zone(database: Database, demo_text: str) -> None:
    business = apply_text(database, demo_text, NOW).stored
    local = datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM_WINTER)  # 09:00 UTC
    with database.engine.begin() as connection:
        calls.write_entries(
            connection, [CallStep("CA1", business.id, "+31501234567", "+31612345678", local, "voice", None)]
        )
    with database.reading() as connection:
        found = calls.recent(connection, business.id)
        # Asked for in another zone, the same instant: one second later finds nothing.
        since = calls.recent(connection, business.id, since=local)
        after = calls.recent(connection, business.id, since=local + timedelta(seconds=1))
    assert found[0].started_at == NOW and found[0].started_at.utcoffset() == timedelta(0)
    assert [call.call_sid for call in since] == ["CA1"] and after == []
    with database.transaction() as session:
        assert businesses.get(session, business.id).revision == 1
        logged = calls.get(session, "CA1")
    assert logged is not None and logged.started_at.tzinfo is not None


def test_a_change_over_a_revision_no_longer_stored_is_refused_and_changes_nothing(
    database: Database, demo_text: str
) -> None:
    business = apply_text(database, demo_text, NOW).stored
    assert change_parts(database, business.id, {"rings": 3}, NOW, if_revision=1).stored.revision == 2
    with pytest.raises(StaleRevisionError) as stale:
        change_parts(database, business.id, {"rings": 2}, NOW, if_revision=1)
    assert (stale.value.expected, stale.value.stored) == (1, 2)
    with database.transaction() as session:
        stored = businesses.get(session, business.id)
    assert (stored.revision, stored.document["rings"]) == (2, 3)
