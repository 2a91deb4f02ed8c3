"""The router's index (ivr.web.route_index): a method and path seen before skip the routes that did not match it,
and every answer stays the one the router gives without it."""

import asyncio

import httpx
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, Route, Router
from starlette.types import Message, Scope

from ivr.settings import Settings
from ivr.web.app import create_app
from ivr.web.route_index import RouteIndex
from tests.local_server import running_server


class Counted(Route):
    """A route that counts how often the router asks it."""

    asked = 0

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        self.asked += 1
        return super().matches(scope)


def answer(text: str) -> Route:
    async def endpoint(_request: Request) -> Response:
        return PlainTextResponse(text)

    return Counted(f"/{text}", endpoint, methods=["POST"])


def call(router: Router, method: str, path: str) -> tuple[int, bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": [], "query_string": b""}
    asyncio.run(router(scope, receive, send))
    return sent[0]["status"], b"".join(message.get("body", b"") for message in sent[1:])


def asked(routes: list[BaseRoute]) -> list[int]:
    return [route.asked for route in routes if isinstance(route, Counted)]


def test_a_path_seen_before_skips_the_routes_that_did_not_match_it() -> None:
    router = Router([answer("first"), answer("second"), answer("last")])
    RouteIndex.install(router)
    assert call(router, "POST", "/last") == (200, b"last")  # learning asks each route once, then the router runs
    assert asked(router.routes) == [1, 1, 2]
    assert call(router, "POST", "/last") == (200, b"last")
    assert call(router, "POST", "/last") == (200, b"last")
    assert asked(router.routes) == [1, 1, 4]  # the two before are not asked again


def test_the_routers_own_answers_stay_as_they_were() -> None:
    router = Router([answer("first"), answer("second")])
    RouteIndex.install(router)
    for _twice in range(2):
        assert call(router, "GET", "/second")[0] == 405  # the path matches, the method not
        assert call(router, "POST", "/nowhere") == (404, b"Not Found")
        assert call(router, "POST", "/first") == (200, b"first")


def test_a_route_added_after_requests_is_found() -> None:
    router = Router([answer("first")])
    RouteIndex.install(router)
    assert call(router, "POST", "/later")[0] == 404
    router.routes.insert(0, answer("later"))  # before the others: what was learned no longer holds
    assert call(router, "POST", "/later") == (200, b"later")
    assert call(router, "POST", "/first") == (200, b"first")


def test_every_page_of_the_app_answers_as_without_the_index(settings: Settings) -> None:
    """Each path of the app's routes, asked twice (learned, then from the index), answers as the same app whose
    router searches every route."""
    indexed, plain = create_app(settings), create_app(settings)
    plain.router.middleware_stack = plain.router.app
    assert isinstance(indexed.router.middleware_stack, RouteIndex)
    paths = sorted({getattr(route, "path", "") for route in plain.routes} - {""})
    asks = [(method, path.replace("{", "").replace("}", "")) for path in paths for method in ("GET", "POST")]
    asks += [("GET", "/admin/"), ("GET", "/nowhere"), ("GET", "/api/v1/businesses/1/calls")]
    answers: dict[str, list[tuple[int, str]]] = {}
    for name, app in (("indexed", indexed), ("plain", plain)):
        with running_server(app) as base_url, httpx.Client(base_url=base_url, follow_redirects=False) as client:
            answers[name] = [
                (found.status_code, found.headers.get("location", "").removeprefix(base_url))
                for _twice in range(2)
                for method, path in asks
                for found in [client.request(method, path)]
            ]
    assert answers["indexed"] == answers["plain"]
    assert {status for status, _location in answers["plain"]} >= {200, 307, 401, 404, 405}


def test_only_a_router_without_middleware_of_its_own_gets_the_index() -> None:
    app = FastAPI()
    RouteIndex.install(app.router)
    assert isinstance(app.router.middleware_stack, RouteIndex)
    router = Router([answer("first")])
    router.middleware_stack = PlainTextResponse("a middleware of its own")
    RouteIndex.install(router)
    assert isinstance(router.middleware_stack, PlainTextResponse)
