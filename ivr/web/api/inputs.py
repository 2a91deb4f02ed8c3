"""What the API takes, and nothing else: a field or query parameter an endpoint does not take is refused (422,
`unknown_key`, naming it), never silently ignored. `PUT …/rings {"ring": 5}` or `GET …/calls?outcom=missed` used to
answer as if the misspelt part were not there, which an integrator reads as "done" (issue 20)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict


class ApiInput(BaseModel):
    """A request body: an unknown field is a problem (pydantic's extra_forbidden, our unknown_key)."""

    model_config = ConfigDict(extra="forbid")


def _query_names(dependant: Dependant) -> frozenset[str]:
    """The query parameters a route declares, its dependencies' included."""
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return frozenset(names)


async def known_query(request: Request) -> None:
    """A router dependency: refuses query parameters the route does not declare, all of them at once. Async, for
    it does no I/O: a plain `def` would cost every request a worker-thread hop (issue 12 measured what one costs)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = _query_names(route.dependant)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ("query", name),
                    "msg": "Extra inputs are not permitted",
                    "input": request.query_params[name],
                }
                for name in unknown
            ]
        )


# How `since` and `until` describe themselves in the schema.
WINDOW_TIME = (
    "a time with its zone (2026-11-24T10:00:00+01:00, 2026-11-24T09:00:00Z); without one, the business's local time"
)


def in_zone(moment: datetime | None, timezone: str) -> datetime | None:
    """A time the client sent: with its zone it is that instant; without one it is wall-clock time at the business,
    as `…/hears?at=` reads it and the CSV writes it. It was taken for UTC, an hour or two off in Europe (issue 20)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(timezone))
