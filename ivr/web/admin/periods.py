"""/admin/settings/periods: a period with its own greeting and destination (a holiday, a week closed) is added,
changed in place or removed on the settings page; what callers hear during it is spoken at once, to hear in the
list."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response

from ivr.store.staff import StaffUser
from ivr.web.admin import pages, wording
from ivr.web.admin.cycle import speaking, submitted
from ivr.web.admin.forms import edited_period, emergency_part, overlapping, period_from_form, period_name
from ivr.web.admin.pages import UserDep
from ivr.web.admin.problems import Problems
from ivr.web.admin.settings import settings_page
from ivr.web.request_session import RequestSession, RequestSessionDep
from ivr.web.services import Services, ServicesDep

router = APIRouter(prefix="/settings/periods", include_in_schema=False)
# The document's problems about the periods are shown at the form's dates.
_AT_THE_PERIOD = {"periods": "period"}
PeriodIndex = Annotated[int, Path(ge=0, le=10_000)]


def _save_period(
    request: Request,
    services: Services,
    db: RequestSession,
    user: StaffUser,
    typed: dict[str, Any],
    index: int | None,
    intent: str,
) -> Response:
    """Add the typed period (`index` None), or put it in the place of the period at `index`."""
    document = pages.document_of(db, user)
    words = pages.words(request, document)
    current = list(document.get("periods", []))
    country = document.get("country", "NL")
    emergency = emergency_part(
        typed["period_emergency_prompt"], typed["period_emergency_key"], typed["period_emergency_dial"], country
    )
    new, problems = period_from_form(
        words,
        typed["period_start"],
        typed["period_end"],
        typed["period_text"],
        typed["period_route"],
        typed["period_dial"],
        typed["period_email"],
        country,
        typed["period_sms"],
        emergency,
    )
    if new is None:
        return submitted(request, services, db, user, settings_page, typed, problems=problems)
    others = [period for place, period in enumerate(current) if place != index]
    clash = overlapping(new, others)
    if clash is not None:
        locale = wording.calendar_locale(pages.language(request, document))
        overlap = words.gettext(
            "This period (%(new)s) overlaps the period %(old)s; change the dates or remove that one."
        ) % {"new": period_name(new, locale), "old": period_name(clash, locale)}
        return submitted(request, services, db, user, settings_page, typed, problems=Problems({"period": [overlap]}))
    if index is None:
        current.append(new)
    else:
        current[index] = edited_period(current[index], new)
    place = len(current) - 1 if index is None else index
    # The document's problems with the emergency option are shown at its fields, the others at the dates.
    fields = _AT_THE_PERIOD | {f"periods[{place}].emergency": "period_emergency"}
    return submitted(
        request,
        services,
        db,
        user,
        settings_page,
        typed,
        {"periods": current},
        intent=intent,
        fields=fields,
        after_saving=speaking(services, db, user),  # the period's greeting, to hear in the list
    )


def _typed(
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    route: Annotated[Literal["dial", "voicemail"], Form()] = "dial",
    dial: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    sms: Annotated[str, Form()] = "",
    emergency_prompt: Annotated[str, Form()] = "",
    emergency_key: Annotated[str, Form()] = "",
    emergency_dial: Annotated[str, Form()] = "",
) -> dict[str, Any]:
    """A period's form as typed, under the settings page's names for its fields (the same to add or change one)."""
    return {
        "period_start": start,
        "period_end": end,
        "period_text": text,
        "period_route": route,
        "period_dial": dial,
        "period_email": email,
        "period_sms": sms,
        "period_emergency_prompt": emergency_prompt,
        "period_emergency_key": emergency_key,
        "period_emergency_dial": emergency_dial,
    }


TypedPeriod = Annotated[dict[str, Any], Depends(_typed)]


@router.post("")
def add_period(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    typed: TypedPeriod,
    intent: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    return _save_period(request, services, db, user, typed, None, intent)


def _changed_meanwhile(request: Request, services: Services, db: RequestSession, user: StaffUser) -> Response:
    words = pages.words(request, pages.document_of(db, user))
    changed = words.gettext("The list of periods has changed meanwhile; check it and try again.")
    return submitted(request, services, db, user, settings_page, {}, problems=Problems({"period": [changed]}))


def _still_there(db: RequestSession, user: StaffUser, index: int, start: str) -> bool:
    """Whether the period at this place in the list is still the one the page showed (by its first day)."""
    current = pages.document_of(db, user).get("periods", [])
    return index < len(current) and current[index]["from"] == start


@router.post("/{index}")
def change_period(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    index: PeriodIndex,
    csrf: Annotated[str, Form()],
    original: Annotated[date, Form()],
    typed: TypedPeriod,
    intent: Annotated[str, Form()] = "",
) -> Response:
    """Change the period in place: its dates, greeting, destination and emergency option; its instructions stay."""
    pages.check_csrf(request, csrf)
    if not _still_there(db, user, index, original.isoformat()):
        return _changed_meanwhile(request, services, db, user)
    return _save_period(request, services, db, user, typed | {"period_index": index}, index, intent)


@router.post("/{index}/delete")
def remove_period(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    index: PeriodIndex,
    start: Annotated[date, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    """Remove the period at this place in the list, if it is still the one the page showed."""
    pages.check_csrf(request, csrf)
    if not _still_there(db, user, index, start.isoformat()):
        return _changed_meanwhile(request, services, db, user)
    current = list(pages.document_of(db, user).get("periods", []))
    del current[index]
    return submitted(request, services, db, user, settings_page, {}, {"periods": current}, fields=_AT_THE_PERIOD)
