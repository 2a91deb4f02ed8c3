"""/admin/texts: everything a caller hears besides the welcome (which has its own page with recordings): the
information message (on or off), the menu (up to four options, each with where it goes and the emergency
mark), the message and destination outside opening hours, the holiday message, and the fixed texts (the voicemail
prompt, the goodbye, nobody available) in the business's own words. The page shows the
checker's advice and what a caller hears at the moments staff plan for; each form can show both for its change
before it is saved ("Preview"). A saved text is rendered as speech at once, so it can be played on the page."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from audio.errors import AudioError
from ivr.document.info_messages import ready_made
from ivr.document.model import MAX_MENU_OPTIONS
from ivr.errors import InputError
from ivr.store.staff import StaffUser
from ivr.web.admin.cycle import speaking, submitted
from ivr.web.admin.fixed_texts import fixed_text_fields, fixed_text_names, fixed_text_parts
from ivr.web.admin.forms import emergency_fields, emergency_part, route_fields, route_part, voicemail_box
from ivr.web.admin.i18n import Words
from ivr.web.admin.pages import (
    PREVIEW,
    Draft,
    UserDep,
    check_csrf,
    common,
    language,
    page,
    spoken_media,
    typed_text,
    week_view,
    words,
)
from ivr.web.admin.problems import Problems
from ivr.web.request_session import RequestSession, RequestSessionDep
from ivr.web.services import Services, ServicesDep
from prompts import prompt_book

router = APIRouter(prefix="/texts", include_in_schema=False)

# Where the closed form shows a problem: at the destination's fields, the holiday message, or the message.
CLOSED_FIELDS = {
    "closed": "closed",
    "closed.dial": "closed_route",
    "closed.voicemail": "closed_route",
    "closed.holiday": "holiday",
    "closed.emergency": "closed_emergency",
}


def _form_values(document: dict[str, Any]) -> dict[str, Any]:
    info = document.get("info") or {}
    closed = document.get("closed") or {}
    menu = document.get("menu", [])
    options = []
    for index in range(MAX_MENU_OPTIONS):
        option = menu[index] if index < len(menu) else {}
        options.append(
            {
                "key": option.get("key", ""),
                "prompt": option.get("prompt", ""),
                "emergency": option.get("emergency", False),
                **{f"route_{name}": value for name, value in route_fields(option).items()},
            }
        )
    return {
        "info_on": bool(info.get("text")) or _recorded(info),
        "info_text": info.get("text", ""),
        "closed_text": (closed.get("greeting") or {}).get("text", ""),
        "holiday_text": (closed.get("holiday") or {}).get("text", ""),
        **emergency_fields(closed.get("emergency")),
        **{f"closed_{name}": value for name, value in route_fields(closed).items()},
        "options": options,
        **fixed_text_fields(document),
    }


def template_names(words_: Words) -> list[tuple[str, str]]:
    return [
        ("outbreak", words_.gettext("Outbreak notice: who should call, who should not come by")),
        ("holiday_closure", words_.gettext("Holiday closure, naming the stand-in")),
        ("out_of_hours", words_.gettext("Out of hours: where to call for urgent care")),
        ("temporary_closure", words_.gettext("Temporary closure (illness, moving, weather)")),
        ("busy_period", words_.gettext("Busy period")),
    ]


def _page(
    request: Request,
    services: Services,
    db: RequestSession,
    user: UserDep,
    problems: Problems | None = None,
    typed: dict[str, Any] | None = None,
    notice: str | None = None,
    draft: Draft | None = None,
    notes: list[str] | None = None,
) -> Response:
    """`draft`: a change not saved yet; the advice and the week are then about it."""
    shared = common(db, user)
    document = shared["document"]
    lang = language(request, document)
    words_ = words(request, document)
    return page(
        request,
        "texts.html",
        "texts",
        status_code=422 if problems else 200,
        **shared,
        page_title=words_.gettext("What callers hear"),
        form={**_form_values(document), **(typed or {})},
        templates=template_names(words_),
        fixed_names=fixed_text_names(words_),
        spoken=spoken_media(db, user, document),
        default_holiday=prompt_book(document.get("language", "nl")).text("holiday", business=document["business"]),
        **week_view(services, db, user, document, words_, lang, draft),
        problems=problems or Problems(),
        notice=notice,
        notes=notes or [],
    )


def _recorded(greeting: dict[str, Any] | None) -> bool:
    return bool(greeting and (greeting.get("media") or greeting.get("file")))


@router.get("")
def texts_page(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    return _page(request, services, db, user)


@router.post("/info")
def save_info(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    info_text: Annotated[str, Form()] = "",
    info_on: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    typed = {"info_text": info_text, "info_on": info_on == "on"}
    text = typed_text(info_text)
    recorded = _recorded(common(db, user)["document"].get("info"))
    if info_on == "on" and not text and not recorded:
        empty = Problems({"info": [words(request).gettext("This must not be empty.")]})
        return submitted(request, services, db, user, _page, typed, problems=empty)
    # The text only: a recorded message stays (its text, when there is one, is what is spoken without it).
    part = {"info.text": text or None} if info_on == "on" else {"info": None}
    if intent == PREVIEW and info_on == "on" and text:
        typed["info_draft_spoken"] = _spoken_draft(services, common(db, user)["document"], text)
    return submitted(
        request, services, db, user, _page, typed, part, intent=intent, after_saving=speaking(services, db, user)
    )


def _spoken_draft(services: Services, document: dict[str, Any], text: str) -> str | None:
    """The draft information message spoken for its preview only: a recording in the media store that no business
    uses (the saved message keeps its own until the draft is saved). None when no engine can speak it: the
    preview then shows the draft in words only."""
    from ivr.usecases.rendering import speak_text  # the engines load with the first text spoken

    try:
        return speak_text(services.settings, services.audio(), text, document.get("language", "nl"), "info")
    except AudioError:
        return None


@router.post("/info/template")
def use_template(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    template: Annotated[str, Form()] = "",
) -> Response:
    """A ready-made message filled for this business, put in the field to read, change and save (not saved yet)."""
    check_csrf(request, csrf)
    document = common(db, user)["document"]
    words_ = words(request, document)
    try:
        text, _findings = ready_made(document, template, services.clock().date())
    except InputError:
        lacking = words_.gettext(
            "This message needs something the business does not have yet: a period with a number to put calls "
            "through to, or the number callers should call out of hours (referral: in the business document)."
        )
        return _page(request, services, db, user, Problems({"template": [lacking]}), {"template": template})
    # `spoken_template`: one that could be filled, so the page offers to hear it before it is used.
    typed = {"info_text": text, "info_on": True, "template": template, "spoken_template": template}
    return _page(
        request,
        services,
        db,
        user,
        typed=typed,
        notice=words_.gettext("Read the message, change it if needed, and save it."),
    )


@router.get("/templates/{name}.mp3")
def spoken_template(
    request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep, name: str
) -> Response:
    """A ready-made message filled for this business and spoken, to hear before using it (or to download for a
    practice's own phone system)."""
    from ivr.usecases.rendering import spoken_ready_made  # speech and ffmpeg: loaded when first asked for, not at start

    document = common(db, user)["document"]
    db.commit()  # speaking is slow: no transaction is held meanwhile
    try:
        mp3 = spoken_ready_made(services.settings, services.audio(), document, name, services.clock().date())
    except (InputError, AudioError):
        # Not the error answers' 422 or 503: the page offers only templates it can fill, so this one does not exist.
        raise HTTPException(404) from None
    return Response(mp3, media_type="audio/mpeg", headers={"Content-Disposition": f'attachment; filename="{name}.mp3"'})


@router.post("/closed")
def save_closed(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    closed_text: Annotated[str, Form()] = "",
    closed_kind: Annotated[str, Form()] = "none",
    closed_dial: Annotated[str, Form()] = "",
    closed_email: Annotated[str, Form()] = "",
    closed_sms: Annotated[str, Form()] = "",
    holiday_text: Annotated[str, Form()] = "",
    emergency_prompt: Annotated[str, Form()] = "",
    emergency_key: Annotated[str, Form()] = "",
    emergency_dial: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "",
) -> Response:
    """The message outside opening hours, where those calls go, the emergency key heard after it (also on public
    holidays), and the message on a closing public holiday."""
    check_csrf(request, csrf)
    document = common(db, user)["document"]
    typed = {"closed_text": closed_text, "closed_kind": closed_kind, "closed_dial": closed_dial}
    typed |= {"closed_email": closed_email, "closed_sms": closed_sms, "holiday_text": holiday_text}
    typed |= {"emergency_prompt": emergency_prompt, "emergency_key": emergency_key, "emergency_dial": emergency_dial}
    country = document.get("country", "NL")
    destination = route_part(closed_kind, closed_dial, closed_email, country, closed_sms)
    if closed_kind == "dial" and destination:
        # The box the form shows beside the number takes a message when nobody answers it.
        destination |= {"voicemail": voicemail_box(closed_email, closed_sms, country) or None}
    if closed_kind != "none" and not destination:
        missing = words(request, document).gettext("Say where calls go: a number or a voicemail box.")
        return submitted(request, services, db, user, _page, typed, problems=Problems({"closed_route": [missing]}))
    # The texts and the destination the form shows, each at its own key: a recorded message stays.
    closed: dict[str, Any] = {
        "closed.dial": destination.get("dial"),
        "closed.voicemail": destination.get("voicemail"),
        "closed.greeting.text": typed_text(closed_text) or None,
        "closed.holiday.text": typed_text(holiday_text) or None,
        "closed.emergency": emergency_part(emergency_prompt, emergency_key, emergency_dial, country),
    }
    return submitted(
        request,
        services,
        db,
        user,
        _page,
        typed,
        closed,
        intent=intent,
        fields=CLOSED_FIELDS,
        after_saving=speaking(services, db, user),
    )


@router.post("/fixed")
def save_fixed_texts(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    voicemail: Annotated[str, Form()] = "",
    goodbye: Annotated[str, Form()] = "",
    unavailable: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "",
) -> Response:
    """The voicemail prompt, the goodbye and "nobody available" in the business's own words."""
    check_csrf(request, csrf)
    typed = {"voicemail": voicemail, "goodbye": goodbye, "unavailable": unavailable}
    parts = fixed_text_parts(typed)
    after = speaking(services, db, user)
    fields = {"texts": "fixed"}
    return submitted(
        request, services, db, user, _page, {"fixed": typed}, parts, intent=intent, fields=fields, after_saving=after
    )


@router.post("/menu")
async def save_menu(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    """Up to four option rows; a row without a prompt is no option. The emergency mark puts a row first."""
    form = await request.form()  # the rows vary, so the form is read here rather than declared
    # Saving and showing the page touch the database and run previews on their own event loop: not on this one.
    return await run_in_threadpool(_save_menu, request, services, db, user, form)


def _save_menu(request: Request, services: Services, db: RequestSession, user: StaffUser, form: FormData) -> Response:
    check_csrf(request, str(form.get("csrf", "")))
    document = common(db, user)["document"]
    words_ = words(request, document)
    typed_options, menu = [], []
    problems = Problems()
    # The answering service's word for an option is edited on the answering-service page: kept by its key here.
    labels = {option.get("key"): option["label"] for option in document.get("menu", []) if option.get("label")}
    for index in range(MAX_MENU_OPTIONS):
        row = {name: str(form.get(f"{name}_{index}", "")) for name in ("key", "prompt", "kind", "dial", "email", "sms")}
        emergency = form.get(f"emergency_{index}") == "on"
        typed_options.append(
            {
                "key": row["key"],
                "prompt": row["prompt"],
                "emergency": emergency,
                "route_kind": row["kind"] or "none",
                "route_dial": row["dial"],
                "route_email": row["email"],
                "route_sms": row["sms"],
            }
        )
        if not row["prompt"].strip():
            continue
        destination = route_part(row["kind"], row["dial"], row["email"], document.get("country", "NL"), row["sms"])
        if not destination:
            problems.add(f"menu_{index}", words_.gettext("Say where calls go: a number or a voicemail box."))
        option = {"key": row["key"].strip(), "prompt": row["prompt"].strip(), **destination}
        if emergency:
            option["emergency"] = True
        if option["key"] in labels:
            option["label"] = labels[option["key"]]
        menu.append(option)
    typed = {"options": typed_options}
    if problems:
        return submitted(request, services, db, user, _page, typed, problems=problems)
    return submitted(
        request,
        services,
        db,
        user,
        _page,
        typed,
        {"menu": menu},
        intent=str(form.get("intent", "")),
        fields={"menu": "menu"},
        after_saving=speaking(services, db, user),
    )
