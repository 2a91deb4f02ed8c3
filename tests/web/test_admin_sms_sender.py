"""The settings page says what `greetline serve` and `lint` say (issue 20, item 16): texts that would go from a
landline cannot be sent. Shown beside the number for texts, in the page's language, and only while it is so."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from ivr.settings import Settings
from ivr.store import staff
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.admin.i18n import LANGUAGES, translations
from ivr.web.app import create_app
from tests.local_server import running_server
from tests.web.test_admin import EMAIL, PASSWORD, PUBLIC_URL, TUESDAY_10, log_in

# The demo practice texts voicemail notes from its own first number, a Groningen landline.
LANDLINE = "+31501234567"
LANDLINE_WORDS = (
    "Texts would go from %(value)s, a landline, which cannot send them: ask for a mobile number or a sender name to "
    "send texts from, or send e-mail only."
)


@contextmanager
def logged_in(settings: Settings, demo_text: str, sms_from: str | None) -> Iterator[httpx.Client]:
    database = Database(settings.database_url)
    business = apply_text(database, demo_text, TUESDAY_10).stored
    with database.transaction() as session:
        staff.set_login(session, business_id=business.id, email=EMAIL, password=PASSWORD, now=TUESDAY_10)
    database.dispose()
    configured = settings.model_copy(update={"public_url": PUBLIC_URL, "sms_from": sms_from})
    with running_server(create_app(configured, clock=lambda: TUESDAY_10)) as url, httpx.Client(base_url=url) as http:
        log_in(http)
        yield http


def _warnings(page: str) -> list[str]:
    listed = re.search(r'<ul id="sms-warnings" role="status">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", listed.group(1), re.S) if listed else []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_settings_page_warns_of_texts_from_a_landline_in_its_language(
    settings: Settings, demo_text: str, language: str
) -> None:
    with logged_in(settings, demo_text, sms_from=None) as http:
        http.get(f"/admin/language/{language}")
        page = http.get("/admin/settings").text
    said = translations(language).gettext(LANDLINE_WORDS) % {"value": LANDLINE}
    assert _warnings(page) == [said.replace("'", "&#39;")]
    assert 'aria-describedby="sms-warnings"' in page


@pytest.mark.parametrize("sms_from", ["DeLinde", "+31612345678"])
def test_no_warning_when_texts_go_from_a_sender_name_or_a_mobile(
    settings: Settings, demo_text: str, sms_from: str
) -> None:
    with logged_in(settings, demo_text, sms_from=sms_from) as http:
        page = http.get("/admin/settings").text
    assert 'id="overflow-sms"' in page and _warnings(page) == []
