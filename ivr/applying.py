"""Applying a business document and exporting it again: all or nothing, every problem reported at once."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from ivr.document.lint import Finding, Level, errors, lint
from ivr.document.load import (
    PLACEHOLDER_NUMBERS,
    document_data,
    dump_document,
    read_yaml,
    salvaged,
    validate_document,
)
from ivr.document.model import BusinessDocument
from ivr.document.phones import e164
from ivr.errors import DocumentError, GreetlineError, InputError, NotFoundError, Problem
from ivr.routing import remember_routing
from ivr.store import businesses
from ivr.store.businesses import StoredBusiness
from ivr.store.database import Database
from ivr.store.migrate import has_schema


def apply_document(database: Database, document: BusinessDocument, now: datetime) -> StoredBusiness:
    with database.transaction() as session:
        stored = businesses.save(session, document.business, list(document.numbers), document_data(document), now)
    remember_routing(database, stored)
    return stored


@dataclass(frozen=True)
class Applied:
    stored: StoredBusiness
    warnings: list[Finding]


@dataclass(frozen=True)
class Checked:
    """A document (None when it does not validate) and every finding: validation problems and the checker's."""

    document: BusinessDocument | None
    findings: list[Finding]

    def accepted(self) -> tuple[BusinessDocument, list[Finding]]:
        """The document and its warnings; any error refuses it whole, listing every error."""
        refused = errors(self.findings)
        if refused or self.document is None:
            raise DocumentError(refused)
        return self.document, self.findings


def as_finding(problem: Problem) -> Finding:
    return Finding.of(problem, Level.ERROR)


def check_data(data: object, durations_s: Mapping[str, float] | None = None, today: date | None = None) -> Checked:
    """Validate and check in one run: when validation refuses parts, the checker still looks at the rest."""
    try:
        document = validate_document(data)
    except DocumentError as error:
        rest, later = salvaged(data)
        problems = [as_finding(problem) for problem in error.found + later]
        found = lint(rest, durations_s, today) if rest is not None else []
        stand_ins = PLACEHOLDER_NUMBERS.values()
        found = [finding for finding in found if not any(number in finding.message for number in stand_ins)]
        return Checked(None, problems + [finding for finding in found if finding not in problems])
    return Checked(document, lint(document, durations_s, today))


def check_text(text: str, durations_s: Mapping[str, float] | None = None, today: date | None = None) -> Checked:
    return check_data(read_yaml(text), durations_s, today)


def apply_text(database: Database, text: str, now: datetime) -> Applied:
    document, warnings = check_text(text, today=now.date()).accepted()
    return Applied(apply_document(database, document, now), warnings)


def export_document(database: Database, number: str) -> str:
    try:
        normalised = e164(number)
    except ValueError as error:
        raise InputError(str(error)) from None
    if not has_schema(database):
        raise GreetlineError(
            "the database has no businesses yet (no schema): run `greetline migrate`, then "
            "`greetline apply FILE`; check GREETLINE_DATABASE_URL if you expected one"
        )
    with database.transaction() as session:
        stored = businesses.find_by_number(session, normalised)
    if stored is None:
        raise NotFoundError(f"no business answers {normalised}; apply a document that lists it under numbers:")
    return dump_document(validate_document(stored.document))
