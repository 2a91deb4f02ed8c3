"""Undoing one change and restoring a whole version (ivr.usecases.history), on SQLite and PostgreSQL: each is a
new version, checked like any change; the first version has nothing to undo to."""

from datetime import UTC, datetime, timedelta

import pytest

from ivr.errors import NotFoundError
from ivr.store import businesses, history
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.usecases.editing import change_parts
from ivr.usecases.history import go_back_in, proposal

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FEBRUARY = {"from": "2027-02-15", "to": "2027-02-19", "greeting": {"text": "Wij zijn met vakantie."}}


def test_one_change_undone_and_a_whole_version_restored(database: Database, demo_text: str) -> None:
    business_id = apply_text(database, demo_text, NOW).stored.id
    change_parts(database, business_id, {"rings": 3}, NOW + timedelta(minutes=1))
    with database.transaction() as session:
        periods = businesses.get(session, business_id).document["periods"]
    change_parts(database, business_id, {"periods": [*periods, {**FEBRUARY, "dial": ["+31509876543"]}]}, NOW)
    with database.transaction() as session:
        first, rings, period = sorted(version.id for version in history.versions(session, business_id))
        assert history.before(session, business_id, first) is None
        assert history.before(session, business_id, period).id == rings  # type: ignore[union-attr]
        with pytest.raises(NotFoundError):
            proposal(session, business_id, first, "undo")

    with database.transaction() as session:
        go_back_in(session, business_id, rings, "undo", NOW, "assistent@delinde.nl")
    with database.transaction() as session:
        document = businesses.get(session, business_id).document
        assert document["rings"] == 4 and len(document["periods"]) == 2
        assert len(history.versions(session, business_id)) == 4

    with database.transaction() as session:
        go_back_in(session, business_id, first, "restore", NOW)
    with database.transaction() as session:
        document = businesses.get(session, business_id).document
        assert document["rings"] == 4 and len(document["periods"]) == 1
        assert (
            history.versions(session, business_id)[0].document == history.version(session, business_id, first).document
        )
