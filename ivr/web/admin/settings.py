"""/admin/settings: the ring count (with what it means in seconds), the staff phones and where unanswered calls go,
opening hours, the e-mails after calls, and the forwarding codes for a mobile and a landline. The forms of the
periods (ivr.web.admin.periods) and of the public holidays (ivr.web.admin.holidays) are on this page too.

Every change goes through ivr.usecases.editing (the document model, the checker, the store), so it is heard on the
very next call; each form names only the fields it shows (ivr.web.admin.cycle)."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from ivr.callflow.forwarding import LANDLINE_SERVICES, forward_codes, landline_codes, no_answer_timer_s
from ivr.callflow.model import Country
from ivr.callflow.ringing import MAX_RINGS, MIN_RINGS
from ivr.document.lint import stored_sms_sender_findings
from ivr.document.load import validate_document
from ivr.store.staff import StaffUser
from ivr.usecases import editing
from ivr.web.admin import pages, wording
from ivr.web.admin.cycle import submitted
from ivr.web.admin.forms import (
    OverflowKind,
    emergency_fields,
    hours_line,
    hours_part,
    listed,
    local_numbers,
    overflow_fields,
    overflow_part,
    period_fields,
)
from ivr.web.admin.heard import heard_now
from ivr.web.admin.holiday_choices import HolidayChoice, choices_for, holiday_fields, regions_of
from ivr.web.admin.i18n import Words, translations
from ivr.web.admin.pages import Draft, UserDep
from ivr.web.admin.problem_words import problem_words
from ivr.web.admin.problems import Problems
from ivr.web.request_session import RequestSession, RequestSessionDep
from ivr.web.services import Services, ServicesDep

router = APIRouter(prefix="/settings", include_in_schema=False)


def _ring_words(words: Words, meaning: editing.RingMeaning) -> tuple[str, list[str]]:
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


def _landline_words(words: Words, document: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The landline codes by line type, each with what it does: `*61*NUMBER#` sets a forwarding, `#61#` cancels it
    (ivr.callflow.forwarding)."""
    lines = {"analogue": words.gettext("Analogue line"), "ISDN": words.gettext("ISDN line")}
    found = []
    for line, codes in landline_codes(document["numbers"][0]).items():
        always, no_answer, busy = LANDLINE_SERVICES[line]
        sets = {
            no_answer: words.gettext("Not answered (after the exchange's own time, about 20 s): forward to Greetline"),
            busy: words.gettext("Busy: forward to Greetline"),
            always: words.gettext("Always: every call goes to Greetline at once (holidays, closed days)"),
        }
        cancels = {
            no_answer: words.gettext("Cancel forwarding when not answered"),
            busy: words.gettext("Cancel forwarding when busy"),
            always: words.gettext("Cancel forwarding always"),
        }
        shown = []
        for code in codes:
            service = code.code.strip("*#").split("*")[0].strip("#")
            shown.append((code.code, (cancels if code.code.startswith("#") else sets)[service]))
        found.append((lines[line], shown))
    return found


def _form_values(document: dict[str, Any], lang: str, holidays: list[HolidayChoice]) -> dict[str, Any]:
    """What the settings forms show: the stored document, in the shape and language of the fields."""
    overflow = overflow_fields(document)
    hours = document.get("hours") or {}
    return {
        **holiday_fields(document, holidays),
        "operators": "\n".join(document.get("operators", [])),
        "ring": document.get("ring", "simultaneous"),
        "confirm": document.get("confirm", False) is True,
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
        "period_start": "",
        "period_end": "",
        "period_text": "",
        "period_route": "dial",
        "period_dial": "",
        "period_email": "",
        "period_sms": "",
        **{f"period_{name}": value for name, value in emergency_fields(None).items()},
    }


