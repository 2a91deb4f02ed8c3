"""Twilio request signatures, checked with twilio's RequestValidator over the public URL Twilio called.

Everything that is not a well-formed, correctly signed urlencoded form is refused with 403 here, before any
route runs: a failure while checking must never reach the voice fallback, which would answer 200 with the
business's staff numbers.
"""

import logging
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator

from ivr.web.services import get_services

log = logging.getLogger("greetline.signature")

SIGNATURE_HEADER = "X-Twilio-Signature"
# Twilio posts its webhooks as this and nothing else (Twilio docs, "Webhooks: request parameters").
TWILIO_CONTENT_TYPE = "application/x-www-form-urlencoded"
# Twilio's webhooks carry a few dozen parameters; far more is not Twilio.
MAX_WEBHOOK_FIELDS = 200


def public_request_url(public_url: str, request: Request) -> str:
    """The URL Twilio signed: the configured base plus the raw path and query it requested."""
    raw_path = request.scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{public_url}{path}?{query}" if query else f"{public_url}{path}"


def _refused(reason: str) -> HTTPException:
    return HTTPException(status_code=403, detail=f"refused Twilio webhook: {reason}")


def _is_twilio_form(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media_type == TWILIO_CONTENT_TYPE


async def verified_twilio_form(request: Request) -> FormData:
    settings = get_services(request).settings
    if not _is_twilio_form(request):
        raise _refused(f"the body must be {TWILIO_CONTENT_TYPE}, as Twilio sends it")
    try:
        # The form object itself, not a dict: a dict would lose repeated keys and break the signature.
        form = await request.form(max_files=0, max_fields=MAX_WEBHOOK_FIELDS)
        if settings.twilio_auth_token is None:  # only possible in insecure development mode
            return form
        signature = request.headers.get(SIGNATURE_HEADER, "")
        valid = RequestValidator(settings.twilio_auth_token).validate(
            public_request_url(settings.public_url, request), form, signature
        )
    except HTTPException:  # a body over the webhook cap (413) or too slow (408): say so, it is not a forgery
        raise
    except Exception as error:  # whatever broke, the request is not proven to be Twilio's
        log.warning("refused a webhook to %s: checking its signature failed: %r", request.url.path, error)
        raise _refused("the body could not be checked") from None
    if not valid:
        raise _refused(
            "invalid signature: the request was not signed with this account's auth token for "
            "this URL; check GREETLINE_TWILIO_AUTH_TOKEN and that GREETLINE_PUBLIC_URL is the URL Twilio calls"
        )
    return form


TwilioForm = Annotated[FormData, Depends(verified_twilio_form)]
