"""Forged webhooks in every shape are 403 before any route runs, never the voice fallback's 200 (issue 8.1)."""

import json
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from ivr.settings import Settings
from ivr.web.app import create_app
from tests.twilio_client import CALL, TwilioLikeClient, twilio_client
from tests.web.test_webhooks import TUESDAY_10_LOCAL, applied

__all__ = ["applied"]  # the fixture, shared with the webhook tests

ROUTES = [
    "/twilio/voice",
    "/twilio/menu?attempt=1",
    "/twilio/dial-ended?stage=operators",
    "/twilio/recorded",
    "/twilio/whisper?business=1",
    "/twilio/recording?business=1",
    "/twilio/status",
]


@pytest.fixture
def client(settings: Settings, applied: None) -> Iterator[TwilioLikeClient]:
    app: FastAPI = create_app(settings, clock=lambda: TUESDAY_10_LOCAL)
    with twilio_client(app) as client:
        yield client


def _signed(client: TwilioLikeClient, path: str, form: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": client.validator.compute_signature(f"{client.public_url}{path}", form)}


def _assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert "+3150" not in response.text  # no staff number leaks out


@pytest.mark.parametrize("path", ROUTES)
def test_multipart_with_a_file_part_is_403(client: TwilioLikeClient, path: str) -> None:
    # The probe's request: `curl -F To=+31501234567 -F x=@notes.txt`, signed or not.
    response = client.http.post(
        path, data=CALL, files={"x": ("notes.txt", b"hello")}, headers=_signed(client, path, dict(CALL))
    )
    _assert_refused(response)


@pytest.mark.parametrize("path", ROUTES)
def test_multipart_without_files_is_403_even_with_a_valid_signature(client: TwilioLikeClient, path: str) -> None:
    fields = {name: (None, value) for name, value in CALL.items()}
    _assert_refused(client.http.post(path, files=fields, headers=_signed(client, path, dict(CALL))))


@pytest.mark.parametrize("path", ROUTES)
def test_json_body_is_403(client: TwilioLikeClient, path: str) -> None:
    headers = {**_signed(client, path, dict(CALL)), "content-type": "application/json"}
    _assert_refused(client.http.post(path, content=json.dumps(CALL), headers=headers))


@pytest.mark.parametrize(
    "body",
    [
        b"To=%2B31501234567&To=%2B31209999999",  # a duplicated field the signature did not cover
        b"to=%2B31501234567&From=%2B31612345678",  # a renamed field
        b"To=%2B31501234567&\xff\xfe=%ZZ",  # undecodable bytes
        b"",
    ],
)
def test_malformed_or_tampered_forms_are_403(client: TwilioLikeClient, body: bytes) -> None:
    headers = {**_signed(client, "/twilio/voice", dict(CALL)), "content-type": "application/x-www-form-urlencoded"}
    _assert_refused(client.http.post("/twilio/voice", content=body, headers=headers))


def test_no_content_type_is_403(client: TwilioLikeClient) -> None:
    _assert_refused(client.http.post("/twilio/voice", content=b"To=%2B31501234567"))


def test_a_charset_parameter_on_the_real_content_type_still_passes(client: TwilioLikeClient) -> None:
    body = str(httpx.QueryParams(CALL)).encode()
    headers = {
        **_signed(client, "/twilio/voice", dict(CALL)),
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
    }
    response = client.http.post("/twilio/voice", content=body, headers=headers)
    assert response.status_code == 200 and "<Dial" in response.text
