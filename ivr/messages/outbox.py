"""Which deliveries a message makes: one per e-mail address and one per SMS number of its box, as jobs.

Each delivery gets its stable Message-ID here, when the message is taken in, so a copy sent again after a
crash carries the same one and mail programs fold the two.
"""

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ivr.callflow.model import Voicemail
from ivr.store.jobs import JobSpec

KEEP_RECORDING = "keep-recording"
VOICEMAIL_EMAIL = "voicemail-email"
VOICEMAIL_SMS = "voicemail-sms"

# Twilio SIDs: two letters and 32 hex digits (Twilio docs, "What is a SID?").
RECORDING_SID = re.compile(r"^RE[0-9a-fA-F]{32}$")
CALL_SID = re.compile(r"^CA[0-9a-fA-F]{32}$")


@dataclass(frozen=True)
class LeftMessage:
    """A voicemail message as Twilio's recording webhooks describe it."""

    recording_sid: str
    call_sid: str
    business_id: int
    box: str
    url: str
    duration_s: int | None
    from_number: str | None = None


def message_domain(public_url: str) -> str:
    """Message-IDs end in our public host name, so they are unique to this installation."""
    return urlsplit(public_url).hostname or "greetline.invalid"


def message_id(recording_sid: str, address: str, domain: str) -> str:
    digest = hashlib.sha256(address.lower().encode()).hexdigest()[:16]
    return f"<voicemail.{recording_sid}.{digest}@{domain}>"


def voicemail_jobs(message: LeftMessage, box: Voicemail, domain: str) -> list[JobSpec]:
    """Our copy of the recording first, then an e-mail per address and a text per number."""
    sid = message.recording_sid

    def spec(kind: str, key: str, **args: str) -> JobSpec:
        return JobSpec(key, kind, {"recording_sid": sid, **args}, message.business_id, sid)

    found = [spec(KEEP_RECORDING, f"{KEEP_RECORDING}:{sid}")]
    found += [
        spec(
            VOICEMAIL_EMAIL,
            f"{VOICEMAIL_EMAIL}:{sid}:{address}",
            address=address,
            message_id=message_id(sid, address, domain),
        )
        for address in box.emails
    ]
    found += [spec(VOICEMAIL_SMS, f"{VOICEMAIL_SMS}:{sid}:{number}", number=number) for number in box.sms]
    return found
