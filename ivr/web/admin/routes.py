"""/admin: log in, see what a caller hears, change greetings, ring count, hours, periods; see the calls.

Every change goes through ivr.administration (the document model, the checker, the store), so it is heard on
the very next call. Forms carry a CSRF token kept in the signed session cookie.
"""

import secrets
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from audio.errors import AudioError
from audio.media import MediaStore
from audio.normalize import normalize_greeting
from ivr import administration
from ivr.callflow.model import Country
from ivr.callflow.ringing import MAX_RINGS, MIN_RINGS
from ivr.document.load import validate_document
from ivr.errors import ConflictError, DocumentError, GreetlineError
from ivr.forwarding import forward_codes
from ivr.simulator.caller import Transcript
from ivr.store import businesses, calls, rendered, staff
from ivr.store.staff import StaffUser
from ivr.web.admin.forms import OverflowKind, listed, overflow_fields, overflow_part
from ivr.web.admin.i18n import LANGUAGES, WORDS, english_days
from ivr.web.admin.waveform import waveform_path
from ivr.web.preview import caller_hears
from ivr.web.services import Services, ServicesDep

router = APIRouter(prefix="/admin", include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _csrf(request: Request) -> str:
    token: str = request.session.setdefault("csrf", secrets.token_urlsafe(24))
    return token


def _check_csrf(request: Request, token: str) -> None:
    if not secrets.compare_digest(token, request.session.get("csrf", "")):
        raise HTTPException(403, "this form has expired; reload the page and try again")


def _user(request: Request, services: ServicesDep) -> StaffUser:
    user_id = request.session.get("user")
    user = None
    if isinstance(user_id, int):
        with services.database.transaction() as session:
            user = staff.get(session, user_id)
    if user is None:
        raise HTTPException(303, headers={"Location": "/admin/login"})
    return user


UserDep = Annotated[StaffUser, Depends(_user)]


def _page(request: Request, name: str, page: str | None, **context: Any) -> Response:
    language = request.session.get("lang", "nl")
    words = WORDS.get(language, WORDS["nl"])
    base = {"t": words, "lang": language, "csrf": _csrf(request), "page": page, "problems": [], "notice": None}
    return templates.TemplateResponse(request, name, {**base, **context})


def _document(services: Services, user: StaffUser) -> dict[str, Any]:
    with services.database.transaction() as session:
        return businesses.get(session, user.business_id).document


def _hears(services: Services, document: dict[str, Any]) -> Transcript:
    return caller_hears(services, document, services.clock())


def _recording_names(services: Services, user: StaffUser, language: str) -> dict[str, str]:
    with services.database.reading() as connection:
        found = rendered.rendered_for(connection, user.business_id, language)
    return {f"{services.settings.public_url}/media/{p.media_id}.wav": text for text, p in found.items()}


def _common(request: Request, services: Services, user: StaffUser) -> dict[str, Any]:
    document = _document(services, user)
    return {"user": user, "business": document["business"], "document": document}


@router.get("/login")
def login_page(request: Request) -> Response:
    return _page(request, "login.html", "login")


@router.post("/login")
def login(
    request: Request,
    services: ServicesDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    _check_csrf(request, csrf)
    with services.database.transaction() as session:
        user = staff.verify(session, email, password)
    if user is None:
        failed = [WORDS[request.session.get("lang", "nl")]["login_failed"]]
        page = _page(request, "login.html", "login", problems=failed)
        page.status_code = 401
        return page
    request.session["user"] = user.id
    request.session["csrf"] = secrets.token_urlsafe(24)  # a fresh token after logging in
    return RedirectResponse("/admin", status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()]) -> Response:
    _check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/admin/login", status_code=303)


@router.get("/language/{language}")
def choose_language(request: Request, language: str) -> Response:
    if language in LANGUAGES:
        request.session["lang"] = language
    return RedirectResponse(_back_to(request), status_code=303)


def _back_to(request: Request) -> str:
    """The admin page the visitor came from; never another site (the Referer header is the visitor's to set)."""
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc in ("", request.url.netloc)
    if same_site and (referer.path == "/admin" or referer.path.startswith("/admin/")):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/admin"


@router.get("")
def dashboard(request: Request, services: ServicesDep, user: UserDep) -> Response:
    common = _common(request, services, user)
    document = common["document"]
    local_midnight = datetime.combine(
        services.clock().astimezone(ZoneInfo(document["timezone"])).date(), time(0), ZoneInfo(document["timezone"])
    )
    services.call_log.flush()
    with services.database.transaction() as session:
        today = calls.recent(session, user.business_id, since=local_midnight.astimezone(UTC))
    return _page(
        request,
        "dashboard.html",
        "dashboard",
        **common,
        transcript=_hears(services, document),
        calls=today,
        recordings=_recording_names(services, user, document.get("language", "nl")),
    )


@router.get("/calls")
def call_log(request: Request, services: ServicesDep, user: UserDep) -> Response:
    services.call_log.flush()
    with services.database.transaction() as session:
        logged = calls.recent(session, user.business_id, limit=200)
    return _page(request, "calls.html", "calls", **_common(request, services, user), calls=logged)


def _greetings_page(request: Request, services: Services, user: StaffUser, **extra: Any) -> Response:
    common = _common(request, services, user)
    document = common["document"]
    media = MediaStore(services.settings.media_dir)
    with services.database.reading() as connection:
        found = rendered.rendered_for(connection, user.business_id, document.get("language", "nl"))
    items = []
    uploaded = (document.get("greeting") or {}).get("media")
    if uploaded and media.exists(uploaded):
        items.append(
            {
                "title": (document.get("greeting") or {}).get("file", "welcome"),
                "media_id": uploaded,
                "engine": "upload",
                "duration_s": media.duration_s(uploaded),
            }
        )
    items += [
        {"title": text, "media_id": prompt.media_id, "engine": prompt.engine, "duration_s": prompt.duration_s}
        for text, prompt in found.items()
        if media.exists(prompt.media_id)
    ]
    for item in items:
        item["wave"] = waveform_path(media.wav_path(str(item["media_id"])))
    greeting_text = (document.get("greeting") or {}).get("text", "")
    return _page(
        request, "greetings.html", "greetings", **common, recordings_list=items, greeting_text=greeting_text, **extra
    )


@router.get("/greetings")
def greetings(request: Request, services: ServicesDep, user: UserDep) -> Response:
    return _greetings_page(request, services, user)


def _save(services: Services, user: StaffUser, parts: dict[str, Any]) -> list[str]:
    """Apply a change; returns problems to show (empty when saved)."""
    try:
        administration.change_parts(services.database, user.business_id, parts, services.clock())
    except DocumentError as error:
        return error.problems
    except (ConflictError, GreetlineError) as error:
        return [str(error)]
    return []


@router.post("/greetings/upload")
def upload_greeting(
    request: Request, services: ServicesDep, user: UserDep, recording: UploadFile, csrf: Annotated[str, Form()]
) -> Response:
    _check_csrf(request, csrf)
    data = recording.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return _greetings_page(
            request, services, user, problems=[f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB"]
        )
    try:
        normalised = normalize_greeting(data, kind="welcome")
    except AudioError as error:
        return _greetings_page(request, services, user, problems=[str(error)])
    media_id = MediaStore(services.settings.media_dir).save(normalised)
    greeting = {"file": recording.filename or "upload", "media": media_id}
    problems = _save(services, user, {"greeting": greeting})
    notice = None if problems else WORDS[request.session.get("lang", "nl")]["saved"]
    return _greetings_page(request, services, user, problems=problems + normalised.report.warnings, notice=notice)


@router.post("/greetings/text")
def text_greeting(
    request: Request, services: ServicesDep, user: UserDep, text: Annotated[str, Form()], csrf: Annotated[str, Form()]
) -> Response:
    from ivr.commands import render_number

    _check_csrf(request, csrf)
    problems = _save(services, user, {"greeting": {"text": text.strip()}})
    if not problems:
        document = _document(services, user)
        report = render_number(services.settings, document["numbers"][0], lambda _done, _total, _text: None)
        problems = report.problems
    notice = None if problems else WORDS[request.session.get("lang", "nl")]["saved"]
    return _greetings_page(request, services, user, problems=problems, notice=notice)


def _settings_page(request: Request, services: Services, user: StaffUser, **extra: Any) -> Response:
    common = _common(request, services, user)
    document = common["document"]
    meaning = administration.ring_meaning(validate_document(document))
    codes = forward_codes(document.get("rings", 4), document["numbers"][0], Country(document.get("country", "NL")))
    return _page(
        request,
        "settings.html",
        "settings",
        **common,
        rings=meaning,
        transcript=_hears(services, document),
        recordings=_recording_names(services, user, document.get("language", "nl")),
        forward_codes=codes,
        overflow=overflow_fields(document),
        **extra,
    )


@router.get("/settings")
def settings_page(request: Request, services: ServicesDep, user: UserDep) -> Response:
    return _settings_page(request, services, user)


@router.get("/settings/rings/meaning")
def ring_meaning(
    request: Request, services: ServicesDep, user: UserDep, rings: Annotated[int, Query(ge=MIN_RINGS, le=MAX_RINGS)]
) -> dict[str, Any]:
    """What a ring count would mean, before it is saved: the slider shows it as it moves."""
    candidate = validate_document({**_document(services, user), "rings": rings})
    meaning = administration.ring_meaning(candidate)
    words = WORDS.get(request.session.get("lang", "nl"), WORDS["nl"])
    return {
        "rings": meaning.rings,
        "ringing_s": meaning.ringing_s,
        "text": words["seconds"].format(rings=meaning.rings, s=meaning.ringing_s),
        "warnings": meaning.warnings,
    }


def _after_save(request: Request, services: Services, user: StaffUser, problems: list[str]) -> Response:
    notice = None if problems else WORDS[request.session.get("lang", "nl")]["saved"]
    page = _settings_page(request, services, user, problems=problems, notice=notice)
    if problems:
        page.status_code = 422
    return page


@router.post("/settings/rings")
def save_rings(
    request: Request, services: ServicesDep, user: UserDep, rings: Annotated[str, Form()], csrf: Annotated[str, Form()]
) -> Response:
    _check_csrf(request, csrf)
    problems = (
        ["rings: give a whole number from 1 to 10"]
        if not rings.isdigit()
        else _save(services, user, {"rings": int(rings)})
    )
    return _after_save(request, services, user, problems)


@router.post("/settings/phones")
def save_phones(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    operators: Annotated[str, Form()],
    ring: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    overflow_kind: Annotated[OverflowKind | None, Form()] = None,
    overflow_dial: Annotated[str, Form()] = "",
    overflow_email: Annotated[str, Form()] = "",
) -> Response:
    _check_csrf(request, csrf)
    parts: dict[str, Any] = {
        "operators": listed(operators),
        "ring": ring,
        **overflow_part(overflow_kind, overflow_dial, overflow_email),
    }
    return _after_save(request, services, user, _save(services, user, parts))


@router.post("/settings/hours")
def save_hours(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    hours: Annotated[str, Form()] = "",
    holidays: Annotated[str, Form()] = "",
) -> Response:
    _check_csrf(request, csrf)
    parsed: dict[str, str] = {}
    for line in hours.splitlines():
        days, _, times = line.strip().partition(" ")
        if days:
            parsed[english_days(days)] = times.strip()
    return _after_save(
        request, services, user, _save(services, user, {"hours": parsed or None, "holidays": holidays == "on"})
    )


@router.post("/settings/periods")
def add_period(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    start: Annotated[date, Form()],
    end: Annotated[date, Form()],
    text: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    dial: Annotated[str, Form()] = "",
) -> Response:
    _check_csrf(request, csrf)
    period: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "greeting": {"text": text.strip()}}
    if dial.strip():
        period["dial"] = dial.strip()
    current = _document(services, user).get("periods", [])
    return _after_save(request, services, user, _save(services, user, {"periods": [*current, period]}))
