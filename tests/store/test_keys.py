"""A business's own API keys, as the admin page lists and revokes them, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest

from ivr.errors import NotFoundError
from ivr.store import keys
from ivr.store.database import Database
from ivr.usecases.documents import apply_text

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_a_business_sees_and_revokes_only_its_own_keys(database: Database, demo_text: str) -> None:
    business_id = apply_text(database, demo_text, NOW).stored.id
    with database.transaction() as session:
        keys.create(session, business_id=business_id, label="afsprakensysteem", now=NOW)
        second, secret = keys.create(session, business_id=business_id, label="website", now=NOW + timedelta(1))
        platform, _ = keys.create(session, business_id=None, label="platform", now=NOW)
    with database.transaction() as session:
        assert [key.label for key in keys.keys_of(session, business_id)] == ["website", "afsprakensysteem"]
        with pytest.raises(NotFoundError):
            keys.revoke(session, platform.id, NOW, business_id=business_id)
        keys.revoke(session, second.id, NOW + timedelta(2), business_id=business_id)
    with database.transaction() as session:
        listed = {key.label: key.revoked_at for key in keys.keys_of(session, business_id)}
        assert listed == {"website": NOW + timedelta(2), "afsprakensysteem": None}
        assert keys.active_owner(session.connection(), secret) is None
