"""/admin/keys: the business's API keys: listed (never their secrets), made (the secret shown once, on that answer
only, as only its hash is kept: ivr.store.keys) and revoked. The same store functions as `greetline keys`, limited
to the business of the logged-in staff."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from ivr.store import keys
from ivr.store.staff import StaffUser
from ivr.web.admin.pages import UserDep, check_csrf, common, page, words
from ivr.web.admin.problems import Problems
from ivr.web.request_session import RequestSession, RequestSessionDep
from ivr.web.services import Services, ServicesDep

router = APIRouter(prefix="/keys", include_in_schema=False)
KeyId = Annotated[int, Path(ge=1, le=2**31 - 1)]
# The label column's length (ivr.store.tables.ApiKeyRow).
MAX_LABEL_LENGTH = 100


def _page(
    request: Request,
    services: Services,
    db: RequestSession,
    user: StaffUser,
    *,
    problems: Problems | None = None,
    notice: str | None = None,
    **extra: Any,
) -> Response:
    shared = common(db, user)
    return page(
        request,
        "keys.html",
        "keys",
        status_code=422 if problems else 200,
        **shared,
        page_title=words(request, shared["document"]).gettext("API keys"),
        keys=keys.keys_of(db.session, user.business_id),
        problems=problems or Problems(),
        notice=notice,
        **extra,
    )


@router.get("")
def keys_page(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    return _page(request, services, db, user)


@router.post("")
def create_key(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    label: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    name = label.strip()
    if not name or len(name) > MAX_LABEL_LENGTH:
        refused = words_.gettext("Give the key a name of 1 to %(most)s characters, e.g. who or what uses it.") % {
            "most": MAX_LABEL_LENGTH
        }
        return _page(request, services, db, user, problems=Problems({"label": [refused]}), label=label)
    key, secret = keys.create(db.session, business_id=user.business_id, label=name, now=services.clock())
    notice = words_.gettext("The key is made. Copy it now: it is shown only this once.")
    return _page(request, services, db, user, notice=notice, new_key=secret, new_key_id=key.id)


@router.post("/{key_id}/revoke")
def revoke_key(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    key_id: KeyId,
    csrf: Annotated[str, Form()],
) -> Response:
    """Another business's key is the store's NotFoundError: the 404 page, as if it did not exist."""
    check_csrf(request, csrf)
    revoked = keys.revoke(db.session, key_id, services.clock(), business_id=user.business_id)
    notice = words(request).gettext("The key %(prefix)s… is revoked: it no longer works.") % {"prefix": revoked.prefix}
    return _page(request, services, db, user, notice=notice)
