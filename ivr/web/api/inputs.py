"""What the API takes, and nothing else: a field or query parameter an endpoint does not take is refused (422,
`unknown_key`, naming it), never silently ignored. `PUT …/rings {"ring": 5}` or `GET …/calls?outcom=missed` used to
answer as if the misspelt part were not there, which an integrator reads as "done" (issue 20)."""

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
