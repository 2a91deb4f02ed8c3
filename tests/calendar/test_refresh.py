"""The worker's calendar job on a real database (SQLite and PostgreSQL) against a calendar server on 127.0.0.1: a good
copy stored and followed by calls from the very next one; a bad answer refused with its reason, the last good copy
kept, calls unaffected."""

from datetime import UTC, datetime, timedelta

from ivr.calendar.away import Refusal
from ivr.calendar.fetch import HttpFeedFetcher
from ivr.calendar.refresh import CAPPED, GOOD, CalendarRefresh, Feed, refresh_calendars
from ivr.routing.directory import Directory, Miss
from ivr.store import calendars
from ivr.store.database import Database
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


def _document(url: str) -> str:
    return f"""\
business: Installatiebedrijf Jansen
numbers: ["{NUMBER}"]
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

    assert refresh_calendars(database, fetcher, [Feed(business_id, url, ZONE)], NOW) == {business_id: GOOD}
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
        assert refresh_calendars(database, fetcher, [Feed(business_id, url, ZONE)], NOW) == {business_id: refusal.value}
        with database.transaction() as session:
            copy = calendars.copy_of(session, business_id, url)
        assert copy is not None and copy.problem == refusal.value and copy.fetched_at == NOW
        assert [(e.title, e.away) for e in copy.events] == [("Afwezig", True)]
        with database.reading() as connection:
            assert directory.lookup(connection, NUMBER, NOW).away == (spell,)  # type: ignore[union-attr]

    calendar_feed.serve("/basic.ics", Answer(BACK))
    assert refresh_calendars(database, fetcher, [Feed(business_id, url, ZONE)], NOW) == {business_id: GOOD}
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
    assert refresh_calendars(database, fetcher, [Feed(business_id, url, ZONE)], NOW) == {business_id: CAPPED}


def test_the_job_is_queued_once_a_slot_and_only_while_some_business_has_a_calendar(
    database: Database, calendar_feed: FakeCalendarServer
) -> None:
    fetcher = HttpFeedFetcher(timeout_s=2, allow_private=True)
    refresh = CalendarRefresh(database, fetcher, lambda: NOW, every_s=300)
    without = _document("https://example.invalid/x.ics").replace("calendar: ", "# calendar: ")
    apply_text(database, without, NOW)
    assert refresh.schedule(NOW) == []
    url = calendar_feed.serve("/basic.ics", Answer(AWAY))
    apply_text(database, _document(url), NOW)  # the same number: the document changed
    (job,) = refresh.schedule(NOW)
    assert refresh.schedule(NOW + timedelta(seconds=299 - NOW.timestamp() % 300)) == [job]
    assert refresh.schedule(NOW + timedelta(seconds=300)) != [job]
    refresh(job.args)
    assert calendar_feed.requests == ["/basic.ics"]
