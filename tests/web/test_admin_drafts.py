"""The admin page shows a change before it is saved (the week strip and the checker's advice), and edits every
place a message or a note goes: voicemail boxes that also text, the holiday message, the e-mails after calls."""

import re

import httpx

from ivr.settings import Settings
from tests.audio.signals import decoded, probe
from tests.web.test_admin import admin, log_in, stored_document

__all__ = ["admin"]  # the fixture, used by name


def week_of(page: str) -> dict[str, str]:
    """The week strip: each moment's label with what is heard then."""
    strip = page.split('id="week"')[1].split("</ol>")[0]
    return {part.split("</strong>")[0]: part for part in strip.split("<strong>")[1:]}


def test_an_information_message_is_heard_with_the_checkers_advice_before_it_is_saved(
    admin: httpx.Client, settings: Settings
) -> None:
    token = log_in(admin)
    before = stored_document(settings)
    text = "Kijk op onze website voor de openingstijden."
    data = {"info_text": text, "info_on": "on", "intent": "preview", "csrf": token}
    page = admin.post("/admin/texts/info", data=data)
    assert page.status_code == 200 and "Nog niet opgeslagen" in page.text
    assert text in week_of(page.text)["Nu"]  # the strip is about the draft
    assert "Stuur bellers niet naar een website of e-mailadres." in page.text.split('id="advice"')[1]
    assert f">{text}</textarea>" in page.text  # the draft stays in the field, to save or change
    assert stored_document(settings) == before
    saved = admin.post("/admin/texts/info", data={**data, "intent": "save"})
    assert saved.status_code == 200 and stored_document(settings)["info"] == {"text": text}
    assert text in week_of(saved.text)["Nu"]


