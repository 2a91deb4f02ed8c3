"""The FastAPI application: built from Settings, nothing read from the environment here."""

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from starlette.middleware.sessions import SessionMiddleware

from ivr.audio_stores import storage
from ivr.console.feed import ConsoleFeed
from ivr.jobs.embedded import WorkerThread
from ivr.messages.delivery import make_worker
from ivr.messages.simulated import SimulatedMessages
from ivr.routing.directory import Directory
from ivr.routing.watch import DatabaseWatch, RevisionCheck
from ivr.settings import Settings
from ivr.store.call_log import CallLogWriter
from ivr.store.console_events import CONSOLE_CHANNEL
from ivr.store.database import Database
from ivr.store.notifications import listener_for
from ivr.twiml import TwimlRenderer
from ivr.web import callback_feed, callback_hooks, card, console_page, health, recording_hooks, twilio_hooks
from ivr.web.admin import pages as admin_pages
from ivr.web.admin.router import include_admin
from ivr.web.api import audit as api_audit
from ivr.web.api import blocked as api_blocked
from ivr.web.api import call_export as api_call_export
from ivr.web.api import call_notes as api_call_notes
from ivr.web.api import callbacks as api_callbacks
from ivr.web.api import greetings as api_greetings
from ivr.web.api import info_templates as api_info_templates
from ivr.web.api import routes as api_routes
from ivr.web.api import voicemails as api_voicemails
from ivr.web.api.errors import install_error_answers
from ivr.web.bodies import BodyLimits
from ivr.web.docs import install_docs
from ivr.web.logins import shared_login_guard
from ivr.web.media import media_router
from ivr.web.process_levers import tune_served_process
from ivr.web.route_index import RouteIndex
from ivr.web.services import CallLog, Clock, Services, utc_now
from ivr.web.voice_path import LeanFastAPI, VoicePath

log = logging.getLogger("greetline")

# How often the worker's schedules (reconciling, daily summaries) look for due work.
SCHEDULE_EVERY_S = 30.0
# On shutdown, wait this long for a delivery in hand; one cut off is sent again after the restart.
WORKER_STOP_TIMEOUT_S = 10.0
# What reads every business when a server starts waits this long after the start, so the first calls have the process
# to themselves: the worker's first round (its schedules read every document: with 10,000 businesses several seconds
# of CPU in this process) and a routing snapshot written from nothing (a restart finds it current and waits for
# nothing). Issue 25: the first call answered within 3 s of the start.
START_SETTLE_S = 2.0
# Staff stay logged in for a working day.
SESSION_MAX_AGE_S = 12 * 3600


