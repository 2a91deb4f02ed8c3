"""The feed fetcher against a calendar server on 127.0.0.1: a feed fetched, and each answer that must not be taken
refused with its reason (private addresses, plain http, a redirect hop to a refused address, too big, too slow);
the connection goes to the address that was checked, with the feed's name for Host and TLS."""

import ipaddress
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivr.calendar.away import CalendarRefused, Refusal
from ivr.calendar.fetch import MAX_REDIRECTS, Address, HttpFeedFetcher, Resolver, feed_url, public
from tests.calendar.feeds import event, feed
from tests.fakes.calendar_feed import Answer, FakeCalendarServer, calendar_server

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


def _pinned(answers: list[list[str]]) -> tuple[Resolver, list[tuple[str, int]]]:
    """A DNS that gives each answer in turn (the last one from then on), and the questions it was asked."""
    asked: list[tuple[str, int]] = []

    def resolver(host: str, port: int) -> list[Address]:
        asked.append((host, port))
        return [ipaddress.ip_address(found) for found in answers[min(len(asked), len(answers)) - 1]]

    return resolver, asked


def test_the_connection_goes_to_the_address_that_was_checked(server: FakeCalendarServer) -> None:
    """DNS rebinding: the name resolves to an allowed address for the check and to a refused one afterwards; the
    fetch connects to the checked one and asks it for the name, and the refused address hears nothing."""
    port = int(server.base_url.rsplit(":", 1)[1])
    server.serve("/basic.ics", Answer(FEED))
    resolver, asked = _pinned([["127.0.0.1"], ["127.0.0.2"]])
    allowed = ipaddress.ip_address("127.0.0.1")
    fetcher = HttpFeedFetcher(
        timeout_s=5, allow_private=True, address_allowed=lambda found: found == allowed, resolver=resolver
    )
    with calendar_server("127.0.0.2", port) as inside:
        inside.serve("/basic.ics", Answer(b"BEGIN:VCALENDAR inside"))
        assert fetcher.fetch(f"http://feeds.example:{port}/basic.ics") == FEED
    assert asked == [("feeds.example", port)]
    assert server.hosts == [f"feeds.example:{port}"] and inside.requests == []


def test_a_name_answering_a_refused_address_among_allowed_ones_is_refused(server: FakeCalendarServer) -> None:
    port = int(server.base_url.rsplit(":", 1)[1])
    server.serve("/basic.ics", Answer(FEED))
    resolver, _asked = _pinned([["127.0.0.1", "127.0.0.2"]])
    allowed = ipaddress.ip_address("127.0.0.1")
    fetcher = HttpFeedFetcher(
        timeout_s=5, allow_private=True, address_allowed=lambda found: found == allowed, resolver=resolver
    )
    assert _refused(fetcher, f"http://feeds.example:{port}/basic.ics") is Refusal.PRIVATE_ADDRESS
    assert server.requests == []


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate for feeds.example (its own authority), made by the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed (apt-get install openssl)")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=feeds.example",
            "-addext",
            "subjectAltName=DNS:feeds.example",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return folder


def test_https_checks_the_certificate_against_the_name_not_the_address(certificate: Path) -> None:
    """The URL the client connects to names the checked IP; TLS still sends the feed's name (SNI) and checks the
    server's certificate against it, so a certificate for another name is refused."""
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")
    trusted = ssl.create_default_context(cafile=certificate / "cert.pem")
    resolver, _asked = _pinned([["127.0.0.1"]])
    fetcher = HttpFeedFetcher(timeout_s=5, allow_private=True, resolver=resolver, trusted=trusted)
    with calendar_server(tls=served) as secure:
        port = int(secure.base_url.rsplit(":", 1)[1])
        secure.serve("/basic.ics", Answer(FEED))
        assert fetcher.fetch(f"https://feeds.example:{port}/basic.ics") == FEED
        assert secure.server_names == ["feeds.example"] and secure.hosts == [f"feeds.example:{port}"]
        assert _refused(fetcher, f"https://other.example:{port}/basic.ics") is Refusal.UNREACHABLE
        assert secure.requests == ["/basic.ics"]
