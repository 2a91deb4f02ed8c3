"""The calendar feed fetcher: the one seam to the outside for calendars, made from Settings in one place.

A feed's address is typed by a business, so the server must not be made to fetch from its own network: only https,
every host resolved and refused when any of its addresses is private, loopback, link-local or otherwise not global,
and redirects followed by hand with the same check on each hop. GREETLINE_CALENDAR_ALLOW_PRIVATE lifts the address
check (and allows plain http) for tests and a calendar server on one's own network. The feed is read in pieces up to
MAX_FEED_BYTES and within one overall deadline, so neither a huge nor a dripping answer holds the worker.

Each host is resolved once, here, and the connection goes to the address that was checked (the URL names the IP;
the Host header and TLS's server name and certificate check keep the host's name): a host whose DNS answer changes
after the check (DNS rebinding) cannot steer the fetch to a private address.
"""

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

from ivr.calendar.away import CalendarRefused, Refusal
from ivr.settings import Settings

if TYPE_CHECKING:
    import ssl

    import httpx

# The bound: a year of a busy calendar is a few hundred kB; 2 MB leaves room and stops a runaway answer.
MAX_FEED_BYTES = 2_000_000
# Hops followed; Google and Outlook answer the secret address at once, a shortener adds one or two.
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)


class FeedFetcher(Protocol):
    def fetch(self, url: str) -> bytes: ...


def feed_url(url: str) -> str:
    """Apple and Google hand out webcal:// links: the same address over https."""
    return "https://" + url.removeprefix("webcal://") if url.startswith("webcal://") else url


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressAllowed = Callable[[Address], bool]
# A host and port to the addresses they resolve to (the seam for tests: a DNS answer that changes between calls).
Resolver = Callable[[str, int], list[Address]]


def public(address: Address) -> bool:
    """Not private, loopback, link-local (169.254.169.254: cloud metadata), shared, reserved or multicast."""
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[Address]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise CalendarRefused(Refusal.UNREACHABLE, f"{host}: {error}") from None
    return [ipaddress.ip_address(str(address[0]).split("%")[0]) for *_rest, address in found]


@dataclass(frozen=True)
class Target:
    """Where one hop connects: the checked address in the URL, the host's name for the Host header and TLS."""

    url: str
    host_header: str
    server_name: str


def _checked_target(url: str, allow_http: bool, allowed: AddressAllowed, resolver: Resolver) -> Target:
    parts = urlsplit(url)
    if parts.scheme != "https" and not (allow_http and parts.scheme == "http"):
        raise CalendarRefused(Refusal.NOT_HTTPS, f"only https:// feeds are fetched, got {parts.scheme or 'none'}://")
    if not parts.hostname:
        raise CalendarRefused(Refusal.UNREACHABLE, "the address names no host")
    try:
        host = parts.hostname.encode("idna").decode("ascii")  # the name as DNS, the Host header and TLS spell it
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except (UnicodeError, ValueError) as error:
        raise CalendarRefused(Refusal.UNREACHABLE, f"{parts.hostname}: {error}") from None
    found = resolver(host, port)
    if not found:
        raise CalendarRefused(Refusal.UNREACHABLE, f"{host} has no address")
    for ip in found:
        if not allowed(ip):
            raise CalendarRefused(Refusal.PRIVATE_ADDRESS, f"{host} is at {ip}, which is not a public address")
    address = f"[{found[0]}]" if found[0].version == 6 else str(found[0])
    named = f"[{host}]" if ":" in host else host
    host_header = named if parts.port is None else f"{named}:{parts.port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{address}:{port}" if userinfo else f"{address}:{port}"
    return Target(urlunsplit(parts._replace(netloc=netloc)), host_header, host)


class HttpFeedFetcher:
    def __init__(
        self,
        *,
        timeout_s: float,
        allow_private: bool = False,
        max_bytes: int = MAX_FEED_BYTES,
        address_allowed: AddressAllowed | None = None,
        resolver: Resolver = resolve,
        trusted: "ssl.SSLContext | None" = None,
    ) -> None:
        """`address_allowed`: which resolved addresses may be fetched from (default: public ones, or any with
        `allow_private`, which also allows plain http). `resolver`: a host's addresses (default: the system's).
        `trusted`: the TLS context whose certificate authorities are trusted (default: the system's)."""
        self._timeout_s = timeout_s
        self._allow_http = allow_private
        self._allowed: AddressAllowed = address_allowed or ((lambda _address: True) if allow_private else public)
        self._max_bytes = max_bytes
        self._resolver = resolver
        self._trusted = trusted

    def fetch(self, url: str) -> bytes:
        import httpx  # here: a server holds httpx only once its worker fetches (idle memory, issue 12)

        deadline = time.monotonic() + self._timeout_s
        url = feed_url(url)
        verify = self._trusted or True
        timeout = httpx.Timeout(self._timeout_s)
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, verify=verify) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                target = _checked_target(url, self._allow_http, self._allowed, self._resolver)
                headers = {"Accept": "text/calendar", "Host": target.host_header}
                try:
                    with client.stream(
                        "GET", target.url, headers=headers, extensions={"sni_hostname": target.server_name}
                    ) as answer:
                        location = answer.headers.get("location")
                        if answer.status_code in _REDIRECTS and location:
                            url = urljoin(url, location)
                            continue
                        if answer.status_code >= 400:
                            raise CalendarRefused(Refusal.HTTP_ERROR, f"the server answered {answer.status_code}")
                        return self._body(answer, deadline)
                except httpx.TimeoutException:
                    raise CalendarRefused(Refusal.TOO_SLOW, f"no answer within {self._timeout_s:g} s") from None
                except httpx.HTTPError as error:
                    raise CalendarRefused(Refusal.UNREACHABLE, str(error)[:200] or type(error).__name__) from None
        raise CalendarRefused(Refusal.TOO_MANY_REDIRECTS, f"more than {MAX_REDIRECTS} redirects")

    def _body(self, answer: "httpx.Response", deadline: float) -> bytes:
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise CalendarRefused(Refusal.TOO_BIG, f"{int(declared)} bytes; at most {self._max_bytes} are read")
        body = bytearray()
        for piece in answer.iter_bytes():
            body += piece
            if len(body) > self._max_bytes:
                raise CalendarRefused(Refusal.TOO_BIG, f"more than {self._max_bytes} bytes")
            if time.monotonic() > deadline:
                raise CalendarRefused(Refusal.TOO_SLOW, f"not read within {self._timeout_s:g} s")
        return bytes(body)


def feed_fetcher(settings: Settings) -> HttpFeedFetcher:
    """The one place the fetcher is made from Settings."""
    return HttpFeedFetcher(timeout_s=settings.calendar_timeout_s, allow_private=settings.calendar_allow_private)
