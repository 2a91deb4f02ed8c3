"""The worker's calendar jobs: each business's feed fetched, read for today and tomorrow, and stored; a refused
fetch keeps the last good copy (calls go on as it says) and stores why, for the card.

`refresh_calendar` is one business's use case; the jobs (`CalendarRefresh`) are queued
every GREETLINE_CALENDAR_EVERY_S by their own schedule, one per business with a calendar, and the worker runs them
side by side (a kind it runs concurrently, ivr.jobs.worker). Each fetch is bounded by GREETLINE_CALENDAR_TIMEOUT_S
(at most 60 s), well within its own job's lease (GREETLINE_JOB_LEASE_S): a slow feed delays only its own business.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ivr.calendar.away import CalendarRefused, away_spells, window_of
from ivr.calendar.fetch import FeedFetcher
from ivr.callflow.model import AwaySpell
from ivr.document.model import DEFAULT_TIMEZONE
from ivr.store import businesses, calendars, jobs
from ivr.store.database import Database
from ivr.store.jobs import JobSpec

log = logging.getLogger("greetline.calendar")

CALENDARS = "calendars"
# What a refresh stored: a good copy, a capped one, or the refusal's code (ivr.calendar.away.Refusal).
GOOD = "ok"
CAPPED = "capped"


@dataclass(frozen=True)
class Feed:
    business_id: int
    url: str
    timezone: str


def feed_of(business_id: int, document: Mapping[str, Any]) -> Feed | None:
    """A stored document's calendar feed (validated when it was stored), if it names one."""
    calendar = document.get("calendar")
    if not isinstance(calendar, Mapping) or not calendar.get("ics"):
        return None
    return Feed(business_id, str(calendar["ics"]), str(document.get("timezone") or DEFAULT_TIMEZONE))


def refresh_calendar(database: Database, fetcher: FeedFetcher, feed: Feed, now: datetime) -> str:
    """Fetch and read one feed outside any transaction, then store the copy or the refusal in one."""
    from ivr.calendar.reading import read_calendar  # icalendar: loaded by the first fetch, not by a server's start

    try:
        read = read_calendar(fetcher.fetch(feed.url), window_of(now, feed.timezone), feed.timezone)
    except CalendarRefused as refused:
        log.warning("calendar of business %d not taken: %s", feed.business_id, refused)
        with database.transaction() as session:
            calendars.store_refused(session, feed.business_id, feed.url, refused.code.value, refused.detail, now)
        return refused.code.value
    with database.transaction() as session:
        calendars.store_good(session, feed.business_id, feed.url, read.events, read.capped, now)
    return CAPPED if read.capped else GOOD


class CalendarRefresh:
    """The worker's job and its schedule: for each business with a calendar, once per GREETLINE_CALENDAR_EVERY_S
    slot, whatever the number of workers (the key makes repeats no-ops).

    The schedule runs every half minute; like the daily summary's (ivr.messages.notes) it reads again only the
    documents whose revision changed, keeping each business's feed, not its document."""

    def __init__(
        self, database: Database, fetcher: FeedFetcher, clock: Callable[[], datetime], *, every_s: float
    ) -> None:
        self._database = database
        self._fetcher = fetcher
        self._clock = clock
        self._every_s = every_s
        self._feeds: dict[int, tuple[int, Feed | None]] = {}

    def feeds(self) -> list[Feed]:
        with self._database.reading() as connection:
            current = businesses.revisions(connection)
            changed = [id_ for id_, revision in current.items() if self._feeds.get(id_, (0,))[0] != revision]
            for stored in businesses.documents_of(connection, changed):
                self._feeds[stored.id] = (stored.revision, feed_of(stored.id, stored.document))
        for gone in self._feeds.keys() - current.keys():
            del self._feeds[gone]
        return [feed for _revision, feed in self._feeds.values() if feed is not None]

    def schedule(self, now: datetime) -> list[JobSpec]:
        slot = int(now.timestamp() // self._every_s)
        return [
            JobSpec(f"{CALENDARS}:{id_}:{slot}", CALENDARS, {"business_id": id_}, business_id=id_)
            for id_ in (feed.business_id for feed in self.feeds())
        ]

    def __call__(self, args: dict[str, Any]) -> None:
        """One business's feed, as its document names it now (it may have changed or gone since it was queued).
        Called from several threads at once: it reads the database, not the schedule's memory."""
        if "business_id" not in args:
            return  # an every-feed job queued by an older version: its slot's per-business jobs do the work
        business_id = int(args["business_id"])
        with self._database.transaction() as session:
            jobs.forget_done(session, CALENDARS, business_id)  # the earlier slots' (this one is running)
        with self._database.reading() as connection:
            stored = businesses.document_of(connection, business_id)
        feed = feed_of(stored.id, stored.document) if stored is not None else None
        if feed is not None:
            refresh_calendar(self._database, self._fetcher, feed, self._clock())


def timezone_of_number(database: Database, number: str) -> str:
    """The zone of the business answering `number` (a feed's floating times are its local time), else the default."""
    with database.reading() as connection:
        version = businesses.version_of_number(connection, number)
        stored = businesses.document_of(connection, version[0]) if version else None
    return str(stored.document.get("timezone") or DEFAULT_TIMEZONE) if stored else DEFAULT_TIMEZONE


def simulated_away(feed: bytes, timezone: str, moment: datetime) -> tuple[AwaySpell, ...]:
    """`greetline call --calendar FILE.ics`: the file's away spells around the call's moment, read as the worker
    reads a feed (CalendarRefused when it is not a calendar)."""
    from ivr.calendar.reading import read_calendar

    return away_spells(read_calendar(feed, window_of(moment, timezone), timezone).events)
