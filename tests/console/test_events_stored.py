"""The console's events in the database, on SQLite and PostgreSQL (ivr.store.console_events): ids in order, only
the businesses asked for, kept a day, never given twice; and the feed that wakes a waiting console (ivr.console.feed).
"""

import asyncio
from datetime import UTC, datetime, timedelta

from ivr.console.feed import ConsoleFeed
from ivr.store import console_events
from ivr.store.console_events import KEEP_S, PutThrough
from ivr.store.database import Database
from ivr.usecases.documents import apply_text

AT = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)


def _event(business_id: int, call: str, at: datetime = AT) -> PutThrough:
    return PutThrough(business_id, call, "+31611112222", "menu", "1", at)


def test_events_come_back_in_order_for_the_businesses_asked_and_are_kept_a_day(
    database: Database, demo_text: str
) -> None:
    plumber = apply_text(database, demo_text, AT).stored.id
    with database.transaction() as session:
        first = console_events.add(session, _event(plumber, "CA1"))
        second = console_events.add(session, _event(plumber, "CA2", AT + timedelta(minutes=1)))
    with database.reading() as connection:
        assert [e.call_sid for e in console_events.after(connection, 0, [plumber])] == ["CA1", "CA2"]
        assert [e.call_sid for e in console_events.after(connection, first, [plumber])] == ["CA2"]
        assert console_events.after(connection, 0, []) == []
        assert console_events.after(connection, 0, [plumber + 1]) == []
        assert console_events.newest_id(connection) == second
        found = console_events.put_through(connection, "CA2")
        assert found is not None and (found.business_id, found.at, found.via, found.key) == (
            plumber,
            AT + timedelta(minutes=1),
            "menu",
            "1",
        )
        assert console_events.put_through(connection, "CA-unknown") is None
    # A day later the old events are pruned as a new one comes; its id is still newer than every one before.
    later = AT + timedelta(seconds=KEEP_S + 120)
    with database.transaction() as session:
        third = console_events.add(session, _event(plumber, "CA4", later))
    with database.reading() as connection:
        assert [e.call_sid for e in console_events.after(connection, 0, [plumber])] == ["CA4"]
    assert third > second


def test_a_waiting_console_is_woken_by_a_call_put_through_and_ends_when_the_feed_closes(
    database: Database, demo_text: str
) -> None:
    plumber = apply_text(database, demo_text, AT).stored.id
    feed = ConsoleFeed(database)

    async def scenario() -> None:
        assert await feed.next_events(0, {plumber}, wait_s=0.05) == []  # nothing yet: time for a keep-alive
        waiting = asyncio.ensure_future(feed.next_events(0, {plumber}, wait_s=30))
        await asyncio.sleep(0)  # it registers and reads before the call comes
        stored = await asyncio.to_thread(feed.publish, _event(plumber, "CA9"))
        found = await asyncio.wait_for(waiting, 10)
        assert found is not None and [(e.id, e.call_sid) for e in found] == [(stored, "CA9")]
        stop = asyncio.Event()
        stopping = asyncio.ensure_future(feed.next_events(stored or 0, {plumber}, wait_s=30, stop=stop))
        await asyncio.sleep(0)
        stop.set()
        assert await asyncio.wait_for(stopping, 10) is None  # the server is stopping: the stream ends
        feed.close()
        assert await feed.next_events(stored or 0, {plumber}, wait_s=30) is None

    asyncio.run(scenario())
