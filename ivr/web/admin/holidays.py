"""/admin/settings/holidays: which public holidays close the business (all, none, or the ones ticked and dates
of its own) and the region whose own public holidays count too; on the settings page, previewed like its other
forms (ivr.web.admin.cycle)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ivr.web.admin import pages
from ivr.web.admin.cycle import submitted
from ivr.web.admin.forms import listed
from ivr.web.admin.holiday_choices import HolidayMode, choices_for, holidays_part
from ivr.web.admin.pages import UserDep
from ivr.web.admin.problems import Problems
from ivr.web.admin.settings import settings_page
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

router = APIRouter(prefix="/settings/holidays", include_in_schema=False)
# The document's problems about either key are shown beside its own field.
_AT_THEIR_FIELDS = {"holidays": "holidays", "region": "region"}


@router.post("")
def save_holidays(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    holidays_mode: Annotated[HolidayMode, Form()] = "all",
    chosen: Annotated[list[str] | None, Form()] = None,
    other: Annotated[str, Form(max_length=2000)] = "",
    region: Annotated[str, Form(max_length=60)] = "",
    intent: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    document = pages.document_of(db, user)
    ticked = chosen or []
    typed = {"holidays_mode": holidays_mode, "holidays_chosen": ticked, "holidays_other": other, "region": region}
    if holidays_mode == "chosen" and not ticked and not listed(other):
        words = pages.words(request, document)
        none = words.gettext("Tick the holidays the business closes on, or give a date; or choose 'Never closed'.")
        return submitted(request, services, db, user, settings_page, typed, problems=Problems({"holidays": [none]}))
    choices = choices_for(document, pages.language(request, document), services.clock().year)
    parts = holidays_part(document, choices, holidays_mode, ticked, other, region)
    return submitted(request, services, db, user, settings_page, typed, parts, intent=intent, fields=_AT_THEIR_FIELDS)
