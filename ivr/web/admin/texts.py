"""/admin/texts: everything a caller hears besides the welcome (which has its own page with recordings): the
information message (on or off), the menu (up to four options, each with where it goes and the emergency
mark), and the message and destination outside opening hours and on public holidays. The page shows the
checker's advice and what a caller hears at the moments staff plan for."""

from typing import Annotated, Any

from babel.support import Translations
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ivr import administration
from ivr.document.model import MAX_MENU_OPTIONS
from ivr.errors import DocumentError, InputError
from ivr.info_messages import ready_made
from ivr.store import rendered
from ivr.store.staff import StaffUser
from ivr.web.admin import week
from ivr.web.admin.forms import route_fields, route_part
from ivr.web.admin.pages import (
    UserDep,
    check_csrf,
    common,
    language,
    page,
    recording_names,
    save_parts,
    words,
)
from ivr.web.admin.problems import Problems, reworded
from ivr.web.services import Services, ServicesDep

router = APIRouter(prefix="/texts", include_in_schema=False)


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
        "info_on": bool(info.get("text")),
        "info_text": info.get("text", ""),
        "closed_text": (closed.get("greeting") or {}).get("text", ""),
        **{f"closed_{name}": value for name, value in route_fields(closed).items()},
        "options": options,
    }


def template_names(words_: Translations) -> list[tuple[str, str]]:
    return [
        ("outbreak", words_.gettext("Outbreak notice: who should call, who should not come by")),
        ("holiday_closure", words_.gettext("Holiday closure, naming the stand-in")),
        ("out_of_hours", words_.gettext("Out of hours: where to call for urgent care")),
        ("temporary_closure", words_.gettext("Temporary closure (illness, moving, weather)")),
        ("busy_period", words_.gettext("Busy period")),
    ]


def _spoken(services: Services, user: UserDep, document: dict[str, Any], text: str | None) -> str | None:
    """The rendered speech of a text, if there is one (its id names /media/ID.wav and /media/ID.mp3)."""
    if not text:
        return None
    with services.database.reading() as connection:
        found = rendered.rendered_for(connection, user.business_id, document.get("language", "nl"))
    return found[text].media_id if text in found else None


def _page(
    request: Request,
    services: Services,
    user: UserDep,
    problems: Problems | None = None,
    typed: dict[str, Any] | None = None,
    notice: str | None = None,
) -> Response:
    shared = common(services, user)
    document = shared["document"]
    lang = language(request, document)
    words_ = words(request, document)
    try:
        _, findings = administration.checked(document)
    except DocumentError:
        findings = []
    return page(
        request,
        "texts.html",
        "texts",
        status_code=422 if problems else 200,
        **shared,
        page_title=words_.gettext("What callers hear"),
        form={**_form_values(document), **(typed or {})},
        advice=[reworded(words_, finding.message) for finding in findings],
        templates=template_names(words_),
        info_media=_spoken(services, user, document, (document.get("info") or {}).get("text")),
        moments=week.moments(
            services, document, recording_names(services, user, document.get("language", "nl")), words_, lang
        ),
        problems=problems or Problems(),
        notice=notice,
    )


def _saved(request: Request, services: Services, user: UserDep, problems: Problems, typed: dict[str, Any]) -> Response:
    if problems:
        return _page(request, services, user, problems, typed)
    return _page(request, services, user, notice=words(request).gettext("Saved."))


@router.get("")
def texts_page(request: Request, services: ServicesDep, user: UserDep) -> Response:
    return _page(request, services, user)