def settings_page(
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
    """The settings page; after a refused change the fields show what was typed, with the problems beside them.
    With a `draft` (a change not saved yet) it shows what callers would hear with it and the checker's advice."""
    common = pages.common(db, user)
    document = common["document"]
    lang = pages.language(request, document)
    words = translations(lang)
    # The week strip only for a change not saved yet: the page's own "now" is above the ring count.
    previewed = pages.week_view(services, db, user, document, words, lang, draft) if draft is not None else {}
    meaning = editing.ring_meaning(validate_document(document))
    ring_text, ring_warnings = _ring_words(words, meaning)
    # The finding `greetline serve` and `lint` print (texts from a landline cannot go), beside the texts' numbers.
    sms_findings = stored_sms_sender_findings(document, services.settings.sms_from)
    holidays = choices_for(document, lang, services.clock().year)
    return pages.page(
        request,
        "settings.html",
        "settings",
        status_code=422 if problems else 200,
        **common,
        **heard_now(request, services, db, user, document),
        page_title=words.gettext("Settings"),
        rings=meaning,
        ring_text=ring_text,
        ring_warnings=ring_warnings,
        sms_warnings=[problem_words(words, finding) for finding in sms_findings],
        forward_codes=_forward_words(words, document),
        landline_codes=_landline_words(words, document),
        spoken=pages.spoken_media(db, user, document),
        form={**_form_values(document, lang, holidays), **(typed or {})},
        holiday_choices=holidays,
        regions=regions_of(document),
        hours_example=f"{wording.days_for_form('mon-fri', lang)} 08:00-12:00, 13:00-17:00",
        problems=problems or Problems(),
        notice=notice,
        notes=notes or [],
        **previewed,
    )


@router.get("")
def show_settings(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    period: Annotated[int | None, Query(ge=0, le=10_000)] = None,
) -> Response:
    """`period`: the period (by its place in the list) whose form is shown filled, to change it in place."""
    periods = pages.document_of(db, user).get("periods", [])
    typed = period_fields(periods[period], period) if period is not None and period < len(periods) else None
    return settings_page(request, services, db, user, typed=typed)


@router.get("/rings/meaning")
def ring_meaning(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    rings: Annotated[int, Query(ge=MIN_RINGS, le=MAX_RINGS)],
) -> dict[str, Any]:
    """What a ring count would mean, before it is saved: the slider shows it as it moves."""
    document = pages.document_of(db, user)
    meaning = editing.ring_meaning(validate_document({**document, "rings": rings}))
    text, warnings = _ring_words(pages.words(request, document), meaning)
    return {"rings": meaning.rings, "ringing_s": meaning.ringing_s, "text": text, "warnings": warnings}


@router.post("/rings")
def save_rings(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    rings: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    if not rings.isdigit():
        words = pages.words(request, pages.document_of(db, user))
        refused = Problems({"rings": [words.gettext("Choose from 1 to 10 rings.")]})
        return submitted(request, services, db, user, settings_page, {}, problems=refused)
    return submitted(request, services, db, user, settings_page, {}, {"rings": int(rings)})


@router.post("/phones")
def save_phones(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    operators: Annotated[str, Form()] = "",
    ring: Annotated[str, Form()] = "simultaneous",
    confirm: Annotated[str, Form()] = "",
    overflow_kind: Annotated[OverflowKind | None, Form()] = None,
    overflow_dial: Annotated[str, Form()] = "",
    overflow_email: Annotated[str, Form()] = "",
    overflow_sms: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "",
) -> Response:
    """The staff phones, all at once or in turn, whether they take a call with 1 (`confirm`), and where calls go
    that nobody answers: the overflow's fields only, so the answering service's note addresses (on the
    answering-service page) stay."""
    pages.check_csrf(request, csrf)
    document = pages.document_of(db, user)
    typed = {
        "operators": operators,
        "ring": ring,
        "confirm": confirm == "on",
        "overflow_kind": overflow_kind or overflow_fields(document)["kind"],
        "overflow_dial": overflow_dial,
        "overflow_email": overflow_email,
        "overflow_sms": overflow_sms,
    }
    country = document.get("country", "NL")
    staff_phones = local_numbers(listed(operators), country)
    if not staff_phones:
        words = pages.words(request, document)
        missing = words.gettext("Give at least one staff phone: calls ring there first.")
        return submitted(request, services, db, user, settings_page, typed, problems=Problems({"operators": [missing]}))
    dial = ", ".join(local_numbers(listed(overflow_dial), country))
    parts = {
        "operators": staff_phones,
        "ring": ring,
        "confirm": confirm == "on",
        **overflow_part(overflow_kind, dial, overflow_email, overflow_sms, country),
    }
    return submitted(request, services, db, user, settings_page, typed, parts, intent=intent)


@router.post("/hours")
def save_hours(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    hours: Annotated[str, Form()] = "",
    always_open: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "",
) -> Response:
    pages.check_csrf(request, csrf)
    document = pages.document_of(db, user)
    words = pages.words(request, document)
    typed = {"hours": hours, "always_open": always_open == "on"}
    parsed: dict[str, str | list[str]] = {}
    for line in hours.splitlines():
        days, times = hours_line(line)
        if days:
            parsed[wording.english_days(days)] = times
    if parsed and always_open == "on":
        both = words.gettext("Choose: opening hours, or always open; not both.")
        return submitted(request, services, db, user, settings_page, typed, problems=Problems({"hours": [both]}))
    if not parsed and always_open != "on":
        # An empty field would open the line day and night; that has to be a choice, not an accident.
        missing = words.gettext(
            "Give the opening hours, or tick 'Always open' if calls should come through day and night."
        )
        return submitted(request, services, db, user, settings_page, typed, problems=Problems({"hours": [missing]}))
    parts = {"hours": hours_part(parsed, document.get("hours"))}
    return submitted(request, services, db, user, settings_page, typed, parts, intent=intent)


@router.post("/after-calls")
def save_after_calls(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    missed_emails: Annotated[str, Form()] = "",
    summary_emails: Annotated[str, Form()] = "",
    summary_at: Annotated[str, Form(max_length=8)] = "17:30",
) -> Response:
    """Who is told by e-mail about each call that reached nobody, and who gets the day's calls in one e-mail."""
    pages.check_csrf(request, csrf)
    typed = {"missed_emails": missed_emails, "summary_emails": summary_emails, "summary_at": summary_at}
    missed, summary = listed(missed_emails), listed(summary_emails)
    parts: dict[str, Any] = {"missed_calls.email": missed} if missed else {"missed_calls": None}
    if summary:
        parts |= {"daily_summary.email": summary, "daily_summary.at": summary_at}
    else:
        parts["daily_summary"] = None
    return submitted(request, services, db, user, settings_page, typed, parts)
