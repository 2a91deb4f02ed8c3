"""The router's search, skipping the routes that cannot match a path already seen.

The router tries its routes in order, each asked `matches(scope)`, and takes the first full match. Greetline's app
has about twenty included routers and mounts before any route added last, and FastAPI asks each included router to
search its own routes: for a route at the end of the list that search was two thirds of the request's own time, and
the app's shell (everything it does besides the endpoint) made a bare route inside it 0.46x as fast as the same route
in an app of its own (issue 25, docs/benchmarks.md).

Whether a route matches depends on the request's method and path only (a `Host` route would also look at a header:
the index is not used when the app has one). So the first time a method and path come, the routes are asked once
(nothing is handled), and the position of the first one that matches at all (fully, or by path with another
method) is kept. From then on the router itself runs from that position: the routes before it, which answered "no"
for this method and path, are not asked again. Everything else is the router's own: the full match wins over a
partial one, 405 and 404, redirects and lifespan are unchanged, since a path no route matches starts from the top.

The positions are for the routes as they are: a change to the router's own list (a route added later, as the
benchmarks do) empties the index. At most `MAX_PATHS` method and path pairs are kept (paths with an id in them are
many); past that, new ones go through the whole router as before.
"""

import copy

from starlette.routing import BaseRoute, Host, Match, Router
from starlette.types import Receive, Scope, Send

MAX_PATHS = 4096

_Key = tuple[str, str, str]


class RouteIndex:
    """Installed as the router's `middleware_stack` (what `Router.__call__` runs): `install` does it."""

    def __init__(self, router: Router) -> None:
        self._router = router
        self._routes: list[BaseRoute] = router.routes
        self._length = len(router.routes)
        self._starts: dict[_Key, Router] = {}
        self._from: dict[int, Router] = {0: router}  # the router run from each position

    @classmethod
    def install(cls, router: Router) -> None:
        """Only on a router with no middleware of its own (its stack is its `app`); anything else stays as it is."""
        if router.middleware_stack == router.app:
            router.middleware_stack = cls(router)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        router = self._router
        if scope["type"] != "http":
            await router.app(scope, receive, send)
            return
        routes = router.routes
        if routes is not self._routes or len(routes) != self._length:
            self._routes, self._length, self._starts, self._from = routes, len(routes), {}, {0: router}
        key = (scope["method"], scope["path"], scope.get("root_path", ""))
        start = self._starts.get(key)
        if start is None:
            start = self._learn(scope, key)
        if "router" not in scope:  # url_for searches the whole router, not the part run here
            scope["router"] = router
        await start.app(scope, receive, send)

    def _learn(self, scope: Scope, key: _Key) -> Router:
        router = self._router
        if len(self._starts) >= MAX_PATHS:
            return router
        first = 0  # no route matches: the router's own 404, redirect and low-priority routes, from the top
        for position, route in enumerate(router.routes):
            if isinstance(route, Host):  # matches by a header too: never skipped
                self._starts[key] = router
                return router
            # On a copy: a route may note things in the scope while it looks (FastAPI's included routers do).
            probe = {**scope, "fastapi": dict(scope["fastapi"])} if "fastapi" in scope else dict(scope)
            if route.matches(probe)[0] is not Match.NONE:
                first = position
                break
        start = self._from.get(first)
        if start is None:
            start = self._from[first] = copy.copy(router)
            start.routes = router.routes[first:]
        self._starts[key] = start
        return start
