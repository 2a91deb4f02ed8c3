"""/admin/messages: the business's voicemail messages with a player, who each was delivered to and how that
stands (sent / trying again and when / failed and why), marking one handled (or not, undoing a mistake), and the
audio itself.

The audio is medical data at a GP practice: it is served here only to the business's own logged-in staff (and
by the API to its key), never under /media, and never kept in a shared cache.
"""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from ivr.messages import inbox
from ivr.messages.compose import menu_label
from ivr.messages.failures import DeliveryCode
from ivr.messages.inbox import Delivery, DeliveryState, InboxMessage, InboxNote
from ivr.messages.notes import SettingsThen, settings_during
from ivr.messages.outbox import RECORDING_SID
from ivr.messages.transcript_text import first_line
from ivr.store import cards, voicemails
from ivr.store.jobs import StoredProblem, utc
from ivr.store.staff import StaffUser
from ivr.web.admin import wording
from ivr.web.admin.i18n import Words
from ivr.web.admin.pages import UserDep, check_csrf, common, page, words
from ivr.web.admin.pages import language as page_language
from ivr.web.admin.problem_words import said
from ivr.web.request_session import RequestSession, RequestSessionDep
from ivr.web.services import Services, ServicesDep
from ivr.web.voicemail_download import audio_response, listened

router = APIRouter(prefix="/messages", include_in_schema=False)


def _sid(recording_sid: Annotated[str, Path(max_length=64)]) -> str:
    if not RECORDING_SID.match(recording_sid):
        raise HTTPException(404, "no such message")
    return recording_sid


Sid = Annotated[str, Depends(_sid)]


def _one(db: RequestSession, business_id: int, recording_sid: str) -> InboxMessage:
    # Not found: the error answers (ivr.web.api.errors) show the admin's 404 page.
    return inbox.message(db.session, business_id, recording_sid)


@dataclass(frozen=True)
class BoxWords:
    """A voicemail box in words; `own` is the business's own text (a menu option's prompt), shown as it is."""

    text: str
    own: str = ""


def box_words(words_: Words, message: InboxMessage, then: SettingsThen, language: str) -> BoxWords:
    """The box a message was left in, in the settings in force when it was left (`then`, issue 20 item 8): "after N
    rings" with the ring count the message kept, else that day's; a menu option by its prompt then."""
    kind, _, rest = (message.box or "").partition(":")
    if kind == "overflow":
        rings = message.rings or then.rings
        return BoxWords(words_.ngettext("after %(num)d ring", "after %(num)d rings", rings) % {"num": rings})
    if kind == "closed":
        return BoxWords(words_.gettext("outside opening hours"))
    if kind == "menu":
        prompts = dict(then.menu)
        own = menu_label(prompts[rest]) if prompts.get(rest) else ""
        return BoxWords(words_.gettext("menu: key %(key)s") % {"key": rest}, own)
    if kind == "period":
        try:
            day = wording.long_date(date.fromisoformat(rest), language)
        except ValueError:
            return BoxWords(words_.gettext("special period"))
        return BoxWords(words_.gettext("special period from %(date)s") % {"date": day})
    return BoxWords(words_.gettext("voicemail"))


def delivery_words(words_: Words, delivery: Delivery, timezone: str, language: str) -> str:
    def at(moment: Any) -> str:
        return wording.local_time(moment, timezone, language) if moment else ""

    if delivery.state is DeliveryState.SENT:
        return words_.gettext("sent at %(time)s") % {"time": at(delivery.finished_at)}
    if delivery.state is DeliveryState.PRINTED:
        return words_.gettext("printed on the server's console at %(time)s, not sent") % {
            "time": at(delivery.finished_at)
        }
    if delivery.state is DeliveryState.FAILED:
        return words_.gettext("failed at %(time)s; given up") % {"time": at(delivery.finished_at)}
    if delivery.state is DeliveryState.RETRYING:
        return words_.ngettext(
            "%(num)d attempt failed; trying again at %(time)s",
            "%(num)d attempts failed; trying again at %(time)s",
            delivery.attempts,
        ) % {"num": delivery.attempts, "time": at(delivery.next_attempt_at)}
    if delivery.state is DeliveryState.SENDING:
        return words_.gettext("being sent now")
    return words_.gettext("waiting to be sent")


@dataclass(frozen=True)
class Reason:
    """Why a delivery failed: in the page's language, and a server's own answer (shown as it is) when that is
    all that is known."""

    text: str
    detail: str = ""


