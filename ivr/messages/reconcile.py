"""Taking in recordings whose callback never arrived: every few minutes, the account's recent recordings are
listed through Twilio's REST API and any we do not have is stored with its deliveries, found by its call."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from ivr.callflow.model import voicemail_boxes
from ivr.messages.intake import take_in
from ivr.messages.outbox import LeftMessage
from ivr.messages.senders import RecordingFetcher
from ivr.routing.directory import Directory
from ivr.store import calls, recordings
from ivr.store.database import Database
from ivr.store.jobs import JobSpec

log = logging.getLogger("greetline.messages")

RECONCILE = "reconcile"
RECONCILE_EVERY = timedelta(minutes=5)
# Look back further than one period, so a worker that was down for a while still catches up.
LOOK_BACK = timedelta(hours=6)


def box_from_path(path: list[str]) -> str | None:
    """The voicemail box a call ended in, read from its path in the call log (the latest step that says)."""
    for label in reversed(path):
        if (
            ">voicemail:" in label
        ):  # closed: a number nobody answered, then its part's box ("closed:busy>voicemail:closed")
            return label.partition(">voicemail:")[2]
        if label.endswith("overflow:voicemail"):
            return "overflow"
        if label.startswith("menu:") and not label.startswith("menu:wrong"):
            return label
        if label.startswith("closed:"):
            return "closed"
        if label.startswith("period:"):
            return label
    return None


def reconcile_schedule(now: datetime) -> list[JobSpec]:
    """One reconciliation per five-minute slot, whatever the number of workers."""
    slot = datetime.fromtimestamp(
        now.timestamp() // RECONCILE_EVERY.total_seconds() * RECONCILE_EVERY.total_seconds(), now.tzinfo
    )
    return [JobSpec(f"{RECONCILE}:{slot.isoformat()}", RECONCILE, {"since": (slot - LOOK_BACK).isoformat()})]


class Reconciler:
    def __init__(
        self,
        database: Database,
        recordings: RecordingFetcher,
        *,
        domain: str,
        clock: Callable[[], datetime],
        transcribe_wait_s: float | None = None,
    ) -> None:
        self._database = database
        self._recordings = recordings
        self._transcribe_wait_s = transcribe_wait_s
        self._directory = Directory()
        self._domain = domain
        self._clock = clock

    def __call__(self, args: dict[str, object]) -> None:
        taken = 0
        for listed in self._recordings.recent(datetime.fromisoformat(str(args["since"]))):
            with self._database.transaction() as session:
                if recordings.get_recording(session, listed.recording_sid) is not None:
                    continue
                call = calls.get(session, listed.call_sid)
            box_name = (call.box or box_from_path(call.path)) if call else None
            if call is not None and call.simulated:  # its messages were printed, never for the business
                continue
            if call is None or call.business_id is None or box_name is None:
                log.warning("recording %s: no call log entry tells its business and box", listed.recording_sid)
                continue
            with self._database.reading() as connection:
                business = self._directory.lookup_by_id(connection, call.business_id, self._clock())
            box = voicemail_boxes(business).get(box_name) if business else None
            if box is None:
                log.warning("recording %s: business %s has no box %s", listed.recording_sid, call.business_id, box_name)
                continue
            message = LeftMessage(
                listed.recording_sid,
                listed.call_sid,
                call.business_id,
                box_name,
                listed.url,
                listed.duration_s,
                call.from_number,
                rings=call.rings,
                started_at=listed.started_at,
            )
            taken += take_in(self._database, message, box, self._domain, self._clock(), self._transcribe_wait_s)
        if taken:
            log.warning("took in %d recording(s) whose callback never arrived", taken)
