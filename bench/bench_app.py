"""The app under benchmark: Greetline as built by create_app, plus a bare endpoint for comparison.

The bare endpoint awaits the form and answers constant TwiML with no signature check, no database and no call
flow: the ceiling of FastAPI + uvicorn on this machine, measured in the same process with the same server settings.
"""

import os

from fastapi import FastAPI, Request, Response

from ivr.settings import Settings
from ivr.web.app import create_app

CONSTANT_TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="15"><Number>+31501111111</Number></Dial></Response>'
)


def build() -> FastAPI:
    app = create_app(Settings(twilio_auth_token=os.environ["GREETLINE_TWILIO_AUTH_TOKEN"]))

    @app.post("/bare/voice")
    async def bare_voice(request: Request) -> Response:
        await request.form()  # as any webhook must: the bare ceiling of FastAPI + uvicorn reading a Twilio form
        return Response(CONSTANT_TWIML, media_type="application/xml")

    return app
