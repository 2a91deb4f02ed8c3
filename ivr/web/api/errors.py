"""The one place the API turns refusals into HTTP answers, all in one shape:

    {"detail": {"message": "...", "problems": [{"where": "...", "code": "...", "message": "...", "values": {...}}]}}

whatever refused the request: our error tree (ivr.errors, audio.errors) raised by routes and use cases, FastAPI's
own validation of a body, query or path, or Starlette's answers (an unknown path, a method not allowed, a body too
large). `code` and `values` are for a client to word the problem in its own language; `message` is English.

Registered on the whole app: under /api the answer is that JSON; elsewhere (the admin pages) the same status goes to
the handler installed before (ivr.web.admin.pages), which shows a page in the visitor's language. The voice webhooks
never get here: their route class answers fallback TwiML for any failure (ivr.web.fallback).
"""

import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from audio.errors import AudioError
from ivr.document.refusals import problems_of
from ivr.errors import (
    BusyError,
    ConflictError,
    DocumentError,
    GreetlineError,
    InputError,
    NotAuthenticatedError,
    NotFoundError,
    Problem,
    StaleRevisionError,
    UnavailableError,
)

API_PREFIX = "/api/"
# Where a problem is when it is about the request as a whole rather than one of its fields.
REQUEST = "request"
REFUSED = "nothing was changed; fix these problems"
# The most specific class first: an error takes the status and code of the first class it is an instance of.
STATUS_BY_ERROR: list[tuple[type[Exception], int, str]] = [
    (NotAuthenticatedError, 401, "not_authenticated"),
    (NotFoundError, 404, "not_found"),
    (StaleRevisionError, 412, "stale_revision"),  # RFC 9110 §13.1.1: If-Match names a revision not stored
    (ConflictError, 409, "conflict"),
    (DocumentError, 422, "invalid"),
    (InputError, 422, "invalid"),
    (AudioError, 422, "audio_failed"),  # a recording we refuse; a speech engine that fails is an UnavailableError
    (BusyError, 503, "busy"),
    (UnavailableError, 503, "unavailable"),
    (GreetlineError, 400, "refused"),
]

ErrorBody = dict[str, Any]


def problem_out(problem: Problem) -> dict[str, Any]:
    return {
        "where": problem.where,
        "code": str(problem.code),
        "message": problem.message,
        "values": dict(problem.values),
    }


def refusal(message: str, problems: Iterable[Problem]) -> ErrorBody:
    """The `detail` of every 4xx (and 5xx) the API answers."""
    return {"message": message, "problems": [problem_out(problem) for problem in problems]}


def one_problem(message: str, code: str, where: str = REQUEST) -> ErrorBody:
    return refusal(message, [Problem(code, where, message)])


@dataclass(frozen=True)
class Answer:
    status_code: int
    detail: ErrorBody
    headers: dict[str, str] = field(default_factory=dict)


def answer_for(error: Exception) -> Answer:
    status, code = next((status, code) for kind, status, code in STATUS_BY_ERROR if isinstance(error, kind))
    if isinstance(error, DocumentError):
        return Answer(status, refusal(REFUSED, error.found))
    if isinstance(error, InputError) and error.found:
        return Answer(status, refusal(str(error), error.found))
    if isinstance(error, AudioError):
        return Answer(status, refusal(str(error), [Problem(str(error.code), REQUEST, str(error), error.values)]))
    if isinstance(error, StaleRevisionError):
        values = {"expected": error.expected, "stored": error.stored}
        return Answer(status, refusal(str(error), [Problem(code, "If-Match", str(error), values)]))
    if isinstance(error, NotAuthenticatedError):  # RFC 9110 §11.6.1: a 401 names the scheme to use
        return Answer(status, one_problem(str(error), code, "Authorization"), {"WWW-Authenticate": "Bearer"})
    if isinstance(error, BusyError):
        return Answer(status, one_problem(str(error), code), {"Retry-After": str(error.retry_after_s)})
    return Answer(status, one_problem(str(error), code))


class ProblemOut(BaseModel):
    where: str = Field(description='the field ("rings", "menu[0].key", "query.limit", "If-Match") or "request"')
    code: str = Field(description="what is wrong, as data: ring_count, unknown_key, required, not_found, …")
    message: str = Field(description="the same in English, saying what to do")
    values: dict[str, str | int | float] = Field(description="what the words need: the value given, the limits")


