"""`greetline callbacks-feed` as a user runs it: a real process, real exit codes."""

import re

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
