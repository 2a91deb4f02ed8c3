"""API keys: 401 without a valid key; a business key sees only its own business (404 else).

Two ways to check a key, the same check: `CallerDep` checks it before the route runs (a worker-thread hop of its
own; what an upload needs, so no byte of the body is read for a bad key), and `PresentedKeyDep` only takes the key
from the header on the event loop so that the route checks it on the connection of its own work (`caller_in`, or
`owner_in` for one business, with its existence in the same statement): one hop and one connection for the listings
a dashboard polls (issue 12: the hop and the extra transaction were a third
of the call log's time).
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from ivr.errors import NotAuthenticatedError, NotFoundError
from ivr.store import businesses, keys
from ivr.store.businesses import StoredBusiness
from ivr.web.services import ServicesDep

NOT_FOUND = "no such business"

bearer = HTTPBearer(auto_error=False, description="An API key from `greetline keys create`")


@dataclass(frozen=True)
class Caller:
    business_id: int | None  # None: a platform key, which manages every business

    def may_see(self, business_id: int) -> bool:
        return self.business_id is None or self.business_id == business_id


@dataclass(frozen=True)
class PresentedKey:
    """The key a request presented, not checked yet."""

    secret: str


async def presented_key(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> PresentedKey:
    if credentials is None:
        raise NotAuthenticatedError("an API key is required: send `Authorization: Bearer <key>`")
    return PresentedKey(credentials.credentials)


PresentedKeyDep = Annotated[PresentedKey, Depends(presented_key)]


def _unknown_key() -> NotAuthenticatedError:
    return NotAuthenticatedError("this API key is unknown or revoked; create one with `greetline keys create`")


def caller_in(connection: Connection, key: PresentedKey) -> Caller:
    """Who the key belongs to, read on the route's own connection; 401 for a key unknown or revoked."""
    found = keys.active_owner(connection, key.secret)
    if found is None:
        raise _unknown_key()
    return Caller(found.business_id)


def owner_in(connection: Connection, key: PresentedKey, business_id: int) -> Caller:
    """`caller_in` for a route about one business, which must exist and be the key's to see (404 otherwise, the same
    either way), in one statement."""
    found = keys.active_owner(connection, key.secret, asked=business_id)
    if found is None:
        raise _unknown_key()
    caller = Caller(found.business_id)
    if not found.asked_exists or not caller.may_see(business_id):
        raise NotFoundError(NOT_FOUND)
    return caller


def api_caller(services: ServicesDep, key: PresentedKeyDep) -> Caller:
    with services.database.reading() as connection:
        return caller_in(connection, key)


CallerDep = Annotated[Caller, Depends(api_caller)]

# Ids are database integers; anything outside their range is refused before it reaches SQL.
BusinessId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the business's id")]


def owned_business(session: Session, caller: Caller, business_id: int) -> StoredBusiness:
    """The business as stored (its document and revision), if this key may see it; 404 otherwise, the same as if it
    did not exist."""
    if not caller.may_see(business_id):
        raise NotFoundError(NOT_FOUND)
    try:
        return businesses.get(session, business_id)
    except NotFoundError:
        raise NotFoundError(NOT_FOUND) from None  # the same words whether it never existed or is another's


def owned_document(session: Session, caller: Caller, business_id: int) -> dict[str, Any]:
    """`owned_business`'s document."""
    return owned_business(session, caller, business_id).document
