"""Twilio request signatures, checked with twilio's RequestValidator over the public URL Twilio called."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator

from ivr.web.services import get_services

SIGNATURE_HEADER = "X-Twilio-Signature"


def public_request_url(public_url: str, request: Request) -> str:
    """The URL Twilio signed: the configured base plus the raw path and query it requested."""
    raw_path = request.scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{public_url}{path}?{query}" if query else f"{public_url}{path}"


async def verified_twilio_form(request: Request) -> FormData:
    settings = get_services(request).settings
    # The form object itself, not a dict: a dict would lose repeated keys and break the signature.
    form = await request.form()
    if settings.twilio_auth_token is None:  # only possible in insecure development mode
        return form
    validator = RequestValidator(settings.twilio_auth_token)
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not validator.validate(public_request_url(settings.public_url, request), form, signature):
        raise HTTPException(
            status_code=403,
            detail="invalid Twilio signature: the request was not signed with this account's auth token for "
            "this URL; check GREETLINE_TWILIO_AUTH_TOKEN and that GREETLINE_PUBLIC_URL is the URL Twilio calls",
        )
    return form


TwilioForm = Annotated[FormData, Depends(verified_twilio_form)]