def test_opening_hours_and_a_period_are_previewed_without_being_stored(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    before = stored_document(settings)
    saturday_only = {"hours": "za 09:00-12:00", "holidays": "on", "intent": "preview", "csrf": token}
    page = admin.post("/admin/settings/hours", data=saturday_only)
    assert page.status_code == 200 and "U belt buiten onze openingstijden." in week_of(page.text)["Nu"]
    assert ">za 09:00-12:00</textarea>" in page.text and stored_document(settings) == before
    refused = admin.post("/admin/settings/hours", data={**saturday_only, "hours": "ma-vr 8-17"})
    assert refused.status_code == 422 and 'id="hours-error"' in refused.text and 'id="week"' not in refused.text
    period = {"start": "2026-12-01", "end": "2026-12-03", "text": "Wij verhuizen.", "route": "voicemail"}
    period |= {"email": "praktijk@example.nl", "sms": "06 1234 5678", "intent": "preview", "csrf": token}
    previewed = admin.post("/admin/settings/periods", data=period)
    assert previewed.status_code == 200 and "Wij verhuizen." in week_of(previewed.text)["In de volgende periode"]
    assert stored_document(settings) == before
    added = admin.post("/admin/settings/periods", data={**period, "intent": "save"})
    assert added.status_code == 200
    assert re.search(r'id="period-1-spoken"><audio controls preload="none" src="/media/[0-9a-f]+\.mp3"', added.text)
    assert stored_document(settings)["periods"][-1]["voicemail"] == {
        "email": ["praktijk@example.nl"],
        "sms": ["+31612345678"],
    }


def test_the_closed_message_goes_to_a_box_with_two_addresses_and_a_text_and_holidays_have_their_own(
    admin: httpx.Client, settings: Settings
) -> None:
    token = log_in(admin)
    before = stored_document(settings)
    data = {"closed_text": "Wij zijn gesloten. Spreek een bericht in.", "closed_kind": "voicemail", "csrf": token}
    data |= {"closed_email": "praktijk@example.nl, dokter@example.nl", "closed_sms": "12"}
    data |= {"holiday_text": "Vandaag is de praktijk dicht vanwege een feestdag."}
    refused = admin.post("/admin/texts/closed", data=data)
    assert refused.status_code == 422 and stored_document(settings) == before
    error = re.search(r'<p id="closed_route-error" class="field-error">([^<]*)</p>', refused.text)
    assert error is not None and "12 is geen" in error.group(1)  # in Dutch, at the destination
    assert 'id="closed-sms" name="closed_sms" type="text" value="12"' in refused.text
    assert 'aria-describedby="closed_route-error"' in refused.text
    saved = admin.post("/admin/texts/closed", data={**data, "closed_sms": "06 1234 5678"})
    assert saved.status_code == 200
    assert stored_document(settings)["closed"] == {
        "greeting": {"text": "Wij zijn gesloten. Spreek een bericht in."},
        "holiday": {"text": "Vandaag is de praktijk dicht vanwege een feestdag."},
        "voicemail": {"email": ["praktijk@example.nl", "dokter@example.nl"], "sms": ["+31612345678"]},
    }
    for player in ("closed-spoken", "holiday-spoken"):  # each saved text is spoken, to hear on the page
        found = re.search(rf'id="{player}"><audio controls preload="none" src="(/media/[0-9a-f]+\.mp3)"', saved.text)
        assert found is not None, player
        mp3 = admin.get(found.group(1))
        assert mp3.status_code == 200 and mp3.headers["content-type"] == "audio/mpeg"


def test_voicemail_boxes_text_a_mobile_from_the_menu_and_the_overflow(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    menu = stored_document(settings)["menu"]
    form = {"csrf": token, "key_0": "3", "prompt_0": "Voor uitslagen, toets 3.", "kind_0": "voicemail"}
    form |= {"email_0": "uitslagen@example.nl", "sms_0": "06 8765 4321"}
    saved_menu = admin.post("/admin/texts/menu", data=form)
    assert saved_menu.status_code == 200
    assert re.search(
        r'id="prompt-0-spoken"><audio controls preload="none" src="/media/[0-9a-f]+\.mp3"', saved_menu.text
    )
    assert stored_document(settings)["menu"] == [
        {
            "key": "3",
            "prompt": "Voor uitslagen, toets 3.",
            "voicemail": {"email": ["uitslagen@example.nl"], "sms": ["+31687654321"]},
        }
    ]
    assert menu != stored_document(settings)["menu"]
    phones = {"operators": "050 123 4567", "overflow_kind": "voicemail", "overflow_email": "praktijk@example.nl"}
    saved = admin.post("/admin/settings/phones", data={**phones, "overflow_sms": "06 1234 5678", "csrf": token})
    assert saved.status_code == 200 and 'name="overflow_sms" type="text" value="+31612345678"' in saved.text
    assert stored_document(settings)["overflow"] == {
        "voicemail": {"email": ["praktijk@example.nl"], "sms": ["+31612345678"]}
    }
    other_phone = {**phones, "operators": "050 765 4321", "intent": "preview", "csrf": token}
    previewed = admin.post("/admin/settings/phones", data=other_phone)
    assert previewed.status_code == 200 and "Nog niet opgeslagen" in previewed.text
    assert "050 765 4321" in week_of(previewed.text)["Nu"]  # the phone that would ring, not yet saved
    assert stored_document(settings)["operators"] == ["+31501234567"]
    assert stored_document(settings)["overflow"]["voicemail"]["sms"] == ["+31612345678"]
    cleared = admin.post("/admin/settings/phones", data={**phones, "overflow_sms": "", "csrf": token})
    assert cleared.status_code == 200
    assert stored_document(settings)["overflow"] == {"voicemail": {"email": ["praktijk@example.nl"]}}


def test_the_e_mails_after_calls_are_set_refused_at_the_field_and_switched_off(
    admin: httpx.Client, settings: Settings
) -> None:
    token = log_in(admin)
    before = stored_document(settings)
    data = {"missed_emails": "praktijk@example.nl, geen-adres", "summary_emails": "dokter@example.nl", "csrf": token}
    refused = admin.post("/admin/settings/after-calls", data={**data, "summary_at": "18:00"})
    assert refused.status_code == 422 and stored_document(settings) == before
    error = re.search(r'<p id="missed_calls-error" class="field-error">([^<]*)</p>', refused.text)
    assert error is not None and "geen-adres is geen e-mailadres" in error.group(1)
    assert 'aria-describedby="after-calls-help missed_calls-error"' in refused.text
    assert 'value="praktijk@example.nl, geen-adres"' in refused.text
    saved = admin.post("/admin/settings/after-calls", data={**data, "missed_emails": "a@example.nl, b@example.nl"})
    assert saved.status_code == 200
    document = stored_document(settings)
    assert document["missed_calls"] == {"email": ["a@example.nl", "b@example.nl"]}
    assert document["daily_summary"] == {"email": ["dokter@example.nl"], "at": "17:30"}
    off = admin.post("/admin/settings/after-calls", data={"summary_at": "17:30", "csrf": token})
    assert off.status_code == 200
    assert "missed_calls" not in stored_document(settings) and "daily_summary" not in stored_document(settings)


def test_a_ready_made_message_is_heard_before_it_is_used(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    filled = admin.post("/admin/texts/info/template", data={"template": "outbreak", "csrf": token})
    found = re.search(
        r'id="template-spoken"><span class="player-label">Het kant-en-klare bericht:</span> '
        r'<audio controls preload="none" src="([^"]+)"',
        filled.text,
    )
    assert found is not None and found.group(1) == "/admin/texts/templates/outbreak.mp3"
    spoken = admin.get(found.group(1))
    assert spoken.status_code == 200 and spoken.headers["content-type"] == "audio/mpeg"
    assert probe(spoken.content).codec == "mp3" and len(decoded(spoken.content)) / 8000 > 5  # seconds
    assert admin.get("/admin/texts/templates/nonsense.mp3").status_code == 404
    assert stored_document(settings)["info"]["text"] == "Wij zijn op werkdagen bereikbaar van acht tot vijf."


def test_a_typed_welcome_is_heard_with_the_checkers_advice_before_it_is_saved(
    admin: httpx.Client, settings: Settings
) -> None:
    token = log_in(admin)
    before = stored_document(settings)
    text = "Goedemorgen, u spreekt met Huisartsenpraktijk De Linde. Kijk ook op onze website."
    welcome = {"text": text, "intent": "preview", "csrf": token}
    page = admin.post("/admin/greetings/text", data=welcome)
    assert page.status_code == 200 and "Nog niet opgeslagen" in page.text
    assert text in week_of(page.text)["Nu"]
    assert "Stuur bellers niet naar een website of e-mailadres." in page.text.split('id="advice"')[1]
    assert f">{text}</textarea>" in page.text and stored_document(settings) == before
    unnamed = admin.post("/admin/greetings/text", data={**welcome, "text": "Goedemorgen, u spreekt met de praktijk."})
    assert unnamed.status_code == 422 and 'id="week"' not in unnamed.text  # an error is refused, even in a preview
    error = re.search(r'<p id="greeting-error" class="field-error">([^<]*)</p>', unnamed.text)
    assert error is not None and "moet de naam van de praktijk of zaak noemen" in error.group(1)
    assert ">Goedemorgen, u spreekt met de praktijk.</textarea>" in unnamed.text
    refused = admin.post("/admin/greetings/text", data={**welcome, "text": "x" * 1001, "intent": "save"})
    assert refused.status_code == 422 and 'id="greeting-error"' in refused.text  # was a server error
    assert "x" * 1001 + "</textarea>" in refused.text and stored_document(settings) == before
