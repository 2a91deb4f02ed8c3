"""/admin/greetings: every greeting with a player and its picture; upload a recording or type a welcome; choose
which recording callers hear as the welcome, and which as the information, closed or holiday message; delete the
ones not in use.

An uploaded recording joins the business's library (the same one the API manages) and becomes the welcome at
once, which is what someone uploading a greeting expects: the same use case as the API's upload with `active=true`
(ivr.usecases.greetings), refused for the same reasons; a refused recording changes nothing.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from audio.errors import AudioError
from audio.wav import wav_duration_s
from ivr.errors import BusyError, ConflictError, DocumentError, Problem
from ivr.store import library, rendered
from ivr.store.staff import StaffUser
from ivr.usecases import greetings as usecase
from ivr.usecases.uploads import MAX_UPLOAD_BYTES
from ivr.web.admin.cycle import submitted
from ivr.web.admin.i18n import Words
from ivr.web.admin.pages import (
    Draft,
    UserDep,
    check_csrf,
    common,
    document_of,
    language,
    page,
    speak_soon,
    typed_text,
    week_view,
    words,
)
from ivr.web.admin.problem_words import audio_refusal, problem_words
from ivr.web.admin.problems import Problems
from ivr.web.admin.waveform import picture
from ivr.web.bodies import uploaded_file
from ivr.web.request_session import RequestSession, RequestSessionDep, remember_after_commit
from ivr.web.services import Services, ServicesDep

router = APIRouter(prefix="/greetings", include_in_schema=False)
GreetingId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _items(services: Services, db: RequestSession, user: StaffUser, document: dict[str, Any]) -> list[dict[str, Any]]:
    """Uploaded recordings (the active one first), then the business's texts as rendered speech."""
    media = services.media
    active = (document.get("greeting") or {}).get("media")
    uploads = library.greetings(db.session, user.business_id)
    spoken = rendered.rendered_for(db.session.connection(), user.business_id, document.get("language", "nl"))
    closed = document.get("closed") or {}
    uses = {
        use: (part or {}).get("media")
        for use, part in (
            ("info", document.get("info")),
            ("closed", closed.get("greeting")),
            ("holiday", closed.get("holiday")),
        )
    }
    items: list[dict[str, Any]] = [
        {
            "id": g.id,
            "title": g.file_name,
            "media_id": g.media_id,
            "engine": "upload",
            "active": g.media_id == active,
            "uses": [use for use, media in uses.items() if media == g.media_id],
        }
        for g in sorted(uploads, key=lambda g: (g.media_id != active, -g.id))
    ]
    if active and not any(item["active"] for item in items):  # named by a document applied from the CLI
        title = (document.get("greeting") or {}).get("file", "welcome")
        items.insert(0, {"id": None, "title": title, "media_id": active, "engine": "upload", "active": True})
    items += [
        {"id": None, "title": text, "media_id": prompt.media_id, "engine": prompt.engine, "active": False}
        for text, prompt in spoken.items()
    ]
    shown = []
    for item in items:
        wav = media.read(item["media_id"]) if media.exists(item["media_id"]) else None
        if wav is None:
            continue
        item["duration_s"] = wav_duration_s(wav) or 0.0
        item["picture"] = picture(wav)
        shown.append(item)
    return shown


def _page(
    request: Request, services: Services, db: RequestSession, user: StaffUser, status_code: int = 200, **extra: Any
) -> Response:
    shared = common(db, user)
    document = shared["document"]
    words_ = words(request, document)
    items = _items(services, db, user, document)
    for item in items:
        item["engine_name"] = (
            words_.gettext("recording") if item["engine"] == "upload" else words_.gettext("computer voice")
        )
    return page(
        request,
        "greetings.html",
        "greetings",
        status_code=status_code,
        **shared,
        page_title=words_.gettext("Greetings"),
        recordings_list=items,
        use_names={
            "info": words_.gettext("Information message"),
            "closed": words_.gettext("Message outside opening hours"),
            "holiday": words_.gettext("Message on public holidays"),
        },
        # What was typed, when given (a refused or previewed welcome), else the stored one.
        **{"greeting_text": (document.get("greeting") or {}).get("text", ""), **extra},
    )


def _notes(words_: Words, notes: list[Problem]) -> list[str]:
    """Advice from the audio steps (audio.errors.AudioCode of each warning) in the page's language."""
    return list(dict.fromkeys(problem_words(words_, note) for note in notes))


