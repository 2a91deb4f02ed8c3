"""After hours: a text asking for a key no menu takes is refused, a number that ends in a hang-up when nobody
answers is warned about, and every closed, holiday and period message names the business first."""

from datetime import date

import pytest

from ivr.document.codes import Code
from ivr.document.findings import Finding
from ivr.document.lint import lint
from ivr.document.load import parse_document
from ivr.document.phrases import asked_keys
from prompts import LANGUAGES, prompt_book

MONDAY = date(2026, 11, 23)

PLUMBER = """\
business: Sanitär Schulte
numbers: ["+4921112345678"]
language: de
country: DE
timezone: Europe/Berlin
greeting: {text: "{salutation}, Sie sind verbunden mit Sanitär Schulte."}
operators: ["+4921199999999"]
hours: {mon-fri: "08:00-17:00"}
overflow: {voicemail: {email: [buero@schulte.example]}}
closed:
  greeting: {text: "Sanitär Schulte. Im Notfall drücken Sie die 1."}
  voicemail: {email: [buero@schulte.example]}
"""


def found(text: str, code: Code) -> list[Finding]:
    return [finding for finding in lint(parse_document(text), today=MONDAY) if finding.code is code]


def test_a_closed_greeting_asking_for_a_key_without_an_emergency_option_is_refused() -> None:
    [finding] = found(PLUMBER, Code.KEY_NOT_TAKEN)
    assert (finding.level.value, finding.where, finding.values["key"]) == ("error", "closed.greeting", "1")
    assert "add emergency: {prompt: ..., dial: NUMBER, key: '1'} to closed" in finding.message


def test_an_emergency_option_that_takes_the_key_satisfies_the_checker() -> None:
    offered = PLUMBER + '  emergency: {prompt: "Notdienst.", dial: "+491701234567"}\n'
    assert found(offered, Code.KEY_NOT_TAKEN) == []
    # The emergency option on key 2 does not take the 1 the greeting asks for.
    other_key = offered.replace('dial: "+491701234567"}', 'dial: "+491701234567", key: "2"}')
    [finding] = found(other_key, Code.KEY_NOT_TAKEN)
    assert (finding.where, finding.values["key"], finding.values["keys"]) == ("closed.greeting", "1", "2")
    # A prompt asking for another key than its own is told to change the key.
    [own] = found(offered.replace('"Notdienst."', '"Notdienst: Taste 3."'), Code.KEY_NOT_TAKEN)
    assert own.where == "closed.emergency.prompt" and "set key: '3' on closed.emergency" in own.message


def test_a_welcome_asking_for_a_key_the_menu_does_not_take_is_refused() -> None:
    text = PLUMBER.replace(
        "Sie sind verbunden mit Sanitär Schulte.", "Sie sind verbunden mit Sanitär Schulte. Für Termine Taste 3."
    )
    [finding] = [finding for finding in found(text, Code.KEY_NOT_TAKEN) if finding.where == "greeting"]
    assert finding.values["key"] == "3"
    assert "add a menu option with key: '3'" in finding.message


@pytest.mark.parametrize(
    ("language", "text", "keys"),
    [
        ("nl", "Voor spoed, toets 1. Voor recepten druk dan op twee.", ["1", "2"]),
        ("nl", "Druk op een toets. Spreek uw bericht in en druk daarna op hekje.", []),
        ("de", "Im Notfall drücken Sie die 1, für Termine wählen Sie bitte die Zwei.", ["1", "2"]),
        ("de", "Im Notfall wählen Sie 112.", []),
        ("en", "For emergencies press 1; for the surgery, press two.", ["1", "2"]),
        ("fr", "En cas d'urgence, appuyez sur 1. Pour un rendez-vous, tapez la touche deux.", ["1", "2"]),
        ("fr", "En cas d'urgence, composez le 15.", []),
    ],
)
def test_the_keys_a_text_asks_for_in_each_language(language: str, text: str, keys: list[str]) -> None:
    assert asked_keys(text, language) == keys


CLOSED_DIAL = PLUMBER.replace(
    'closed:\n  greeting: {text: "Sanitär Schulte. Im Notfall drücken Sie die 1."}\n'
    "  voicemail: {email: [buero@schulte.example]}\n",
    'closed: {greeting: {text: "Sanitär Schulte, Notdienst."}, dial: "+491701234567"}\n',
)


def test_a_closed_number_that_hangs_up_when_nobody_answers_is_warned_about() -> None:
    assert "dial:" in CLOSED_DIAL
    [finding] = found(CLOSED_DIAL, Code.HANGS_UP_UNANSWERED)
    assert (finding.level.value, finding.where) == ("warning", "closed.dial")
    assert finding.message.startswith(
        "Montag nachts → geschlossen → klingelt bei +491701234567 → keine Antwort/besetzt/fehlgeschlagen → aufgelegt"
    )
    assert "add voicemail: {email: [...]} beside dial:" in finding.message
    # A message box beside the number takes the call instead.
    boxed = CLOSED_DIAL.replace('dial: "+491701234567"}', 'dial: "+491701234567", voicemail: {email: [a@b.example]}}')
    assert found(boxed, Code.HANGS_UP_UNANSWERED) == []


