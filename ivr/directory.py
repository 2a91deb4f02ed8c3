"""From the number a caller dialled to the call flow's view of that business, with the last one remembered.

Every call asks the database one small question: which business and revision answer this number. Parsing
and converting the document costs far more, so that is done once per (business, revision, part of day):
a saved change bumps the revision and is used from the very next call.
"""

from collections import OrderedDict
from datetime import UTC, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from ivr.callflow.model import Business
from ivr.document.convert import to_business
from ivr.document.load import validate_document
from ivr.document.model import BusinessDocument
from ivr.store import businesses
from prompts import PartOfDay, part_of_day

# Enough for every business a single server hosts; beyond that the least recently called are parsed again.
CACHE_SIZE = 1024

K = TypeVar("K")
V = TypeVar("V")


class Directory:
    def __init__(self) -> None:
        self._documents: OrderedDict[tuple[int, int], BusinessDocument] = OrderedDict()
        self._converted: OrderedDict[tuple[int, int, PartOfDay], Business] = OrderedDict()
        self._last_known: dict[str, Business] = {}

    def _document(
        self, connection: Connection, version: tuple[int, int] | None
    ) -> tuple[tuple[int, int], BusinessDocument] | None:
        if version is None:
            return None
        document = self._documents.get(version)
        if document is None:
            stored = businesses.document_of(connection, version[0])
            if stored is None:  # deleted between the two queries
                return None
            version = (stored.id, stored.revision)
            document = validate_document(stored.document)
            _remember(self._documents, version, document)
        return version, document

    def local_to_aware(self, connection: Connection, number: str, local: datetime) -> datetime:
        """A wall-clock time at the business (naive) as an instant; unknown numbers read it as UTC."""
        found = self._document(connection, businesses.version_of_number(connection, number))
        return local.replace(tzinfo=ZoneInfo(found[1].timezone) if found else UTC)

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
        (business_id, revision), document = found
        part = part_of_day(now.astimezone(ZoneInfo(document.timezone)).hour)
        business = self._converted.get((business_id, revision, part))
        if business is None:
            business = to_business(document, business_id, part_of_day=part)
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
