"""What every admin page shares: the logged-in staff user, CSRF tokens, rendering in the visitor's language,
and saving a change through ivr.administration (the document model, the checker, the store)."""

import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from ivr import administration
from ivr.errors import ConflictError, DocumentError, GreetlineError
from ivr.store import businesses, rendered, staff
from ivr.store.staff import StaffUser
from ivr.web.admin.i18n import WORDS
from ivr.web.services import Services, ServicesDep

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))


def words(request: Request) -> dict[str, str]:
    return WORDS.get(request.session.get("lang", "nl"), WORDS["nl"])


def csrf_token(request: Request) -> str:
    token: str = request.session.setdefault("csrf", secrets.token_urlsafe(24))
    return token


def check_csrf(request: Request, token: str) -> None:
    if not secrets.compare_digest(token, request.session.get("csrf", "")):
        raise HTTPException(403, "this form has expired; reload the page and try again")


def _user(request: Request, services: ServicesDep) -> StaffUser:
    user_id = request.session.get("user")
    user = None
    if isinstance(user_id, int):
        with services.database.transaction() as session:
            user = staff.get(session, user_id)
    # A session from before the last logout or password change carries an older epoch: it has ended.
    if user is None or request.session.get("epoch") != user.session_epoch:
        request.session.clear()
        raise HTTPException(303, headers={"Location": "/admin/login"})
    return user


UserDep = Annotated[StaffUser, Depends(_user)]


def page(request: Request, name: str, current: str | None, **context: Any) -> Response:
    base = {
        "t": words(request),
        "lang": request.session.get("lang", "nl"),
        "csrf": csrf_token(request),
        "page": current,
        "problems": [],
        "notes": [],
        "notice": None,
    }
    return templates.TemplateResponse(request, name, {**base, **context})


def document_of(services: Services, user: StaffUser) -> dict[str, Any]:
    with services.database.transaction() as session:
        return businesses.get(session, user.business_id).document


def common(services: Services, user: StaffUser) -> dict[str, Any]:
    document = document_of(services, user)
    return {"user": user, "business": document["business"], "document": document}


def recording_names(services: Services, user: StaffUser, language: str) -> dict[str, str]:
    """The texts of the business's rendered speech by the URL the call flow plays them from."""
    with services.database.reading() as connection:
        found = rendered.rendered_for(connection, user.business_id, language)
    return {f"{services.settings.public_url}/media/{p.media_id}.wav": text for text, p in found.items()}


def save_parts(services: Services, user: StaffUser, parts: dict[str, Any]) -> list[str]:
    """Apply a change; returns problems to show (empty when saved)."""
    try:
        administration.change_parts(services.database, user.business_id, parts, services.clock())
    except DocumentError as error:
        return error.problems
    except ConflictError:  # which other business has a number is not this business's to know
        return [administration.NUMBER_UNAVAILABLE]
    except GreetlineError as error:
        return [str(error)]
    return []
