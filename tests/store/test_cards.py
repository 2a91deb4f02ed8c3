"""The card's token and the call notes against real SQLite and PostgreSQL, each on a fresh, migrated database."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from ivr.errors import NotFoundError
from ivr.store import cards
from ivr.store.cards import CallNote
from ivr.store.database import Database
from ivr.store.tables import BusinessRow, CardTokenRow
from ivr.usecases.documents import apply_text

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OTHER = 'business: Jansen\nnumbers: ["+31201234567"]\noperators: ["+31612345678"]\n'


def test_a_token_opens_its_business_only_until_rotated_and_only_its_hash_is_kept(
    database: Database, demo_text: str
) -> None:
    demo = apply_text(database, demo_text, NOW).stored.id
    other = apply_text(database, OTHER, NOW).stored.id
    with database.transaction() as session:
        first, others = cards.rotate(session, demo, NOW), cards.rotate(session, other, NOW)
    with database.transaction() as session:
        assert (cards.business_of(session, first), cards.business_of(session, others)) == (demo, other)
        stored = session.get(CardTokenRow, demo)
        assert stored is not None and first not in stored.token_hash and len(stored.token_hash) == 64
        second = cards.rotate(session, demo, NOW + timedelta(hours=1))
    with database.transaction() as session:
        assert cards.business_of(session, second) == demo
        assert cards.made_at(session, demo) == NOW + timedelta(hours=1)
        for wrong in (first, first[:-1], "", "x" * 43):
            with pytest.raises(NotFoundError):
                cards.business_of(session, wrong)
    with database.transaction() as session:  # the card goes with its business
        session.execute(delete(BusinessRow).where(BusinessRow.id == demo))
    with database.transaction() as session, pytest.raises(NotFoundError):
        cards.business_of(session, second)


def test_notes_are_listed_newest_first_per_business_and_marked_handled(database: Database, demo_text: str) -> None:
    demo = apply_text(database, demo_text, NOW).stored.id
    other = apply_text(database, OTHER, NOW).stored.id
    written = [
        CallNote(cards.new_note_id(), demo, "Jan", "+31612345678", "Bel terug.", False, NOW),
        CallNote(cards.new_note_id(), demo, "Piet", None, "Spoed!", True, NOW + timedelta(minutes=5)),
        CallNote(cards.new_note_id(), other, "Kees", None, "Offerte.", False, NOW),
    ]
    with database.transaction() as session:
        for note in written:
            cards.add_note(session, note)
    with database.transaction() as session:
        assert cards.notes(session, demo) == [written[1], written[0]]
        assert cards.notes(session, demo, since=NOW + timedelta(minutes=1)) == [written[1]]
        cards.note_handled(session, demo, written[0].note_id, NOW + timedelta(hours=1))
        with pytest.raises(NotFoundError):  # another business's note is not this one's to handle
            cards.note_handled(session, demo, written[2].note_id, NOW)
    with database.transaction() as session:
        handled = cards.get_note(session, written[0].note_id)
        assert handled is not None and handled.handled_at == NOW + timedelta(hours=1)
