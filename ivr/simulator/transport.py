"""Requests straight into an ASGI app, without a socket or a server thread: the simulator's in-process mode.

httpx's own ASGITransport is asynchronous; the simulator is a plain synchronous httpx client (so the same code
drives a real server with `--url`). The app runs on an event loop this transport owns, in the calling thread,
which never has a loop running already: the CLI, or a synchronous route's worker thread.
"""

import asyncio

import httpx
from starlette.types import ASGIApp


class InProcessTransport(httpx.BaseTransport):
    def __init__(self, app: ASGIApp) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        # One loop for all requests of a call: the app's worker threads live as long as it does.
        self._loop = asyncio.new_event_loop()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def answer() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return self._loop.run_until_complete(answer())

    def close(self) -> None:
        if not self._loop.is_closed():
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.run_until_complete(self._loop.shutdown_default_executor())
            self._loop.close()
