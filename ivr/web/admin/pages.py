"""What every admin page shares: the logged-in staff user, CSRF tokens, rendering in the visitor's language,
and saving a change through ivr.usecases.editing (the document model, the checker, the store)."""

import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from ivr.document.lint import Finding
from ivr.document.load import document_data
from ivr.document.model import DEFAULT_TIMEZONE, BusinessDocument
from ivr.errors import ConflictError, DocumentError, GreetlineError
from ivr.store import businesses, rendered, staff
from ivr.store.staff import StaffUser
from ivr.usecases import editing
from ivr.web.admin import week, wording
from ivr.web.admin.i18n import DEFAULT_LANGUAGE, LANGUAGES, Words, asked_for, translations
from ivr.web.admin.problem_words import problem_words, spoken_notes
from ivr.web.admin.problems import Problems, placed
from ivr.web.admin.templating import templates
from ivr.web.request_session import RequestSession, RequestSessionDep, remember_after_commit
from ivr.web.services import Services

# Why a logged-in visitor is refused (the 403's detail), said in the page's language by the error page.
ROLE_REFUSED = "role does not change anything"
OWNERS_ONLY = "owners only"


def language(request: Request, document: dict[str, Any] | None = None) -> str:
    """The language the visitor chose, else the business's own, else the one their browser asks for (the login
    page, before any is chosen), else Dutch."""
    chosen = request.session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    if document and document.get("language") in LANGUAGES:
        return str(document["language"])
    return asked_for(request.headers.get("accept-language", "")) or DEFAULT_LANGUAGE


def words(request: Request, document: dict[str, Any] | None = None) -> Words:
    return translations(language(request, document))


def typed_text(value: str) -> str:
    """A text field as typed, without the CRLF line breaks browsers send for a textarea (HTML's form submission):
    a text saved unchanged is the text that was stored."""
    return value.replace("\r\n", "\n").strip()


def csrf_token(request: Request) -> str:
    token: str = request.session.setdefault("csrf", secrets.token_urlsafe(24))
    return token


def check_csrf(request: Request, token: str) -> None:
    if not secrets.compare_digest(token, request.session.get("csrf", "")):
        raise HTTPException(403, "this form has expired; reload the page and try again")


def _user(request: Request, db: RequestSessionDep) -> StaffUser:
    """The logged-in staff user, read in the request's session (ivr.web.request_session): the page's one transaction."""
    user_id, chosen = request.session.get("user"), request.session.get("business")
    user = (
        staff.get(db.session, user_id, chosen if isinstance(chosen, int) else None)
        if isinstance(user_id, int)
        else None
    )
    # A session from before the last logout or password change carries an older epoch: it has ended.
    if user is None or request.session.get("epoch") != user.session_epoch:
        if user_id is not None:  # an ended session; a login waiting for its second step is kept
            request.session.clear()
        raise HTTPException(303, headers={"Location": "/admin/login"})
    return user


UserDep = Annotated[StaffUser, Depends(_user)]


def page(request: Request, name: str, current: str | None, status_code: int = 200, **context: Any) -> Response:
    document = context.get("document")
    lang = language(request, document)
    problems = context.pop("problems", None) or Problems()
    base = {
        "words": translations(lang),
        "lang": lang,
        "languages": [(code, wording.language_name(code)) for code in LANGUAGES],
        "csrf": csrf_token(request),
        "page": current,
        "problems": problems,
        "notes": [],
        "notice": None,
        "country": (document or {}).get("country", "NL"),
        "timezone": (document or {}).get("timezone", DEFAULT_TIMEZONE),
    }
    return templates().TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def document_of(db: RequestSession, user: StaffUser) -> dict[str, Any]:
    return businesses.get(db.session, user.business_id).document


def common(db: RequestSession, user: StaffUser) -> dict[str, Any]:
    document = document_of(db, user)
    return {"user": user, "business": document["business"], "document": document}


def recording_names(services: Services, db: RequestSession, user: StaffUser, language: str) -> dict[str, str]:
    """The texts of the business's rendered speech by the URL the call flow plays them from."""
    found = rendered.rendered_for(db.session.connection(), user.business_id, language)
    return {f"{services.settings.public_url}/media/{p.media_id}.wav": text for text, p in found.items()}


def _refusal(error: GreetlineError, words: Words, fields: dict[str, str] | None) -> Problems:
    """Why a change cannot be made, at the fields it concerns and in the page's language."""
    if isinstance(error, DocumentError):
        return placed(words, error.found, fields)
    if isinstance(error, ConflictError):  # which other business has a number is not this business's to know
        unavailable = words.gettext(
            "A number here is not available to this business; keep the numbers it has, or contact support to add one."
        )
        return Problems({"numbers": [unavailable]})
    # Any other refusal (a value the command line would name) has no field here: said in general at the form.
    return Problems({"form": [words.gettext("This value cannot be saved as it is; check it and try again.")]})