@router.post("/info")
def save_info(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    info_text: Annotated[str, Form()] = "",
    info_on: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    typed = {"info_text": info_text, "info_on": info_on == "on"}
    if info_on == "on" and not info_text.strip():
        return _saved(request, services, user, Problems({"info": [words_.gettext("This must not be empty.")]}), typed)
    part = {"info": {"text": info_text.strip()} if info_on == "on" else None}
    problems = save_parts(services, user, part, words_)
    if not problems and info_on == "on":
        from ivr.commands import render_number

        # Spoken now, so the page can play it and offer it as MP3; until then callers hear Twilio's <Say>.
        render_number(services.settings, common(services, user)["document"]["numbers"][0], lambda *_: None)
    return _saved(request, services, user, problems, typed)


@router.post("/info/template")
def use_template(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    template: Annotated[str, Form()] = "",
) -> Response:
    """A ready-made message filled for this business, put in the field to read, change and save (not saved yet)."""
    check_csrf(request, csrf)
    document = common(services, user)["document"]
    words_ = words(request, document)
    try:
        text, _findings = ready_made(document, template, services.clock().date())
    except InputError:
        lacking = words_.gettext(
            "This message needs something the business does not have yet: a period with a number to put calls "
            "through to, or an overflow number."
        )
        return _page(request, services, user, Problems({"template": [lacking]}), {"template": template})
    typed = {"info_text": text, "info_on": True, "template": template}
    return _page(
        request,
        services,
        user,
        typed=typed,
        notice=words_.gettext("Read the message, change it if needed, and save it."),
    )


@router.post("/closed")
def save_closed(
    request: Request,
    services: ServicesDep,
    user: UserDep,
    csrf: Annotated[str, Form()],
    closed_text: Annotated[str, Form()] = "",
    closed_kind: Annotated[str, Form()] = "none",
    closed_dial: Annotated[str, Form()] = "",
    closed_email: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    document = common(services, user)["document"]
    words_ = words(request, document)
    typed = {"closed_text": closed_text, "closed_kind": closed_kind, "closed_dial": closed_dial}
    typed["closed_email"] = closed_email
    destination = route_part(closed_kind, closed_dial, closed_email, document.get("country", "NL"))
    if closed_kind != "none" and not destination:
        missing = words_.gettext("Say where calls go: a number or a voicemail box.")
        return _saved(request, services, user, Problems({"closed_route": [missing]}), typed)
    closed: dict[str, Any] = {**destination}
    if closed_text.strip():
        closed["greeting"] = {"text": closed_text.strip()}
    problems = save_parts(services, user, {"closed": closed or None}, words_, {"closed": "closed"})
    return _saved(request, services, user, problems, typed)


@router.post("/menu")
async def save_menu(request: Request, services: ServicesDep, user: UserDep) -> Response:
    """Up to four option rows; a row without a prompt is no option. The emergency mark puts a row first."""
    form = await request.form()  # the rows vary, so the form is read here rather than declared
    # Saving and showing the page touch the database and run previews on their own event loop: not on this one.
    return await run_in_threadpool(_save_menu, request, services, user, form)


def _save_menu(request: Request, services: Services, user: StaffUser, form: FormData) -> Response:
    check_csrf(request, str(form.get("csrf", "")))
    document = common(services, user)["document"]
    words_ = words(request, document)
    typed_options, menu = [], []
    problems = Problems()
    # The answering service's word for an option is edited on the answering-service page: kept by its key here.
    labels = {option.get("key"): option["label"] for option in document.get("menu", []) if option.get("label")}
    for index in range(MAX_MENU_OPTIONS):
        row = {name: str(form.get(f"{name}_{index}", "")) for name in ("key", "prompt", "kind", "dial", "email")}
        emergency = form.get(f"emergency_{index}") == "on"
        typed_options.append(
            {
                "key": row["key"],
                "prompt": row["prompt"],
                "emergency": emergency,
                "route_kind": row["kind"] or "none",
                "route_dial": row["dial"],
                "route_email": row["email"],
            }
        )
        if not row["prompt"].strip():
            continue
        destination = route_part(row["kind"], row["dial"], row["email"], document.get("country", "NL"))
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
        return _saved(request, services, user, problems, typed)
    fields = {"menu": "menu"}
    return _saved(request, services, user, save_parts(services, user, {"menu": menu}, words_, fields), typed)
