"""Applying a business document and exporting it again: all or nothing, every problem reported at once."""

from dataclasses import dataclass
from datetime import datetime

from ivr.document.lint import Finding, errors, lint
from ivr.document.load import document_data, dump_document, parse_document, validate_document
from ivr.document.model import BusinessDocument
from ivr.document.phones import e164
from ivr.errors import DocumentError, InputError, NotFoundError
from ivr.routing import remember_routing
from ivr.store import businesses
from ivr.store.businesses import StoredBusiness
from ivr.store.database import Database


def apply_document(database: Database, document: BusinessDocument, now: datetime) -> StoredBusiness:
    with database.transaction() as session:
        stored = businesses.save(session, document.business, list(document.numbers), document_data(document), now)
    remember_routing(database, stored)
    return stored


@dataclass(frozen=True)
class Applied:
    stored: StoredBusiness
    warnings: list[Finding]


def linted(document: BusinessDocument) -> tuple[BusinessDocument, list[Finding]]:
    """The greeting checker's errors refuse a document whole (as validation errors do); warnings are returned."""
    findings = lint(document)
    refused = errors(findings)
    if refused:
        raise DocumentError([f"{finding.where}: {finding.message}" for finding in refused])
    return document, findings


def check_text(text: str) -> tuple[BusinessDocument, list[Finding]]:
    return linted(parse_document(text))


def apply_text(database: Database, text: str, now: datetime) -> Applied:
    document, warnings = check_text(text)
    return Applied(apply_document(database, document, now), warnings)


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