class RefusalOut(BaseModel):
    message: str
    problems: list[ProblemOut]


class ErrorOut(BaseModel):
    """Every 4xx (and 503) the API answers, whatever refused the request."""

    detail: RefusalOut


def documented(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


# Documented on every API router; the routes that change a document add 412 (CHANGE_RESPONSES).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: documented("No API key, or one unknown or revoked (`WWW-Authenticate: Bearer`)"),
    404: documented("No such business (or not this key's), or no such item in it"),
    422: documented("Refused: every problem with what was sent, a field the endpoint does not take included"),
}
CARD_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: documented("No card opens with this token (wrong, rotated or malformed: the same answer for each)"),
    422: documented("Refused: every problem with the note, each at its field"),
}
CHANGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: documented("The change clashes with what is stored: a number this business may not have, for one"),
    412: documented("If-Match names a revision that is no longer the stored one; nothing was changed"),
}


def _where(location: Sequence[int | str]) -> tuple[int | str, ...]:
    """A body field is named as the document names it ("rings", "menu[0].key"); a query, path or header
    parameter with where it was looked for ("query.limit")."""
    return tuple(location[1:]) if location and location[0] == "body" else tuple(location)


def unreadable_body(reason: str) -> Problem:
    """A body that is no JSON at all, the same from every endpoint (FastAPI's parsing, the card's own)."""
    message = f"the body is not JSON ({reason}); send a JSON object with Content-Type: application/json"
    return Problem("json_invalid", "body", message, {"reason": reason})


def _unreadable_body(found: Mapping[str, Any]) -> Problem:
    """Said as that, not as a value of the wrong kind at "[0]" (FastAPI places json_invalid at the parse error's
    character offset)."""
    return unreadable_body(str((found.get("ctx") or {}).get("error", "")) or "not JSON")


def validation_answer(error: RequestValidationError) -> Answer:
    """FastAPI's own validation in our shape and codes (extra_forbidden → unknown_key, missing → required, …)."""
    found = error.errors()
    unreadable = [_unreadable_body(each) for each in found if each.get("type") == "json_invalid"]
    readable = [{**each, "loc": _where(each.get("loc", ()))} for each in found if each.get("type") != "json_invalid"]
    return Answer(422, refusal(REFUSED, [*unreadable, *problems_of(readable)]))


def http_answer(error: StarletteHTTPException) -> Answer:
    """Starlette's answers (404 for a path we do not serve, 405, 413) in our shape; the code is the status's name."""
    code = HTTPStatus(error.status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    return Answer(error.status_code, one_problem(str(error.detail), code), dict(error.headers or {}))


def _json(answer: Answer) -> JSONResponse:
    return JSONResponse({"detail": answer.detail}, answer.status_code, answer.headers)


Handler = Callable[[Request, Exception], Response | Awaitable[Response]]


async def _answered(handler: Handler, request: Request, error: Exception) -> Response:
    answered = handler(request, error)
    return await answered if inspect.isawaitable(answered) else answered


def install_error_answers(app: FastAPI) -> None:
    """After the admin pages' handlers (ivr.web.admin.pages.install_error_pages): they answer what is not /api."""
    on_http_error = app.exception_handlers[StarletteHTTPException]
    on_invalid_request = app.exception_handlers[RequestValidationError]

    async def on_typed_error(request: Request, error: Exception) -> Response:
        answer = answer_for(error)
        if request.url.path.startswith(API_PREFIX):
            return _json(answer)
        http_error = StarletteHTTPException(answer.status_code, answer.detail["message"], answer.headers)
        return await _answered(on_http_error, request, http_error)

    async def on_starlette_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        if request.url.path.startswith(API_PREFIX):
            return _json(http_answer(error))
        return await _answered(on_http_error, request, error)

    async def on_validation_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        if request.url.path.startswith(API_PREFIX):
            return _json(validation_answer(error))
        return await _answered(on_invalid_request, request, error)

    app.add_exception_handler(GreetlineError, on_typed_error)
    app.add_exception_handler(AudioError, on_typed_error)
    app.add_exception_handler(StarletteHTTPException, on_starlette_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
