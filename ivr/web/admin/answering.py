"""/admin/answering: what the answering service works from. The standing instructions and whom to reach when it
is urgent, each period's own instructions, the word the service hears for each menu choice, where its call notes
go, and the secret card URL (made or rotated here; shown only then, as only its hash is kept)."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ivr.card.link import card_link_in
from ivr.document.instructions import instructions_in_force
from ivr.document.load import validate_document
from ivr.errors import DocumentError
from ivr.store import cards
from ivr.store.staff import StaffUser
from ivr.web.admin.cycle import submitted
from ivr.web.admin.forms import listed, local_numbers
from ivr.web.admin.pages import Draft, UserDep, check_csrf, common, language, page, typed_text, week_view, words
from ivr.web.admin.problems import Problems
from ivr.web.request_session import RequestSession, RequestSessionDep
from ivr.web.services import Services, ServicesDep

router = APIRouter(prefix="/answering")
# The document's problems about the note addresses (and a service they need) are shown at the form.
_AT_NOTES = {"overflow": "notes"}


def _form_values(document: dict[str, Any]) -> dict[str, Any]:
    standing = document.get("instructions") or {}
    notes = (document.get("overflow") or {}).get("notes") or {}
    return {
        "notes_email": ", ".join(notes.get("email", [])),
        "notes_sms": ", ".join(notes.get("sms", [])),
        "text": standing.get("text", ""),
        "urgent": standing.get("urgent", ""),
        "periods": [(period.get("instructions") or {}).get("text", "") for period in document.get("periods", [])],
        "labels": {option.get("key"): option.get("label", "") for option in document.get("menu", [])},
        "calendar_ics": (document.get("calendar") or {}).get("ics", ""),
        "calendar_service": (document.get("calendar") or {}).get("when_away") == "service",
    }


def _page(
    request: Request,
    services: Services,
    db: RequestSession,
    user: StaffUser,
    *,
    problems: Problems | None = None,
    typed: dict[str, Any] | None = None,
    notice: str | None = None,
    new_url: str | None = None,
    draft: Draft | None = None,
    notes: list[str] | None = None,
) -> Response:
    """`draft`: the note addresses not saved yet, with the checker's advice about them (the other forms here save
    without a preview: nothing a caller hears changes)."""
    shared = common(db, user)
    document = shared["document"]
    previewed: dict[str, Any] = {}
    if draft is not None:
        lang = language(request, document)
        previewed = week_view(services, db, user, document, words(request, document), lang, draft)
    try:
        in_force = instructions_in_force(validate_document(document), services.clock())
    except DocumentError:
        in_force = None
    overflow = document.get("overflow") or {}
    return page(
        request,
        "answering.html",
        "answering",
        status_code=422 if problems else 200,
        problems=problems,
        notice=notice,
        notes=notes or [],
        **shared,
        page_title=words(request, document).gettext("Answering service"),
        form={**_form_values(document), **(typed or {})},
        in_force=in_force,
        service=overflow.get("dial"),
        notes_to=overflow.get("notes") or {},
        card_made=cards.made_at(db.session, user.business_id),
        new_url=new_url,
        **previewed,
    )


@router.get("")
def answering_page(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    return _page(request, services, db, user)


@router.post("/instructions")
async def save_instructions(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    form = await request.form(max_fields=40)
    return await run_in_threadpool(_save_instructions, request, services, db, user, form)


def _save_instructions(
    request: Request, services: Services, db: RequestSession, user: StaffUser, form: FormData
) -> Response:
    """Empty text drops the instructions (standing or a period's); labels are kept per menu key."""
    check_csrf(request, str(form.get("csrf", "")))
    document = common(db, user)["document"]
    words_ = words(request, document)
    text, urgent = typed_text(str(form.get("text", ""))), typed_text(str(form.get("urgent", "")))
    typed: dict[str, Any] = {"text": text, "urgent": urgent, "periods": [], "labels": {}}
    problems = Problems()
    if urgent and not text:
        problems.add("instructions", words_.gettext("Write the instructions too, or leave both empty."))
    periods = []
    for index, period in enumerate(document.get("periods", [])):
        period_text = typed_text(str(form.get(f"period_{index}", "")))
        typed["periods"].append(period_text)
        changed = {key: value for key, value in period.items() if key != "instructions"}
        if period_text:
            changed["instructions"] = {"text": period_text}
        periods.append(changed)
    menu = []
    for option in document.get("menu", []):
        label = str(form.get(f"label_{option.get('key')}", "")).strip()
        typed["labels"][option.get("key")] = label
        changed = {key: value for key, value in option.items() if key != "label"}
        if label:
            changed["label"] = label
        menu.append(changed)
    if problems:
        return submitted(request, services, db, user, _page, typed, problems=problems)
    standing = {"text": text, **({"urgent": urgent} if urgent else {})} if text else None
    parts: dict[str, Any] = {"instructions": standing}
    if periods:
        parts["periods"] = periods
    if menu:
        parts["menu"] = menu
    return submitted(request, services, db, user, _page, typed, parts)


@router.post("/notes")
async def save_notes(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    form = await request.form(max_fields=8)
    return await run_in_threadpool(_save_notes, request, services, db, user, form)


def _save_notes(request: Request, services: Services, db: RequestSession, user: StaffUser, form: FormData) -> Response:
    """Where the service's call notes go (`overflow.notes`): e-mail addresses, and numbers texted for urgent notes;
    both empty: nowhere. Refused while calls do not go to a service (the document's own rule, shown here)."""
    check_csrf(request, str(form.get("csrf", "")))
    document = common(db, user)["document"]
    email, sms = str(form.get("notes_email", "")), str(form.get("notes_sms", ""))
    typed = {"notes_email": email, "notes_sms": sms}
    notes: dict[str, Any] = {}
    if listed(email):
        notes["email"] = listed(email)
    if listed(sms):
        notes["sms"] = local_numbers(listed(sms), document.get("country", "NL"))
    intent = str(form.get("intent", ""))
    return submitted(
        request, services, db, user, _page, typed, {"overflow.notes": notes or None}, intent=intent, fields=_AT_NOTES
    )


@router.post("/calendar")
async def save_calendar(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    form = await request.form(max_fields=8)
    return await run_in_threadpool(_save_calendar, request, services, db, user, form)


def _save_calendar(
    request: Request, services: Services, db: RequestSession, user: StaffUser, form: FormData
) -> Response:
    """The owner's calendar feed (issue 26), and whether calls go straight to the service while it says away; an
    empty address drops the calendar."""
    check_csrf(request, str(form.get("csrf", "")))
    ics, service = str(form.get("calendar_ics", "")).strip(), bool(form.get("calendar_service"))
    typed = {"calendar_ics": ics, "calendar_service": service}
    when_away = "service" if service else "ring"
    parts: dict[str, Any] = {"calendar.ics": ics, "calendar.when_away": when_away} if ics else {"calendar": None}
    return submitted(request, services, db, user, _page, typed, parts, intent=str(form.get("intent", "")))


@router.post("/card")
async def rotate_card(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    form = await request.form(max_fields=4)
    return await run_in_threadpool(_rotate, request, services, db, user, str(form.get("csrf", "")))


def _rotate(request: Request, services: Services, db: RequestSession, user: StaffUser, csrf: str) -> Response:
    """Makes the card the first time, or a new URL (the old stops working); shown on this answer only."""
    check_csrf(request, csrf)
    link = card_link_in(db.session, user.business_id, services.settings.public_url, services.clock(), rotate=True)
    notice = words(request).gettext("A new card URL is made; the old one no longer works.")
    return _page(request, services, db, user, notice=notice, new_url=link.url)
