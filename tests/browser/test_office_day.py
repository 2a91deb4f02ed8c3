"""One Dutch office manager's day on the admin page, in a real browser (Debian's chromium, driven by Playwright).

Wednesday morning at Huisartsenpraktijk De Linde (its configuration was last changed on Tuesday): log in, put up
an outbreak notice from a ready-made message, see what callers would hear before saving it, save it and hear it;
send calls outside opening hours to a voicemail box with two addresses; add a holiday period with a stand-in. In
the evening a caller leaves a message; the manager reads it and marks it handled; then goes back to Tuesday's
version. Screenshots of each step are kept in artifacts/.
"""

import re
from collections.abc import Iterator

import pytest

from tests.browser.test_admin_browser import ARTIFACTS, phone_browser
from tests.browser.test_inbox_browser import inbox
from tests.messages.documents import call_sid, recording_sid
from tests.web.inbox_setup import OTHER_EMAIL, PASSWORD, Inbox

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]
__all__ = ["inbox"]  # the fixture, used by name

from playwright.sync_api import Locator, Page, expect  # noqa: E402

DE_LINDE = "+31501234567"
DAY_S = 24 * 3600
# From Wednesday 10:15 to 22:00 in Amsterdam: the practice is closed.
TO_THE_EVENING_S = (22 * 60 - (10 * 60 + 15)) * 60
# The callback reports 3 s; the fake Twilio's recording is two seconds of tone (tests.fakes.twilio_api.voicemail_mp3).
MESSAGE_S = 3
RECORDING_S = 2.0
TUESDAY_VERSION = "24-11-2026"
NOTICE_START = "Heeft u koorts of hoest u?"


@pytest.fixture
def page(inbox: Inbox) -> Iterator[Page]:
    with phone_browser(inbox.url) as page:
        yield page


def leave_message_outside_hours(inbox: Inbox, caller: str) -> str:
    """A call while the practice is closed: the closed message, then its voicemail box records; Twilio calls back."""
    call = call_sid()
    form = {"CallSid": call, "From": caller, "To": DE_LINDE}
    inbox.twilio.post("/twilio/voice", form)
    inbox.app.state.services.call_log.flush()
    sid = recording_sid()
    url = inbox.fake_twilio.add_recording(sid, call, MESSAGE_S)
    callback = {"CallSid": call, "From": "", "RecordingSid": sid, "RecordingUrl": url}
    answer = inbox.twilio.post(
        f"/twilio/recording?business={inbox.other_id}&box=closed", {**callback, "RecordingDuration": str(MESSAGE_S)}
    )
    assert answer.status_code == 201, answer.text
    return sid


def loaded_duration_s(page: Page, selector: str) -> float:
    """Plays nothing: has the browser load the audio's header (the page's players load nothing until asked),
    waits for it, then reads its length."""
    page.locator(selector).evaluate("audio => { audio.preload = 'metadata'; audio.load(); }")
    page.wait_for_function(f"document.querySelector('{selector}').readyState >= 1", timeout=15_000)
    duration_s: float = page.locator(selector).evaluate("audio => audio.duration")
    return duration_s


def moment(page: Page, label: str) -> Locator:
    """One moment of the week strip ("Nu", "Vanavond", ...): what a caller hears then."""
    return page.locator("#week > li").filter(has=page.locator("strong", has_text=re.compile(f"^{label}$")))


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"office-day-{name}.png"), full_page=True)


