"""The one cycle of every admin form that changes the business document: check what was typed, then save the change
or preview it, then show the page again. Refused (by the form's own checks or the document's): the page with the
problems beside their fields and what was typed. Previewed: the page with what callers would hear with the change,
and what was typed. Saved: the page as stored, saying so.

A form names only the fields it shows (ivr.document.fields): what it does not show stays as stored."""

from collections.abc import Callable
from typing import Any, Protocol

from fastapi import Request
from fastapi.responses import Response

from ivr.store.staff import StaffUser
from ivr.web.admin import pages
from ivr.web.admin.i18n import Words
from ivr.web.admin.pages import Draft
from ivr.web.admin.problems import Problems
from ivr.web.request_session import RequestSession
from ivr.web.services import Services


class ShowPage(Protocol):
    """A page that shows its forms again: with problems and what was typed, a notice, or a draft to preview."""

    def __call__(
        self,
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
    ) -> Response: ...


def submitted(
    request: Request,
    services: Services,
    db: RequestSession,
    user: StaffUser,
    show: ShowPage,
    typed: dict[str, Any],
    parts: dict[str, Any] | None = None,
    *,
    problems: Problems | None = None,
    intent: str = "",
    fields: dict[str, str] | None = None,
    after_saving: Callable[[Words], list[str]] | None = None,
) -> Response:
    """`parts`: the change (by part or path, see ivr.document.fields), or None when `problems` already refuse it;
    `fields`: where the document's problems about a part are shown; `after_saving`: what a saved change sets off
    (speaking its texts, so the page can play them), returning advice in the page's words to show beside "Saved."."""
    if problems or parts is None:
        return show(request, services, db, user, problems=problems or Problems(), typed=typed)
    words = pages.words(request, pages.document_of(db, user))
    if intent == pages.PREVIEW:
        problems, draft = pages.draft_parts(services, db, user, parts, words, fields)
        if draft is None:
            return show(request, services, db, user, problems=problems, typed=typed)
        notice = words.gettext("Not saved yet: this is what callers would hear. Save to make it so.")
        return show(request, services, db, user, typed=typed, notice=notice, draft=draft)
    problems = pages.save_parts(services, db, user, parts, words, fields)
    if problems:
        return show(request, services, db, user, problems=problems, typed=typed)
    notes: list[str] = []
    if after_saving is not None:
        db.commit()  # the change is committed (and heard) before what it sets off, which may be slow (speaking)
        notes = after_saving(words)
    return show(request, services, db, user, notice=words.gettext("Saved."), notes=notes)


def speaking(services: Services, db: RequestSession, user: StaffUser) -> Callable[[Words], list[str]]:
    """After saving a text: speak the business's texts, so the page can play them (until then callers hear
    Twilio's <Say>); returns which texts are not spoken yet and why, and advice about those that are, or that they
    are being spoken still (pages.speak_soon)."""

    def speak(words: Words) -> list[str]:
        return pages.speak_soon(services, db, user, words)

    return speak
