"""/admin/settings/periods: a period with its own greeting and destination (a holiday, a week closed) is added or
removed on the settings page; what callers hear during it is spoken at once, to hear in the list."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from ivr.web.admin import pages, wording
from ivr.web.admin.cycle import speaking, submitted
from ivr.web.admin.forms import overlapping, period_from_form, period_name
from ivr.web.admin.pages import UserDep
from ivr.web.admin.problems import Problems
from ivr.web.admin.settings import settings_page
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(prefix="/settings/periods", include_in_schema=False)
# The document's problems about the periods are shown at the form's dates.
_AT_THE_PERIOD = {"periods": "period"}


@router.post("")
def add_period(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    route: Annotated[Literal["dial", "voicemail"], Form()] = "dial",
    dial: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    sms: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    document = pages.document_of(db, user)
    words = pages.words(request, document)
    typed = {
        "period_sms": sms,
        "period_start": start,
        "period_end": end,
        "period_text": text,
        "period_route": route,
        "period_dial": dial,
        "period_email": email,
    }
    current = document.get("periods", [])
    new, problems = period_from_form(words, start, end, text, route, dial, email, document.get("country", "NL"), sms)
    if new is None:
        return submitted(request, services, db, user, settings_page, typed, problems=problems)
    clash = overlapping(new, current)
    if clash is not None:
        locale = wording.calendar_locale(pages.language(request, document))
        overlap = words.gettext(
            "This period (%(new)s) overlaps the period %(old)s; change the dates or remove that one."
        ) % {"new": period_name(new, locale), "old": period_name(clash, locale)}
        return submitted(request, services, db, user, settings_page, typed, problems=Problems({"period": [overlap]}))
    return submitted(
        request,
        services,
        db,
        user,
        settings_page,
        typed,
        {"periods": [*current, new]},
        intent=intent,
        fields=_AT_THE_PERIOD,
        after_saving=speaking(services, db, user),  # the period's greeting, to hear in the list
    )


@router.post("/{index}/delete")
def remove_period(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    index: Annotated[int, Path(ge=0, le=10_000)],
    start: Annotated[date, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    """Remove the period at this place in the list, if it is still the one the page showed (by its first day)."""
    pages.check_csrf(request, csrf)
    document = pages.document_of(db, user)
    current = list(document.get("periods", []))
    if index >= len(current) or current[index]["from"] != start.isoformat():
        changed = pages.words(request, document).gettext(
            "The list of periods has changed meanwhile; check it and try again."
        )
        return submitted(request, services, db, user, settings_page, {}, problems=Problems({"period": [changed]}))
    del current[index]
    return submitted(request, services, db, user, settings_page, {}, {"periods": current}, fields=_AT_THE_PERIOD)
