"""A bare FastAPI webhook in a process of its own: what Greetline's voice webhook is measured against (issue 25).

It awaits the form, as any webhook must, and answers constant TwiML: no signature, no database, no middleware.
Served with the uvicorn settings `greetline serve` uses (ivr.web.serving.server_config), so the two differ only in
the app. `python -m bench.bare_app --port 0` prints uvicorn's usual "Uvicorn running on ..." line.
"""

import argparse

import uvicorn
from fastapi import FastAPI, Request, Response

from ivr.web.serving import server_config

CONSTANT_TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="15"><Number>+31501111111</Number></Dial></Response>'
)
# ivr.settings.Settings' default: the same header deadline as `greetline serve`.
HEADER_TIMEOUT_S = 10.0

app = FastAPI()


@app.post("/twilio/voice")
async def voice(request: Request) -> Response:
    await request.form()
    return Response(CONSTANT_TWIML, media_type="application/xml")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    config = server_config(
        app, host=args.host, port=args.port, header_timeout_s=HEADER_TIMEOUT_S, log_level="info", access_log=False
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
