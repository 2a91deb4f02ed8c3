"""`greetline callbacks-feed` as a user runs it: a real process, real exit codes."""

import re
from pathlib import Path

from tests.conftest import DEMO_DOCUMENT
from tests.test_cli import env, run

__all__ = ["env"]  # the fixture, shared with tests/test_cli.py

FEED_URL = re.compile(r"^http://127\.0\.0\.1:8000/callbacks/[A-Za-z0-9_-]{43}\.ics$")


def test_the_feed_url_stays_the_same_until_rotated(env: dict[str, str]) -> None:
    run(["apply", "--no-render", str(DEMO_DOCUMENT)], env)
    first = run(["callbacks-feed", "+31501234567"], env).stdout.splitlines()
    assert first[0].startswith("the calendar feed of open callback requests for Huisartsenpraktijk De Linde")
    assert FEED_URL.match(first[1])
    assert run(["callbacks-feed", "+31501234567"], env).stdout.splitlines()[1] == first[1]
    rotated = run(["callbacks-feed", "+31501234567", "--rotate"], env).stdout.splitlines()
    assert "the old URL no longer works" in rotated[0] and FEED_URL.match(rotated[1]) and rotated[1] != first[1]
    unknown = run(["callbacks-feed", "+31209999999"], env, check=False)
    assert unknown.returncode == 1 and "no business answers" in unknown.stderr


SECOND_CHANCES = """\
business: Loodgietersbedrijf Jansen
numbers: ["+31201234567"]
operators: ["+31612345678"]
menu:
  - {key: "3", prompt: "Wilt u teruggebeld worden, toets 3.", callback: true}
callback: {email: [kantoor@jansen.example]}
text_back: {text: "U belde {business}. Wij bellen u terug.", after_s: 120}
blocked: ["+31687654321"]
"""
CALL = ["call", "--to", "+31201234567", "--at", "2026-11-24 10:15"]


def test_greetline_call_shows_the_callback_request_the_text_back_and_the_blocked_caller(
    env: dict[str, str], tmp_path: Path
) -> None:
    document = tmp_path / "jansen.yaml"
    document.write_text(SECOND_CHANCES, "utf-8")
    run(["apply", "--no-render", str(document)], env)
    asked = run([*CALL, "--from", "+31611112222", "--press", "31"], env).stdout
    assert "Wij bellen u terug op nul zes, één één, één één, twee twee, twee twee." in asked
    assert "Subject: Terugbelverzoek voor Loodgietersbedrijf Jansen: 06 11 11 22 22" in asked
    assert "U belde Loodgietersbedrijf Jansen" not in asked  # a callback request gets no text back
    missed = run([*CALL, "--from", "+31611112222", "--operators", "never"], env).stdout
    assert "To: +31611112222\nU belde Loodgietersbedrijf Jansen. Wij bellen u terug." in missed
    landline = run([*CALL, "--from", "+31101234567", "--operators", "never"], env).stdout
    assert "U belde Loodgietersbedrijf Jansen" not in landline
    blocked = run([*CALL, "--from", "+31687654321"], env).stdout
    assert 'hears "U spreekt met Loodgietersbedrijf Jansen. Wij zijn nu gesloten. Tot ziens."' in blocked
    assert "dialling" not in blocked
