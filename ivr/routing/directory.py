"""From the number a caller dialled to the call flow's view of that business, with its routing remembered.

A call to a number seen since the last change is answered from memory, without the database and without a worker
thread (`Directory.cached`), also while the database is slow or away; otherwise one small query finds the business
and revision for the number (`Directory.lookup`). Parsing and converting a document costs far more, so that is done
once per (business, revision) and kept for every business: a saved change bumps the revision and is used from the
very next call. A revision newer than the routing snapshot holds (a change made through another process or replica)
is written to the snapshot, so the fallback rings the staff the database last named.

What is kept per business is the call flow's view for each part of day (`Routed`), with the parts equal between
the three held once, and not the validated document: with 10,000 businesses the documents (about 12 kB each as
pydantic models) were most of the server's memory (issue 12).
"""

import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from ivr.calendar.away import away_spells
from ivr.callflow.model import AwaySpell, Business, DialNumbers, Voicemail
from ivr.document.convert import to_business
from ivr.document.load import validate_document
from ivr.document.model import BusinessDocument
from ivr.store import businesses, calendars, revisions
from ivr.store.rendered import rendered_for
from ivr.store.revisions import Stamp, committed
from ivr.store.snapshot import Routing, RoutingSnapshot
from prompts import PARTS_OF_DAY, PartOfDay, part_of_day

log = logging.getLogger("greetline.directory")

# A change made by another replica (not through this machine's snapshot, not heard through LISTEN/NOTIFY) is heard
# by calls arriving this long after it, plus one check's time: the revision stamp (one aggregate query) is asked
# beside the calls (ivr.routing.watch.RevisionCheck), never in front of them, so a stalled database holds no call
# whose business is in memory (issue 25).
RECHECK_S = 0.25


@dataclass(frozen=True)
class Routed:
    """One revision of a business as calls need it: the call flow's view for each part of day."""

    timezone: ZoneInfo
    numbers: tuple[str, ...]
    by_part: dict[PartOfDay, Business]
    # The calendar feed whose away spells calls follow (calendar: {when_away: service}); None: no calendar to read.
    calendar_url: str | None = None

    def business_at(self, now: datetime) -> Business:
        return self.by_part[part_of_day(now.astimezone(self.timezone).hour)]


def routed(
    document: BusinessDocument, business_id: int, rendered: Mapping[str, str], playable: Callable[[str], bool]
) -> Routed:
    first, *others = (
        to_business(document, business_id, part_of_day=part, rendered=rendered, playable=playable)
        for part in PARTS_OF_DAY
    )
    # The parts of day differ only in the texts with a salutation: the rest is held once.
    converted = [first, *(shared(other, first) for other in others)]
    by_part = dict(zip(PARTS_OF_DAY, converted, strict=True))
    url = document.calendar.ics if document.calendar is not None and first.away_to_service else None
    return Routed(ZoneInfo(document.timezone), tuple(document.numbers), by_part, url)


def with_away(loaded: Routed, spells: tuple[AwaySpell, ...]) -> Routed:
    """The same revision with the calendar's away spells as last read (new objects: first answers are decided
    afresh, ivr.web.first_answers)."""
    if loaded.by_part[PARTS_OF_DAY[0]].away == spells:
        return loaded
    by_part = {part: replace(business, away=spells) for part, business in loaded.by_part.items()}
    return replace(loaded, by_part=by_part)


T = TypeVar("T")


def shared(value: T, like: object) -> T:
    """`value` with every part equal to the same part of `like` replaced by that one (frozen data: safe to share)."""
    if type(value) is not type(like):
        return value
    if value == like:
        return like  # the same type, checked above
    if is_dataclass(value) and not isinstance(value, type):
        parts: dict[str, Any] = {
            field.name: shared(getattr(value, field.name), getattr(like, field.name)) for field in fields(value)
        }
        return replace(value, **parts)
    if isinstance(value, tuple) and type(value) is tuple and isinstance(like, tuple) and len(value) == len(like):
        return tuple(shared(mine, theirs) for mine, theirs in zip(value, like, strict=True))  # type: ignore[return-value]
    return value


def routing_for(business: Business, revision: int, numbers: tuple[str, ...] | list[str]) -> dict[str, Routing]:
    """What the fallback needs for each of a business's numbers (the unavailable text does not vary by hour)."""
    overflow = business.overflow
    routing = Routing(
        business_id=business.id,
        revision=revision,
        operators=business.operators,
        language=business.language.value,
        country=business.country.value,
        unavailable=business.texts.unavailable.text,
        overflow=overflow.numbers if isinstance(overflow, DialNumbers) else (),
        voicemail_box=overflow.box if isinstance(overflow, Voicemail) else "",
        voicemail=business.texts.voicemail.text,
    )
    return {number: routing for number in numbers}


