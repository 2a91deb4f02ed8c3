"""The console's event stream as Server-Sent Events (the WHATWG HTML standard, "Server-sent events"): how an event
is framed, where a console resumes, and which events a login may see. Plain data in, bytes out.

Each event names the call and its business; the page then fetches that card (`/console/cards/{business}?call=…`),
in the page's language. The `id:` field is the event's sequence id (ivr.store.console_events): a browser that
reconnects sends it back as `Last-Event-ID`, and is sent every later event.
"""

import json
from collections.abc import Collection

from ivr.store.console_events import PutThrough

# How long a browser waits before it reconnects after the stream was cut (the standard's `retry:` field).
RECONNECT_MS = 1000
# A comment line this often keeps proxies and the browser from taking a quiet stream for a dead one.
KEEPALIVE_S = 15.0
# A last event id is a whole number; anything longer than this is not one of ours.
MAX_ID_DIGITS = 18

EVENT_NAME = "call"
# The ASGI scope key where a streaming response keeps the asyncio.Event that ends it: the server's protocol sets it
# when the server shuts down (ivr.web.serving), since uvicorn waits for every open response first.
STREAM_STOP = "greetline.stream_stop"


def opening() -> bytes:
    return f"retry: {RECONNECT_MS}\n\n".encode()


def keepalive() -> bytes:
    return b": still here\n\n"


def framed(event: PutThrough) -> bytes:
    data = json.dumps({"business": event.business_id, "call": event.call_sid}, separators=(",", ":"))
    return f"id: {event.id}\nevent: {EVENT_NAME}\ndata: {data}\n\n".encode()


def resume_after(last_event_id: str | None, after: str | None) -> int | None:
    """Where the stream starts: after the browser's Last-Event-ID (a reconnection), else after the id the page was
    made with (`?after=`, so nothing between the page and its stream is lost); None: after the newest event."""
    for given in (last_event_id, after):
        text = (given or "").strip()
        if text.isdigit() and len(text) <= MAX_ID_DIGITS:
            return int(text)
    return None


def for_login(events: list[PutThrough], served: Collection[int]) -> list[PutThrough]:
    """Only the businesses the login serves as their answering service."""
    return [event for event in events if event.business_id in served]
