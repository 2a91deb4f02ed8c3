"""Who texts come from: GREETLINE_SMS_FROM (a number or an alphanumeric sender ID), else the business's own first
number; `lint` and `serve` warn when texts are configured and that sender is a Dutch, Belgian, German or French
landline, which cannot send SMS through Twilio."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from ivr.cli import main
from ivr.document.lint import sms_sender_findings
from ivr.document.load import parse_document
from ivr.document.phones import landline_country, sms_sender
from ivr.settings import Settings
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.local_server import server_process

TEXTED = """\
business: Loodgietersbedrijf Jansen
numbers: ["{number}"]
country: {country}
operators: ["+31612345678"]
overflow: {{voicemail: {{email: [kantoor@jansen.example], sms: ["+31687654321"]}}}}
"""


def document_of(number: str, country: str = "NL", texts: bool = True) -> str:
    text = TEXTED.format(number=number, country=country)
    return text if texts else text.replace(', sms: ["+31687654321"]', "")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Praktijk", "Praktijk"),
        ("A", "A"),
        ("Jansen2026", "Jansen2026"),
        ("ABCDEFGHIJK", "ABCDEFGHIJK"),  # 11: the most Twilio takes
        ("+31612345678", "+31612345678"),
        (" +31 6 1234 5678 ", "+31612345678"),
    ],
)
def test_a_number_or_an_alphanumeric_sender_id_is_taken(given: str, kept: str) -> None:
    assert Settings(sms_from=given).sms_from == kept


@pytest.mark.parametrize(
    "given",
    ["12345", "ABCDEFGHIJKL", "Greet Line", "Jansen&Zn", "Jänsen", "0612345678", "+3150", "+31 6 1234"],
)
def test_anything_else_is_refused_naming_both_forms(given: str) -> None:
    with pytest.raises(ValidationError, match="GREETLINE_SMS_FROM must be a phone number in international form"):
        Settings(sms_from=given)
    with pytest.raises(ValueError, match=r"1 to 11 letters and digits with at least one letter, e\.g\. Praktijk"):
        sms_sender(given)


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("+31501234567", "NL"),  # Groningen
        ("+3224001234", "BE"),  # Brussels
        ("+49301234567", "DE"),  # Berlin
        ("+33142345678", "FR"),  # Paris
        ("+31612345678", None),  # a Dutch mobile sends texts
        ("+442079460000", None),  # a London landline: not one of the four countries
        ("Praktijk", None),
    ],
)
def test_a_landline_of_the_four_countries_is_known(number: str, country: str | None) -> None:
    assert landline_country(number) == country


def test_the_checker_warns_only_when_texts_go_from_a_landline() -> None:
    landline = parse_document(document_of("+31501234567"))
    (found,) = sms_sender_findings(landline, None)
    assert (found.code, found.where, found.level.value) == ("sms_from_landline", "numbers", "warning")
    assert found.values == {"sender": "+31501234567", "country": "NL"}
    assert "set GREETLINE_SMS_FROM to a mobile number or an alphanumeric sender ID" in found.message
    assert sms_sender_findings(landline, "Praktijk") == []
    assert sms_sender_findings(landline, "+31612345678") == []
    (from_setting,) = sms_sender_findings(landline, "+49301234567")
    assert (from_setting.where, from_setting.values["country"]) == ("sms_from", "DE")
    assert sms_sender_findings(parse_document(document_of("+31501234567", texts=False)), None) == []
    assert sms_sender_findings(parse_document(document_of("+33142345678", "FR")), None)[0].values["country"] == "FR"


def test_a_text_back_alone_is_a_text_from_the_sender() -> None:
    # text_back: has no sms: list; its text goes from the same sender and is lost from a landline all the same.
    texted_back = document_of("+31501234567", texts=False) + 'text_back: {text: "U belde {business}.", after_s: 120}\n'
    (found,) = sms_sender_findings(parse_document(texted_back), None)
    assert (found.code, found.values["sender"]) == ("sms_from_landline", "+31501234567")
    assert "texts (sms:, text_back:) go from the business's first number" in found.message
    assert sms_sender_findings(parse_document(texted_back), "Jansen") == []


def test_lint_says_so_and_an_alphanumeric_sender_quiets_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = tmp_path / "jansen.yaml"
    document.write_text(document_of("+31501234567"), "utf-8")
    monkeypatch.delenv("GREETLINE_SMS_FROM", raising=False)
    assert main(["lint", "--json", str(document)]) == 0  # a warning: the document is still applied
    (found,) = [f for f in json.loads(capsys.readouterr().out) if f["code"] == "sms_from_landline"]
    assert found["message"].startswith(
        "texts (sms:, text_back:) go from the business's first number (GREETLINE_SMS_FROM is not set), +31501234567, "
        "a landline in NL: Twilio cannot send SMS from landlines there"
    )
    monkeypatch.setenv("GREETLINE_SMS_FROM", "Jansen")
    assert main(["lint", "--json", str(document)]) == 0
    assert [f["code"] for f in json.loads(capsys.readouterr().out)] == []
    monkeypatch.setenv("GREETLINE_SMS_FROM", "Jansen & Zn")
    assert main(["lint", str(document)]) == 1
    assert capsys.readouterr().err == (
        "greetline: error: bad setting: GREETLINE_SMS_FROM must be a phone number in international form, e.g. "
        "+31612345678, or an alphanumeric sender ID of 1 to 11 letters and digits with at least one letter, e.g. "
        "Praktijk; got 'Jansen & Zn'\n"
    )


def test_serve_says_so_for_each_business_whose_texts_cannot_go(settings: Settings, demo_text: str) -> None:
    # The demo practice texts urgent call notes from its own number, a Groningen landline.
    upgrade(settings.database_url)
    database = Database(settings.database_url, settings.snapshot_path)
    apply_text(database, demo_text, datetime.now(UTC))
    database.dispose()
    environment = {
        "GREETLINE_DATABASE_URL": settings.database_url,
        "GREETLINE_MEDIA_DIR": str(settings.media_dir),
        "GREETLINE_SNAPSHOT_PATH": str(settings.snapshot_path),
        "GREETLINE_CALL_LOG_SPILL_PATH": str(settings.call_log_spill_path),
        "GREETLINE_PUBLIC_URL": PUBLIC_URL,
        "GREETLINE_TWILIO_AUTH_TOKEN": TEST_TOKEN,
        "GREETLINE_SESSION_SECRET": "sms-sender-test-session-secret",
        "GREETLINE_EMBEDDED_WORKER": "false",
        "GREETLINE_SMS_FROM": "",
    }
    with server_process(environment) as server:
        pass
    warnings = [line for line in server.output if "landline" in line]
    assert warnings == [
        "greetline: warning: Huisartsenpraktijk De Linde: texts (sms:, text_back:) go from the business's first number "
        "(GREETLINE_SMS_FROM is not set), +31501234567, a landline in NL: Twilio cannot send SMS from landlines "
        "there, so none would arrive; set GREETLINE_SMS_FROM to a mobile number or an alphanumeric sender ID (1 to "
        "11 letters and digits, e.g. Praktijk), or send e-mail only"
    ]
    with server_process({**environment, "GREETLINE_SMS_FROM": "DeLinde"}) as server:
        pass
    assert [line for line in server.output if "landline" in line] == []
