"""The audit trail as the store keeps it (SQLite and PostgreSQL): written in the act's transaction, read newest
first, forgotten after its own retention, and only for actions it knows."""

from datetime import UTC, datetime, timedelta

import pytest

from ivr.store import audit
from ivr.store.database import Database
from ivr.usecases.documents import apply_text

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_entries_read_back_newest_first_per_business_and_page_on(database: Database, demo_text: str) -> None:
    business = apply_text(database, demo_text, NOW).stored.id
    with database.transaction() as session:
        for minute, action in enumerate(["login", "voicemail_played", "logout"]):
            audit.record(
                session,
                business_id=business,
                actor="anna@delinde.example",
                action=action,
                at=NOW + timedelta(minutes=minute),
                address="127.0.0.1",
                details={"recording": 7} if action == "voicemail_played" else None,
            )
        audit.record(session, business_id=None, actor="x@y.example", action="login_failed", at=NOW)
    with database.transaction() as session:
        newest = audit.events(session, business, limit=2)
        older = audit.events(session, business, before_id=newest[-1].id)
    assert [(e.action, e.at, e.details) for e in newest] == [
        ("logout", NOW + timedelta(minutes=2), {}),
        ("voicemail_played", NOW + timedelta(minutes=1), {"recording": 7}),
    ]
    assert [(e.action, e.actor, e.address) for e in older] == [("login", "anna@delinde.example", "127.0.0.1")]


def test_an_unknown_action_is_refused_and_old_entries_are_forgotten(database: Database, demo_text: str) -> None:
    business = apply_text(database, demo_text, NOW).stored.id
    with database.transaction() as session:
        with pytest.raises(ValueError, match="unknown audit action 'played'"):
            audit.record(session, business_id=business, actor="cli", action="played", at=NOW)
        audit.record(session, business_id=business, actor="cli", action="caller_exported", at=NOW - timedelta(days=800))
        audit.record(session, business_id=business, actor="cli", action="caller_erased", at=NOW)
    with database.transaction() as session:
        assert audit.forget_older_than(session, NOW - timedelta(days=audit.KEPT_DAYS)) == 1
        assert [e.action for e in audit.events(session, business)] == ["caller_erased"]