def spoken_media(db: RequestSession, user: StaffUser, document: dict[str, Any]) -> dict[str, str]:
    """The business's rendered speech by the text it speaks (its id names /media/ID.wav and /media/ID.mp3)."""
    found = rendered.rendered_for(db.session.connection(), user.business_id, document.get("language", "nl"))
    return {text: prompt.media_id for text, prompt in found.items()}


def speak_soon(services: Services, db: RequestSession, user: StaffUser, words: Words) -> list[str]:
    """Speak the business's texts after a save, so the page can play them; until then callers hear Twilio's <Say>.
    Answers within GREETLINE_SPEAKING_GRACE_S (1 s): a text already spoken, or one espeak-ng speaks at once, shows
    its player on the answer itself, with what speaking left to say; anything slower (Google out of reach, a busy
    machine) answers that the texts are being spoken (the page then asks /admin/speaking and shows itself anew
    when they are). The request's changes are committed first: no transaction is held while it speaks."""
    number = document_of(db, user)["numbers"][0]
    db.commit()
    future = services.speaking.soon(number, lambda: services.speak_texts(number))
    try:
        report = future.result(timeout=services.settings.speaking_grace_s)
    except TimeoutError:
        being_spoken = words.gettext(
            "Being spoken… Until the recording is ready, callers hear the text in the phone network's computer "
            "voice; this page shows the recording by itself when it is ready."
        )
        return [Markup('<span id="being-spoken">%s</span>') % being_spoken]
    return spoken_notes(words, report)


def save_parts(
    services: Services,
    db: RequestSession,
    user: StaffUser,
    parts: dict[str, Any],
    words: Words,
    fields: dict[str, str] | None = None,
) -> Problems:
    """Apply a change in the request's session; returns the problems to show at their fields (none when saved). A
    refused change is rolled back, the page shown again in a new transaction; a saved one is heard once committed."""
    try:
        saved = editing.change_parts_in(db.session, user.business_id, parts, services.clock(), user.email)
    except GreetlineError as error:
        db.refused()
        return _refusal(error, words, fields)
    remember_after_commit(db, services.database, saved.stored)
    return Problems()


# The value of the button that shows a change without saving it (the other button saves): see macros.html.
PREVIEW = "preview"


@dataclass(frozen=True)
class Draft:
    """A change shown before it is saved: the document it would make and what the checker says about it."""

    document: BusinessDocument
    findings: list[Finding]


def draft_parts(
    services: Services,
    db: RequestSession,
    user: StaffUser,
    parts: dict[str, Any],
    words: Words,
    fields: dict[str, str] | None = None,
) -> tuple[Problems, Draft | None]:
    """What `save_parts` would do, without saving: the problems at their fields, or the draft to preview."""
    try:
        document, findings = editing.draft_parts_in(db.session, user.business_id, parts, services.clock())
    except GreetlineError as error:
        return _refusal(error, words, fields), None
    return Problems(), Draft(document, findings)


def week_view(
    services: Services,
    db: RequestSession,
    user: StaffUser,
    document: dict[str, Any],
    words: Words,
    lang: str,
    draft: Draft | None,
) -> dict[str, Any]:
    """The week strip and the checker's advice (week.html): about the draft when there is one, else the stored
    document."""
    if draft is not None:
        findings = draft.findings
    else:
        try:
            _, findings = editing.checked(document)
        except DocumentError:
            findings = []
    heard = document_data(draft.document) if draft is not None else document
    recordings = recording_names(services, db, user, document.get("language", "nl"))
    drafts = {user.business_id: draft.document} if draft is not None else None
    return {
        "draft": draft is not None,
        "advice": [problem_words(words, finding) for finding in findings],
        "moments": week.moments(services, db.session, heard, recordings, words, lang, drafts),
    }


def install_error_pages(app: FastAPI) -> None:
    """Under /admin, a refused request is a page in the visitor's language with a way back, never raw JSON."""

    def _admin_page(request: Request, reason: int | str, status_code: int | None = None) -> Response:
        words_ = words(request)
        message = {
            ROLE_REFUSED: words_.gettext("Your role at this business lets you see this page, not change anything."),
            OWNERS_ONLY: words_.gettext("Only the business's owners can open this page."),
            403: words_.gettext("This form has expired; reload the page and try again."),
            404: words_.gettext("This page or item does not exist (any more)."),
        }.get(reason, words_.gettext("This request could not be handled; go back and check what you filled in."))
        code = status_code if status_code is not None else int(reason)
        return page(request, "error.html", None, status_code=code, message=message)

    async def on_http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        if request.url.path.startswith("/admin") and error.status_code >= 400:
            if error.status_code == 403 and error.detail in (ROLE_REFUSED, OWNERS_ONLY):
                return _admin_page(request, error.detail, 403)
            return _admin_page(request, error.status_code)
        return await http_exception_handler(request, error)

    async def on_invalid_request(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        if request.url.path.startswith("/admin"):
            return _admin_page(request, 422)
        return await request_validation_exception_handler(request, error)

    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
