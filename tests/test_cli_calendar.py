"""`greetline call --calendar FILE.ics`: a call that follows a calendar file instead of the stored feed's copy."""

from pathlib import Path

from tests.calendar.feeds import event, feed
from tests.conftest import DEMO_DOCUMENT
from tests.test_cli import env, run

__all__ = ["env"]  # the fixture, used by name

ICS = "https://calendar.google.com/calendar/ical/praktijk/private-abc/basic.ics"
TZ = ";TZID=Europe/Amsterdam:"


def test_a_calendar_file_that_says_away_sends_the_call_straight_to_the_service(
    env: dict[str, str], tmp_path: Path
) -> None:
    document = tmp_path / "linde.yaml"
    document.write_text(DEMO_DOCUMENT.read_text("utf-8") + f'calendar: {{ics: "{ICS}", when_away: service}}\n')
    run(["apply", "--no-render", str(document)], env)
    away = tmp_path / "away.ics"
    away.write_bytes(feed(event("1", f"{TZ}20261124T090000", f"{TZ}20261124T150000", "Vakantie", "TRANSP:OPAQUE")))
    call = ["call", "--to", "+31501234567", "--at", "2026-11-24 10:15"]
    transcript = run([*call, "--calendar", str(away)], env).stdout
    assert "dialling +31208888888 " in transcript and "+31501111111" not in transcript
    back = run([*call, "--at", "2026-11-24 15:15", "--calendar", str(away)], env).stdout
    assert "dialling +31501111111, +31502222222" in back
    refused = tmp_path / "not.ics"
    refused.write_text("<html></html>")
    result = run([*call, "--calendar", str(refused)], env, check=False)
    assert result.returncode == 1 and "--calendar" in result.stderr and "not_icalendar" in result.stderr
