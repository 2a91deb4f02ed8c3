"""Applying a business document and exporting it again: all or nothing, every problem reported at once."""

from datetime import datetime

from ivr.document.load import document_data, dump_document, parse_document, validate_document
from ivr.document.model import BusinessDocument
from ivr.document.phones import e164
from ivr.errors import InputError, NotFoundError
from ivr.store import businesses
from ivr.store.businesses import StoredBusiness
from ivr.store.database import Database


def apply_document(database: Database, document: BusinessDocument, now: datetime) -> StoredBusiness:
    with database.transaction() as session:
        return businesses.save(session, document.business, list(document.numbers), document_data(document), now)


def apply_text(database: Database, text: str, now: datetime) -> StoredBusiness:
    return apply_document(database, parse_document(text), now)


def export_document(database: Database, number: str) -> str:
    try:
        normalised = e164(number)
    except ValueError as error:
        raise InputError(str(error)) from None
    with database.transaction() as session:
        stored = businesses.find_by_number(session, normalised)
    if stored is None:
        raise NotFoundError(f"no business answers {normalised}; apply a document that lists it under numbers:")
    return dump_document(validate_document(stored.document))
