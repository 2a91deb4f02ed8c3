"""The plain functions behind the CLI: each takes the command's runtime (ivr.cli.runtime) or Settings and plain values,
and returns what to print."""

import secrets
import sys
import tempfile
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from ivr.cli.runtime import Runtime, migrate, runtime
from ivr.document.lint import Finding, sms_sender_findings, stored_sms_sender_findings
from ivr.document.load import document_data, read_yaml, validate_document
from ivr.document.past_periods import moved_on
from ivr.errors import DocumentError, GreetlineError, InputError
from ivr.settings import Settings
from ivr.simulator.caller import CallPlan, SimulatedCall, Transcript
from ivr.usecases.documents import (
    Checked,
    apply_document,
    as_finding,
    check_data,
    check_text,
    export_document,
    read_document,
)
from ivr.usecases.measured import recording_words
from ivr.web.app import create_app
from ivr.web.process_levers import beside_in_forked_child, in_forked_child

if TYPE_CHECKING:
    from collections.abc import Callable

    from ivr.store.businesses import StoredBusiness
    from ivr.usecases.rendering import Progress, RenderReport


def migrate_for_serving(settings: Settings) -> str | None:
    """Bring the schema up to date if the database answers; else a warning, and the server starts anyway.

    A server restarted during a database outage answers calls from the routing snapshot (the fallback dials the
    staff) rather than not at all. The migration runs in a child process, so Alembic never loads into the server
    (about 10 MB of its idle memory, issue 12).
    """
    return in_forked_child(_migrate_or_warning, settings)


def _migrate_or_warning(settings: Settings) -> str | None:
    from sqlalchemy.exc import OperationalError

    from audio.objects import StoreError

    try:
        migrate(settings)
    except StoreError as error:  # calls are answered all the same; greetings fall back to <Say> meanwhile
        return f"{error}; callers hear spoken text instead of recordings until the store answers"
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        return (
            f"database unreachable ({reason}); answering calls from the routing snapshot {settings.snapshot_path} "
            "until it is back (/healthz says degraded); run `greetline migrate` once it is"
        )
    return None


# Businesses named one by one in `serve`'s warning about texts from a landline; the rest are counted.
SMS_SENDER_WARNINGS_SHOWN = 10


def sms_sender_warnings(settings: Settings, then: "Callable[[list[str]], None]") -> None:
    """`serve`: which businesses' texts would go from a landline that cannot send them, handed to `then` when read
    (in the child process, which shares the server's standard error).
    Read in a child process while the server starts, so the server never holds every document at once (issue 12)
    and its first call does not wait for them (issue 25); none when the database does not answer (`serve` warns
    about that already)."""
    beside_in_forked_child(_sms_sender_warnings, settings, then)


def _sms_sender_warnings(settings: Settings) -> list[str]:
    from sqlalchemy.exc import DBAPIError

    from ivr.store import businesses

    found: list[str] = []
    try:
        with runtime(settings) as opened, opened.database.reading() as connection:
            ids = sorted(businesses.revisions(connection))
            for stored in businesses.documents_of(connection, ids):
                findings = stored_sms_sender_findings(stored.document, settings.sms_from)
                found += [f"{stored.document.get('business', stored.id)}: {finding.message}" for finding in findings]
    except DBAPIError:  # no database or no schema yet: nothing stored to warn about
        return []
    more = len(found) - SMS_SENDER_WARNINGS_SHOWN
    return found[:SMS_SENDER_WARNINGS_SHOWN] + (
        [f"and {more} more businesses whose texts cannot go"] if more > 0 else []
    )


def lint_file(path: Path, sms_from: str | None = None) -> Checked:
    """Every finding at once: validation problems, unusable recordings and the checker's findings on the rest, and
    whether its texts can go from `sms_from` (GREETLINE_SMS_FROM) or its own number. Recordings the document names
    are normalised (into a scratch store) to measure what callers will hear."""
    from audio.media import MediaStore
    from audio.objects import LocalObjects
    from ivr.usecases.measured import upload_durations
    from ivr.usecases.uploads import attach_uploads

    data = read_yaml(read_document(path))
    durations: dict[str, float] = {}
    unusable: list[Finding] = []
    try:
        document = validate_document(data)
    except DocumentError:
        return check_data(data)
    with tempfile.TemporaryDirectory(prefix="greetline-lint-") as scratch:
        media = MediaStore(LocalObjects(Path(scratch)))
        try:
            document, _notes = attach_uploads(document, path.parent, media)
            durations = upload_durations(document, media)
        except DocumentError as error:
            unusable = [as_finding(problem) for problem in error.found]
    checked = check_data(document_data(document), durations)
    return Checked(checked.document, unusable + checked.findings + sms_sender_findings(document, sms_from))


