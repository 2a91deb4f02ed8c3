"""The outside things a delivery talks to, each behind a Protocol, made from Settings in one place (`senders`).

E-mail goes through the standard library's smtplib, texts through twilio's own REST client, recordings are
fetched with httpx from Twilio's REST API only. Without an SMTP URL or a Twilio account, deliveries are
printed to the console so `make run` shows the whole story.
"""

import logging
import smtplib
import ssl
import sys
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol, TextIO
from urllib.parse import unquote, urlsplit

from ivr.jobs.model import PRINTED, PermanentFailure
from ivr.messages.compose import Email, Sms
from ivr.messages.failures import DeliveryCode
from ivr.messages.twilio_calls import CallLister, TwilioCalls
from ivr.settings import Settings

log = logging.getLogger("greetline.messages")

# Generous for a mail with a two-minute MP3 on a slow server; far below the job lease.
SEND_TIMEOUT_S = 30.0
SMTP_PORT = 587
SMTPS_PORT = 465
# At most this many recordings per reconciliation; more in one window means something else is badly wrong.
RECONCILE_LIMIT = 1000
# SMTP replies 5xx are final (RFC 5321 §4.2.1); 4xx and broken connections are worth another try.
PERMANENT_SMTP_CODES = range(500, 600)


# A sender's send returns None when the message went out, or PRINTED when it was only printed on the console.
class Mailer(Protocol):
    def send(self, mail: Email, sender: str) -> str | None: ...


class TextSender(Protocol):
    def send(self, text: Sms) -> str | None: ...


@dataclass(frozen=True)
class ListedRecording:
    recording_sid: str
    call_sid: str
    duration_s: int | None
    url: str
    # When the caller began the message (the resource's start_time, else its date_created).
    started_at: datetime | None = None


class RecordingFetcher(Protocol):
    def fetch(self, url: str) -> bytes: ...

    def delete(self, url: str) -> None: ...

    def recent(self, since: datetime) -> list[ListedRecording]: ...


def mime_message(mail: Email, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, mail.to, mail.subject
    message["Message-ID"] = mail.message_id
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message.set_content(mail.body)
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.file_name)
    return message


class SmtpMailer:
    """smtp://user:pass@host:port (STARTTLS when the server offers it) or smtps:// (TLS from the start)."""

    def __init__(self, url: str, local_hostname: str, timeout_s: float = SEND_TIMEOUT_S) -> None:
        parts = urlsplit(url)
        # Given, not looked up: smtplib would ask DNS for our name on every connection.
        self._local_hostname = local_hostname
        # Made once: loading the system's CAs costs tens to hundreds of milliseconds each time.
        self._tls = ssl.create_default_context()
        self._tls_on_connect = parts.scheme == "smtps"
        self._host = parts.hostname or "localhost"
        self._port = parts.port or (SMTPS_PORT if self._tls_on_connect else SMTP_PORT)
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self._timeout_s = timeout_s

    def _connect(self) -> smtplib.SMTP:
        name = self._local_hostname
        if self._tls_on_connect:
            return smtplib.SMTP_SSL(
                self._host, self._port, local_hostname=name, timeout=self._timeout_s, context=self._tls
            )
        client = smtplib.SMTP(self._host, self._port, local_hostname=name, timeout=self._timeout_s)
        client.ehlo()
        if client.has_extn("starttls"):
            client.starttls(context=self._tls)
            client.ehlo()
        return client

    def send(self, mail: Email, sender: str) -> None:
        try:
            with self._connect() as client:
                if self._user is not None:
                    client.login(self._user, self._password or "")
                client.send_message(mime_message(mail, sender))
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            if all(code in PERMANENT_SMTP_CODES for code in codes):
                raise PermanentFailure(
                    f"the mail server refuses {mail.to}: {error.recipients}", DeliveryCode.MAIL_REFUSED, to=mail.to
                ) from None
            raise
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
            if error.smtp_code in PERMANENT_SMTP_CODES:
                raise PermanentFailure(
                    f"the mail server refuses the message: {error.smtp_code} {error.smtp_error!r}",
                    DeliveryCode.MAIL_REFUSED,
                    to=mail.to,
                ) from None
            raise
        except smtplib.SMTPAuthenticationError as error:
            raise PermanentFailure(
                f"SMTP login refused ({error.smtp_code}); check GREETLINE_SMTP_URL", DeliveryCode.MAIL_LOGIN_REFUSED
            ) from None


class ConsoleMailer:
    """`reason`: why the mail is printed rather than sent, said in its header."""

    def __init__(self, stream: TextIO | None = None, *, reason: str = "no GREETLINE_SMTP_URL; not sent") -> None:
        self._stream = stream
        self._reason = reason

    def send(self, mail: Email, sender: str) -> str:
        attached = ", ".join(f"{a.file_name} ({len(a.data)} bytes)" for a in mail.attachments) or "none"
        print(
            f"--- e-mail ({self._reason}) ---\nFrom: {sender}\nTo: {mail.to}\n"
            f"Subject: {mail.subject}\nMessage-ID: {mail.message_id}\nAttachments: {attached}\n\n{mail.body}---",
            file=self._stream or sys.stdout,
            flush=True,
        )
        return PRINTED


