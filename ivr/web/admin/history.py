"""/admin/history: every stored version of the business's document, who changed what and when (before and
after, part by part), and going back to a version. Going back is itself a change: it is checked like any other
and adds a version, so it can be undone in turn."""

from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from ivr.errors import DocumentError, GreetlineError
from ivr.store import history
from ivr.usecases.documents import apply_in
from ivr.web.admin.i18n import Words
from ivr.web.admin.pages import UserDep, check_csrf, common, page, words
from ivr.web.admin.problems import Problems, placed
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
    }


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int | float | bool):
        return str(value)
    text: str = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10_000)
    return text.strip()


def changes(before: dict[str, Any] | None, after: dict[str, Any], names: dict[str, str]) -> list[dict[str, str]]:
    """The parts that differ, in the document's order, each with its value before and after."""
    before = before or {}
    keys = list(dict.fromkeys([*after, *before]))
    return [
        {"part": names.get(key, key), "before": _shown(before.get(key)), "after": _shown(after.get(key))}
        for key in keys
        if before.get(key) != after.get(key)
    ]


def _page(
    request: Request, services: ServicesDep, db: RequestSessionDep, user: UserDep, status_code: int = 200, **extra: Any
) -> Response:
    shared = common(db, user)
    words_ = words(request, shared["document"])
    found = history.versions(db.session, user.business_id, VERSIONS_SHOWN + 1)
    names = part_names(words_)
    shown = [
        {
            "id": version.id,
            "changed_at": version.changed_at,
            "changed_by": version.changed_by,
            "current": index == 0,
            "changes": changes(found[index + 1].document if index + 1 < len(found) else None, version.document, names),
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


@router.post("/{version_id}/restore")
def restore(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    user: UserDep,
    version_id: VersionId,
    csrf: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    chosen = history.version(db.session, user.business_id, version_id)  # not found: the admin's 404 page
    try:
        saved = apply_in(db.session, chosen.document, services.clock(), business_id=user.business_id, by=user.email)
    except DocumentError as error:
        db.refused()
        return _page(request, services, db, user, 422, problems=placed(words(request), error.found))
    except GreetlineError:
        db.refused()
        general = words(request).gettext("This value cannot be saved as it is; check it and try again.")
        return _page(request, services, db, user, 422, problems=Problems({"form": [general]}))
    remember_after_commit(db, services.database, saved.stored)
    return RedirectResponse("/admin/history", status_code=303)
