"""From the number a caller dialled to the call flow's view of that business, with the last one remembered.

Parsing and converting a stored document costs more than the rest of a webhook, so results are kept per
(business, revision): a saved change bumps the revision and is used from the very next call.
"""

from collections import OrderedDict
from datetime import UTC, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ivr.callflow.model import Business
from ivr.document.convert import to_business
from ivr.document.load import validate_document
from ivr.document.model import BusinessDocument
from ivr.store import businesses
from ivr.store.businesses import StoredBusiness
from prompts import PartOfDay, part_of_day

# Enough for every business a single server hosts; beyond that the least recently called are parsed again.
CACHE_SIZE = 1024


class Directory:
    def __init__(self) -> None:
        self._documents: OrderedDict[tuple[int, int], BusinessDocument] = OrderedDict()
        self._converted: OrderedDict[tuple[int, int, PartOfDay], Business] = OrderedDict()
        self._last_known: dict[str, Business] = {}

    def _document(self, stored: StoredBusiness) -> BusinessDocument:
        version = (stored.id, stored.revision)
        document = self._documents.get(version)
        if document is None:
            document = validate_document(stored.document)
            _remember(self._documents, version, document)
        return document

    def local_to_aware(self, session: Session, number: str, local: datetime) -> datetime:
        """A wall-clock time at the business (naive) as an instant; unknown numbers read it as UTC."""
        stored = businesses.find_by_number(session, number)
        zone = ZoneInfo(self._document(stored).timezone) if stored else UTC
        return local.replace(tzinfo=zone)

    def lookup(self, session: Session, number: str, now: datetime) -> Business | None:
        stored = businesses.find_by_number(session, number)
        if stored is None:
            return None
        version = (stored.id, stored.revision)
        document = self._document(stored)
        part = part_of_day(now.astimezone(ZoneInfo(document.timezone)).hour)
        business = self._converted.get((*version, part))
        if business is None:
            business = to_business(document, stored.id, part_of_day=part)
            _remember(self._converted, (*version, part), business)
        self._last_known[number] = business
        return business

    def last_known(self, number: str) -> Business | None:
        """The business as it last loaded, to answer calls while the database is down."""
        return self._last_known.get(number)


K = TypeVar("K")
V = TypeVar("V")


def _remember(cache: "OrderedDict[K, V]", key: K, value: V) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
