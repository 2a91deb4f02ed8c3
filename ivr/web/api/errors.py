"""The one place the API turns the error tree (ivr.errors, audio.errors) into HTTP answers: routes and the use
cases they call raise typed errors and never build an HTTP answer themselves.

Registered on the whole app: under /api the answer is JSON (`{"detail": ...}`, as FastAPI's own); elsewhere (the
admin pages) the same status goes to the app's HTTPException handler, which shows a page in the visitor's language.
The voice webhooks never get here: their route class answers fallback TwiML for any failure (ivr.web.fallback).
"""

import inspect
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from audio.errors import AudioError
from ivr.errors import (
    BusyError,
    ConflictError,
    DocumentError,
    GreetlineError,
    InputError,
    NotAuthenticatedError,
    NotFoundError,
    UnavailableError,
)

API_PREFIX = "/api/"
# The most specific class first: an error takes the status of the first class it is an instance of.
STATUS_BY_ERROR: list[tuple[type[Exception], int]] = [
    (NotAuthenticatedError, 401),
    (NotFoundError, 404),
    (ConflictError, 409),
    (DocumentError, 422),
    (InputError, 422),
    (AudioError, 422),  # a recording we refuse; a speech engine that fails is an UnavailableError
    (BusyError, 503),
    (UnavailableError, 503),
    (GreetlineError, 400),
]


@dataclass(frozen=True)
class Answer:
    status_code: int
    detail: Any
    headers: dict[str, str] = field(default_factory=dict)


def answer_for(error: Exception) -> Answer:
    status = next(code for kind, code in STATUS_BY_ERROR if isinstance(error, kind))
    if isinstance(error, DocumentError):
        # `problems`: the English lines; `codes`: the same as data, for a client to word in its own language.
        codes = [{"code": str(p.code), "where": p.where, "values": dict(p.values)} for p in error.found]
        detail = {"message": "nothing was changed; fix these problems", "problems": error.problems, "codes": codes}
        return Answer(status, detail)
    if isinstance(error, NotAuthenticatedError):  # RFC 9110 §11.6.1: a 401 names the scheme to use
        return Answer(status, str(error), {"WWW-Authenticate": "Bearer"})
    if isinstance(error, BusyError):
        return Answer(status, str(error), {"Retry-After": str(error.retry_after_s)})
    return Answer(status, str(error))


def install_error_answers(app: FastAPI) -> None:
    async def on_typed_error(request: Request, error: Exception) -> Response:
        answer = answer_for(error)
        if request.url.path.startswith(API_PREFIX):
            return JSONResponse({"detail": answer.detail}, answer.status_code, answer.headers)
        on_http_error = app.exception_handlers[StarletteHTTPException]
        http_error = StarletteHTTPException(answer.status_code, str(answer.detail), answer.headers)
        answered = on_http_error(request, http_error)
        return await answered if inspect.isawaitable(answered) else answered

    app.add_exception_handler(GreetlineError, on_typed_error)
    app.add_exception_handler(AudioError, on_typed_error)
