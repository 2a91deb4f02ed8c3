"""The answering service's card over real HTTP: what it shows (the instructions in force that day, the calls put
through to the service today with the caller's choice), the note form (CSRF, size, rate, a phone number checked
with the typed input kept), a note delivered by e-mail to a real SMTP server and, when urgent, by SMS to the local
fake of Twilio's Messages API, listed in the inbox and the daily summary; the JSON API; a wrong or rotated token."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from ivr.card.link import card_link
from ivr.card.notes import NOTES_PER_WINDOW, WINDOW_S
from ivr.messages import summary_email
from ivr.messages.notes import Notes
from ivr.messages.outbox import message_domain
from ivr.messages.senders import senders
from ivr.settings import Settings
from ivr.web.admin.i18n import LANGUAGES
from ivr.web.app import create_app
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import FakeTwilio
from tests.local_server import running_server
from tests.messages.message_ids import assert_valid_msg_id
from tests.web.card_setup import EMAIL, NOW, PASSWORD, PUBLIC_URL, CardServer, card_server
from tests.web.test_admin_language import _Shown, foreign_words

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]


@pytest.fixture
def served(settings: Settings, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path) -> Iterator[CardServer]:
    with card_server(settings, mail_server, twilio_api, tmp_path) as server:
        yield server


@pytest.fixture
def browser(served: CardServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.url, timeout=30) as http:
        yield http


def _csrf(page: str) -> str:
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def _card_path(served: CardServer) -> str:
    return f"/card/{served.token}"


def test_the_card_shows_the_instructions_and_todays_calls_with_what_each_caller_chose(
    served: CardServer, browser: httpx.Client
) -> None:
    assert served.call_to_service("+31611112222", "1") == "Oproep voor Installatiebedrijf Jansen, gekozen: spoed."
    served.clock.advance(600)
    assert served.call_to_service("+31633334444", None) == "Oproep voor Installatiebedrijf Jansen, geen keuze."
    page = browser.get(_card_path(served))
    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer" and page.headers["cache-control"] == "no-store"
    text = page.text
    assert '<html lang="nl">' in text and '<h1 translate="no">Installatiebedrijf Jansen</h1>' in text
    assert "Afspraken alleen op dinsdag." in text and "Monteur Piet, 06 1111 2222." in text
    calls = text.split('<ol class="calls">', 1)[1].split("</ol>", 1)[0]
    # Newest first, in Amsterdam time, numbers as people write them, the choice in words.
    assert calls.index("06 33 33 44 44") < calls.index("06 11 11 22 22")
    assert "24-11-2026, 10:15" in calls and "24-11-2026, 10:25" in calls
    assert 'gekozen: <span translate="no">spoed</span>' in calls and "geen keuze gemaakt in het menu" in calls
    data = browser.get(f"/api/v1/card/{served.token}").json()
    assert data["business"] == "Installatiebedrijf Jansen" and data["day"] == "2026-11-24"
    assert data["instructions"] == {
        "text": "Afspraken alleen op dinsdag.",
        "urgent": "Monteur Piet, 06 1111 2222.",
        "period": None,
    }
    assert [(call["at"], call["caller"], call["via"], call["key"], call["choice"]) for call in data["calls"]] == [
        ("2026-11-24T09:15:00+00:00", "+31611112222", "menu", "1", "spoed"),
        ("2026-11-24T09:25:00+00:00", "+31633334444", "no-choice", None, None),
    ]


def test_a_period_replaces_the_standing_instructions_on_its_days(served: CardServer, browser: httpx.Client) -> None:
    served.clock.now = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    text = browser.get(_card_path(served)).text
    assert "Kerstsluiting: alleen storingen aannemen." in text and "Afspraken alleen op dinsdag." not in text
    assert "Tijdelijk, tot en met 1 januari 2027" in text
    assert "Monteur Piet, 06 1111 2222." in text  # the urgent contact stays
    # Callers in the period reach the service, which hears why.
    assert served.call_to_service("+31611112222", None) == "Oproep voor Installatiebedrijf Jansen, tijdelijk gesloten."
    served.clock.now = datetime(2027, 1, 2, 9, 0, tzinfo=UTC)
    text = browser.get(_card_path(served)).text
    assert "Afspraken alleen op dinsdag." in text and "Kerstsluiting" not in text


def test_a_note_arrives_by_email_and_when_urgent_by_sms_and_in_the_inbox_and_summary(
    served: CardServer, browser: httpx.Client, mail_server: MailServer, twilio_api: FakeTwilio
) -> None:
    form = browser.get(_card_path(served)).text
    note = {
        "csrf": _csrf(form),
        "caller_name": "Mevrouw De Vries",
        "caller_number": "06 1234 5678",
        "message": "Lekkage onder de gootsteen, graag vandaag nog terugbellen.",
        "urgent": "on",
    }
    sent = browser.post(_card_path(served), data=note)
    assert sent.status_code == 303 and sent.headers["location"] == f"{_card_path(served)}?sent=1"
    assert "de notitie is onderweg" in browser.get(sent.headers["location"]).text
    assert served.run_worker() == 2  # one e-mail, one SMS
    mail = mail_server.inbox.wait_for(1)[0]
    assert mail["To"] == "kantoor@jansen.example"
    assert_valid_msg_id(str(mail["Message-ID"]).strip())
    # A subject this long is folded onto its own line; mail programs unfold it without the leading space.
    assert mail["Subject"].strip() == "SPOED: Gespreksnotitie voor Installatiebedrijf Jansen: Mevrouw De Vries"
    body = mail.get_content()
    assert "Lekkage onder de gootsteen, graag vandaag nog terugbellen." in body
    assert "Terugbellen: tel:+31612345678" in body
    assert twilio_api.wait_for_texts(1) == 1
    sms = twilio_api.texts[0]
    assert sms["To"] == "+31687654321" and sms["From"] == "+31201234567"
    assert sms["Body"] == (
        "SPOED Installatiebedrijf Jansen: Mevrouw De Vries 06 12 34 56 78: Lekkage onder de gootsteen, graag vandaag "
        f"nog terugbellen. \u2013 http://greetline.test/admin/messages#{sms['Body'].rsplit('#', 1)[1]}"
    )
    # A routine note a minute later: an e-mail only.
    served.clock.advance(60)
    routine = {**note, "csrf": _csrf(browser.get(_card_path(served)).text), "urgent": "", "caller_number": ""}
    assert browser.post(_card_path(served), data=routine).status_code == 303
    assert served.run_worker() == 1
    assert len(mail_server.inbox.wait_for(2)) == 2 and len(twilio_api.texts) == 1
    # The staff see both in the inbox, with how each delivery stands.
    with httpx.Client(base_url=served.url, timeout=30) as staff:
        login = staff.get("/admin/login").text
        staff.post("/admin/login", data={"email": EMAIL, "password": PASSWORD, "csrf": _csrf(login)})
        inbox = staff.get("/admin/messages").text
        notes = inbox.split("Gespreksnotities van de antwoorddienst", 1)[1]
        assert notes.count("Mevrouw De Vries") == 2 and notes.count('class="badge urgent">Spoed') == 1
        assert '<td translate="no">06 87 65 43 21</td>' in notes
        assert notes.count("verstuurd om 24-11-2026, 10:15") == 2
        note_id = sms["Body"].rsplit("#", 1)[1]
        handled = staff.post(f"/admin/messages/notes/{note_id}/handled", data={"csrf": _csrf(inbox)})
        assert handled.status_code == 303
        assert staff.post("/admin/messages/notes/NTnothing/handled", data={"csrf": _csrf(inbox)}).status_code == 404
        shown = staff.get("/admin/messages").text.split(f'id="{note_id}"', 1)[1].split("</section>", 1)[0]
        assert '<span class="badge">Afgehandeld</span>' in shown and "Markeer als afgehandeld" not in shown
    # And in the day's summary.
    made = senders(served.settings)
    summary = Notes(served.database, made, public_url=PUBLIC_URL, domain=message_domain(PUBLIC_URL), clock=served.clock)
    facts = summary.summary_facts(served.business_id, date(2026, 11, 24))
    assert [(n.caller, n.urgent) for n in facts.notes] == [
        ("Mevrouw De Vries", False),
        ("Mevrouw De Vries (06 12 34 56 78)", True),
    ]
    body = summary_email.daily_summary_email(facts, "jan@jansen.example", "<summary@greetline.test>").body
    assert body.endswith(
        "Gespreksnotities van de antwoorddienst: 2\n"
        "10:15 · notitie · Mevrouw De Vries (06 12 34 56 78) · Lekkage onder de gootsteen, graag vandaag nog "
        "terugbellen. · SPOED\n"
        "10:16 · notitie · Mevrouw De Vries · Lekkage onder de gootsteen, graag vandaag nog terugbellen.\n"
    )


def test_a_wrong_number_is_refused_with_the_typed_input_kept(served: CardServer, browser: httpx.Client) -> None:
    form = browser.get(_card_path(served)).text
    typed = {"csrf": _csrf(form), "caller_name": "Jan", "caller_number": "06 12", "message": "Bel terug."}
    refused = browser.post(_card_path(served), data=typed)
    assert refused.status_code == 422
    text = refused.text
    assert 'value="06 12"' in text and 'value="Jan"' in text and ">Bel terug.</textarea>" in text
    assert 'aria-invalid="true" aria-describedby="caller_number-error"' in text
    assert "Dit is geen telefoonnummer" in text
    api = browser.post(f"/api/v1/card/{served.token}", json={"caller_name": "Jan", "caller_number": "06 12"})
    assert api.status_code == 422
    assert [(found["where"], found["message"]) for found in api.json()["detail"]["problems"]] == [
        (
            "caller_number",
            "'06 12' is not a phone number; write it as the caller gave it, e.g. 020 123 4567 or +31 20 123 4567, or "
            "leave it empty",
        ),
        ("message", "message: write what the caller wants"),
    ]


def test_a_note_field_the_api_does_not_take_is_refused_not_ignored(served: CardServer, browser: httpx.Client) -> None:
    # "urgnt" would have made an urgent note a routine one (no SMS) without a word.
    api = f"/api/v1/card/{served.token}"
    note = {"caller_name": "Jan", "message": "Lekkage, bel terug."}
    refused = browser.post(api, json={**note, "urgnt": True})
    assert refused.status_code == 422
    assert [(p["where"], p["code"]) for p in refused.json()["detail"]["problems"]] == [("urgnt", "unknown_key")]
    taken = browser.post(api, json={**note, "urgent": True})
    assert taken.status_code == 201 and taken.json()["urgent"] is True
    # No JSON at all: the same answer as every other API endpoint gives (ivr.web.api.errors.unreadable_body).
    garbled = browser.post(api, content=b"caller_name=Jan", headers={"Content-Type": "application/json"})
    assert garbled.status_code == 422
    assert [(p["where"], p["code"]) for p in garbled.json()["detail"]["problems"]] == [("body", "json_invalid")]


def test_the_form_needs_its_csrf_token_fits_in_16_kB_and_is_rate_bound(
    served: CardServer, browser: httpx.Client
) -> None:
    note = {"caller_name": "Jan", "message": "Bel terug."}
    assert browser.post(_card_path(served), data={**note, "csrf": "forged"}).status_code == 403
    too_big = browser.post(_card_path(served), data={**note, "message": "x" * 20_000})
    assert too_big.status_code == 413
    api = f"/api/v1/card/{served.token}"
    assert browser.post(api, data=note).status_code == 415  # a cross-site form cannot send JSON
    answers = [browser.post(api, json=note).status_code for _ in range(NOTES_PER_WINDOW + 1)]
    assert answers == [201] * NOTES_PER_WINDOW + [429]


def test_a_wrong_or_rotated_token_is_404_and_says_nothing(served: CardServer, browser: httpx.Client) -> None:
    unknown = browser.get("/no/such/address")
    old = served.token
    assert browser.get(f"/card/{old}").status_code == 200
    link = card_link(served.database, served.business_id, PUBLIC_URL, NOW, rotate=True)
    assert link.url is not None and link.url != served.card_url
    new = link.url.rsplit("/", 1)[1]
    for path in (f"/card/{old}", f"/card/{old[:-1]}", "/card/x"):
        answer = browser.get(path)
        assert (answer.status_code, answer.content) == (404, unknown.content), path
    # Under /api the same as an address the API does not serve, in the API's one error shape.
    unknown_in_api = browser.get("/api/v1/no/such/address")
    for path in (f"/api/v1/card/{old}", "/api/v1/card/x"):
        answer = browser.get(path)
        assert (answer.status_code, answer.content) == (404, unknown_in_api.content), path
    assert browser.post(f"/card/{old}", data={"caller_name": "x"}).status_code == 404
    assert browser.get(f"/card/{new}").status_code == 200
    # Without --rotate, an existing card is not shown again (only its hash is kept).
    assert card_link(served.database, served.business_id, PUBLIC_URL, NOW, rotate=False).url is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_speaks_the_business_language(
    settings: Settings, mail_server: MailServer, twilio_api: FakeTwilio, tmp_path: Path, language: str
) -> None:
    with card_server(settings, mail_server, twilio_api, tmp_path, language) as server:
        server.call_to_service("+31611112222", "1")
        server.call_to_service("+31611112222", "2")
        with httpx.Client(base_url=server.url, timeout=30) as http:
            card = http.get(f"/card/{server.token}").text
            form = {"csrf": _csrf(card), "caller_name": "Jan", "caller_number": "12", "message": "x"}
            refused = http.post(f"/card/{server.token}", data=form).text
            sent = http.get(f"/card/{server.token}?sent=1").text
    data = [
        "Installatiebedrijf Jansen",
        "Afspraken alleen op dinsdag.",
        "Monteur Piet, 06 1111 2222.",
        "Jan",
    ]
    for where, html in [("card", card), ("refused note", refused), ("sent", sent)]:
        assert f'<html lang="{language}">' in html, where
        shown = _Shown()
        shown.feed(html)
        assert foreign_words(shown.texts, language, data) == [], f"{where} in {language}"


def test_the_admin_page_edits_the_instructions_and_makes_a_new_card_address(
    served: CardServer, browser: httpx.Client
) -> None:
    login = browser.get("/admin/login").text
    browser.post("/admin/login", data={"email": EMAIL, "password": PASSWORD, "csrf": _csrf(login)})
    page = browser.get("/admin/answering").text
    assert "De kaart is gemaakt op 24-11-2026, 10:15" in page and "/card/" not in page  # shown only when made
    token = _csrf(page)
    refused = browser.post("/admin/answering/instructions", data={"csrf": token, "urgent": "Piet"})
    assert refused.status_code == 422 and "Schrijf ook de instructies, of laat beide leeg." in refused.text
    assert 'value="Piet"' in refused.text
    changed = {
        "csrf": token,
        "text": "Storingen altijd aannemen.",
        "urgent": "Monteur Kees, 06 2222 3333.",
        "period_0": "",
        "label_1": "storing",
        "label_2": "afspraak",
    }
    assert browser.post("/admin/answering/instructions", data=changed).status_code == 200
    card = browser.get(_card_path(served)).text
    assert "Storingen altijd aannemen." in card and "Monteur Kees, 06 2222 3333." in card
    served.clock.now = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)  # the period lost its own instructions
    assert "Storingen altijd aannemen." in browser.get(_card_path(served)).text
    served.clock.now = NOW
    assert served.call_to_service("+31611112222", "2") == "Oproep voor Installatiebedrijf Jansen, gekozen: afspraak."
    rotated = browser.post("/admin/answering/card", data={"csrf": token})
    new_url = rotated.text.split('id="card-url" href="', 1)[1].split('"', 1)[0]
    assert new_url.startswith(f"{PUBLIC_URL}/card/") and new_url != served.card_url
    assert browser.get(_card_path(served)).status_code == 404
    assert browser.get(new_url.removeprefix(PUBLIC_URL)).status_code == 200


def test_two_replicas_on_one_database_share_the_cards_note_limit(served: CardServer) -> None:
    # A second app on the same database, as a second replica behind a load balancer (issue 24): the limit counts the
    # notes stored, so notes taken by either count for both; they count again once the window has passed.
    other = create_app(served.settings, clock=served.clock, database=served.database)
    api, note = f"/api/v1/card/{served.token}", {"caller_name": "Jan", "message": "Bel terug."}
    with running_server(other) as other_url, httpx.Client(timeout=30) as http:
        bases = (served.url, other_url)
        answers = [http.post(bases[n % 2] + api, json=note).status_code for n in range(NOTES_PER_WINDOW + 2)]
        assert answers == [201] * NOTES_PER_WINDOW + [429, 429]
        served.clock.advance(WINDOW_S + 1)
        assert http.post(other_url + api, json=note).status_code == 201
