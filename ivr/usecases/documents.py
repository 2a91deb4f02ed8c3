"""Applying a business document and exporting it again: all or nothing, every problem reported at once."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

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
from ivr.document.phones import read_number
from ivr.errors import DocumentError, GreetlineError, InputError, NotFoundError, Problem
from ivr.routing.watch import remember_routing
from ivr.store import businesses
from ivr.store.businesses import StoredBusiness
from ivr.store.database import Database
from ivr.store.migrate import has_schema
from ivr.usecases.measured import stored_durations_in


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


@dataclass(frozen=True)
class Saved:
    stored: StoredBusiness
    document: BusinessDocument
    warnings: list[Finding]


def _validated(data: object, measured_s: Mapping[str, float], today: date) -> BusinessDocument:
    if isinstance(data, BusinessDocument):
        return data
    try:
        return validate_document(data)
    except DocumentError:
        check_data(data, measured_s, today).accepted()  # refuses, naming every problem (the checker's too)
        raise


def apply_in(
    session: Session,
    data: object,
    now: datetime,
    *,
    business_id: int | None = None,
    by: str = "",
    measured_s: Mapping[str, float] | None = None,
    if_revision: int | None = None,
) -> Saved:
    """Apply a document (parsed YAML or JSON, or a validated BusinessDocument) inside the caller's transaction: to
    the business `business_id` (whose numbers may not belong to another), else to the one that owns the document's
    numbers, or to a new one. The checker hears what that business's calls play as measured (its rendered texts and
    recordings, plus `measured_s`: recordings not in its library yet, such as a new upload or the files a document
    names). `by`: who made the change, for the history (a staff member's e-mail address; empty for the CLI and the
    API). `if_revision`: apply only over that revision of `business_id` (the API's If-Match), StaleRevisionError
    otherwise. DocumentError lists every problem at once."""
    if if_revision is not None:
        assert business_id is not None, "a revision is a known business's"
        businesses.hold_revision(session, business_id, if_revision)
    measured_s = measured_s or {}
    document = _validated(data, measured_s, now.date())
    if business_id is None:
        owners = sorted(set(businesses.owners_of(session, list(document.numbers)).values()))
        heard_by = owners[0] if len(owners) == 1 else None  # numbers of two businesses: refused on saving
    else:
        heard_by = business_id
    stored_s = stored_durations_in(session, heard_by, document.language) if heard_by is not None else {}
    document, warnings = Checked(document, lint(document, {**stored_s, **measured_s}, now.date())).accepted()
    name, numbers, saved_data = document.business, list(document.numbers), document_data(document)
    if business_id is None:
        stored = businesses.save(session, name, numbers, saved_data, now, by)
    else:
        stored = businesses.replace(session, business_id, name, numbers, saved_data, now, by)
    return Saved(stored, document, warnings)


def apply_document(
    database: Database,
    data: object,
    now: datetime,
    *,
    business_id: int | None = None,
    by: str = "",
    measured_s: Mapping[str, float] | None = None,
) -> Saved:
    """Apply a whole document in one transaction (`greetline apply`, the API's PUT, a version restored on the admin
    page): checked and written together, then heard from the next call."""
    with database.transaction() as session:
        saved = apply_in(session, data, now, business_id=business_id, by=by, measured_s=measured_s)
    remember_routing(database, saved.stored)
    return saved


def apply_text(database: Database, text: str, now: datetime) -> Saved:
    return apply_document(database, read_yaml(text), now)


def export_document(database: Database, number: str) -> str:
    try:
        normalised = read_number(number, None)
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


def read_document(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}; check the path") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save it as UTF-8 YAML") from None
