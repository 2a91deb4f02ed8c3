"""From the number a caller dialled to the call flow's view of that business, with the last one remembered.

Every call asks the database one small question: which business and revision answer this number. Parsing
and converting the document costs far more, so that is done once per (business, revision, part of day):
a saved change bumps the revision and is used from the very next call.
"""

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
from prompts import PartOfDay, part_of_day

# Enough for every business a single server hosts; beyond that the least recently called are parsed again.
CACHE_SIZE = 1024

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Loaded:
    document: BusinessDocument
    # Rendered recordings by the exact text they speak; only those whose file is present.
    recordings: dict[str, str]


class Directory:
    def __init__(self, media_exists: Callable[[str], bool] = lambda _media_id: False) -> None:
        # A recording whose file is missing is left out, so the caller hears <Say> instead of an error.
        self._media_exists = media_exists
        self._documents: OrderedDict[tuple[int, int], Loaded] = OrderedDict()
        self._converted: OrderedDict[tuple[int, int, PartOfDay], Business] = OrderedDict()
        self._last_known: dict[str, Business] = {}

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
        business = self._business(connection, businesses.version_of_number(connection, number), now)
        if business is not None:
            self._last_known[number] = business
        return business

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

    def last_known(self, number: str) -> Business | None:
        """The business as it last loaded, to answer calls while the database is down."""
        return self._last_known.get(number)


def _remember(cache: "OrderedDict[K, V]", key: K, value: V) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
