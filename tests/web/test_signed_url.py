"""The URL a Twilio signature is checked over: our public base URL (GREETLINE_PUBLIC_URL) followed by the raw path
and query Twilio requested, however a proxy in front changed the request's host, scheme and port on its way to us.
twilio's RequestValidator checks the signature itself; what is ours to get right is this URL. A signature made for
any other URL is refused."""

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI, Request
from twilio.request_validator import RequestValidator

from ivr.settings import Settings
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from ivr.web.signature import requested_path
from tests.conftest import TEST_TOKEN
from tests.local_server import running_server
from tests.twilio_client import CALL

# The public URL an operator configures when the proxy serves Greetline under a path of its own.
PREFIXED = "https://ivr.example.nl/greetline"
# What a proxy in front sends on: its own name for the app, the scheme Twilio used, the public host and prefix.
PROXIED = {
    "Host": "greetline-internal:8000",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "ivr.example.nl",
    "X-Forwarded-Prefix": "/greetline",
    "X-Forwarded-For": "54.172.60.1",
}
TUESDAY_10_LOCAL = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def echo_app() -> FastAPI:
    app = FastAPI()

    @app.post("/{rest:path}")
    async def echo(request: Request) -> dict[str, str]:
        return {"requested": requested_path(request), "seen": str(request.url)}

    return app


@pytest.fixture(scope="module")
def echo() -> Iterator[httpx.Client]:
    with running_server(echo_app()) as base_url, httpx.Client(base_url=base_url, timeout=10.0) as http:
        yield http


@pytest.mark.parametrize(
    ("sent", "requested"),
    [
        ("/twilio/voice", "/twilio/voice"),
        # The query as sent: its order, repeated keys and blank values (Twilio signs the URL, not the parameters).
        ("/twilio/menu?stage=operators&attempt=2", "/twilio/menu?stage=operators&attempt=2"),
        ("/twilio/menu?b=2&a=1&a=3&x=", "/twilio/menu?b=2&a=1&a=3&x="),
        # Percent-encoding kept, never decoded: Twilio signed the escapes it sent.
        ("/twilio/v%C3%B6ice?q=%E2%82%AC", "/twilio/v%C3%B6ice?q=%E2%82%AC"),
        ("/twilio/a%2Fb;c?q=a+b%2Bc", "/twilio/a%2Fb;c?q=a+b%2Bc"),
    ],
)
def test_the_path_and_query_are_the_raw_ones_twilio_requested(echo: httpx.Client, sent: str, requested: str) -> None:
    assert echo.post(sent).json()["requested"] == requested


def test_a_proxy_in_front_changes_what_the_app_sees_but_not_the_url_checked(echo: httpx.Client) -> None:
    found = echo.post("/twilio/menu?attempt=1", headers=PROXIED).json()
    # uvicorn believes the proxy's scheme and the Host header: the app's own URL is the proxy's name for it.
    assert found["seen"] == "https://greetline-internal:8000/twilio/menu?attempt=1"
    assert found["requested"] == "/twilio/menu?attempt=1"


@pytest.fixture
def prefixed_app(settings: Settings, demo_text: str) -> FastAPI:
    database = Database(settings.database_url)
    apply_text(database, demo_text, TUESDAY_10_LOCAL)
    database.dispose()
    return create_app(settings.model_copy(update={"public_url": PREFIXED}), clock=lambda: TUESDAY_10_LOCAL)


@pytest.fixture
def behind_proxy(prefixed_app: FastAPI) -> Iterator[httpx.Client]:
    with running_server(prefixed_app) as base_url, httpx.Client(base_url=base_url, timeout=10.0) as http:
        yield http


def post_signed_for(http: httpx.Client, path: str, signed_url: str) -> int:
    signature = RequestValidator(TEST_TOKEN).compute_signature(signed_url, CALL)
    headers = {**PROXIED, "X-Twilio-Signature": signature}
    return http.post(path, data=CALL, headers=headers).status_code


def test_behind_a_proxy_with_a_path_prefix_only_the_public_url_twilio_called_is_accepted(
    behind_proxy: httpx.Client,
) -> None:
    path = "/twilio/voice?attempt=1&q=%E2%82%AC"
    assert post_signed_for(behind_proxy, path, PREFIXED + path) == 200
    for other in (
        "https://greetline-internal:8000" + path,  # the URL the app itself sees behind the proxy
        "https://ivr.example.nl" + path,  # without the prefix
        "http://ivr.example.nl/greetline" + path,  # another scheme
        PREFIXED + "/twilio/voice?attempt=1&q=€",  # the query decoded
        PREFIXED + "/twilio/voice?q=%E2%82%AC&attempt=1",  # the query reordered
        PREFIXED + "/twilio/voice?attempt=2&q=%E2%82%AC",  # another query
        PREFIXED + "/twilio/menu?attempt=1&q=%E2%82%AC",  # another path
    ):
        assert post_signed_for(behind_proxy, path, other) == 403, other
