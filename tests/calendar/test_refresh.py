"""The worker's calendar job on a real database (SQLite and PostgreSQL) against a calendar server on 127.0.0.1: a good
copy stored and followed by calls from the very next one; a bad answer refused with its reason, the last good copy
kept, calls unaffected; each business's feed its own job, so a slow one delays only itself."""

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ivr.calendar.away import Refusal
from ivr.calendar.fetch import FeedFetcher, HttpFeedFetcher
from ivr.calendar.refresh import CALENDARS, CAPPED, GOOD, CalendarRefresh, Feed, refresh_calendar
from ivr.jobs.worker import Worker
from ivr.routing.directory import Directory, Miss
from ivr.store import calendars
from ivr.store.database import Database
from ivr.store.tables import JobRow
from ivr.usecases.documents import apply_text
from tests.calendar.feeds import event, feed
from tests.fakes.calendar_feed import Answer, FakeCalendarServer

pytest_plugins = ["tests.fakes.calendar_feed"]

NUMBER = "+31201234567"
# Tuesday 24 November 2026, 10:15 in Amsterdam.
NOW = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
TZ = ";TZID=Europe/Amsterdam:"
ZONE = "Europe/Amsterdam"
AWAY = feed(event("1", f"{TZ}20261124T090000", f"{TZ}20261124T150000", "Afwezig", "TRANSP:TRANSPARENT"))
BACK = feed(event("1", f"{TZ}20261124T090000", f"{TZ}20261124T110000", "Afwezig", "TRANSP:TRANSPARENT"))


def _document(url: str, number: str = NUMBER) -> str:
    return f"""\
business: Installatiebedrijf Jansen
numbers: ["{number}"]
operators: ["+31501111111"]
overflow: {{dial: "+31208888888"}}
calendar: {{ics: "{url}", when_away: service}}
"""


def test_a_good_copy_is_followed_by_calls_and_a_bad_answer_keeps_it(
    database: Database, calendar_feed: FakeCalendarServer
) -> None:
    url = calendar_feed.serve("/basic.ics", Answer(AWAY))
    business_id = apply_text(database, _document(url), NOW).stored.id
    fetcher = HttpFeedFetcher(timeout_s=2, allow_private=True, max_bytes=10_000)
    directory = Directory()
    with database.reading() as connection:
        assert directory.lookup(connection, NUMBER, NOW).away == ()  # type: ignore[union-attr]

    assert refresh_calendar(database, fetcher, Feed(business_id, url, ZONE), NOW) == GOOD
    spell = (datetime(2026, 11, 24, 8, tzinfo=UTC), datetime(2026, 11, 24, 14, tzinfo=UTC))
    # The change was heard: the next call reads the spells (the directory asks the database again once).
    assert isinstance(directory.cached(NUMBER, NOW), Miss)
    with database.reading() as connection:
        assert directory.lookup(connection, NUMBER, NOW).away == (spell,)  # type: ignore[union-attr]

    for answer, refusal in [
        (Answer(b"<html>Sign in to Google</html>", content_type="text/html"), Refusal.NOT_ICALENDAR),
        (Answer(b"BEGIN:VCALENDAR" + b"x" * 10_000), Refusal.TOO_BIG),
        (Answer(b"", 500), Refusal.HTTP_ERROR),
    ]:
        calendar_feed.serve("/basic.ics", answer)
        assert refresh_calendar(database, fetcher, Feed(business_id, url, ZONE), NOW) == refusal.value
        with database.transaction() as session:
            copy = calendars.copy_of(session, business_id, url)
        assert copy is not None and copy.problem == refusal.value and copy.fetched_at == NOW
        assert [(e.title, e.away) for e in copy.events] == [("Afwezig", True)]
        with database.reading() as connection:
            assert directory.lookup(connection, NUMBER, NOW).away == (spell,)  # type: ignore[union-attr]

    calendar_feed.serve("/basic.ics", Answer(BACK))
    assert refresh_calendar(database, fetcher, Feed(business_id, url, ZONE), NOW) == GOOD
    with database.reading() as connection:
        shorter = (spell[0], datetime(2026, 11, 24, 10, tzinfo=UTC))
        assert directory.lookup(connection, NUMBER, NOW).away == (shorter,)  # type: ignore[union-attr]
    with database.transaction() as session:
        copy = calendars.copy_of(session, business_id, url)
    assert copy is not None and copy.problem is None


def test_a_capped_copy_is_taken_and_says_so(database: Database, calendar_feed: FakeCalendarServer) -> None:
    many = [event(str(i), ":20261124T100000Z", ":20261124T110000Z", f"x{i}", "TRANSP:TRANSPARENT") for i in range(300)]
    url = calendar_feed.serve("/many.ics", Answer(feed(*many)))
    business_id = apply_text(database, _document(url), NOW).stored.id
    fetcher = HttpFeedFetcher(timeout_s=5, allow_private=True)
    assert refresh_calendar(database, fetcher, Feed(business_id, url, ZONE), NOW) == CAPPED