def delivery_reason(words_: Words, delivery: Delivery) -> Reason | None:
    if delivery.error is None:
        return None
    problem = delivery.problem or StoredProblem(DeliveryCode.FAILED, {})
    detail = problem.values.get("detail", "") if problem.code == DeliveryCode.FAILED else ""
    return Reason(said(words_, problem.code, problem.values), str(detail))


def _shown(
    request: Request,
    services: Services,
    db: RequestSession,
    user: StaffUser,
    found: list[InboxMessage],
    single: bool,
    notes: list[InboxNote] | None = None,
    search: str | None = None,
) -> Response:
    shared = common(db, user)
    document = shared["document"]
    lang = page_language(request, document)
    words_ = words(request, document)
    timezone = document.get("timezone", "Europe/Amsterdam")
    moments = [utc(message.received_at) for message in found]
    today = SettingsThen(
        int(document.get("rings", 4)),
        tuple((str(option.get("key")), str(option.get("prompt", ""))) for option in document.get("menu", [])),
    )
    in_force = settings_during(db.session, user.business_id, moments, today)
    shown = [
        {
            "message": message,
            "box": box_words(words_, message, then, lang),
            "first_line": first_line(message.transcript) if message.transcript else "",
            "spoken": _language_name(words_, message.transcript_language)
            if message.transcript_language and message.transcript_language != document.get("language", "nl")
            else "",
            "deliveries": [
                (d, delivery_words(words_, d, timezone, lang), delivery_reason(words_, d)) for d in message.deliveries
            ],
        }
        for message, then in zip(found, in_force, strict=True)
    ]
    call_notes = [
        {
            "note": note,
            "deliveries": [
                (d, delivery_words(words_, d, timezone, lang), delivery_reason(words_, d)) for d in note.deliveries
            ],
        }
        for note in notes or []
    ]
    title = words_.gettext("Voicemail message") if single else words_.gettext("Messages")
    return page(
        request,
        "messages.html",
        "messages",
        **shared,
        messages=shown,
        call_notes=call_notes,
        single=single,
        page_title=title,
        search=search or "",
    )


def _language_name(words_: Words, code: str) -> str:
    names = {
        "nl": words_.gettext("Dutch"),
        "de": words_.gettext("German"),
        "fr": words_.gettext("French"),
        "en": words_.gettext("English"),
    }
    return names.get(code, code)


@router.get("")
def messages_page(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """`q`: only the messages whose transcript holds these words (the search box)."""
    found = inbox.messages(db.session, user.business_id, words=q)
    notes = [] if q else inbox.call_notes(db.session, user.business_id)
    return _shown(request, services, db, user, found, single=False, notes=notes, search=q)


@router.get("/{recording_sid}.mp3")
def message_audio(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    recording_sid: Sid,
    download: Annotated[bool, Query()] = False,
) -> Response:
    message = _one(db, user.business_id, recording_sid)
    timezone = common(db, user)["document"].get("timezone", "Europe/Amsterdam")
    response = audio_response(services, message, timezone, download)
    address = request.client.host if request.client else None
    listened(db.session, user.business_id, user.email, message, services.clock(), address, download=download)
    return response


@router.get("/{recording_sid}")
def message_page(
    request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep, recording_sid: Sid
) -> Response:
    return _shown(request, services, db, user, [_one(db, user.business_id, recording_sid)], single=True)


@router.post("/{recording_sid}/handled")
def mark_handled(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    recording_sid: Sid,
    csrf: Annotated[str, Form()],
    back: Annotated[str, Form(max_length=16)] = "list",
    handled: Annotated[Literal["yes", "no"], Form()] = "yes",
) -> Response:
    """`handled=no` undoes a mark made by mistake: the message is new again."""
    check_csrf(request, csrf)
    voicemails.mark_handled(db.session, user.business_id, recording_sid, services.clock(), handled=handled == "yes")
    target = f"/admin/messages/{recording_sid}" if back == "message" else f"/admin/messages#{recording_sid}"
    return RedirectResponse(target, status_code=303)


@router.post("/notes/{note_id}/handled")
def mark_note_handled(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    note_id: Annotated[str, Path(max_length=34)],
    csrf: Annotated[str, Form()],
    handled: Annotated[Literal["yes", "no"], Form()] = "yes",
) -> Response:
    check_csrf(request, csrf)
    cards.note_handled(db.session, user.business_id, note_id, services.clock(), handled=handled == "yes")
    return RedirectResponse(f"/admin/messages#{note_id}", status_code=303)