class TwilioTexts:
    """Texts through twilio's REST client, pointed at GREETLINE_TWILIO_API_URL."""

    def __init__(self, account_sid: str, auth_token: str, api_url: str) -> None:
        from twilio.rest import Client

        self._client = Client(account_sid, auth_token)
        # The client builds every Messages URL from its API domain's base_url; tests set a local server here.
        self._client.api.base_url = api_url

    def send(self, text: Sms) -> None:
        from twilio.base.exceptions import TwilioRestException

        try:
            self._client.messages.create(to=text.to, from_=text.sender, body=text.body)
        except TwilioRestException as error:
            # 4xx but 429 is a request Twilio will never take (a bad number, a blocked sender); retrying won't help.
            if 400 <= error.status < 500 and error.status != 429:
                raise PermanentFailure(
                    f"Twilio refused the text to {text.to}: {error.status} {error.msg}",
                    DeliveryCode.TEXT_REFUSED,
                    to=text.to,
                ) from None
            raise


class ConsoleTexts:
    def __init__(
        self, stream: TextIO | None = None, *, reason: str = "no GREETLINE_TWILIO_ACCOUNT_SID; not sent"
    ) -> None:
        self._stream = stream
        self._reason = reason

    def send(self, text: Sms) -> str:
        print(
            f"--- SMS ({self._reason}) ---\nFrom: {text.sender}\nTo: {text.to}\n{text.body}\n---",
            file=self._stream or sys.stdout,
            flush=True,
        )
        return PRINTED


class ForeignRecordingHost(PermanentFailure):
    pass


def _aware(moment: object) -> datetime | None:
    """twilio's client reads the RFC 2822 times into datetimes, or leaves the text when it cannot."""
    return moment if isinstance(moment, datetime) and moment.tzinfo is not None else None


class TwilioRecordings:
    """Recordings from Twilio's REST API only (HTTP basic auth with the account SID and auth token)."""

    def __init__(self, account_sid: str, auth_token: str, api_url: str, timeout_s: float = SEND_TIMEOUT_S) -> None:
        self._auth = (account_sid, auth_token)
        self._api_url = api_url
        self._origin = urlsplit(api_url)
        import httpx  # only a worker fetches recordings: a server answering calls never loads it

        # One client for every request: its TLS context and connections are made once.
        self._http = httpx.Client(auth=self._auth, timeout=timeout_s, follow_redirects=False)

    def recent(self, since: datetime) -> list[ListedRecording]:
        """The account's completed recordings created since then, through twilio's REST client."""
        from twilio.rest import Client

        client = Client(*self._auth)
        client.api.base_url = self._api_url
        account_sid = self._auth[0]
        found = client.api.v2010.account.recordings.list(date_created_after=since, limit=RECONCILE_LIMIT)
        return [
            ListedRecording(
                recording.sid,
                recording.call_sid,
                int(recording.duration) if str(recording.duration or "").isdigit() else None,
                f"{self._api_url}/2010-04-01/Accounts/{account_sid}/Recordings/{recording.sid}",
                _aware(recording.start_time) or _aware(recording.date_created),
            )
            for recording in found
            if recording.status == "completed"
        ]

    def _checked(self, url: str) -> str:
        found = urlsplit(url)
        if (found.scheme, found.netloc) != (self._origin.scheme, self._origin.netloc):
            log.warning("refused to fetch recording %r: not on %s", url[:200], self._origin.netloc)
            raise ForeignRecordingHost(f"recording URL {url[:200]!r} is not on GREETLINE_TWILIO_API_URL; not fetched")
        return url

    def fetch(self, url: str) -> bytes:
        # No redirects: a redirect could lead the credentials' request elsewhere.
        response = self._http.get(self._checked(url) + ".mp3")
        if response.status_code == 404:
            raise PermanentFailure(
                f"Twilio has no recording at {url} (404); was it deleted?", DeliveryCode.RECORDING_GONE
            )
        response.raise_for_status()
        return response.content

    def delete(self, url: str) -> None:
        response = self._http.delete(self._checked(url) + ".json")
        if response.status_code not in (204, 404):
            response.raise_for_status()


@dataclass(frozen=True)
class Senders:
    mailer: Mailer
    texts: TextSender
    # None: no Twilio account configured, so recordings cannot be fetched (messages go without the audio).
    recordings: RecordingFetcher | None
    mail_from: str
    sms_from: str | None
    # The account's calls, for the call log's recovery; None without a Twilio account.
    calls: CallLister | None = None


def senders(settings: Settings) -> Senders:
    """The one place the senders are made from Settings."""
    host = urlsplit(settings.public_url).hostname or "localhost"
    mailer: Mailer = SmtpMailer(settings.smtp_url, host) if settings.smtp_url else ConsoleMailer()
    sid, token = settings.twilio_account_sid, settings.twilio_auth_token
    if sid and token:
        return Senders(
            mailer,
            TwilioTexts(sid, token, settings.twilio_api_url),
            TwilioRecordings(sid, token, settings.twilio_api_url),
            settings.mail_from,
            settings.sms_from,
            TwilioCalls(sid, token, settings.twilio_api_url),
        )
    return Senders(mailer, ConsoleTexts(), None, settings.mail_from, settings.sms_from)