def test_an_office_managers_day(inbox: Inbox, page: Page) -> None:
    inbox.clock.advance(DAY_S)  # the configuration is Tuesday's; the manager's day is Wednesday

    # Morning: log in.
    page.goto("/admin/login")
    page.get_by_label("E-mailadres").fill(OTHER_EMAIL)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
    shot(page, "1-logged-in")

    # An outbreak notice from a ready-made message: first what callers would hear, then saved and heard.
    page.get_by_role("link", name="Wat bellers horen").click()
    page.get_by_label("Begin met een kant-en-klaar bericht").select_option("outbreak")
    page.get_by_role("button", name="Invullen").click()
    info_form = page.locator("form[action='/admin/texts/info']")
    expect(page.get_by_label("Informatiebericht", exact=True)).to_have_value(re.compile(f"^{NOTICE_START}"))
    info_form.get_by_role("button", name="Eerst bekijken, niet opslaan").click()
    expect(page.get_by_role("heading", name=re.compile("nog niet opgeslagen"))).to_be_visible()
    expect(moment(page, "Nu")).to_contain_text(NOTICE_START)
    expect(page.locator("#advice")).to_be_visible()  # the checker's word on the draft, advice or none
    shot(page, "2-outbreak-notice-previewed")
    page.locator("form[action='/admin/texts/info']").get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Opgeslagen")
    expect(moment(page, "Nu")).to_contain_text(NOTICE_START)
    assert loaded_duration_s(page, "#info-spoken audio") > 5  # the notice as callers hear it, spoken in full
    shot(page, "3-outbreak-notice-live")

    # Outside opening hours: a message, then a voicemail box that e-mails two people.
    page.get_by_label("Bericht", exact=True).fill(
        "U belt buiten onze openingstijden. Spreek na de toon een bericht in."
    )
    closed = page.locator("form[action='/admin/texts/closed']")
    closed.get_by_label("Voicemail, per e-mail bezorgd").check()
    closed.get_by_label("E-mailadres(sen) voor voicemail").fill("praktijk@example.nl, dokter@example.nl")
    closed.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Opgeslagen")
    expect(page.locator("#closed-email")).to_have_value("praktijk@example.nl, dokter@example.nl")
    expect(moment(page, "Vanavond")).to_contain_text("Spreek na de toon een bericht in.")
    assert loaded_duration_s(page, "#closed-spoken audio") > 2
    shot(page, "4-closed-voicemail")

    # A holiday period in February, calls put through to the stand-in.
    page.get_by_role("link", name="Instellingen").click()
    page.get_by_label("Van", exact=True).fill("2027-02-15")
    page.get_by_label("Tot en met").fill("2027-02-19")
    page.get_by_label("Begroeting in die periode").fill(
        "Wij zijn met vakantie. U wordt doorverbonden met de waarneming."
    )
    page.get_by_label("Doorverbinden met", exact=True).fill("050 987 6543")
    page.get_by_role("button", name="Periode toevoegen").click()
    expect(page.get_by_role("status").first).to_contain_text("Opgeslagen")
    expect(page.locator("#periods")).to_contain_text("15 februari 2027 \u2013 19 februari 2027")
    expect(page.locator("#periods")).to_contain_text("doorverbonden met 050 987 6543")
    shot(page, "5-holiday-period")

    # Evening: a caller leaves a message in the new box; the worker fetches it and e-mails both addresses.
    inbox.clock.advance(TO_THE_EVENING_S)
    sid = leave_message_outside_hours(inbox, "+31611112222")
    inbox.clock.advance(60)
    assert inbox.run_worker() >= 3  # our copy of the recording, then an e-mail to each address and the SMS

    # The manager reads the message, hears it, and marks it handled.
    page.get_by_role("link", name="Berichten").click()
    message = page.locator(f"section#{sid}")
    expect(message).to_contain_text("06 11 11 22 22")
    expect(message.locator("audio")).to_have_attribute("src", f"/admin/messages/{sid}.mp3")
    assert abs(loaded_duration_s(page, f"section#{sid} audio") - RECORDING_S) < 0.3
    message.get_by_role("button", name="Markeer als afgehandeld").click()
    expect(page.locator(f"section#{sid} .badge")).to_have_text("Afgehandeld")
    shot(page, "6-message-handled")

    # And back to Tuesday's whole version, after seeing what that changes.
    page.get_by_role("link", name="Geschiedenis").click()
    versions = page.locator("section.version")
    expect(versions).to_have_count(4)  # Tuesday's, then the notice, the closed message and the period
    tuesday = versions.filter(has_text=TUESDAY_VERSION)
    expect(tuesday).to_have_count(1)
    tuesday.get_by_role("link", name=f"De hele versie van {TUESDAY_VERSION}").click()
    expect(page.locator("dl.changes")).to_contain_text("Informatiebericht")  # what will change, before it does
    page.get_by_role("button", name="Deze hele versie terugzetten").click()
    expect(page.locator("section.version")).to_have_count(5)
    expect(page.locator("section.version").first.locator(".badge")).to_have_text("In gebruik")
    shot(page, "7-back-to-tuesday")
    page.get_by_role("link", name="Wat bellers horen").click()
    expect(page.get_by_label("Informatiebericht", exact=True)).to_have_value(
        "Wij zijn op werkdagen bereikbaar van acht tot vijf."
    )
    expect(page.locator("#closed-email")).to_have_value("praktijk@example.nl")
