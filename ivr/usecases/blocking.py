"""Blocking a caller's number, and undoing it: the document's blocked: list changed through the same path as every
other part (checked, stored, heard from the next call), so the list in the YAML and the page's button agree."""

from datetime import datetime

from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session

from ivr.document.phones import read_number
from ivr.errors import InputError, Problem
from ivr.store import businesses
from ivr.usecases.documents import Saved
from ivr.usecases.editing import change_parts_in


def blocked_in(
    session: Session,
    business_id: int,
    number: str,
    now: datetime,
    *,
    blocked: bool,
    by: str = "",
    if_revision: int | None = None,
) -> Saved:
    """In the caller's transaction (the page's, the API's; the routing is remembered once it commits).

    `number` as staff or the call log write it (national in the business's country, or E.164); blocking a
    blocked number or unblocking one that is not changes nothing. InputError for what is no number; only over
    revision `if_revision` when one is given (the API's If-Match; StaleRevisionError otherwise)."""
    document = businesses.get(session, business_id, for_update=True).document
    country = document.get("country", "NL")
    country = country if isinstance(country, str) else None
    try:
        found = read_number(number, country)
    except PydanticCustomError as error:
        problem = Problem(error.type, "number", error.message(), dict(error.context or {}))
        raise InputError(str(problem), [problem]) from None
    listed = [str(entry) for entry in document.get("blocked", [])]
    kept = [entry for entry in listed if read_number(entry, country) != found]
    listed_now = [*kept, found] if blocked else kept
    return change_parts_in(session, business_id, {"blocked": listed_now}, now, by, if_revision=if_revision)