def apply_file(
    runtime: Runtime,
    path: Path,
    *,
    render: bool,
    progress: "Progress | None" = None,
    if_new: bool = False,
    move_past_periods: bool = False,
    now: datetime | None = None,
) -> list[str]:
    """Check, store recordings the document names, apply, then render its texts. Returns the lines to print.
    With `if_new`, a document whose business exists already (one of its numbers is taken) is left as it is stored:
    `make run` starts the demo this way, so a restart keeps what the manager changed on the page. With
    `move_past_periods`, periods over by `now` (the business's day) come again a whole number of years later
    (ivr.document.past_periods: the demo's Christmas period). `now`: the clock's, unless given."""
    from ivr.usecases.measured import upload_durations
    from ivr.usecases.rendering import render_number
    from ivr.usecases.uploads import attach_uploads

    media = runtime.audio.media
    checked = check_text(read_document(path))
    if checked.document is None:
        checked.accepted()  # refuses, listing every problem
    assert checked.document is not None
    if if_new:
        runtime.migrate()
        existing = _existing(runtime, list(checked.document.numbers))
        if existing is not None:
            return [
                f"kept {existing.document['business']} (business {existing.id}, revision {existing.revision}) as "
                f"stored: it exists already, so {path} was not applied again (apply without --if-new replaces it)"
            ]
    now = now or datetime.now(UTC)
    document = checked.document
    if move_past_periods:
        document = moved_on(document, now.astimezone(ZoneInfo(document.timezone)).date())
    # Normalised before the transaction opens; apply_document checks with their measured lengths.
    document, upload_notes = attach_uploads(document, path.parent, media)
    runtime.migrate()
    saved = apply_document(runtime.database, document, now, measured_s=upload_durations(document, media))
    numbers = ", ".join(document.numbers)
    lines = [f"warning: {finding.where}: {finding.message}" for finding in saved.warnings]
    lines += [f"warning: {note}" for note in upload_notes]
    lines.append(
        f"applied {document.business} (business {saved.stored.id}, revision {saved.stored.revision}) on {numbers}"
    )
    if render:
        report = render_number(
            runtime.database,
            runtime.audio,
            runtime.engines,
            document.numbers[0],
            progress or (lambda _done, _total, _text: None),
        )
        lines += render_report_lines(report)
    return lines


def _existing(runtime: Runtime, numbers: list[str]) -> "StoredBusiness | None":
    from ivr.store import businesses

    with runtime.database.transaction() as session:
        owners = sorted(set(businesses.owners_of(session, numbers).values()))
        return businesses.get(session, owners[0]) if owners else None


def render_report_lines(report: "RenderReport") -> list[str]:
    lines = [f"rendered {len(report.rendered)} text(s) as speech; {report.already} were rendered before"]
    lines += [f"  {prompt.duration_s:5.1f} s  {prompt.engine:7}  {prompt.text}" for prompt in report.rendered]
    lines += [f"warning: {warning}" for warning in report.warnings]
    lines += [f"not rendered: {problem}" for problem in report.problems]
    return lines


def export_number(runtime: Runtime, number: str) -> str:
    return export_document(runtime.database, number)


def parse_local_time(text: str, today: date) -> datetime:
    """'14:30', '2026-12-25', or '2026-12-25 14:30': a wall-clock time at the business."""
    try:
        if len(text) <= 5 and ":" in text:
            return datetime.combine(today, time.fromisoformat(text.zfill(5)))
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--at {text!r}: write a local time as HH:MM, YYYY-MM-DD or 'YYYY-MM-DD HH:MM'") from None
    return moment if len(text) > 10 else datetime.combine(moment.date(), time(10, 0))


