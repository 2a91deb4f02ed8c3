"""/admin: log in, see what a caller hears, change greetings, ring count, hours, periods; see the calls.

Every change goes through ivr.administration (the document model, the checker, the store), so it is heard on
the very next call. Forms carry a CSRF token kept in the signed session cookie.
"""

import math
import secrets
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from ivr import administration
from ivr.callflow.model import Country
from ivr.callflow.ringing import MAX_RINGS, MIN_RINGS
from ivr.callflow.steps import Outcome
from ivr.document.load import validate_document
from ivr.forwarding import forward_codes, no_answer_timer_s
from ivr.simulator.caller import Transcript
from ivr.store import calls, staff
from ivr.store.staff import StaffUser
from ivr.web.admin import answering, greetings, history, inbox, pages, team, texts, wording
from ivr.web.admin.forms import (
    OverflowKind,
    hours_line,
    listed,
    local_numbers,
    overflow_fields,
    overflow_part,
    overlapping,
    period_from_form,
    period_name,
)
from ivr.web.admin.i18n import LANGUAGES, Words, translations
from ivr.web.admin.pages import Draft, UserDep
from ivr.web.admin.problem_words import problem_words
from ivr.web.admin.problems import Problems
from ivr.web.logins import HashingBusy
from ivr.web.preview import caller_hears
from ivr.web.services import Services, ServicesDep

router = APIRouter(prefix="/admin", include_in_schema=False)
router.include_router(greetings.router)
router.include_router(history.router)
router.include_router(inbox.router)
router.include_router(team.router)
router.include_router(texts.router)
router.include_router(answering.router)


def _hears(services: Services, document: dict[str, Any]) -> Transcript:
    return caller_hears(services, document, services.clock())


# The outcomes a business's calls can have (a call to an unknown number belongs to no business).
CALL_OUTCOMES = [outcome.value for outcome in Outcome if outcome is not Outcome.UNKNOWN_NUMBER]
CALLS_SHOWN = 200


def _local_midnight(document: dict[str, Any], day: date) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(document["timezone"])).astimezone(UTC)


@router.get("/login")
def login_page(request: Request) -> Response:
    return pages.page(request, "login.html", "login")


# Seconds a visitor asked to try again is told to wait when every password check is taken.
BUSY_RETRY_S = 5


def _login_page(request: Request, status_code: int, problem: str, retry_after_s: int | None = None) -> Response:
    page = pages.page(request, "login.html", "login", problems=Problems({"form": [problem]}))
    page.status_code = status_code
    if retry_after_s is not None:
        page.headers["Retry-After"] = str(retry_after_s)
    return page


@router.post("/login")
async def login(
    request: Request,
    services: ServicesDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form()],
) -> Response:
    pages.check_csrf(request, csrf)
    guard, address = services.logins, request.client.host if request.client else "unknown"
    wait_s = math.ceil(guard.wait_s(email, address))
    if wait_s > 0:
        throttled = pages.words(request).gettext("Too many failed attempts. Try again in %(s)s seconds.")
        return _login_page(request, 429, throttled % {"s": wait_s}, wait_s)

    def check() -> StaffUser | None:
        with services.database.transaction() as session:
            return staff.verify(session, email, password)

    try:
        user = await guard.check_password(check)
    except HashingBusy:
        return _login_page(
            request,
            503,
            pages.words(request).gettext("Many people are logging in right now. Try again in a few seconds."),
            BUSY_RETRY_S,
        )
    guard.record(email, address, succeeded=user is not None)
    if user is None:
        return _login_page(request, 401, pages.words(request).gettext("E-mail address or password is wrong."))
    request.session["user"] = user.id
    request.session["epoch"] = user.session_epoch
    request.session["csrf"] = secrets.token_urlsafe(24)  # a fresh token after logging in
    return RedirectResponse("/admin", status_code=303)


@router.post("/logout")
def logout(request: Request, services: ServicesDep, csrf: Annotated[str, Form()]) -> Response:
    """Ends every session of this login, not only this browser's: a copied cookie stops working too."""
    pages.check_csrf(request, csrf)
    user_id = request.session.get("user")
    if isinstance(user_id, int):
        with services.database.transaction() as session:
            staff.end_sessions(session, user_id)
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


