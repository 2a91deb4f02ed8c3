"""`greetline card` and the simulator's answering service, as a user runs them: a real process, real exit codes."""

import re

from tests.conftest import DEMO_DOCUMENT
from tests.test_cli import env, run

__all__ = ["env"]  # the fixture, shared with tests/test_cli.py

CARD_URL = re.compile(r"^http://127\.0\.0\.1:8000/card/[A-Za-z0-9_-]{43}$")


def test_card_prints_the_url_once_and_rotate_makes_a_new_one(env: dict[str, str]) -> None:
    run(["apply", "--no-render", str(DEMO_DOCUMENT)], env)
    first = run(["card", "+31501234567"], env).stdout.splitlines()
    assert first[0].startswith("the answering service's card for Huisartsenpraktijk De Linde")
    assert CARD_URL.match(first[1])
    again = run(["card", "+31501234567"], env).stdout
    assert "has had a card since" in again and "greetline card +31501234567 --rotate" in again
    assert first[1] not in again
    rotated = run(["card", "+31501234567", "--rotate"], env).stdout.splitlines()
    assert "the old URL no longer works" in rotated[0]
    assert CARD_URL.match(rotated[1]) and rotated[1] != first[1]
    unknown = run(["card", "+31209999999"], env, check=False)
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1 and "no business answers" in unknown.stderr


def test_the_simulator_shows_what_the_answering_service_hears(env: dict[str, str]) -> None:
    run(["apply", "--no-render", str(DEMO_DOCUMENT)], env)
    pressed = run(
        ["call", "--to", "+31501234567", "--at", "2026-11-24 10:15", "--press", "1", "--operators", "never"], env
    ).stdout
    assert 'answerer hears "Oproep voor Huisartsenpraktijk De Linde, gekozen: spoed."' in pressed
    nothing = run(["call", "--to", "+31501234567", "--at", "2026-11-24 10:15", "--operators", "never"], env).stdout
    assert 'answerer hears "Oproep voor Huisartsenpraktijk De Linde, geen keuze."' in nothing
