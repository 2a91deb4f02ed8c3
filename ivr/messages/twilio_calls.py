"""The account's recent calls from Twilio's REST API (Calls.json), for the call log's recovery
(ivr.messages.call_recovery): what Twilio knows of a call whether or not our webhooks logged it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# At most this many calls per look; a small business takes far fewer in six hours, and a platform of 10,000 that
# takes more should shorten the look-back rather than page through more (the next look overlaps this one).
LIST_LIMIT = 5000


@dataclass(frozen=True)
class ListedCall:
    call_sid: str
    # The call this leg was dialled from (a <Dial>'s leg); None for a caller's own call.
    parent_call_sid: str | None
    from_number: str
    to_number: str
    # Twilio's status: queued, ringing, in-progress, completed, busy, failed, no-answer, canceled.
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    duration_s: int | None


class CallLister(Protocol):
    def recent(self, since: datetime) -> list[ListedCall]: ...


def _aware(moment: object) -> datetime | None:
    return moment if isinstance(moment, datetime) and moment.tzinfo is not None else None


class TwilioCalls:
    """Through twilio's REST client, pointed at GREETLINE_TWILIO_API_URL."""

    def __init__(self, account_sid: str, auth_token: str, api_url: str) -> None:
        self._auth = (account_sid, auth_token)
        self._api_url = api_url

    def recent(self, since: datetime) -> list[ListedCall]:
        from twilio.rest import Client

        client = Client(*self._auth)
        client.api.base_url = self._api_url
        # StartTime> filters by day (Twilio docs, Call resource, Read): the rest is left to the caller.
        found = client.api.v2010.account.calls.list(start_time_after=since, limit=LIST_LIMIT)
        return [
            ListedCall(
                str(call.sid),
                call.parent_call_sid or None,
                str(call._from or ""),
                str(call.to or ""),
                str(call.status or ""),
                _aware(call.start_time),
                _aware(call.end_time),
                int(call.duration) if str(call.duration or "").isdigit() else None,
            )
            for call in found
        ]
