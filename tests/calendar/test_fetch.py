"""The feed fetcher against a calendar server on 127.0.0.1: a feed fetched, and each answer that must not be taken
refused with its reason (private addresses, plain http, a redirect hop to a refused address, too big, too slow)."""

import ipaddress
from collections.abc import Iterator

import pytest

from ivr.calendar.away import CalendarRefused, Refusal
from ivr.calendar.fetch import MAX_REDIRECTS, HttpFeedFetcher, feed_url, public
from tests.calendar.feeds import event, feed
from tests.fakes.calendar_feed import Answer, FakeCalendarServer

pytest_plugins = ["tests.fakes.calendar_feed"]

FEED = feed(event("1", ":20261124T120000Z", ":20261124T140000Z", "Afwezig"))


@pytest.fixture
def server(calendar_feed: FakeCalendarServer) -> Iterator[FakeCalendarServer]:
    yield calendar_feed


def _refused(fetcher: HttpFeedFetcher, url: str) -> Refusal:
    with pytest.raises(CalendarRefused) as refused:
        fetcher.fetch(url)
    return refused.value.code


def test_a_feed_is_fetched_when_private_addresses_are_allowed(server: FakeCalendarServer) -> None:
    url = server.serve("/calendar/ical/private-abc/basic.ics", Answer(FEED))
    assert HttpFeedFetcher(timeout_s=5, allow_private=True).fetch(url) == FEED


def test_loopback_and_plain_http_are_refused_by_default(server: FakeCalendarServer) -> None:
    url = server.serve("/basic.ics", Answer(FEED))
    fetcher = HttpFeedFetcher(timeout_s=5)
    assert _refused(fetcher, url) is Refusal.NOT_HTTPS
    assert _refused(fetcher, url.replace("http://", "https://")) is Refusal.PRIVATE_ADDRESS
    assert server.requests == []  # refused before any connection


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "192.168.1.10", "172.16.0.1", "169.254.169.254", "::1", "fd00::1", "100.64.0.1"],
)
def test_private_loopback_and_link_local_addresses_are_not_public(address: str) -> None:
    assert not public(ipaddress.ip_address(address))


def test_public_addresses_are() -> None:
    assert public(ipaddress.ip_address("142.250.179.206")) and public(ipaddress.ip_address("2a00:1450:400e::200e"))


def test_each_redirect_hop_is_checked(server: FakeCalendarServer) -> None:
    """The first hop's address is allowed, the one it redirects to is not: refused without fetching it."""
    allowed = ipaddress.ip_address("127.0.0.1")
    fetcher = HttpFeedFetcher(timeout_s=5, allow_private=True, address_allowed=lambda found: found == allowed)
    target = server.base_url.replace("127.0.0.1", "127.0.0.2") + "/inside.ics"
    url = server.serve("/moved.ics", Answer(status=302, location=target))
    assert _refused(fetcher, url) is Refusal.PRIVATE_ADDRESS
    assert server.requests == ["/moved.ics"]


def test_redirects_are_followed_a_few_times_only(server: FakeCalendarServer) -> None:
    fetcher = HttpFeedFetcher(timeout_s=5, allow_private=True)
    final = server.serve("/final.ics", Answer(FEED))
    url = server.serve("/short", Answer(status=301, location="/final.ics"))
    assert fetcher.fetch(url) == FEED and final.endswith("/final.ics")
    loop = server.serve("/loop", Answer(status=302, location="/loop"))
    assert _refused(fetcher, loop) is Refusal.TOO_MANY_REDIRECTS
    assert server.requests.count("/loop") == MAX_REDIRECTS + 1


def test_too_big_too_slow_and_an_error_answer_are_refused(server: FakeCalendarServer) -> None:
    fetcher = HttpFeedFetcher(timeout_s=0.5, allow_private=True, max_bytes=1000)
    assert _refused(fetcher, server.serve("/big.ics", Answer(b"x" * 1001))) is Refusal.TOO_BIG
    assert _refused(fetcher, server.serve("/slow.ics", Answer(FEED, stall=True))) is Refusal.TOO_SLOW
    assert _refused(fetcher, server.serve("/gone.ics", Answer(b"gone", 404))) is Refusal.HTTP_ERROR


def test_webcal_links_are_https() -> None:
    assert feed_url("webcal://p12-caldav.icloud.com/published/2/abc") == "https://p12-caldav.icloud.com/published/2/abc"
