"""What a caller hears now, step by step in the page's language: the overview and the settings page show it."""

from typing import Any

from fastapi import Request

from ivr.document.load import validate_document
from ivr.errors import DocumentError
from ivr.store.staff import StaffUser
from ivr.web.admin import pages, wording
from ivr.web.admin.i18n import translations
from ivr.web.preview import caller_hears
from ivr.web.request_session import RequestSession
from ivr.web.services import Services


def heard_now(
    request: Request, services: Services, db: RequestSession, user: StaffUser, document: dict[str, Any]
) -> dict[str, Any]:
    """The transcript and its steps as words, for transcript.html."""
    lang = pages.language(request, document)
    recordings = pages.recording_names(services, db, user, document.get("language", "nl"))
    # Heard as this request's session holds the document: a change saved in it is committed only when the page
    # is answered, and the preview's own reads would still see the document before it.
    try:
        heard_as = {user.business_id: validate_document(document)}
    except DocumentError:
        heard_as = {}
    transcript = caller_hears(services, db.session, document, services.clock(), drafts=heard_as)
    steps = [
        wording.heard_step(translations(lang), event, recordings, document.get("country", "NL"), lang)
        for event in transcript.events
    ]
    return {"transcript": transcript, "heard": steps}
