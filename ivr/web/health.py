"""`/healthz`: whether this server answers calls fully ("ok") or from its routing snapshot ("degraded").

Always 200: a degraded server still answers every call (the fallback dials the staff), and every replica shares
the same database, so a load balancer that took it out of rotation would only take the calls away as well. The
word is the JSON's `status`; monitoring should alert on "degraded".
"""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ivr.web.services import get_services

router = APIRouter(include_in_schema=False)

# Inside a load balancer's usual 2 to 5 s health-check timeout, and as long as a call waits for the database.
PROBE_DEADLINE_S = 2.0


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    # Not through a (threaded) dependency: worker threads may all be stuck on a stalled database.
    database = get_services(request).database

    def probe() -> None:
        with database.reading() as connection:
            connection.exec_driver_sql("SELECT 1")

    # As for calls: a thread stuck on a stalled server is left to end on its own, the answer does not wait.
    task = asyncio.ensure_future(run_in_threadpool(probe))
    done, _pending = await asyncio.wait({task}, timeout=PROBE_DEADLINE_S)
    if not done:
        task.add_done_callback(lambda finished: finished.cancelled() or finished.exception())
        problem: str | None = f"did not answer within {PROBE_DEADLINE_S:g} s"
    elif task.exception() is not None:
        problem = f"unreachable: {type(task.exception()).__name__}"
    else:
        problem = None
    return JSONResponse(
        {
            "status": "degraded" if problem else "ok",
            "database": problem or "reachable",
            # Numbers the fallback can ring staff for without the database.
            "snapshot_numbers": len(database.routing),
        }
    )
