"""API keys as a dependency: 401 without a valid key; a business key sees only its own business (404 else)."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ivr.errors import DocumentError, NotFoundError
from ivr.store import businesses, keys
from ivr.web.services import Services, ServicesDep

bearer = HTTPBearer(auto_error=False, description="An API key from `greetline keys create`")


@dataclass(frozen=True)
class Caller:
    business_id: int | None  # None: a platform key, which manages every business

    def may_see(self, business_id: int) -> bool:
        return self.business_id is None or self.business_id == business_id


def api_caller(
    services: ServicesDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Caller:
    if credentials is None:
        raise HTTPException(
            401, "an API key is required: send `Authorization: Bearer <key>`", headers={"WWW-Authenticate": "Bearer"}
        )
    with services.database.transaction() as session:
        key = keys.find_active(session, credentials.credentials)
    if key is None:
        raise HTTPException(
            401,
            "this API key is unknown or revoked; create one with `greetline keys create`",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Caller(key.business_id)


CallerDep = Annotated[Caller, Depends(api_caller)]


NOT_FOUND = "no such business"
# Ids are database integers; anything outside their range is refused before it reaches SQL.
BusinessId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the business's id")]


def owned_document(services: Services, caller: Caller, business_id: int) -> dict[str, Any]:
    """The business's stored document, if this key may see it; 404 otherwise, the same as if it did not exist."""
    if not caller.may_see(business_id):
        raise HTTPException(404, NOT_FOUND)
    try:
        with services.database.transaction() as session:
            return businesses.get(session, business_id).document
    except NotFoundError:
        raise HTTPException(404, NOT_FOUND) from None


def refused(error: DocumentError) -> HTTPException:
    """A refused document as the API answers it: 422 with every problem, nothing changed."""
    return HTTPException(422, {"message": "nothing was changed; fix these problems", "problems": error.problems})