def test_a_job_is_queued_for_each_calendar_once_a_slot(database: Database, calendar_feed: FakeCalendarServer) -> None:
    fetcher = HttpFeedFetcher(timeout_s=2, allow_private=True)
    refresh = CalendarRefresh(database, fetcher, lambda: NOW, every_s=300)
    without = _document("https://example.invalid/x.ics").replace("calendar: ", "# calendar: ")
    apply_text(database, without, NOW)
    assert refresh.schedule(NOW) == []
    url = calendar_feed.serve("/basic.ics", Answer(AWAY))
    business_id = apply_text(database, _document(url), NOW).stored.id  # the same number: the document changed
    (job,) = refresh.schedule(NOW)
    assert job.args == {"business_id": business_id}
    assert refresh.schedule(NOW + timedelta(seconds=299 - NOW.timestamp() % 300)) == [job]
    assert refresh.schedule(NOW + timedelta(seconds=300)) != [job]
    other = apply_text(database, _document(url, "+31207654321"), NOW).stored.id
    assert [spec.args for spec in refresh.schedule(NOW)] == [{"business_id": business_id}, {"business_id": other}]
    refresh(job.args)
    assert calendar_feed.requests == ["/basic.ics"]


class _ReleasedBy:
    """The worker's fetcher, which lets the stalled feed answer once `releaser`'s feed has been fetched."""

    def __init__(self, fetcher: FeedFetcher, releaser: str, released: threading.Event) -> None:
        self._fetcher, self._releaser, self._released = fetcher, releaser, released

    def fetch(self, url: str) -> bytes:
        try:
            return self._fetcher.fetch(url)
        finally:
            if url == self._releaser:
                self._released.set()


def test_a_slow_feed_delays_only_its_own_business(database: Database, calendar_feed: FakeCalendarServer) -> None:
    """The slow feed holds its answer until the other business's feed has been fetched: done one after the other
    (the slow one is queued first), the slow one would wait out its 30 s timeout and the other come after it."""
    slow_url = calendar_feed.serve("/slow.ics", Answer(AWAY, stall=True))
    slow = apply_text(database, _document(slow_url), NOW).stored.id
    fast_url = calendar_feed.serve("/fast.ics", Answer(AWAY))
    fast = apply_text(database, _document(fast_url, "+31207654321"), NOW).stored.id
    fetcher = _ReleasedBy(HttpFeedFetcher(timeout_s=30, allow_private=True), fast_url, calendar_feed.released)
    refresh = CalendarRefresh(database, fetcher, lambda: NOW, every_s=300)
    worker = Worker(
        database, {CALENDARS: refresh}, clock=lambda: NOW, schedules=[refresh.schedule], concurrent={CALENDARS}
    )
    assert worker.run_schedules() == 2
    started = time.monotonic()
    assert worker.run_due() == 2
    assert time.monotonic() - started < 25, "the slow feed waited out its timeout: the feeds ran one after the other"
    with database.transaction() as session:
        fast_copy, slow_copy = calendars.copy_of(session, fast, fast_url), calendars.copy_of(session, slow, slow_url)
    assert fast_copy is not None and fast_copy.problem is None and fast_copy.fetched_at == NOW
    assert slow_copy is not None and slow_copy.problem == Refusal.NOT_ICALENDAR.value


def test_a_business_keeps_only_its_latest_refresh_job(database: Database, calendar_feed: FakeCalendarServer) -> None:
    """A job each five minutes for each calendar: the earlier ones are forgotten as the next one runs."""
    url = calendar_feed.serve("/basic.ics", Answer(AWAY))
    business_id = apply_text(database, _document(url), NOW).stored.id
    moments = [NOW, NOW + timedelta(seconds=300), NOW + timedelta(seconds=600)]
    refresh = CalendarRefresh(database, HttpFeedFetcher(timeout_s=5, allow_private=True), lambda: NOW, every_s=300)
    for moment in moments:
        worker = Worker(database, {CALENDARS: refresh}, clock=lambda at=moment: at, schedules=[refresh.schedule])
        assert (worker.run_schedules(), worker.run_due()) == (1, 1)
    with database.transaction() as session:
        kept = session.execute(select(JobRow.key, JobRow.state, JobRow.business_id)).all()
    slot = int(moments[-1].timestamp() // 300)
    assert kept == [(f"{CALENDARS}:{business_id}:{slot}", "done", business_id)]
    assert calendar_feed.requests == ["/basic.ics"] * 3