def create_app(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    database: Database | None = None,
    call_log: CallLog | None = None,
    simulated_messages: SimulatedMessages | None = None,
) -> FastAPI:
    """`call_log`: where webhooks hand their steps; by default a writer into `database`. `simulated_messages`: where
    the messages of calls the simulator makes are printed; by default the server's standard output."""
    settings.require_webhook_security()
    database = database or Database(settings.database_url, settings.snapshot_path)
    stored = storage(settings)
    worker = (
        WorkerThread(
            make_worker(settings, database, clock, voicemails=stored.voicemails, transcriber_in_own_process=True),
            settings.job_poll_s,
            SCHEDULE_EVERY_S,
            start_after_s=START_SETTLE_S,
        )
        if settings.embedded_worker
        else None
    )
    own_writer = CallLogWriter(database, settings.call_log_spill_path) if call_log is None else None
    call_log = call_log or own_writer
    assert call_log is not None
    watch = DatabaseWatch(database, settle_s=START_SETTLE_S)
    # PostgreSQL: hear other replicas' changes within a second (the directory's revision check is the safety net).
    changes = listener_for(settings.database_url)
    console = ConsoleFeed(database)
    # PostgreSQL: a call put through on another replica wakes this one's consoles (ivr.console.feed).
    console_wakes = listener_for(settings.database_url, on_change=console.wake, channel=CONSOLE_CHANNEL)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tune_served_process()  # process-wide: only a served app pulls its levers (ivr.web.process_levers)
        if own_writer is not None and settings.call_log_process:
            own_writer.store_in_child()
        watch.start()  # rewrites the routing snapshot from the database now and whenever it comes back
        revision_check.start()  # asks whether another replica changed a business, beside the calls
        if changes is not None:
            changes.start()
        if console_wakes is not None:
            console_wakes.start()
        # Only a served app runs the worker: tests serve without a lifespan, so they never deliver.
        if worker is not None:
            worker.start()
        yield
        if worker is not None:
            worker.stop(WORKER_STOP_TIMEOUT_S)
        watch.close()
        revision_check.close()
        if changes is not None:
            changes.close()
        console.close()
        if console_wakes is not None:
            console_wakes.close()
        services.call_log.close()  # store the last calls' steps before the process ends (or spill them)

    app = LeanFastAPI(
        title="Greetline",
        version="0.1.0",
        summary="Phone greetings, one short menu, ring-count overflow.",
        lifespan=lifespan,
        docs_url=None,  # served from the app's own copy of Swagger UI: see ivr.web.docs
        redoc_url=None,
        # Greetline sets up no OpenTelemetry; FastAPI's native telemetry otherwise asks three global providers
        # whether they are configured on every request (a sixth of the app shell's cost, issue 25).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    services = Services(
        settings=settings,
        database=database,
        directory=Directory(
            media_exists=stored.media.exists, routing=database.routing, recheck_s=settings.directory_recheck_s
        ),
        renderer=TwimlRenderer(settings.public_url),
        call_log=call_log,
        clock=clock,
        media=stored.media,
        voicemails=stored.voicemails,
        speech=stored.speech,
        app=app,
        simulated_messages=simulated_messages
        or SimulatedMessages(
            database, public_url=settings.public_url, mail_from=settings.mail_from, sms_from=settings.sms_from
        ),
        jobs_waiting=worker.wake.set if worker else lambda: None,
        logins=shared_login_guard(database, clock),
        console=console,
    )
    app.state.services = services
    revision_check = RevisionCheck(database, services.directory)
    # First: FastAPI (0.165) builds an included router's routes when a request first passes it, so a health check
    # behind the others built all of them (the admin pages' 75 with theirs: 3.5 MB of an idle server, issue 12).
    app.include_router(health.router)
    app.include_router(twilio_hooks.router)
    app.include_router(recording_hooks.router)
    app.include_router(callback_hooks.router)
    app.include_router(media_router(stored.media))
    app.include_router(api_routes.router)
    app.include_router(api_call_export.router)
    app.include_router(api_greetings.router)
    app.include_router(api_voicemails.router)
    app.include_router(api_call_notes.router)
    app.include_router(api_callbacks.router)
    app.include_router(api_blocked.router)
    app.include_router(callback_feed.router)
    app.include_router(api_info_templates.router)
    app.include_router(api_audit.router)
    include_admin(app)
    app.include_router(card.router)
    app.include_router(card.api_router)
    app.include_router(console_page.router)
    admin_pages.install_error_pages(app)
    install_error_answers(app)
    install_docs(app)
    # Signed, not encrypted: the cookie holds only the staff user's id, the language and the CSRF token.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret or secrets.token_urlsafe(32),
        same_site="lax",
        https_only=settings.public_url.startswith("https://"),
        max_age=SESSION_MAX_AGE_S,
    )
    # Every body is capped and timed before anything reads it.
    app.add_middleware(BodyLimits, deadline_s=settings.body_timeout_s)
    # Before all middleware, FastAPI's own too: the voice webhooks skip the app's shell, their bodies capped and timed
    # the same way.
    app.voice_path = VoicePath(twilio_hooks.VOICE_ENDPOINTS, deadline_s=settings.body_timeout_s)
    # The router skips the routes a method and path already seen cannot match (a route added last searched them all).
    RouteIndex.install(app.router)

    @app.get("/", include_in_schema=False)
    def index() -> PlainTextResponse:
        return PlainTextResponse(
            "Greetline is running. Point your Twilio number's voice webhook at "
            f"POST {settings.public_url}/twilio/voice\n"
        )

    return app
