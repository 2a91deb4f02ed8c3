"""The voice webhooks' lean path (ivr.web.voice_path): answered before the app's shell, with the same answers, and
its body read whole under one deadline (ivr.web.bodies.whole_body) with the caps BodyLimits applies.
"""

import asyncio
import json
import xml.etree.ElementTree as ElementTree
from base64 import b64encode
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from fastapi import HTTPException
from itsdangerous import TimestampSigner
from starlette.types import Message

from ivr.settings import Settings
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from ivr.web.bodies import BodyRule, whole_body
from tests.twilio_client import CALL, twilio_client

TUESDAY_10_LOCAL = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SECRET = "session-secret-for-the-lean-path-test"
CAP = BodyRule(max_bytes=100, deadline_s=0.2)


def session_cookie(data: dict[str, object]) -> str:
    """The cookie Starlette's SessionMiddleware writes: the session as base64 JSON, signed with a timestamp."""
    return TimestampSigner(SECRET).sign(b64encode(json.dumps(data).encode())).decode()


class Messages:
    """An ASGI `receive` that hands out the given messages, then waits forever (a client that stopped sending)."""

    def __init__(self, *messages: Message) -> None:
        self.left = list(messages)
        self.asked = 0

    async def __call__(self) -> Message:
        self.asked += 1
        if self.left:
            return self.left.pop(0)
        await asyncio.Event().wait()
        raise AssertionError("never set")


def read_whole(scope: dict[str, object], receive: Messages) -> Message:
    async def first_ask() -> Message:  # made on the event loop, as the app makes it per request
        return await whole_body(scope, receive, CAP)()

    return asyncio.run(first_ask())


def piece(body: bytes, more: bool = True) -> Message:
    return {"type": "http.request", "body": body, "more_body": more}


def scope_with(headers: list[tuple[bytes, bytes]]) -> dict[str, object]:
    return {"type": "http", "headers": headers}


def test_a_body_in_pieces_is_handed_over_as_one_message() -> None:
    receive = Messages(piece(b"To=%2B31"), piece(b"50123"), piece(b"4567", more=False))
    assert read_whole(scope_with([]), receive) == {
        "type": "http.request",
        "body": b"To=%2B31501234567",
        "more_body": False,
    }
    assert receive.asked == 3


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    receive = Messages(piece(b"x" * 101, more=False))
    with pytest.raises(HTTPException) as refused:
        read_whole(scope_with([(b"content-length", b"101")]), receive)
    assert refused.value.status_code == 413 and receive.asked == 0


def test_a_stream_past_the_cap_is_refused_at_the_piece_that_passes_it() -> None:
    receive = Messages(*(piece(b"x" * 40) for _ in range(10)))
    with pytest.raises(HTTPException) as refused:
        read_whole(scope_with([]), receive)
    assert refused.value.status_code == 413 and receive.asked == 3


def test_a_body_that_stops_arriving_is_408_and_closes_the_connection() -> None:
    with pytest.raises(HTTPException) as refused:
        read_whole(scope_with([]), Messages(piece(b"To=")))
    assert refused.value.status_code == 408 and refused.value.headers == {"Connection": "close"}


def test_a_content_length_that_is_not_a_number_is_400() -> None:
    with pytest.raises(HTTPException) as refused:
        read_whole(scope_with([(b"content-length", b"ten")]), Messages())
    assert refused.value.status_code == 400


def test_the_voice_webhooks_answer_and_refuse_as_the_app_did(settings: Settings, demo_text: str) -> None:
    database = Database(settings.database_url)
    apply_text(database, demo_text, TUESDAY_10_LOCAL)
    database.dispose()
    app = create_app(settings.model_copy(update={"session_secret": SECRET}), clock=lambda: TUESDAY_10_LOCAL)
    with twilio_client(app) as client:
        # A staff member's browser may send its session cookie anywhere; a call does not look at it.
        client.http.cookies.set("session", session_cookie({"staff": 1, "language": "nl"}))
        answer = client.post("/twilio/voice")
        assert answer.status_code == 200 and "set-cookie" not in answer.headers
        assert [child.tag for child in ElementTree.fromstring(answer.text)] == ["Gather", "Dial"]
        forged = client.post("/twilio/voice", signature="not-twilio")
        assert forged.status_code == 403 and "set-cookie" not in forged.headers
        assert forged.json()["detail"].startswith("refused Twilio webhook: invalid signature")
        # Not a POST: on into the app, whose router answers as it always did.
        assert client.http.get("/twilio/voice", params=CALL).status_code == 405


def test_a_webhook_body_sent_in_pieces_is_read_whole(settings: Settings, demo_text: str) -> None:
    database = Database(settings.database_url)
    apply_text(database, demo_text, TUESDAY_10_LOCAL)
    database.dispose()
    app = create_app(settings, clock=lambda: TUESDAY_10_LOCAL)
    with twilio_client(app) as client:
        form = {**CALL, "Digits": "1"}
        signature = client.validator.compute_signature(f"{client.public_url}/twilio/menu", form)
        body = urlencode(form).encode()
        pieces = [body[start : start + 7] for start in range(0, len(body), 7)]
        answer = client.http.post(
            "/twilio/menu",
            content=iter(pieces),  # chunked: each piece its own message to the app
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature},
        )
        assert answer.status_code == 200
        assert client.post("/twilio/menu", {"Digits": "1"}).text == answer.text
