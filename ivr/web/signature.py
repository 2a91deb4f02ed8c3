"""Twilio request signatures, checked by twilio's RequestValidator over the public URL Twilio called.

Everything that is not a well-formed, correctly signed urlencoded form is refused with 403 here, before any
route runs: a failure while checking must never reach the voice fallback, which would answer 200 with the
business's staff numbers.
"""

import logging
from collections.abc import Iterator
from functools import lru_cache
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData, UploadFile
from twilio.request_validator import RequestValidator, compare

from ivr.web.services import get_services

log = logging.getLogger("greetline.signature")

SIGNATURE_HEADER = "X-Twilio-Signature"
# Twilio posts its webhooks as this and nothing else (Twilio docs, "Webhooks: request parameters").
TWILIO_CONTENT_TYPE = "application/x-www-form-urlencoded"
# Twilio's webhooks carry a few dozen parameters; far more is not Twilio.
MAX_WEBHOOK_FIELDS = 200


def requested_path(request: Request) -> str:
    """What Twilio signed after the configured base URL: the raw path and query it requested."""
    raw_path = request.scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


class TwilioSignature:
    """twilio's own `RequestValidator(token).validate(url, form, signature)` over the URL Twilio called: our
    public base URL and the path and query it requested. Never a signature check of our own (the house rule): the
    validator also knows the forms Twilio may have signed (with and without the port) and the algorithms."""

    def __init__(self, auth_token: str, public_url: str) -> None:
        self._validator = RequestValidator(auth_token)
        self._public_url = public_url

    def valid(self, path_and_query: str, form: FormData, signature: str) -> bool:
        url, values = self._public_url + path_and_query, _FormValues(form)
        # Twilio signs the URL it called, which is the configured one: asked first, that is one HMAC. `validate`
        # always computes two (the URL with and without its port, after parsing it twice), a seventh of the voice
        # webhook's time (issue 25); it still decides every request the first signature does not match.
        if compare(self._validator.compute_signature(url, values), signature):
            return True
        return bool(self._validator.validate(url, values, signature))


class _FormValues:
    """The form as the validator reads a Flask MultiDict: its names, and all values of a name (`getall`) in one look-up.

    Handed the FormData itself, the validator asks `getall` (an AttributeError), then `getlist`, which walks every
    field, for each name: with the exception that was a third of the signature's time (issue 25).
    """

    def __init__(self, form: FormData) -> None:
        self._values: dict[str, list[str]] = {}
        for name, value in form.multi_items():
            self._values.setdefault(name, []).append(_text(value))

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def getall(self, name: str) -> list[str]:
        return self._values[name]


def _text(value: object) -> str:
    if not isinstance(value, str):  # a file part; refused before this, and never signed by Twilio
        raise TypeError(f"a form value that is not text: {type(value).__name__}")
    return value


@lru_cache(maxsize=8)
def signature_for(auth_token: str, public_url: str) -> TwilioSignature:
    return TwilioSignature(auth_token, public_url)


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
        form = await urlencoded_form(request)
        if settings.twilio_auth_token is None:  # only possible in insecure development mode
            return form
        signature = request.headers.get(SIGNATURE_HEADER, "")
        valid = signature_for(settings.twilio_auth_token, settings.public_url).valid(
            requested_path(request), form, signature
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


async def urlencoded_form(request: Request) -> FormData:
    """The urlencoded body as the form Starlette's `request.form()` makes of it, in one call of the standard library.

    Starlette parses a urlencoded body through python-multipart's streaming parser with a callback per field
    piece: a quarter of the voice webhook's own time in a profile (issue 25, docs/benchmarks.md). A webhook body
    is at most 64 kB and already read whole (ivr.web.bodies), so it is split at once: names and values read as
    Latin-1 and then unquoted as UTF-8, blanks kept, exactly as Starlette does. The form object itself, not a dict:
    a dict would lose repeated keys and break the signature.
    """
    body = await request.body()
    pairs: list[tuple[str, str | UploadFile]] = [
        *parse_qsl(body.decode("latin-1"), keep_blank_values=True, max_num_fields=MAX_WEBHOOK_FIELDS)
    ]
    return FormData(pairs)


TwilioForm = Annotated[FormData, Depends(verified_twilio_form)]
