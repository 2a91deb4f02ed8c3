"""Greetline's settings: one object, read from GREETLINE_* variables, passed to whatever needs it."""

from pathlib import Path
from typing import Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ivr.errors import ConfigurationError

DEFAULT_DATA_DIR = Path("var")
# S3's server-side encryption kinds (S3 API reference, PutObject, x-amz-server-side-encryption).
S3_SSE_KINDS = ("AES256", "aws:kms")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GREETLINE_", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'greetline.db'}"
    media_dir: Path = DEFAULT_DATA_DIR / "media"
    # Where audio lives (issue 13): unset or file://DIR keeps greetings in a local directory (media_dir, or DIR),
    # the speech cache in speech_cache_dir and voicemail in voicemail_dir; s3://BUCKET/PREFIX keeps all three in
    # one private bucket under PREFIX/media/, PREFIX/speech-cache/ and PREFIX/voicemail/, for several machines.
    # boto3 reads AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION itself.
    media_url: str | None = None
    # The bucket's server-side encryption of every object written (issue 24, "at rest"): AES256 (keys the store
    # manages, SSE-S3) or aws:kms with s3_sse_kms_key_id (SSE-KMS). Unset: the bucket's own default.
    s3_sse: str | None = None
    s3_sse_kms_key_id: str | None = None
    # The base URL Twilio calls; signatures are computed over it, so it must be exactly what Twilio sees.
    public_url: str = "http://127.0.0.1:8000"
    twilio_auth_token: str | None = None
    # Named loudly on purpose: without a token, webhooks are not verified. Only `make run` sets it.
    insecure_dev_mode: bool = False
    # Signs the admin page's session cookies. Unset: a random one per process (logins end on restart).
    session_secret: str | None = None
    # GREETLINE_REQUIRE_2FA=true: an owner without two-step login (TOTP) is sent to set it up before any other page.
    require_2fa: bool = False
    # Speech engines in the order they are tried (issue 4); the offline one last so an outage still speaks.
    tts_engines: tuple[str, ...] = ("gtts", "espeak")
    tts_timeout_s: float = 10.0
    # An HTTPS proxy for reaching Google's speech endpoint, for networks that need one.
    tts_proxy_url: str | None = None
    # Trust this CA for the speech endpoint (a TLS-inspecting proxy); the system's CAs otherwise.
    tts_tls_ca_path: Path | None = None
    tts_retries: int = 3
    tts_retry_base_delay_s: float = 1.0
    # How long an admin page's save waits for its new texts to be spoken before answering "being spoken" and
    # showing the recording when it is ready (ivr.web.speaking).
    speaking_grace_s: float = Field(default=1.0, ge=0)
    speech_cache_dir: Path = DEFAULT_DATA_DIR / "speech-cache"
    # Every business's routing as the fallback needs it, rewritten on every change: a server started while the
    # database is down still rings the staff. Keep it on local disk beside the database (not on a shared volume).
    snapshot_path: Path = DEFAULT_DATA_DIR / "routing-snapshot.json"
    # Call-log steps that did not fit in memory while the database was away; stored once it is back.
    call_log_spill_path: Path = DEFAULT_DATA_DIR / "call-log-spill.jsonl"
    # A served app stores its call log through a process of its own (ivr.store.call_log_child): the inserts then
    # cost the webhooks no CPU and no GIL. False: by a thread of the serving process.
    call_log_process: bool = True
    # Calls to numbers seen since the last change are answered from memory. A change made by this process, or by
    # another one on this machine (it rewrites the snapshot), is heard from the next call; one made by another
    # replica is heard by calls arriving this long after it (a cheap revision query at most this often). 0: always ask.
    directory_recheck_s: float = 0.25
    # A request's headers, and a small body, must arrive within this; slow clients are closed (issue 8).
    header_timeout_s: float = 10.0
    body_timeout_s: float = 10.0
    # Voicemail audio is private (medical data at a GP practice): kept here, never under media_dir.
    voicemail_dir: Path = DEFAULT_DATA_DIR / "voicemail"
    # After the call (issue 9). Without an SMTP URL or an account SID, deliveries are printed to the console.
    smtp_url: str | None = None
    mail_from: str = "Greetline <voicemail@greetline.invalid>"
    twilio_account_sid: str | None = None
    # Recordings are fetched only from this host; tests point it at a local fake of Twilio's REST API.
    twilio_api_url: str = "https://api.twilio.com"
    # Who texts come from: a mobile number or an alphanumeric sender ID ("Praktijk"); unset, a business's own
    # first number, which cannot send when it is a Dutch, Belgian, German or French landline (`lint`/`serve` warn).
    sms_from: str | None = None
    twilio_delete_recordings: bool = False
    # `greetline serve` runs the job worker in a thread unless this is false (then run `greetline worker`).
    embedded_worker: bool = True
    job_lease_s: float = 120.0
    job_poll_s: float = 1.0
    # Voicemail in words (issue 22). Neither set: no transcripts, and no message mentions them.
    # A model name (`base`, `small`, fetched from the model hub on first use) or a CTranslate2 model directory:
    # faster-whisper on this machine. With transcribe_url it names the server's model instead (default whisper-1).
    transcribe_model: str | None = None
    # An OpenAI-compatible API's base URL (https://api.openai.com/v1, a self-hosted faster-whisper server): the
    # caller's voice is sent there.
    transcribe_url: str | None = None
    transcribe_api_key: str | None = None
    # The e-mail waits at most this long after the recording is stored for its transcript, then goes without.
    transcribe_wait_s: float = 60.0
    # One recording's transcription (up to five minutes of audio) must end within this, or it is tried again.
    transcribe_timeout_s: float = 110.0
    # Calendar feeds (issue 26): fetched every calendar_every_s by the worker, each within calendar_timeout_s.
    # calendar_allow_private lets a feed be on a private or loopback address (and plain http): for tests and a
    # calendar server on one's own network only, as any business could then make the server fetch from it.
    calendar_every_s: float = Field(default=300.0, ge=10)
    calendar_timeout_s: float = Field(default=10.0, gt=0, le=60)
    calendar_allow_private: bool = False

    @field_validator(
        "smtp_url",
        "twilio_account_sid",
        "sms_from",
        "session_secret",
        "transcribe_model",
        "transcribe_url",
        "transcribe_api_key",
    )
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("sms_from")
    @classmethod
    def _sms_sender(cls, value: str | None) -> str | None:
        # Here, not at the top: `greetline audio` reads Settings and needs no phone number tables.
        from ivr.document.phones import sms_sender

        return sms_sender(value) if value else None

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("smtp://", "smtps://")):
            raise ValueError(
                "GREETLINE_SMTP_URL must look like smtp://user:pass@host:587 (STARTTLS when offered) "
                f"or smtps://user:pass@host:465 (TLS on connect), got {value.split('@')[-1]!r}"
            )
        return value

    @field_validator("s3_sse")
    @classmethod
    def _sse_kind(cls, value: str | None) -> str | None:
        if value and value not in S3_SSE_KINDS:
            raise ValueError(
                f"GREETLINE_S3_SSE must be AES256 or aws:kms (with GREETLINE_S3_SSE_KMS_KEY_ID), got {value!r}"
            )
        return value or None

    @model_validator(mode="after")
    def _kms_needs_a_key(self) -> Self:
        if self.s3_sse == "aws:kms" and not self.s3_sse_kms_key_id:
            raise ValueError("GREETLINE_S3_SSE=aws:kms needs GREETLINE_S3_SSE_KMS_KEY_ID: the KMS key's id or ARN")
        return self

    @field_validator("media_url")
    @classmethod
    def _media_url_scheme(cls, value: str | None) -> str | None:
        if not value:
            return None
        if value.startswith("s3://") and value[len("s3://") :].split("/")[0]:
            return value
        if value.startswith("file://") and len(value) > len("file://"):
            return value
        raise ValueError(
            f"GREETLINE_MEDIA_URL must be file:///path/to/dir or s3://BUCKET/PREFIX (AWS_ENDPOINT_URL_S3 for a store "
            f"that is not AWS), got {value!r}"
        )

    @field_validator("transcribe_url")
    @classmethod
    def _transcribe_url_is_absolute(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(
                f"GREETLINE_TRANSCRIBE_URL must be an API's base URL such as https://api.openai.com/v1, got {value!r}"
            )
        return value.rstrip("/") if value else value

    @field_validator("twilio_api_url")
    @classmethod
    def _api_url_is_absolute(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"GREETLINE_TWILIO_API_URL must start with https://, got {value!r}")
        return value.rstrip("/")

    @field_validator("public_url")
    @classmethod
    def _public_url_is_absolute(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"GREETLINE_PUBLIC_URL must start with http:// or https://, got {value!r}")
        return value.rstrip("/")

    @field_validator("twilio_auth_token")
    @classmethod
    def _empty_token_is_none(cls, value: str | None) -> str | None:
        return value or None

    def require_shared_sessions(self) -> None:
        """On PostgreSQL (several processes or machines) every server must sign logins with the same secret."""
        if self.session_secret is None and self.database_url.startswith("postgresql"):
            raise ConfigurationError(
                "GREETLINE_SESSION_SECRET is not set: on PostgreSQL set it to the same random value on every server "
                "(make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )

    def require_webhook_security(self) -> None:
        """Refuse to serve unverified webhooks unless insecure development mode was asked for by name."""
        if self.twilio_auth_token is None and not self.insecure_dev_mode:
            raise ConfigurationError(
                "GREETLINE_TWILIO_AUTH_TOKEN is not set: set it to your Twilio auth token, "
                "or start with --insecure-dev-mode for local development only"
            )