@router.get("")
def greetings(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    return _page(request, services, db, user)


async def _recording(request: Request, _user: UserDep) -> UploadFile:
    """The uploaded recording, read only for a logged-in user with this page's token (never spooled otherwise)."""
    recording, fields = await uploaded_file(request, "recording")
    check_csrf(request, fields.get("csrf", ""))
    return recording


@router.post("/upload")
def upload_greeting(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    recording: Annotated[UploadFile, Depends(_recording)],
) -> Response:
    data = recording.file.read(MAX_UPLOAD_BYTES + 1)  # one byte more tells an oversized file from a full one
    # The upload has a transaction of its own after normalising (ffmpeg, slow): the request's ends here, before it.
    db.commit()
    try:
        uploaded = usecase.upload_greeting(
            services.database,
            services.media,
            user.business_id,
            data,
            recording.filename or "upload",
            services.clock(),
            make_welcome=True,
            by=user.email,
        )
    except AudioError as error:
        refused = audio_refusal(words(request), error.code, error.values)  # the reason, in the page's language
        return _page(request, services, db, user, 422, problems=Problems({"recording": [refused]}))
    except BusyError as error:
        busy_text = words(request).gettext(
            "Other recordings are being made telephone-ready right now; upload again in %(s)s seconds."
        ) % {"s": error.retry_after_s}
        busy = _page(request, services, db, user, 503, problems=Problems({"recording": [busy_text]}))
        busy.headers["Retry-After"] = str(error.retry_after_s)
        return busy
    except DocumentError as error:  # the checker refuses the business with this welcome
        return _page(request, services, db, user, 422, problems=_at_recording(words(request), error))
    # Warnings (too long, noisy) are advice about a greeting that is in use, not problems that stopped it.
    words_ = words(request)
    return _page(request, services, db, user, notice=words_.gettext("Saved."), notes=_notes(words_, uploaded.notes))


def _at_recording(words_: Words, error: DocumentError) -> Problems:
    """Why the checker refuses a recording as the welcome, at the upload field: the recording is what to change,
    wherever in the calls its length is felt (the emergency option it delays, the wait before a phone rings)."""
    return Problems({"recording": [problem_words(words_, problem) for problem in error.found]})


def _shown(
    request: Request,
    services: Services,
    db: RequestSession,
    user: StaffUser,
    *,
    problems: Problems | None = None,
    typed: dict[str, Any] | None = None,
    notice: str | None = None,
    draft: Draft | None = None,
    notes: list[str] | None = None,
) -> Response:
    """The page as the typed welcome's form shows it again (ivr.web.admin.cycle); with a draft, the week with it."""
    extra: dict[str, Any] = {**(typed or {}), "notes": notes or []}
    if draft is not None:
        document = document_of(db, user)
        extra |= week_view(services, db, user, document, words(request, document), language(request, document), draft)
    status_code = 422 if problems else 200
    return _page(request, services, db, user, status_code, problems=problems or Problems(), notice=notice, **extra)


@router.post("/text")
def text_greeting(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    text: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    intent: Annotated[str, Form()] = "",
) -> Response:
    """Save a typed welcome (spoken at once), or first show what callers would hear with it ("preview")."""
    check_csrf(request, csrf)

    def speak(words_: Words) -> list[str]:
        # Saved either way: until a text has a recording, callers hear it spoken by Twilio's <Say>.
        return speak_soon(services, db, user, words_)

    welcome = typed_text(text)
    # A typed welcome replaces a recording; the text a recording falls back to, saved as it is, changes nothing.
    same = welcome == (document_of(db, user).get("greeting") or {}).get("text")
    part = {"greeting.text": welcome} if same else {"greeting": {"text": welcome}}
    return submitted(
        request, services, db, user, _shown, {"greeting_text": text}, part, intent=intent, after_saving=speak
    )


def _chosen(request: Request, _user: UserDep, greeting_id: GreetingId, csrf: Annotated[str, Form()]) -> int:
    """The greeting a form names, once its token is checked. Another business's is the use case's NotFoundError,
    which the error handler shows as the 404 page, as if it did not exist."""
    check_csrf(request, csrf)
    return greeting_id


ChosenGreeting = Annotated[int, Depends(_chosen)]


@router.post("/{greeting_id}/active")
def make_active(
    request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep, greeting_id: ChosenGreeting
) -> Response:
    try:
        made = usecase.make_welcome_in(db.session, user.business_id, greeting_id, services.clock(), user.email)
    except DocumentError as error:
        db.refused()
        return _page(request, services, db, user, 422, problems=_at_recording(words(request), error))
    assert made.welcome is not None
    remember_after_commit(db, services.database, made.welcome.stored)
    return RedirectResponse("/admin/greetings", status_code=303)


@router.post("/{greeting_id}/use")
def use_recording(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    greeting_id: ChosenGreeting,
    use: Annotated[Literal["info", "closed", "holiday"], Form()],
    intent: Annotated[str, Form()] = "",
) -> Response:
    """A recording of the library as the information, closed or holiday message; previewed like a typed text. The
    checker's problems are shown at the recording (its length is what to change)."""
    item = library.greeting(db.session, user.business_id, greeting_id)
    parts = usecase.recording_parts(item, use)
    at_recording = {path: "recording" for path in ("info", "closed")}
    return submitted(request, services, db, user, _shown, {}, parts, intent=intent, fields=at_recording)


@router.post("/{greeting_id}/delete")
def delete_greeting(
    request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep, greeting_id: ChosenGreeting
) -> Response:
    try:
        usecase.delete_greeting_in(db.session, user.business_id, greeting_id)
    except ConflictError:
        db.refused()
        in_use = words(request).gettext("This greeting is in use; choose another one first.")
        return _page(request, services, db, user, 409, problems=Problems({"form": [in_use]}))
    return RedirectResponse("/admin/greetings", status_code=303)
