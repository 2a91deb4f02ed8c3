"""From the number a caller dialled to the call flow's view of that business, with its routing remembered.

Every call asks the database one small question: which business and revision answer this number. Parsing
and converting the document costs far more, so that is done once per (business, revision, part of day):
a saved change bumps the revision and is used from the very next call. A revision newer than the routing
snapshot holds (a change made through another process or replica) is written to the snapshot, so the fallback
rings the staff the database last named.
"""

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from ivr.callflow.model import Business
from ivr.document.convert import to_business
from ivr.document.load import validate_document
from ivr.document.model import BusinessDocument
from ivr.store import businesses
from ivr.store.rendered import rendered_for
from ivr.store.snapshot import Routing, RoutingSnapshot
from prompts import PartOfDay, part_of_day

log = logging.getLogger("greetline.directory")

# Enough for every business a single server hosts; beyond that the least recently called are parsed again.
CACHE_SIZE = 1024

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Loaded:
    document: BusinessDocument
    # Rendered recordings by the exact text they speak; only those whose file is present.
    recordings: dict[str, str]


def routing_of(document: BusinessDocument, business_id: int, revision: int) -> dict[str, Routing]:
    """What the fallback needs for each of a business's numbers (the unavailable text does not vary by hour)."""
    business = to_business(document, business_id, part_of_day="afternoon", rendered={}, playable=lambda _id: False)
    routing = Routing(
        business_id=business_id,
        revision=revision,
        operators=business.operators,
        language=business.language.value,
        country=business.country.value,
        unavailable=business.texts.unavailable.text,
    )
    return {number: routing for number in document.numbers}


class Directory:
    def __init__(
        self, media_exists: Callable[[str], bool] = lambda _media_id: False, routing: RoutingSnapshot | None = None
    ) -> None:
        # A recording whose file is missing is left out, so the caller hears <Say> instead of an error.
        self._media_exists = media_exists
        self._documents: OrderedDict[tuple[int, int], Loaded] = OrderedDict()
        self._converted: OrderedDict[tuple[int, int, PartOfDay], Business] = OrderedDict()
        self._routing = routing or RoutingSnapshot(None)

    def _document(
        self, connection: Connection, version: tuple[int, int] | None
    ) -> tuple[tuple[int, int], Loaded] | None:
        if version is None:
            return None
        loaded = self._documents.get(version)
        if loaded is None:
            stored = businesses.document_of(connection, version[0])
            if stored is None:  # deleted between the two queries
                return None
            version = (stored.id, stored.revision)
            document = validate_document(stored.document)
            recordings = {
                text: prompt.media_id
                for text, prompt in rendered_for(connection, stored.id, document.language).items()
                if self._media_exists(prompt.media_id)
            }
            loaded = Loaded(document, recordings)
            _remember(self._documents, version, loaded)
        return version, loaded

    def local_to_aware(self, connection: Connection, number: str, local: datetime) -> datetime:
        """A wall-clock time at the business (naive) as an instant; unknown numbers read it as UTC."""
        found = self._document(connection, businesses.version_of_number(connection, number))
        return local.replace(tzinfo=ZoneInfo(found[1].document.timezone) if found else UTC)

    def lookup(self, connection: Connection, number: str, now: datetime) -> Business | None:
        version = businesses.version_of_number(connection, number)
        business = self._business(connection, version, now)
        if business is not None and version is not None:
            self._note_routing(number, version)
        return business

    def _note_routing(self, number: str, version: tuple[int, int]) -> None:
        known = self._routing.revision_of(number)
        if known is not None and known >= version[1]:
            return  # the usual case: one dict lookup per call
        loaded = self._documents.get(version)
        if loaded is None:
            return
        try:
            self._routing.put_business(version[0], version[1], routing_of(loaded.document, *version))
        except OSError as error:  # the call goes on; the snapshot is rewritten on the next change or reconnection
            log.error("could not rewrite the routing snapshot: %r", error)

    def lookup_by_id(self, connection: Connection, business_id: int, now: datetime) -> Business | None:
        return self._business(connection, businesses.version_of_business(connection, business_id), now)

    def _business(self, connection: Connection, version: tuple[int, int] | None, now: datetime) -> Business | None:
        found = self._document(connection, version)
        if found is None:
            return None
        (business_id, revision), loaded = found
        part = part_of_day(now.astimezone(ZoneInfo(loaded.document.timezone)).hour)
        business = self._converted.get((business_id, revision, part))
        if business is None:
            business = to_business(
                loaded.document, business_id, part_of_day=part, rendered=loaded.recordings, playable=self._media_exists
            )
            _remember(self._converted, (business_id, revision, part), business)
        return business

    def last_known(self, number: str) -> Routing | None:
        """The number's routing as last saved or seen, to answer calls while the database is away."""
        return self._routing.get(number)


def _remember(cache: "OrderedDict[K, V]", key: K, value: V) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
