"""The path checker on documents that each hide one trap: every trap found in one run, with the path in words.

The same documents go through `apply` (refused whole, nothing stored) and `greetline lint` (every finding,
never "nothing was applied").
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ivr.cli import main
from ivr.document.lint import lint
from ivr.document.load import parse_document
from ivr.errors import DocumentError
from ivr.store import businesses
from ivr.store.database import Database
from ivr.usecases.documents import apply_text, check_text

MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
UPLOADED = "ab" * 32

GOOD = """\
business: Huisartsenpraktijk De Linde
numbers: ["+31501234567"]
language: nl
greeting: {text: "{salutation}, u spreekt met Huisartsenpraktijk De Linde."}
menu:
  - {key: "1", prompt: "Voor spoed, toets 1.", dial: ["+31612345678"], emergency: true}
  - {key: "2", prompt: "Voor herhaalrecepten, toets 2.", voicemail: {email: ["recept@example.nl"]}}
operators: ["+31501111111", "+31502222222"]
rings: 4
overflow: {dial: "+31208888888"}
hours: {mon-fri: "08:00-17:00"}
holidays: true
closed: {greeting: {text: "Huisartsenpraktijk De Linde is gesloten."}, voicemail: {email: ["praktijk@example.nl"]}}
"""


@dataclass(frozen=True)
class Trap:
    name: str
    document: str
    level: str
    where: str
    # Fragments the finding's message holds: the path in words, and what it says.
    fragments: tuple[str, ...]
    durations_s: tuple[tuple[str, float], ...] = ()


def changed(*pairs: tuple[str, str]) -> str:
    text = GOOD
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


CLOSED_LINE = (
    'closed: {greeting: {text: "Huisartsenpraktijk De Linde is gesloten."}, '
    'voicemail: {email: ["praktijk@example.nl"]}}'
)

TRAPS = [
    Trap(
        "closed text asks for a message with no box behind it",
        changed((CLOSED_LINE, 'closed: {greeting: {text: "Wij zijn gesloten. Spreek na de toon een bericht in."}}')),
        "error",
        "closed.greeting",
        (
            "maandag 's nachts → gesloten → tekst vraagt om een bericht → belt +31208888888 → "
            "geen gehoor/in gesprek/mislukt → ophangen",
            "nothing records it",
        ),
    ),
    Trap(
        "closed text asks for a message and nothing follows at all",
        changed(
            (CLOSED_LINE, 'closed: {greeting: {text: "Wij zijn gesloten. Spreek na de toon een bericht in."}}'),
            ('overflow: {dial: "+31208888888"}\n', ""),
        ),
        "error",
        "closed.greeting",
        ("maandag 's nachts → gesloten → tekst vraagt om een bericht → ophangen", "nothing records it"),
    ),
    Trap(
        "an emergency phone that rings 6 times",
        changed(("rings: 4", "rings: 6")),
        "error",
        "menu[0]",
        ("'s ochtends → open → toets 1 → belt +31612345678 → opgenomen na 34 s", "6 times, 5 s each"),
    ),
    Trap(
        # The emergency key is heard before it (emergencies come first); a caller who waits hears it all.
        "a 46 s uploaded information recording before a phone rings",
        changed(("menu:\n", f'info: {{file: info.m4a, media: "{UPLOADED}"}}\nmenu:\n')),
        "error",
        "menu",
        ("→ open → geen toets", "of recordings"),
        durations_s=((UPLOADED, 46.0),),
    ),
    Trap(
        "a caller who waits hears 40 s of texts before a phone rings",
        changed(("menu:\n", "info: {text: '" + " ".join(["informatie"] * 90) + "'}\nmenu:\n")),
        "error",
        "menu",
        ("→ open → geen toets → belt +31501111111, +31502222222", "hears about 46 s of recordings"),
    ),
    Trap(
        "an emergency option that only takes a message",
        changed(
            (
                '{key: "1", prompt: "Voor spoed, toets 1.", dial: ["+31612345678"], emergency: true}',
                '{key: "1", prompt: "Voor spoed, toets 1.", voicemail: {email: [spoed@example.nl]}, emergency: true}',
            )
        ),
        "warning",
        "menu[0]",
        ("toets 1 → tekst vraagt om een bericht → bericht opnemen", "takes a message instead of reaching a human"),
    ),
    Trap(
        "no overflow: during opening hours nobody and no box",
        changed(('overflow: {dial: "+31208888888"}\n', "")),
        "warning",
        "overflow",
        ("→ open → toets 1 → belt +31612345678 → geen gehoor/in gesprek/mislukt → ophangen", "nobody answering"),
    ),
    Trap(
        "a period with nowhere to go",
        GOOD + 'periods:\n  - {from: 2026-12-24, to: 2027-01-01, greeting: {text: "Wij zijn met vakantie."}}\n',
        "warning",
        "periods[0]",
        ("periode 2026-12-24 t/m 2027-01-01 → ophangen", "no one to reach and no message box"),
    ),
    Trap(
        "a period asking for a message with no box",
        GOOD + 'periods:\n  - {from: 2026-12-24, to: 2027-01-01, greeting: {text: "Laat een bericht achter."}}\n',
        "error",
        "periods[0].greeting",
        ("periode 2026-12-24 t/m 2027-01-01 → tekst vraagt om een bericht → ophangen", "nothing records it"),
    ),
    Trap(
        "a holiday with nowhere to go",
        changed(
            (CLOSED_LINE, 'closed: {greeting: {text: "Wij zijn gesloten; bel morgen terug."}}'),
            ('overflow: {dial: "+31208888888"}\n', ""),
        ),
        "warning",
        "holidays",
        ("feestdag Eerste kerstdag (2026-12-25) → ophangen",),
    ),
    Trap(
        "11 staff phones ringing at once",
        changed(
            (
                'operators: ["+31501111111", "+31502222222"]',
                "operators: [" + ", ".join(f'"+315011111{n:02d}"' for n in range(11)) + "]",
            )
        ),
        "error",
        "operators",
        ("Twilio rings at most 10 in one dial",),
    ),
    Trap(
        "an unknown holiday name",
        changed(("holidays: true", "holidays: [Christmas Day, Sinterklaas]")),
        "error",
        "holidays[1]",
        ("'Sinterklaas' is not a public holiday of NL", "greetline holidays NL"),
    ),
]


def findings_of(trap: Trap) -> list[tuple[str, str, str]]:
    checked = check_text(trap.document, dict(trap.durations_s), MONDAY)
    return [(finding.level.value, finding.where, finding.message) for finding in checked.findings]


def test_the_good_document_has_no_findings() -> None:
    assert lint(parse_document(GOOD), today=MONDAY) == []


@pytest.mark.parametrize("trap", TRAPS, ids=[trap.name for trap in TRAPS])
def test_each_trap_is_found_with_its_path(trap: Trap) -> None:
    matching = [
        (level, where)
        for level, where, message in findings_of(trap)
        if all(fragment in message for fragment in trap.fragments)
    ]
    assert matching == [(trap.level, trap.where)], findings_of(trap)


def test_every_trap_at_once_in_one_run() -> None:
    """Validation problems and checker findings together: a bad number does not hide the paths."""
    text = changed(
        ('numbers: ["+31501234567"]', 'numbers: ["0501"]'),
        ("rings: 4", "rings: 6"),
        (CLOSED_LINE, 'closed: {greeting: {text: "Spreek na de toon een bericht in."}}'),
        ('operators: ["+31501111111", "+31502222222"]', "operators: [" + ", ".join(['"+31501111111"'] * 11) + "]"),
    )
    found = {(finding.level.value, finding.where) for finding in check_text(text, today=MONDAY).findings}
    assert {
        ("error", "numbers[0]"),
        ("error", "operators"),
        ("error", "menu[0]"),
        ("error", "closed.greeting"),
        ("warning", "rings"),
    } <= found


@pytest.mark.parametrize(
    ("language", "path"),
    [
        ("en", "Monday at night → closed → text asks for a message → hang up"),
        ("de", "Montag nachts → geschlossen → Text bittet um eine Nachricht → aufgelegt"),
        ("fr", "lundi la nuit → fermé → le texte demande un message → raccroche"),
    ],
)
def test_the_path_is_named_in_the_business_language(language: str, path: str) -> None:
    asks = {
        "en": "Smit: we are closed. Please leave a message after the tone.",
        "de": "Smit: wir sind geschlossen. Hinterlassen Sie eine Nachricht nach dem Signalton.",
        "fr": "Smit : nous sommes fermés. Laissez un message après le bip.",
    }[language]
    text = (
        f"business: Smit\nnumbers: ['+31201234567']\noperators: ['+31201111111']\nlanguage: {language}\n"
        f"greeting: {{text: 'Smit.'}}\nhours: {{mon-fri: '08:00-17:00'}}\nclosed: {{greeting: {{text: '{asks}'}}}}\n"
        "overflow: {voicemail: {email: [smit@example.nl]}}\n"
    )
    # The closed text goes to the overflow's message box: asked and recorded, so no finding...
    assert not [f for f in lint(parse_document(text), today=MONDAY) if f.where == "closed.greeting"]
    # ...until there is no box behind it.
    bare = text.replace("overflow: {voicemail: {email: [smit@example.nl]}}\n", "")
    messages = [f.message for f in lint(parse_document(bare), today=MONDAY) if f.where == "closed.greeting"]
    assert len(messages) == 1 and messages[0].startswith(path), messages


ERROR_TRAPS = [trap for trap in TRAPS if trap.level == "error" and not trap.durations_s]


@pytest.mark.parametrize("trap", ERROR_TRAPS, ids=[trap.name for trap in ERROR_TRAPS])
def test_apply_refuses_each_error_trap_and_stores_nothing(trap: Trap, database: Database) -> None:
    with pytest.raises(DocumentError) as refused:
        apply_text(database, trap.document, NOW)
    assert any(all(fragment in problem for fragment in trap.fragments) for problem in refused.value.problems)
    with database.transaction() as session:
        assert businesses.all_businesses(session.connection()) == []


def test_lint_lists_every_finding_and_never_says_nothing_was_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "trap.yaml"
    document.write_text(TRAPS[0].document.replace('"+31501234567"', '"0501"'), "utf-8")
    assert main(["lint", str(document)]) == 1
    out, err = capsys.readouterr()
    assert "error: numbers[0]:" in out
    assert "error: closed.greeting: maandag 's nachts → gesloten → tekst vraagt om een bericht" in out
    assert "nothing was applied" not in out + err
    assert err.strip() == "greetline: error: 2 error(s); apply refuses this document until they are fixed"


def test_a_staff_mobile_ringing_past_its_voicemail_is_told_about_confirm_calls() -> None:
    mobile = changed(
        ("rings: 4", "rings: 5"), ('operators: ["+31501111111", "+31502222222"]', 'operators: ["+31611111111"]')
    )
    # Five rings keep the emergency caller too long as well; only the confirm finding matters here.
    found = [(f.level.value, f.where, f.message) for f in lint(parse_document(mobile), today=MONDAY)]
    assert (
        "warning",
        "confirm",
        "+31611111111, +31612345678 is a mobile and rings about 25 s: its own voicemail answers after about 20 s "
        "and takes the call, so it never goes on to the overflow or a message box; set confirm: true (each staff "
        "phone presses 1 to take a call), or use fewer rings",
    ) in found
    confirmed = [f for f in lint(parse_document(mobile + "confirm: true\n"), today=MONDAY) if f.where == "confirm"]
    assert confirmed == []


def test_with_confirm_calls_the_human_comes_after_the_question() -> None:
    five_rings = changed(("rings: 4", "rings: 5"))
    # 2.8 s welcome + 1.6 s option + 25 s ringing = 29.4 s: just in time.
    assert [f for f in lint(parse_document(five_rings), today=MONDAY) if f.where == "menu[0]"] == []
    # The question ("Oproep voor Huisartsenpraktijk De Linde, toets 1 om aan te nemen.", 11 words) adds 4.4 s.
    asked = [
        f.message for f in lint(parse_document(five_rings + "confirm: true\n"), today=MONDAY) if f.where == "menu[0]"
    ]
    assert len(asked) == 1 and "toets 1 → belt +31612345678 → opgenomen na 34 s" in asked[0]


def test_lint_json_gives_each_finding_with_its_code_severity_place_and_english_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "trap.yaml"
    document.write_text(TRAPS[0].document.replace('"+31501234567"', '"0501"'), "utf-8")
    assert main(["lint", "--json", str(document)]) == 1  # as `lint` without it: errors refuse the document
    out, err = capsys.readouterr()
    found = json.loads(out)
    assert all(set(item) == {"code", "severity", "where", "message", "values"} for item in found)
    by_code = {item["code"]: item for item in found}
    assert by_code["invalid_phone_number"] == {
        "code": "invalid_phone_number",
        "severity": "error",
        "where": "numbers[0]",
        "message": "'0501' is not a valid phone number: check the digits; write it as 020 123 4567 or +31 20 123 4567",
        "values": {"value": "0501", "national": "020 123 4567", "international": "+31 20 123 4567"},
    }
    unrecorded = by_code["message_not_recorded"]
    assert (unrecorded["severity"], unrecorded["where"]) == ("error", "closed.greeting")
    assert unrecorded["values"]["path"].startswith("maandag 's nachts → gesloten → tekst vraagt om een bericht")
    assert unrecorded["message"].startswith(unrecorded["values"]["path"] + ": the caller is asked to leave a message")
    # The same findings as the plain listing prints, in the same order.
    assert main(["lint", str(document)]) == 1
    plain = capsys.readouterr().out.splitlines()
    assert plain == [f"{item['severity']}: {item['where']}: {item['message']}" for item in found]
    assert err.strip() == "greetline: error: 2 error(s); apply refuses this document until they are fixed"


def test_lint_json_of_a_clean_document_is_an_empty_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "clean.yaml"
    document.write_text(
        'business: Praktijk\nnumbers: ["+31201234567"]\noperators: ["+31501234567"]\n'
        'greeting: {text: "Welkom bij Praktijk."}\noverflow: {voicemail: {email: [praktijk@example.nl]}}\n',
        "utf-8",
    )
    assert main(["lint", "--json", str(document)]) == 0
    assert json.loads(capsys.readouterr().out) == []