def simulate(runtime: Runtime, plan: CallPlan, url: str | None, messages: TextIO) -> Transcript:
    """Run the call against a server at `url`, or in-process against this configuration's database.

    The call is marked simulated (ivr.simulator.SIMULATED_CALL_FIELD): logged as such, its messages printed, never
    sent. In-process they are written to `messages`; a server at `url` prints them on its own console.
    """
    # Here, not at the top: `greetline serve` imports this module (migrate_for_serving), and a server holds httpx
    # only once a preview needs it (idle memory, issue 12).
    import httpx
    from sqlalchemy.exc import SQLAlchemyError

    from ivr.document.phones import read_number
    from ivr.messages.simulated import SimulatedMessages
    from ivr.simulator.transport import InProcessTransport
    from ivr.store.call_log import ImmediateCallLog

    settings = runtime.settings
    try:
        plan = replace(
            with_call_sid(plan), to_number=read_number(plan.to_number, None), recordings_url=settings.twilio_api_url
        )
    except ValueError as error:
        raise InputError(f"--to: {error}") from None
    if url is not None:
        try:  # the recordings' words, when this configuration reaches the server's database (else their URLs)
            known = recording_words(runtime.database, plan.to_number)
        except SQLAlchemyError:
            known = {}
        with httpx.Client(base_url=url, timeout=20.0) as client:
            try:
                return SimulatedCall(client, settings.public_url, settings.twilio_auth_token, plan, known).run()
            except httpx.ConnectError:
                raise GreetlineError(f"cannot reach {url}; is `greetline serve` running there?") from None
    # In-process, sign with a one-off token so the app checks signatures exactly as in production. Each step is
    # stored before its webhook answers: this process ends with the call (ivr.store.call_log.ImmediateCallLog).
    token = secrets.token_hex(16)
    app = create_app(
        settings.model_copy(update={"twilio_auth_token": token}),
        database=runtime.database,
        call_log=ImmediateCallLog(runtime.database),
        simulated_messages=SimulatedMessages(
            runtime.database,
            public_url=settings.public_url,
            mail_from=settings.mail_from,
            sms_from=settings.sms_from,
            stream=messages,
        ),
    )
    words = recording_words(runtime.database, plan.to_number)
    with httpx.Client(transport=InProcessTransport(app), base_url=settings.public_url, timeout=20.0) as client:
        return SimulatedCall(client, settings.public_url, token, plan, words).run()


def with_call_sid(plan: CallPlan) -> CallPlan:
    return replace(plan, call_sid="CA" + secrets.token_hex(16))


def warn(message: str) -> None:
    print(message, file=sys.stderr)


def run_worker(runtime: Runtime, stop: "threading.Event") -> None:
    """Deliver from the outbox until `stop` is set (the `greetline worker` command)."""
    from ivr.messages.delivery import make_worker
    from ivr.web.app import SCHEDULE_EVERY_S
    from ivr.web.services import utc_now

    worker = make_worker(
        runtime.settings, runtime.database, utc_now, runtime.senders, voicemails=runtime.audio.voicemails
    )
    worker.run_forever(stop, threading.Event(), runtime.settings.job_poll_s, SCHEDULE_EVERY_S)


def send_summary(runtime: Runtime, number: str, day: date | None) -> tuple[str, list[str]]:
    """`greetline summary`: the business's daily summary for `day` (default: today there), sent now."""
    from ivr.jobs.model import PermanentFailure
    from ivr.messages.notes import Notes
    from ivr.messages.outbox import message_domain
    from ivr.usecases.rendering import business_answering

    stored = business_answering(runtime.database, number)
    now = datetime.now(UTC)
    local_day = day or now.astimezone(ZoneInfo(stored.document.get("timezone", "UTC"))).date()
    public_url = runtime.settings.public_url
    notes = Notes(
        runtime.database,
        runtime.senders,
        public_url=public_url,
        domain=message_domain(public_url),
        clock=lambda: datetime.now(UTC),
    )
    try:
        return local_day.isoformat(), notes.send_summary_now(stored.id, local_day)
    except PermanentFailure as error:
        raise InputError(str(error)) from None