def test_an_emergency_number_that_hangs_up_is_warned_about_at_the_option() -> None:
    text = CLOSED_DIAL.replace(
        'dial: "+491701234567"}', 'emergency: {prompt: "Im Notfall die 1.", dial: "+491701234567"}}'
    )
    # Without a closed route of its own the call goes to the overflow's box; the emergency number has none.
    warned = found(
        text.replace("overflow: {voicemail: {email: [buero@schulte.example]}}\n", ""), Code.HANGS_UP_UNANSWERED
    )
    assert [(finding.where, finding.values["numbers"]) for finding in warned] == [("closed.emergency", "+491701234567")]
    assert found(text, Code.HANGS_UP_UNANSWERED) == []  # the overflow's box takes it


def test_closed_holiday_and_period_messages_that_do_not_name_the_business_first_are_flagged() -> None:
    text = CLOSED_DIAL.replace('"Sanitär Schulte, Notdienst."', '"Wir sind geschlossen. Hier ist Sanitär Schulte."')
    text = text.replace(
        'dial: "+491701234567"}', 'holiday: {text: "Heute ist Feiertag."}, voicemail: {email: [a@b.example]}}'
    )
    period = "{from: 2026-12-24, to: 2026-12-26, greeting: {text: Betriebsferien.}, voicemail: {email: c@d.example}}"
    text += f"periods:\n  - {period}\n"
    flagged = found(text, Code.MESSAGE_UNNAMED)
    assert [(finding.level.value, finding.where) for finding in flagged] == [
        ("warning", "closed.greeting"),
        ("warning", "closed.holiday"),
        ("warning", "periods[0].greeting"),
    ]
    assert flagged[0].values["example"] == ("Sie sind verbunden mit Sanitär Schulte. Wir sind gerade nicht erreichbar.")


def test_the_default_messages_name_the_business_first_so_nothing_is_flagged() -> None:
    text = CLOSED_DIAL.replace('greeting: {text: "Sanitär Schulte, Notdienst."}, ', "")
    text += "periods:\n  - {from: 2026-12-24, to: 2026-12-26, voicemail: {email: [a@b.example]}}\n"
    assert found(text, Code.MESSAGE_UNNAMED) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["closed", "holiday", "period"])
def test_the_default_closed_holiday_and_period_texts_name_the_business_in_every_language(
    language: str, name: str
) -> None:
    said = prompt_book(language).text(name, business="Bakkerij Smit")  # type: ignore[arg-type]
    assert "Bakkerij Smit" in said.split(".")[0], said


def test_the_advice_for_a_hang_up_fits_where_the_number_stands() -> None:
    # The emergency option has no voicemail: of its own; the period's box takes what its number does not answer.
    period = (
        '{from: 2026-12-24, to: 2026-12-26, dial: "+4921188888888", '
        'emergency: {prompt: "Im Notfall die 1.", dial: "+491701234567"}}'
    )
    warned = found(
        PLUMBER.replace("Im Notfall drücken Sie die 1.", "") + f"periods:\n  - {period}\n", Code.HANGS_UP_UNANSWERED
    )
    by_place = {finding.where: finding.message for finding in warned}
    assert sorted(by_place) == ["periods[0].dial", "periods[0].emergency"]
    assert by_place["periods[0].emergency"].endswith(
        "add voicemail: {email: [...]} to periods[0]: its box takes the call then"
    )
    assert "beside dial:" in by_place["periods[0].dial"]
    # Without a closed route the overflow's number rings; a voicemail: written alone under closed: would replace
    # it, so the advice writes both.
    inherited = (
        PLUMBER.replace("overflow: {voicemail: {email: [buero@schulte.example]}}", 'overflow: {dial: "+4921177777777"}')
        .replace("  voicemail: {email: [buero@schulte.example]}\n", "")
        .replace(" Im Notfall drücken Sie die 1.", "")
    )
    [finding] = found(inherited, Code.HANGS_UP_UNANSWERED)
    assert finding.where == "closed"
    assert finding.message.endswith(
        "write closed: {dial: [+4921177777777], voicemail: {email: [...]}}: the number rings, then a message is taken"
    )


def test_an_on_call_mobile_after_hours_is_told_its_own_voicemail_takes_the_call_before_the_box() -> None:
    # Four German rings are 20 s of ringing, as long as a mobile's own voicemail waits: five ring past it.
    on_call = CLOSED_DIAL.replace("operators:", "rings: 5\noperators:").replace(
        'dial: "+491701234567"}', 'dial: "+491701234567", voicemail: {email: [a@b.example]}}'
    )
    [finding] = found(on_call, Code.MOBILE_VOICEMAIL)
    assert (finding.level.value, finding.where, finding.values["numbers"]) == ("warning", "confirm", "+491701234567")
    assert "never goes on to the overflow or a message box" in finding.message
    period = (
        "{from: 2026-12-24, to: 2026-12-26, voicemail: {email: [a@b.example]}, "
        'emergency: {prompt: "Die 1.", dial: "+491721234567"}}'
    )
    [finding] = found(on_call + f"periods:\n  - {period}\n", Code.MOBILE_VOICEMAIL)
    assert finding.values["numbers"] == "+491701234567, +491721234567"
    assert found(on_call + "confirm: true\n", Code.MOBILE_VOICEMAIL) == []


def test_a_holiday_message_is_not_checked_when_no_holiday_closes_the_business() -> None:
    # region: alone closes on no day: the holiday message is never heard.
    text = CLOSED_DIAL.replace(
        "closed: {", 'region: NW\nholidays: false\nclosed: {holiday: {text: "Heute ist Feiertag."}, '
    )
    assert [finding.where for finding in found(text, Code.MESSAGE_UNNAMED)] == []
    assert [
        finding.where
        for finding in found(text.replace("holidays: false", "holidays: [Fronleichnam]"), Code.MESSAGE_UNNAMED)
    ] == ["closed.holiday"]