def _heard(request: Request, services: Services, user: StaffUser, document: dict[str, Any]) -> dict[str, Any]:
    """What a caller hears now, step by step in the page's language."""
    lang = pages.language(request, document)
    recordings = pages.recording_names(services, user, document.get("language", "nl"))
    transcript = _hears(services, document)
    steps = [
        wording.heard_step(translations(lang), event, recordings, document.get("country", "NL"), lang)
        for event in transcript.events
    ]
    return {"transcript": transcript, "heard": steps}


@router.get("")
def dashboard(request: Request, services: ServicesDep, user: UserDep) -> Response:
    common = pages.common(services, user)
    document = common["document"]
    local_today = services.clock().astimezone(ZoneInfo(document["timezone"])).date()
    services.call_log.flush()
    with services.database.transaction() as session:
        today = calls.recent(session.connection(), user.business_id, since=_local_midnight(document, local_today))
    words = pages.words(request, document)
    return pages.page(
        request,
        "dashboard.html",
        "dashboard",
        **common,
        **_heard(request, services, user, document),
        calls=today,
        page_title=words.gettext("Overview"),
    )


@router.get("/calls")
def call_log(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    day: Annotated[date | None, Query()] = None,
    outcome: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    shared = pages.common(services, user)
    since = _local_midnight(shared["document"], day) if day else None
    until = _local_midnight(shared["document"], day + timedelta(days=1)) if day else None
    services.call_log.flush()
    with services.database.transaction() as session:
        logged = calls.recent(
            session.connection(),
            user.business_id,
            limit=CALLS_SHOWN,
            since=since,
            until=until,
            outcome=outcome if outcome in CALL_OUTCOMES else None,
        )
    filters = {"day": day.isoformat() if day else "", "outcome": outcome, "outcomes": CALL_OUTCOMES}
    title = pages.words(request, shared["document"]).gettext("Calls")
    return pages.page(request, "calls.html", "calls", **shared, calls=logged, filters=filters, page_title=title)


def _ring_words(words: Words, meaning: administration.RingMeaning) -> tuple[str, list[str]]:
    text = words.ngettext(
        "%(num)d ring is about %(s)s seconds.", "%(num)d rings is about %(s)s seconds.", meaning.rings
    ) % {"num": meaning.rings, "s": meaning.ringing_s}
    return text, [problem_words(words, warning) for warning in meaning.warnings]


def _forward_words(words: Words, document: dict[str, Any]) -> list[tuple[str, str]]:
    """The forwarding codes with what each does; which code it is, is in its GSM service code (3GPP TS 22.030)."""
    rings = document.get("rings", 4)
    codes = forward_codes(rings, document["numbers"][0], Country(document.get("country", "NL")))
    timer_s = no_answer_timer_s(rings, Country(document.get("country", "NL")))
    meaning = {
        "**61*": words.gettext("Not answered within %(s)s s (about %(rings)s rings): forward to Greetline")
        % {"s": timer_s, "rings": rings},
        "**67*": words.gettext("Busy: forward to Greetline"),
        "**62*": words.gettext("Switched off or out of reach: forward to Greetline"),
        "**21*": words.gettext("Always: every call goes to Greetline at once (holidays, closed days)"),
        "##002": words.gettext("Cancel all forwarding"),
    }
    return [(code.code, meaning.get(code.code[:5], "")) for code in codes]


def _form_values(document: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the settings forms show: the stored document, in the shape and language of the fields."""
    overflow = overflow_fields(document)
    hours = document.get("hours") or {}
    return {
        "operators": "\n".join(document.get("operators", [])),
        "ring": document.get("ring", "simultaneous"),
        "overflow_kind": overflow["kind"],
        "overflow_dial": overflow["dial"],
        "overflow_email": overflow["email"],
        "hours": "".join(
            f"{wording.days_for_form(days, lang)} {times if isinstance(times, str) else ', '.join(times)}\n"
            for days, times in hours.items()
        ),
        "always_open": not hours,
        "overflow_sms": overflow["sms"],
        "missed_emails": ", ".join((document.get("missed_calls") or {}).get("email", [])),
        "summary_emails": ", ".join((document.get("daily_summary") or {}).get("email", [])),
        "summary_at": (document.get("daily_summary") or {}).get("at", "17:30"),
        "holidays": document.get("holidays", True),
        "period_start": "",
        "period_end": "",
        "period_text": "",
        "period_route": "dial",
        "period_dial": "",
        "period_email": "",
        "period_sms": "",
    }


def _settings_page(
    request: Request,
    services: Services,
    user: StaffUser,
    *,
    problems: Problems | None = None,
    typed: dict[str, Any] | None = None,
    notice: str | None = None,
    draft: Draft | None = None,
) -> Response:
    """The settings page; after a refused change the fields show what was typed, with the problems beside them.
    With a `draft` (a change not saved yet) it shows what callers would hear with it and the checker's advice."""
    common = pages.common(services, user)
    document = common["document"]
    lang = pages.language(request, document)
    words = translations(lang)
    # The week strip only for a change not saved yet: the page's own "now" is above the ring count.
    previewed = pages.week_view(services, user, document, words, lang, draft) if draft is not None else {}
    ring_text, ring_warnings = _ring_words(words, administration.ring_meaning(validate_document(document)))
    return pages.page(
        request,
        "settings.html",
        "settings",
        status_code=422 if problems else 200,
        **common,
        **_heard(request, services, user, document),
        page_title=words.gettext("Settings"),
        rings=administration.ring_meaning(validate_document(document)),
        ring_text=ring_text,
        ring_warnings=ring_warnings,
        forward_codes=_forward_words(words, document),
        spoken=pages.spoken_media(services, user, document),
        form={**_form_values(document, lang), **(typed or {})},
        hours_example=f"{wording.days_for_form('mon-fri', lang)} 08:00-12:00, 13:00-17:00",
        problems=problems or Problems(),
        notice=notice,
        **previewed,
    )


@router.get("/settings")
def settings_page(request: Request, services: ServicesDep, user: UserDep) -> Response:
    return _settings_page(request, services, user)


@router.get("/settings/rings/meaning")
def ring_meaning(
    request: Request, services: ServicesDep, user: UserDep, rings: Annotated[int, Query(ge=MIN_RINGS, le=MAX_RINGS)]
) -> dict[str, Any]:
    """What a ring count would mean, before it is saved: the slider shows it as it moves."""
    document = pages.document_of(services, user)
    meaning = administration.ring_meaning(validate_document({**document, "rings": rings}))
    text, warnings = _ring_words(pages.words(request, document), meaning)
    return {"rings": meaning.rings, "ringing_s": meaning.ringing_s, "text": text, "warnings": warnings}


def _save_or_draft(
    services: Services,
    user: StaffUser,
    intent: str,
    parts: dict[str, Any],
    words: Words,
    fields: dict[str, str] | None = None,
) -> tuple[Problems, Draft | None]:
    if intent == pages.PREVIEW:
        return pages.draft_parts(services, user, parts, words, fields)
    return pages.save_parts(services, user, parts, words, fields), None


def _after_save(
    request: Request,
    services: Services,
    user: StaffUser,
    problems: Problems,
    typed: dict[str, Any],
    draft: Draft | None = None,
) -> Response:
    if problems:
        return _settings_page(request, services, user, problems=problems, typed=typed)
    words = pages.words(request, pages.document_of(services, user))
    if draft is not None:
        notice = words.gettext("Not saved yet: this is what callers would hear. Save to make it so.")
        return _settings_page(request, services, user, typed=typed, notice=notice, draft=draft)
    return _settings_page(request, services, user, notice=words.gettext("Saved."))


@router.post("/settings/rings")
def save_rings(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    rings: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    words = pages.words(request, pages.document_of(services, user))
    if rings.isdigit():
        problems = pages.save_parts(services, user, {"rings": int(rings)}, words)
    else:
        problems = Problems({"rings": [words.gettext("Choose from 1 to 10 rings.")]})
    return _after_save(request, services, user, problems, {})


@router.post("/settings/phones")
def save_phones(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    operators: Annotated[str, Form()] = "",
    ring: Annotated[str, Form()] = "simultaneous",
    overflow_kind: Annotated[OverflowKind | None, Form()] = None,
    overflow_dial: Annotated[str, Form()] = "",
    overflow_email: Annotated[str, Form()] = "",
    overflow_sms: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    document = pages.document_of(services, user)
    words = pages.words(request, document)
    typed = {
        "operators": operators,
        "ring": ring,
        "overflow_kind": overflow_kind or overflow_fields(document)["kind"],
        "overflow_dial": overflow_dial,
        "overflow_email": overflow_email,
        "overflow_sms": overflow_sms,
    }
    country = document.get("country", "NL")
    problems = Problems()
    staff_phones = local_numbers(listed(operators), country)
    if not staff_phones:
        problems.add("operators", words.gettext("Give at least one staff phone: calls ring there first."))
    else:
        parts: dict[str, Any] = {
            "operators": staff_phones,
            "ring": ring,
            **overflow_part(
                overflow_kind,
                ", ".join(local_numbers(listed(overflow_dial), country)),
                overflow_email,
                document.get("overflow"),
                overflow_sms,
                country,
            ),
        }
        problems, draft = _save_or_draft(services, user, intent, parts, words)
        return _after_save(request, services, user, problems, typed, draft)
    return _after_save(request, services, user, problems, typed)


@router.post("/settings/hours")
def save_hours(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    hours: Annotated[str, Form()] = "",
    holidays: Annotated[str, Form()] = "",
    always_open: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    words = pages.words(request, pages.document_of(services, user))
    typed = {"hours": hours, "holidays": holidays == "on", "always_open": always_open == "on"}
    parsed: dict[str, str] = {}
    for line in hours.splitlines():
        days, times = hours_line(line)
        if days:
            parsed[wording.english_days(days)] = times
    problems = Problems()
    if parsed and always_open == "on":
        problems.add("hours", words.gettext("Choose: opening hours, or always open; not both."))
    elif not parsed and always_open != "on":
        # An empty field would open the line day and night; that has to be a choice, not an accident.
        problems.add(
            "hours",
            words.gettext("Give the opening hours, or tick 'Always open' if calls should come through day and night."),
        )
    else:
        # The box says "closed on holidays"; a list of which ones (written in the document) is kept while ticked.
        current = pages.document_of(services, user).get("holidays", True)
        closed_on_holidays = (current if isinstance(current, list) else True) if holidays == "on" else False
        parts = {"hours": parsed or None, "holidays": closed_on_holidays}
        problems, draft = _save_or_draft(services, user, intent, parts, words)
        return _after_save(request, services, user, problems, typed, draft)
    return _after_save(request, services, user, problems, typed)


@router.post("/settings/periods")
def add_period(
    request: Request,
    services: ServicesDep,
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
    document = pages.document_of(services, user)
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
    if new is not None:
        clash = overlapping(new, current)
        if clash is not None:
            lang = pages.language(request, document)
            problems.add(
                "period",
                words.gettext("This period (%(new)s) overlaps the period %(old)s; change the dates or remove that one.")
                % {
                    "new": period_name(new, wording.calendar_locale(lang)),
                    "old": period_name(clash, wording.calendar_locale(lang)),
                },
            )
        else:
            parts = {"periods": [*current, new]}
            problems, draft = _save_or_draft(services, user, intent, parts, words, {"periods": "period"})
            if not problems and draft is None:
                pages.speak_texts(services, user)  # the period's greeting, to hear in the list
            return _after_save(request, services, user, problems, typed, draft)
    return _after_save(request, services, user, problems, typed)


@router.post("/settings/periods/{index}/delete")
def remove_period(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    index: Annotated[int, Path(ge=0, le=10_000)],
    start: Annotated[date, Form()],
    csrf: Annotated[str, Form()],
) -> Response:
    """Remove the period at this place in the list, if it is still the one the page showed (by its first day)."""
    pages.check_csrf(request, csrf)
    current = list(pages.document_of(services, user).get("periods", []))
    words = pages.words(request, pages.document_of(services, user))
    if index >= len(current) or current[index]["from"] != start.isoformat():
        changed = words.gettext("The list of periods has changed meanwhile; check it and try again.")
        return _after_save(request, services, user, Problems({"period": [changed]}), {})
    del current[index]
    problems = pages.save_parts(services, user, {"periods": current}, words, {"periods": "period"})
    return _after_save(request, services, user, problems, {})


@router.post("/settings/after-calls")
def save_after_calls(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    missed_emails: Annotated[str, Form()] = "",
    summary_emails: Annotated[str, Form()] = "",
    summary_at: Annotated[str, Form(max_length=8)] = "17:30",
) -> Response:
    """Who is told by e-mail about each call that reached nobody, and who gets the day's calls in one e-mail."""
    pages.check_csrf(request, csrf)
    words = pages.words(request, pages.document_of(services, user))
    typed = {"missed_emails": missed_emails, "summary_emails": summary_emails, "summary_at": summary_at}
    parts = {
        "missed_calls": {"email": listed(missed_emails)} if listed(missed_emails) else None,
        "daily_summary": {"email": listed(summary_emails), "at": summary_at} if listed(summary_emails) else None,
    }
    problems = pages.save_parts(services, user, parts, words)
    return _after_save(request, services, user, problems, typed)
