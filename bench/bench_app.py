"""The app under benchmark: Greetline as built by create_app, plus a bare endpoint for comparison.

The bare endpoint awaits the form and answers constant TwiML with no signature check, no database and no call
flow: the ceiling of FastAPI + uvicorn on this machine, measured in the same process with the same server settings.
`GET /bare/calls` is the same for the API's reads: a constant page of 50 calls.
"""

import argparse
import json
import os

import uvicorn
from fastapi import FastAPI, Request, Response

from ivr.settings import Settings
from ivr.web.app import create_app
from ivr.web.serving import server_config

CONSTANT_TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="15"><Number>+31501111111</Number></Dial></Response>'
)


CONSTANT_CALL_PAGE = json.dumps(
    [
        {
            "call_sid": f"CA{index:032x}",
            "caller": "+31612345678",
            "started_at": "2026-11-30T09:00:00Z",
            "path": ["voice", "menu:1", "operator"],
            "outcome": "operator",
            "duration_s": 40,
        }
        for index in range(50)
    ]
)


def build() -> FastAPI:
    app = create_app(Settings(twilio_auth_token=os.environ["GREETLINE_TWILIO_AUTH_TOKEN"]))
    add_bare_routes(app)
    return app


def add_bare_routes(app: FastAPI) -> None:
    """After all of Greetline's routes, as a route added to the app would be."""

    @app.post("/bare/voice")
    async def bare_voice(request: Request) -> Response:
        await request.form()  # as any webhook must: the bare ceiling of FastAPI + uvicorn reading a Twilio form
        return Response(CONSTANT_TWIML, media_type="application/xml")

    @app.get("/bare/calls")
    async def bare_calls() -> Response:
        # The API reads' ceiling: a page of 50 calls as JSON, with no key, no database and no worker thread.
        return Response(CONSTANT_CALL_PAGE, media_type="application/json")


def main() -> None:
    """`python -m bench.bench_app --port 0`: served with `greetline serve`'s uvicorn settings (lifespan included)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    args = parser.parse_args()
    app = build()
    settings = app.state.services.settings
    config = server_config(
        app,
        host=args.host,
        port=args.port,
        header_timeout_s=settings.header_timeout_s,
        log_level="info",
        access_log=False,
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
