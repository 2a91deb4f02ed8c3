"""Which deliveries a message makes: one per e-mail address and one per SMS number of its box, as jobs.

Each delivery gets its stable Message-ID here, when the message is taken in, so a copy sent again after a
crash carries the same one and mail programs fold the two.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from ivr.callflow.model import Voicemail
from ivr.store.jobs import JobSpec

KEEP_RECORDING = "keep-recording"
VOICEMAIL_EMAIL = "voicemail-email"
VOICEMAIL_SMS = "voicemail-sms"
TRANSCRIBE = "transcribe"
# A text that goes only if the message turns out urgent (a box's urgent_sms numbers).
URGENT = "urgent"

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
    # The path labels that led to the box and the ring count then, as the webhooks' URLs carried them.
    route: tuple[str, ...] = ()
    rings: int | None = None
    # When the caller began it, as Twilio tells (RecordingStartTime, or a listed recording's start_time).
    started_at: datetime | None = None


# RFC 5322 §3.6.4: msg-id = "<" id-left "@" id-right ">", each a dot-atom-text (§3.2.3): runs of atext joined by
# single dots. No ':' and no other special may appear; mail software cuts an id at the first one.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
DOT_ATOM_TEXT = re.compile(rf"^{_ATEXT}+(\.{_ATEXT}+)*$")
_NOT_ATEXT = re.compile(r"[^A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")


def message_domain(public_url: str) -> str:
    """Message-IDs end in our public host name, so they are unique to this installation (an IPv6 literal is not a
    dot-atom-text, so such a host gives the reserved .invalid name)."""
    host = urlsplit(public_url).hostname or ""
    return host if DOT_ATOM_TEXT.match(host) else "greetline.invalid"


def _atom(text: str) -> str:
    return _NOT_ATEXT.sub("-", text) or "-"


def message_id(kind: str, subject: str, address: str, domain: str) -> str:
    """The one maker of our Message-IDs: `<kind.subject.digest@domain>`, a valid RFC 5322 msg-id, the same for the
    same kind, subject (a SID, a day, a note) and address, so a copy sent again folds with the first."""
    digest = hashlib.sha256(address.lower().encode()).hexdigest()[:16]
    right = domain if DOT_ATOM_TEXT.match(domain) else "greetline.invalid"
    return f"<{_atom(kind)}.{_atom(subject)}.{digest}@{right}>"


def voicemail_jobs(
    message: LeftMessage, box: Voicemail, domain: str, transcribe_until: datetime | None = None
) -> list[JobSpec]:
    """Our copy of the recording first, then an e-mail per address and a text per number.

    `transcribe_until`: a transcriber is set; the message is transcribed, and its e-mails and texts wait for the
    words until then at most (the transcription lets them go as soon as it is done).
    """
    sid = message.recording_sid

    def spec(kind: str, key: str, **args: str) -> JobSpec:
        held = transcribe_until if kind in (VOICEMAIL_EMAIL, VOICEMAIL_SMS) else None
        return JobSpec(key, kind, {"recording_sid": sid, **args}, message.business_id, sid, held)

    found = [spec(KEEP_RECORDING, f"{KEEP_RECORDING}:{sid}")]
    if transcribe_until is not None:
        found.append(spec(TRANSCRIBE, f"{TRANSCRIBE}:{sid}"))
    found += [
        spec(
            VOICEMAIL_EMAIL,
            f"{VOICEMAIL_EMAIL}:{sid}:{address}",
            address=address,
            message_id=message_id("voicemail", sid, address, domain),
        )
        for address in box.emails
    ]
    found += [spec(VOICEMAIL_SMS, f"{VOICEMAIL_SMS}:{sid}:{number}", number=number) for number in box.sms]
    if transcribe_until is not None:  # only words tell an urgent message: without a transcriber, none is
        found += [
            spec(VOICEMAIL_SMS, f"{VOICEMAIL_SMS}:{sid}:{number}:urgent", number=number, only_if=URGENT)
            for number in box.urgent_sms
            if number not in box.sms
        ]
    return found
