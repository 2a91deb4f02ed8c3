"""Issue 26, done when: a business whose calendar feed (served on 127.0.0.1) says the owner is "afwezig" has its calls
go straight to the answering service, and the card says until when. Over real HTTP, with the worker's own schedule
fetching the feed, an injected clock, signed Twilio webhooks."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ivr.card.link import card_link
from ivr.messages.delivery import make_worker
from ivr.settings import Settings
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.calendar.feeds import event, feed
from tests.clock import FakeClock
from tests.fakes.calendar_feed import Answer, FakeCalendarServer
from tests.fakes.smtp import MailServer
from tests.fakes.twilio_api import FakeTwilio
from tests.local_server import running_server
from tests.twilio_client import TwilioLikeClient
from tests.web.card_setup import BUSINESS_NUMBER, CARD_DOCUMENT, NOW, SERVICE_NUMBER
from tests.web.inbox_setup import PUBLIC_URL, delivering

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp", "tests.fakes.calendar_feed"]

TZ = ";TZID=Europe/Amsterdam:"
# NOW is Tuesday 24 November 2026, 10:15 in Amsterdam, within opening hours.
OWNER_AWAY = feed(
    event("1", f"{TZ}20261124T090000", f"{TZ}20261124T150000", "Afwezig: cursus", "TRANSP:TRANSPARENT"),
    event("2", f"{TZ}20261124T160000", f"{TZ}20261124T163000", "Overleg met Piet", "TRANSP:TRANSPARENT"),
)
NOBODY_AWAY = feed(event("2", f"{TZ}20261124T160000", f"{TZ}20261124T163000", "Overleg", "TRANSP:TRANSPARENT"))


@dataclass
class Served:
    twilio: TwilioLikeClient
    http: httpx.Client
    app: FastAPI
    card_path: str
    settings: Settings
    database: Database
    clock: FakeClock

    def fetch_calendars(self) -> None:
        """The worker's schedules and due jobs, as it runs them (the calendar job among the others)."""
        worker = make_worker(self.settings, self.database, self.clock)
        worker.run_schedules()
        worker.run_due()

    def call(self) -> str:
        form = {"CallSid": "CA" + "1" * 32, "From": "+31611112222", "To": BUSINESS_NUMBER}
        return self.twilio.post("/twilio/voice", form).text

    def service_answers(self, twiml: str) -> None:
        """The service's leg hears its whisper (the call is then on the card's list)."""
        found = re.search(r'url="([^"]+)"', twiml)
        assert found is not None, twiml
        path = found.group(1).replace("&amp;", "&").removeprefix(PUBLIC_URL)
        leg = {
            "CallSid": "CA" + "2" * 32,
            "ParentCallSid": "CA" + "1" * 32,
            "To": SERVICE_NUMBER,
            "From": "+31611112222",
        }
        self.twilio.post(path, leg)
        self.app.state.services.call_log.flush()


@pytest.fixture
def served(
    settings: Settings,
    mail_server: MailServer,
    twilio_api: FakeTwilio,
    calendar_feed: FakeCalendarServer,
    tmp_path: Path,
) -> Iterator[Served]:
    url = calendar_feed.serve("/calendar/ical/private-abc/basic.ics", Answer(OWNER_AWAY))
    configured = delivering(settings, mail_server, twilio_api, tmp_path).model_copy(
        update={"calendar_allow_private": True, "calendar_timeout_s": 5.0}
    )
    database = Database(configured.database_url)
    document = CARD_DOCUMENT + f'calendar: {{ics: "{url}", when_away: service}}\n'
    business_id = apply_text(database, document, NOW).stored.id
    link = card_link(database, business_id, PUBLIC_URL, NOW, rotate=False)
    assert link.url is not None
    clock = FakeClock(NOW)
    app = create_app(configured, clock=clock, database=database)
    try:
        with running_server(app) as base, httpx.Client(base_url=base, timeout=30) as http:
            twilio = TwilioLikeClient(http, public_url=PUBLIC_URL)
            yield Served(twilio, http, app, link.url.removeprefix(PUBLIC_URL), configured, database, clock)
    finally:
        database.dispose()


def _dialled(twiml: str) -> list[str]:
    return re.findall(r"<Number[^>]*>([^<]+)</Number>", twiml)


def test_while_the_owner_is_away_calls_go_straight_to_the_service_and_the_card_says_until_when(
    served: Served, calendar_feed: FakeCalendarServer
) -> None:
    page = served.http.get(served.card_path).text
    assert "De agenda is nog niet gelezen" in page
    first = served.call()
    assert "<Gather" in first and "+31501111111" in _dialled(first)  # not read yet: staff ring as usual

    served.fetch_calendars()
    assert calendar_feed.requests == ["/calendar/ical/private-abc/basic.ics"]
    away = served.call()
    assert _dialled(away) == [SERVICE_NUMBER] and "<Gather" not in away  # no menu, no staff phone
    served.service_answers(away)
    page = served.http.get(served.card_path).text
    assert "Afwezig tot 15:00" in page
    assert "afwezig volgens de agenda" in page.split('<ol class="calls">', 1)[1]  # why the call came to the service
    assert "09:00\u201315:00 Afwezig: cursus (afwezig)" in page and "16:00\u201316:30 Overleg met Piet<" in page
    data = served.http.get(served.card_path.replace("/card/", "/api/v1/card/")).json()
    assert data["calendar"]["away_until"] == "2026-11-24T14:00:00+00:00"
    assert [event["away"] for event in data["calendar"]["events"]] == [True, False]

    # The feed goes bad: refused with the reason on the card, the last good copy kept, calls as before.
    calendar_feed.serve("/calendar/ical/private-abc/basic.ics", Answer(b"<html>Sign in</html>"))
    served.clock.advance(served.settings.calendar_every_s)
    served.fetch_calendars()
    assert _dialled(served.call()) == [SERVICE_NUMBER]
    page = served.http.get(served.card_path).text
    assert "De agenda kon niet worden gelezen: het adres geeft geen agenda (iCalendar)." in page
    assert "Afwezig tot 15:00" in page

    # The owner is back (the event was shortened): staff ring again from the next call.
    calendar_feed.serve("/calendar/ical/private-abc/basic.ics", Answer(NOBODY_AWAY))
    served.clock.advance(served.settings.calendar_every_s)
    served.fetch_calendars()
    assert "+31501111111" in _dialled(served.call())
    assert "Afwezig tot" not in served.http.get(served.card_path).text
