"""/admin/history: every stored version of the business's document, who changed what and when (before and
after, part by part, in words), and going back two ways said apart: undo one change (later ones kept) or restore
a whole version (later ones undone too). Each is first shown on a page of its own (what would change, one button
to do it); going back is itself a change, checked like any other, which adds a version that can be undone in
turn (ivr.usecases.history)."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from ivr.document.model import DEFAULT_TIMEZONE
from ivr.errors import DocumentError, GreetlineError, NotFoundError
from ivr.store import history
from ivr.usecases import history as usecase
from ivr.usecases.history import Way
from ivr.web.admin.history_words import PartWords
from ivr.web.admin.i18n import Words
from ivr.web.admin.pages import UserDep, check_csrf, common, language, page, words
from ivr.web.admin.problems import Problems, placed
from ivr.web.admin.wording import local_time
from ivr.web.request_session import RequestSessionDep, remember_after_commit
from ivr.web.services import ServicesDep

router = APIRouter(prefix="/history", include_in_schema=False)
VersionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
VERSIONS_SHOWN = 30


def part_names(words_: Words) -> dict[str, str]:
    return {
        "business": words_.gettext("Name"),
        "numbers": words_.gettext("Phone numbers of the business"),
        "language": words_.gettext("Language callers hear"),
        "country": words_.gettext("Country"),
        "timezone": words_.gettext("Time zone"),
        "greeting": words_.gettext("Welcome"),
        "info": words_.gettext("Information message"),
        "menu": words_.gettext("Menu"),
        "operators": words_.gettext("Staff phones"),
        "ring": words_.gettext("All at once or in turn"),
        "rings": words_.gettext("Number of rings"),
        "overflow": words_.gettext("When nobody answers"),
        "hours": words_.gettext("Opening hours"),
        "holidays": words_.gettext("Closed on public holidays"),
        "closed": words_.gettext("When closed"),
        "periods": words_.gettext("Temporary instructions"),
        "confirm": words_.gettext("Staff confirm calls with 1"),
        "missed_calls": words_.gettext("Notes of missed calls"),
        "daily_summary": words_.gettext("Daily summary of calls"),
        "monthly_report": words_.gettext("Monthly report of the figures"),
        "instructions": words_.gettext("Instructions for the answering service"),
        "referral": words_.gettext("Number for callers out of hours"),
        "region": words_.gettext("Region for public holidays"),
        "urgent_words": words_.gettext("Words that make a message urgent"),
    }


def changes(
    before: dict[str, Any] | None, after: dict[str, Any], names: dict[str, str], said: PartWords
) -> list[dict[str, Any]]:
    """The parts that differ, in the document's order, each with its value before and after in words."""
    before = before or {}
    keys = list(dict.fromkeys([*after, *before]))
    return [
        {
            "part": names.get(key, key),
            "before": said.part(key, before.get(key)),
            "after": said.part(key, after.get(key)),
        }
        for key in keys
        if before.get(key) != after.get(key)
    ]


def part_words(request: Request, document: dict[str, Any]) -> PartWords:
    return PartWords(words(request, document), language(request, document), document.get("country", "NL"))


def _page(
    request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep, status_code: int = 200, **extra: Any
) -> Response:
    shared = common(db, user)
    words_ = words(request, shared["document"])
    found = history.versions(db.session, user.business_id, VERSIONS_SHOWN + 1)
    names, said = part_names(words_), part_words(request, shared["document"])
    shown = [
        {
            "id": version.id,
            "changed_at": version.changed_at,
            "changed_by": version.changed_by,
            "current": index == 0,
            "first": index + 1 == len(found),  # nothing before it to undo to
            "changes": changes(
                found[index + 1].document if index + 1 < len(found) else None, version.document, names, said
            ),
        }
        for index, version in enumerate(found[:VERSIONS_SHOWN])
    ]
    return page(
        request,
        "history.html",
        "history",
        status_code=status_code,
        **shared,
        page_title=words_.gettext("History"),
        versions=shown,
        **extra,
    )


@router.get("")
def history_page(request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep) -> Response:
    return _page(request, services, db, user)


def _way_words(words_: Words, way: Way, when: str) -> dict[str, str]:
    if way == "undo":
        return {
            "title": words_.gettext("Undo this one change of %(when)s?") % {"when": when},
            "explain": words_.gettext(
                "What this change touched goes back to what it was before it. Every change made after it is kept."
            ),
            "button": words_.gettext("Undo this change"),
        }
    return {
        "title": words_.gettext("Restore the whole version of %(when)s?") % {"when": when},
        "explain": words_.gettext(
            "Everything goes back to how it was at %(when)s: every change made after it is undone too."
        )
        % {"when": when},
        "button": words_.gettext("Restore this whole version"),
    }


def _confirm_page(
    request: Request,
    db: RequestSessionDep,
    user: UserDep,
    version_id: int,
    way: Way,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """What undoing the change, or restoring the version, would change, with the one button that does it."""
    shared = common(db, user)
    document = shared["document"]
    words_ = words(request, document)
    proposed = usecase.proposal(db.session, user.business_id, version_id, way)  # not found: the admin's 404 page
    when = local_time(
        proposed.version.changed_at, document.get("timezone", DEFAULT_TIMEZONE), language(request, document)
    )
    return page(
        request,
        "history_confirm.html",
        "history",
        status_code=status_code,
        **shared,
        page_title=words_.gettext("History"),
        way=way,
        version_id=version_id,
        asked=_way_words(words_, way, when),
        changes=changes(proposed.now, proposed.becomes, part_names(words_), part_words(request, document)),
        **extra,
    )


@router.get("/{version_id}/{way}")
def confirm_going_back(
    request: Request, db: RequestSessionDep, user: UserDep, version_id: VersionId, way: Way
) -> Response:
    return _confirm_page(request, db, user, version_id, way)


@router.post("/{version_id}/{way}")
def go_back(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    version_id: VersionId,
    way: Way,
    csrf: Annotated[str, Form()],
) -> Response:
    """Undo one change, or restore a whole version, as confirmed on its page; a change like any other (checked,
    and one more version that can be undone in turn)."""
    check_csrf(request, csrf)
    try:
        saved = usecase.go_back_in(db.session, user.business_id, version_id, way, services.clock(), user.email)
    except DocumentError as error:
        db.refused()
        refused = placed(words(request), error.found)
        return _confirm_page(request, db, user, version_id, way, 422, problems=refused)
    except GreetlineError as error:
        if isinstance(error, NotFoundError):
            raise
        db.refused()
        general = words(request).gettext("This value cannot be saved as it is; check it and try again.")
        return _confirm_page(request, db, user, version_id, way, 422, problems=Problems({"form": [general]}))
    remember_after_commit(db, services.database, saved.stored)
    return RedirectResponse("/admin/history", status_code=303)
