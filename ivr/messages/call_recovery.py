"""No call lost from the log (issue 24): the call-log writer holds steps in memory for a moment, so a server killed
then loses them. Like the recordings reconciler, the worker lists Twilio's calls of the recent hours and adds each
ended call to a number of ours that the log lacks, marked as recovered; the missed-call note and the daily summary
then count it like any other.

`calls_to_recover` is the decision, pure; `CallRecovery` is the job around it.
"""

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from ivr.callflow.steps import Outcome
from ivr.messages.notes import missed_call_check
from ivr.messages.twilio_calls import CallLister, ListedCall
from ivr.store import businesses, jobs, recovered_calls
from ivr.store.database import Database
from ivr.store.jobs import JobSpec
from ivr.store.recovered_calls import RecoveredCall

log = logging.getLogger("greetline.messages")

RECOVER_CALLS = "recover-calls"
RECOVER_EVERY = timedelta(minutes=5)
LOOK_BACK = timedelta(hours=6)
# A call ended this recently may still have its steps on their way to the database (the writer's moment, a
# database away for a while with the spill file): only an older one is missing for good.
SETTLED_AFTER = timedelta(minutes=5)
# Final statuses (Twilio docs, Call resource, "Call Status values"); the others are calls still going.
ENDED = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})


def recovery_schedule(now: datetime) -> list[JobSpec]:
    """One look per five-minute slot, whatever the number of workers."""
    step = RECOVER_EVERY.total_seconds()
    slot = datetime.fromtimestamp(now.timestamp() // step * step, now.tzinfo)
    return [JobSpec(f"{RECOVER_CALLS}:{slot.isoformat()}", RECOVER_CALLS, {"since": (slot - LOOK_BACK).isoformat()})]


def calls_to_recover(
    listed: list[ListedCall], logged: set[str], owners: Mapping[str, int], now: datetime
) -> list[RecoveredCall]:
    """Each caller's call to one of our numbers that ended a while ago and is not in the log. A dialled leg that was
    answered tells that a human took the call (no missed-call note then)."""
    answered = {call.parent_call_sid for call in listed if call.parent_call_sid and call.status == "completed"}
    return [
        RecoveredCall(
            call.call_sid,
            owners[call.to_number],
            call.to_number,
            call.from_number,
            call.started_at,
            call.ended_at,
            call.duration_s,
            # Else missed: what happened after our greeting was lost with its steps (a message's box too, so the
            # recordings' reconciler cannot take one in), and a practice would rather call back once too often.
            Outcome.OPERATOR.value if call.call_sid in answered else Outcome.MISSED.value,
        )
        for call in listed
        if call.parent_call_sid is None
        and call.to_number in owners
        and call.call_sid not in logged
        and call.status in ENDED
        and call.started_at is not None
        and call.ended_at is not None
        and now - call.ended_at >= SETTLED_AFTER
    ]


@dataclass(frozen=True)
class Recovered:
    added: int
    checks: int


class CallRecovery:
    def __init__(self, database: Database, calls: CallLister, *, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._calls = calls
        self._clock = clock

    def __call__(self, args: dict[str, object]) -> None:
        self.recover(datetime.fromisoformat(str(args["since"])))

    def recover(self, since: datetime) -> Recovered:
        listed = [call for call in self._calls.recent(since) if call.started_at is None or call.started_at >= since]
        now = self._clock()
        with self._database.transaction() as session:
            owners = businesses.owners_of(session, sorted({call.to_number for call in listed}))
            logged = recovered_calls.logged_of(session, [call.call_sid for call in listed])
            found = calls_to_recover(listed, logged, owners, now)
            recovered_calls.add(session, found)
            # The missed-call check decides as for any call (a recording, a human, the business's addresses).
            checks = [
                missed_call_check(call.call_sid, call.business_id, now)
                for call in found
                if call.outcome == Outcome.MISSED
            ]
            jobs.enqueue(session, checks, now)
        if found:
            log.warning("added %d call(s) to the log from Twilio's Calls list: their steps were lost", len(found))
        return Recovered(len(found), len(checks))
