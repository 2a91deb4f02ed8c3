"""The voice webhooks' lean path: dispatched before the rest of the app, so a call pays only for its own work.

`LeanFastAPI` looks at each request before FastAPI's own middleware stack (its server-error, telemetry and body-limit
wrappers, about 7 % of the webhook's time in a profile, issue 25) and ours.

Every request through the FastAPI app passes the body limits (a cancel scope per `receive`), the session middleware
(the staff's cookie, which Twilio never sends), the router's search through about a hundred routes and the exception
middleware. Measured against a bare FastAPI app in its own process that shell took more than half the throughput
(issue 25, docs/benchmarks.md). The voice webhooks (voice, menu, dial-ended, whisper) are plain async endpoints
already wrapped in their deadline and fallback (ivr.web.fallback.within_deadline), so this outermost middleware
hands them their request directly; everything else goes on into the app.

What a call sees does not change: the body is capped and timed as BodyLimits does it (ivr.web.bodies.whole_body),
the signature is checked first thing in the endpoint (a refusal is 403 before anything runs), and a refusal or a
body fault is answered by FastAPI's own HTTPException handler, as in the app.
"""

from collections.abc import Mapping

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.types import Receive, Scope, Send

from ivr.web.bodies import body_rule, whole_body
from ivr.web.fallback import Handler


class VoicePath:
    """`endpoints`: path → endpoint (already within its deadline), answered for POST without the app's shell."""

    def __init__(self, endpoints: Mapping[str, Handler], deadline_s: float) -> None:
        self.endpoints = dict(endpoints)
        self.deadline_s = deadline_s

    def endpoint_for(self, scope: Scope) -> Handler | None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return None
        return self.endpoints.get(scope["path"])

    async def answer(self, endpoint: Handler, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, whole_body(scope, receive, body_rule(scope["path"], self.deadline_s)))
        try:
            response = await endpoint(request)
        except HTTPException as refused:
            response = await http_exception_handler(request, refused)
        await response(scope, receive, send)


class LeanFastAPI(FastAPI):
    """FastAPI, with `voice_path`'s requests answered before any middleware; everything else as FastAPI does."""

    voice_path: VoicePath | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        voice_path = self.voice_path
        endpoint = voice_path.endpoint_for(scope) if voice_path is not None else None
        if voice_path is None or endpoint is None:
            await super().__call__(scope, receive, send)
            return
        scope["app"] = self  # as Starlette sets it: the endpoints find the app's services through it
        await voice_path.answer(endpoint, scope, receive, send)
