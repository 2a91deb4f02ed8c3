"""Posting to the app over real HTTP the way Twilio does: form-encoded, signed with the auth token."""

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from fastapi import FastAPI
from twilio.request_validator import RequestValidator

from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.local_server import running_server

CALL = {"CallSid": "CA0123", "AccountSid": "AC0123", "From": "+31612345678", "To": "+31501234567"}


class TwilioLikeClient:
    def __init__(self, http: httpx.Client, token: str = TEST_TOKEN, public_url: str = PUBLIC_URL) -> None:
        self.http = http
        self.validator = RequestValidator(token)
        self.public_url = public_url

    def post(self, path: str, params: dict[str, str] | None = None, *, signature: str | None = None) -> httpx.Response:
        form = {**CALL, **(params or {})}
        if signature is None:
            signature = self.validator.compute_signature(f"{self.public_url}{path}", form)
        return self.http.post(path, data=form, headers={"X-Twilio-Signature": signature})


@contextmanager
def twilio_client(app: FastAPI) -> Iterator[TwilioLikeClient]:
    with running_server(app) as base_url, httpx.Client(base_url=base_url, timeout=10.0) as http:
        yield TwilioLikeClient(http)