def routing_of(document: BusinessDocument, business_id: int, revision: int) -> dict[str, Routing]:
    business = to_business(document, business_id, part_of_day="afternoon", rendered={}, playable=lambda _id: False)
    return routing_for(business, revision, document.numbers)


class Miss(Enum):
    """The directory cannot answer from memory: ask again with a database connection (in a worker thread)."""

    MISS = "miss"


MISS = Miss.MISS


class Directory:
    """Number → business in memory; the database is asked only for a number not seen since the last change.

    Kept current three ways: a change committed by this process is heard from the very next call
    (ivr.store.revisions.committed), a change written to the routing snapshot by another process on this machine
    (`greetline apply`) or notified by another replica (ivr.store.notifications) likewise, and any other change
    within `recheck_s`: a call arriving later than that after the last check asks for one (`check_due`), which a
    background thread runs (`recheck`) while the call is answered from memory.
    """

    def __init__(
        self,
        media_exists: Callable[[str], bool] = lambda _media_id: False,
        routing: RoutingSnapshot | None = None,
        recheck_s: float = RECHECK_S,
        drafts: Mapping[int, BusinessDocument] | None = None,
    ) -> None:
        """`drafts`: documents not saved yet, answered in place of the stored ones (a preview's own directory)."""
        self._drafts = dict(drafts or {})
        # A recording whose file is missing is left out, so the caller hears <Say> instead of an error.
        self._media_exists = media_exists
        # Not `routing or ...`: an empty snapshot is falsy (it has a length), and must still be the one shared.
        self._routing = routing if routing is not None else RoutingSnapshot(None)
        self._recheck_s = recheck_s
        # One entry per business (its latest revision seen), so a miss never parses a document again.
        self._documents: dict[int, tuple[int, Routed]] = {}
        # Versions by number and by business id, valid while `_heard` is what the sources of change say.
        self._by_number: dict[str, tuple[int, int] | None] = {}
        self._by_id: dict[int, tuple[int, int] | None] = {}
        self._heard: tuple[int, int] = (-1, -1)
        self._stamp: Stamp | None = None
        self._checked_at = -math.inf
        # Set by a call that found the revision check due; the background check waits on it.
        self.check_due = threading.Event()
        self.documents_loaded = 0  # documents parsed so far: the heap grew (ivr.web.process_levers)

    # -- from memory (on the event loop) -------------------------------------------------------------------------

    def cached(self, number: str, now: datetime) -> Business | Miss | None:
        return self._cached(lambda: self._by_number.get(number, MISS), now)

    def cached_by_id(self, business_id: int, now: datetime) -> Business | Miss | None:
        return self._cached(lambda: self._by_id.get(business_id, MISS), now)

    def _cached(self, version_of: Callable[[], tuple[int, int] | Miss | None], now: datetime) -> Business | Miss | None:
        if not self._current():  # may replace the maps: read them only after
            return MISS
        version = version_of()
        if isinstance(version, Miss):
            return MISS
        return self._from_memory(version, now)

    def _current(self) -> bool:
        """False when the maps are stale: a change was heard. A revision check that is due is asked for, not waited
        for: the database may be slow or away, and what memory holds is what it last said."""
        heard = (committed(), self._routing.generation())
        if heard != self._heard:
            self._forget(heard)
            return False
        if time.monotonic() - self._checked_at >= self._recheck_s:
            self.check_due.set()
        return True

    def _forget(self, heard: tuple[int, int]) -> None:
        # New dicts rather than clear(): a worker thread filling the old ones cannot put a stale entry back.
        self._by_number, self._by_id, self._heard = {}, {}, heard

    def _from_memory(self, version: tuple[int, int] | None, now: datetime) -> Business | Miss | None:
        if version is None:
            return None
        found = self._documents.get(version[0])
        if found is None or found[0] != version[1]:
            return MISS
        return found[1].business_at(now)

    # -- with the database (in a worker thread) ------------------------------------------------------------------

    def recheck(self, connection: Connection) -> None:
        """The background revision check (ivr.routing.watch.RevisionCheck): a changed stamp empties the maps, so
        the next call to each number asks the database again."""
        self._check(connection, due=True)

    def _check(
        self, connection: Connection, *, due: bool = False
    ) -> tuple[dict[str, tuple[int, int] | None], dict[int, tuple[int, int] | None]]:
        """The maps to fill, after asking the database whether anything changed if that is due."""
        self._routing.reload()  # in a worker thread here: the file may be read and parsed
        self._current()  # forgets the maps if this process or the snapshot heard of a change
        maps = self._by_number, self._by_id
        if due or time.monotonic() - self._checked_at >= self._recheck_s:
            checked_at = time.monotonic()
            self.check_due.clear()
            stamp = revisions.stamp(connection)
            if stamp != self._stamp:
                self._forget(self._heard)
                maps = self._by_number, self._by_id
                self._stamp = stamp
            self._checked_at = checked_at
        return maps

    def _document(
        self, connection: Connection, version: tuple[int, int] | None
    ) -> tuple[tuple[int, int], Routed] | None:
        if version is None:
            return None
        found = self._documents.get(version[0])
        if found is not None and found[0] == version[1]:
            return version, self._with_calendar(connection, version, found[1])
        stored = businesses.document_of(connection, version[0])
        if stored is None:  # deleted between the two queries
            return None
        version = (stored.id, stored.revision)
        draft = self._drafts.get(stored.id)
        document = draft if draft is not None else validate_document(stored.document)
        # Rendered recordings by the exact text they speak; only those whose file is present.
        recordings = {
            text: prompt.media_id
            for text, prompt in rendered_for(connection, stored.id, document.language).items()
            if self._media_exists(prompt.media_id)
        }
        loaded = routed(document, stored.id, recordings, self._media_exists)
        self.documents_loaded += 1
        return version, self._with_calendar(connection, version, loaded)

    def _with_calendar(self, connection: Connection, version: tuple[int, int], loaded: Routed) -> Routed:
        """A miss comes after a change was heard, which may be a calendar's: its spells are read again (one small
        query, only for a business whose calls follow its calendar)."""
        if loaded.calendar_url is not None:
            loaded = with_away(loaded, away_spells(calendars.events_of(connection, version[0], loaded.calendar_url)))
        self._documents[version[0]] = (version[1], loaded)
        return loaded

    def local_to_aware(self, connection: Connection, number: str, local: datetime) -> datetime:
        """A wall-clock time at the business (naive) as an instant; unknown numbers read it as UTC."""
        found = self._document(connection, businesses.version_of_number(connection, number))
        return local.replace(tzinfo=found[1].timezone if found else UTC)

    def lookup(self, connection: Connection, number: str, now: datetime) -> Business | None:
        by_number, _by_id = self._check(connection)
        version = by_number.get(number, MISS)
        if version is MISS:
            version = businesses.version_of_number(connection, number)
        business = self._business(connection, version, now)
        if business is not None and version is not None:
            self._note_routing(number, version)
        by_number[number] = version
        return business

    def _note_routing(self, number: str, version: tuple[int, int]) -> None:
        known = self._routing.revision_of(number)
        if known is not None and known >= version[1]:
            return  # the usual case: one dict lookup per call
        found = self._documents.get(version[0])
        if found is None or found[0] != version[1]:
            return
        try:
            routing = routing_for(found[1].by_part["afternoon"], version[1], found[1].numbers)
            self._routing.put_business(version[0], version[1], routing)
        except OSError as error:  # the call goes on; the snapshot is rewritten on the next change or reconnection
            log.error("could not rewrite the routing snapshot: %r", error)

    def lookup_by_id(self, connection: Connection, business_id: int, now: datetime) -> Business | None:
        _by_number, by_id = self._check(connection)
        version = by_id.get(business_id, MISS)
        if version is MISS:
            version = businesses.version_of_business(connection, business_id)
        business = self._business(connection, version, now)
        by_id[business_id] = version
        return business

    def _business(self, connection: Connection, version: tuple[int, int] | None, now: datetime) -> Business | None:
        found = self._document(connection, version)
        if found is None:
            return None
        return found[1].business_at(now)

    def last_known(self, number: str) -> Routing | None:
        """The number's routing as last saved or seen, to answer calls while the database is away."""
        return self._routing.get(number)

    def snapshot_stale(self) -> bool:
        """Another process rewrote the routing snapshot since it was read (one stat): `read_snapshot` before
        answering from memory, in a worker thread."""
        return self._routing.stale()

    def read_snapshot(self) -> None:
        """Blocking: read and parse the rewritten routing snapshot (never on the event loop)."""
        self._routing.reload()
