"""How much of a request body is read, and for how long: one pure ASGI middleware in front of every route.

The cap depends on the route (webhooks 64 kB, uploads 50 MB, everything else 1 MB). A body is counted as it
streams, so nothing beyond the cap is ever held, whatever Content-Length says or whether the body is chunked.
Refusing happens when the app first asks for the body: a route that checks credentials first (the uploads do)
answers 401 without reading a byte, and a declared length over the cap is refused before any of it is read.
A body that does not arrive within its deadline is answered 408 and its connection closed.
"""

import asyncio
import json
import re
from dataclasses import dataclass

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from audio.targets import MAX_UPLOAD_BYTES
from ivr.web.api.errors import http_answer

KIB = 1024
MIB = 1024 * KIB
# Twilio's webhook parameters are a few kB (Twilio docs, "Webhooks: request parameters"); 64 kB is ample.
WEBHOOK_MAX_BYTES = 64 * KIB
# The recording itself plus the multipart framing and the form's small fields (CSRF token, file name).
UPLOAD_MAX_BYTES = MAX_UPLOAD_BYTES + 64 * KIB
# Admin forms and API documents are kilobytes; a business document with every period stays far below 1 MB.
OTHER_MAX_BYTES = 1 * MIB
# Uploads get longer to arrive: 50 MB in 12 deadlines of 10 s is about 3.5 Mbit/s, a slow office line.
UPLOAD_DEADLINE_FACTOR = 12

# A call note from the answering service's card: a name, a number and a message of at most 2,000 characters.
CARD_MAX_BYTES = 16 * KIB
_CARD_PATH = re.compile(r"^/((api/v1/)?card/|console/cards/)")

# An upload form is the file and a few short fields (the CSRF token); nothing else is read.
UPLOAD_MAX_FIELDS = 4
UPLOAD_MAX_FIELD_BYTES = 4 * KIB

_UPLOAD_PATH = re.compile(r"^/(api/v1/businesses/[0-9]+/greetings|admin/greetings/upload)$")


@dataclass(frozen=True)
class BodyRule:
    max_bytes: int
    deadline_s: float


def body_rule(path: str, deadline_s: float) -> BodyRule:
    if path.startswith("/twilio/"):
        return BodyRule(WEBHOOK_MAX_BYTES, deadline_s)
    if _CARD_PATH.match(path):
        return BodyRule(CARD_MAX_BYTES, deadline_s)
    if _UPLOAD_PATH.match(path):
        return BodyRule(UPLOAD_MAX_BYTES, deadline_s * UPLOAD_DEADLINE_FACTOR)
    return BodyRule(OTHER_MAX_BYTES, deadline_s)


def too_large(max_bytes: int) -> HTTPException:
    size = f"{max_bytes // MIB} MB" if max_bytes >= MIB else f"{max_bytes // KIB} kB"
    return HTTPException(413, f"the request body is larger than {size}, the most this address accepts; send less")


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                raise HTTPException(400, "the Content-Length header must be a whole number of bytes") from None
    return None


class BodyLimits:
    """Caps and deadlines for request bodies; `deadline_s` is the time a small body may take to arrive."""

    def __init__(self, app: ASGIApp, deadline_s: float) -> None:
        self.app = app
        self.deadline_s = deadline_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = body_rule(scope["path"], self.deadline_s)
        deadline = asyncio.get_running_loop().time() + rule.deadline_s
        received_bytes = 0
        body_complete = False
        response_started = False
        length_checked = False

        async def limited_receive() -> Message:
            nonlocal received_bytes, body_complete, length_checked
            if body_complete:  # after the body only a disconnect can come; wait for it as long as it takes
                return await receive()
            if not length_checked:  # the headers do not change: looked at on the first ask only
                declared = _declared_length(scope)
                if declared is not None and declared > rule.max_bytes:
                    raise too_large(rule.max_bytes)
                length_checked = True
            # asyncio's own timeout rather than anyio's cancel scope: the server runs on asyncio, and the cancel
            # scope's bookkeeping was a tenth of a bare route's time in the app (issue 25).
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise too_slow(rule.deadline_s) from None
            if message["type"] == "http.request":
                received_bytes += len(message.get("body", b""))
                body_complete = not message.get("more_body", False)
                if received_bytes > rule.max_bytes:
                    raise too_large(rule.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except HTTPException as refused:  # raised outside a route (a middleware reading the body): answer here
            if response_started or refused.status_code not in (400, 408, 413):
                raise
            await _answer(send, refused)


def whole_body(scope: Scope, receive: Receive, rule: BodyRule) -> Receive:
    """`receive` for a small body read all at once, on the app's first ask: the declared length checked once and one
    deadline for the whole body (BodyLimits arms a cancel scope per message and looks at the headers each time,
    which on the voice webhooks' lean path (ivr.web.voice_path) cost more than the rest of reading the form).

    The same answers as BodyLimits: 400 for a Content-Length that is not a number, 413 once the declared or received
    bytes pass the cap (nothing beyond it is held), 408 when the body is not complete by the deadline.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + rule.deadline_s
    body_read = False

    async def read_once() -> Message:
        nonlocal body_read
        if body_read:  # after the body only a disconnect can come; wait for it as long as it takes
            return await receive()
        body_read = True
        declared = _declared_length(scope)
        if declared is not None and declared > rule.max_bytes:
            raise too_large(rule.max_bytes)
        chunks: list[bytes] = []
        received_bytes = 0
        # asyncio's own timeout rather than anyio's cancel scope: the server runs on asyncio, and the cancel scope's
        # bookkeeping was a tenth of this path's time in a profile (issue 25).
        try:
            async with asyncio.timeout_at(deadline):
                while True:
                    message = await receive()
                    if message["type"] != "http.request":
                        return message  # the client went away
                    chunk = message.get("body", b"")
                    received_bytes += len(chunk)
                    if received_bytes > rule.max_bytes:
                        raise too_large(rule.max_bytes)
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        except TimeoutError:
            raise too_slow(rule.deadline_s) from None

    return read_once


def too_slow(deadline_s: float) -> HTTPException:
    return HTTPException(
        408,
        f"the request body did not arrive within {deadline_s:g} s; send it again",
        headers={"Connection": "close"},  # a client this slow gets no keep-alive either
    )


async def _answer(send: Send, refused: HTTPException) -> None:
    status = refused.status_code
    body = json.dumps({"detail": http_answer(refused).detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": [*headers, (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


async def uploaded_file(request: Request, field: str) -> tuple[UploadFile, dict[str, str]]:
    """The uploaded file and the form's other fields.

    Called by a dependency that checked credentials first: FastAPI reads a route's declared body parameters
    before it runs any dependency, so a declared `UploadFile` would be spooled before a 401.
    """
    form = await request.form(max_files=1, max_fields=UPLOAD_MAX_FIELDS, max_part_size=UPLOAD_MAX_FIELD_BYTES)
    upload = form.get(field)
    if not isinstance(upload, UploadFile):
        raise HTTPException(422, f"send the recording as multipart/form-data with the file in a field named {field!r}")
    return upload, {name: value for name, value in form.items() if isinstance(value, str)}
