"""API keys as a dependency: 401 without a valid key; a business key sees only its own business (404 else)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ivr.store import keys
from ivr.web.services import ServicesDep

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
