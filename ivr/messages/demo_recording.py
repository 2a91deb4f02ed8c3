"""In development mode a voicemail has a recording of its own (issue 21): there is no Twilio account to fetch the
caller's from, so the demo inbox would show a message it cannot play and the transcriber would have nothing to
listen to. A short spoken sample stands in for it, made on this machine by the offline speech engine.

Only where nothing can reach a real person: `--insecure-dev-mode` with neither GREETLINE_SMTP_URL nor a Twilio
account (as `make run`), so every delivery is printed on the console and says so in the inbox.
"""

import functools
from dataclasses import replace

from audio.ffmpeg import run_ffmpeg
from audio.tts import EspeakEngine
from ivr.messages.outbox import LeftMessage
from ivr.settings import Settings
from ivr.store import calls
from ivr.store.database import Database
from ivr.store.jobs import utc

# The caller speaks English: the `base` model `make run` uses writes espeak-ng's English well and its Dutch, German
# and French voices poorly (docs/benchmarks.md), and a transcript in the caller's language is what the demo shows.
SAMPLE_LANGUAGE = "en"
SAMPLE_TEXT = (
    "Hello, this is Peter Smith. I am calling about my appointment tomorrow morning. "
    "Could you please call me back this afternoon? Thank you."
)
SYNTHESIS_TIMEOUT_S = 20.0


def demo_inbox(settings: Settings) -> bool:
    """Development mode with nothing configured that could send: a simulated call's voicemail goes into the inbox
    (with the sample as its recording) instead of only being printed."""
    return settings.insecure_dev_mode and not settings.smtp_url and not settings.twilio_account_sid


@functools.cache
def spoken_sample() -> bytes:
    """The sample as Twilio sends a recording: an 8 kHz mono MP3 (made once per process)."""
    wav = EspeakEngine(timeout_s=SYNTHESIS_TIMEOUT_S).synthesize(SAMPLE_TEXT, SAMPLE_LANGUAGE)
    arguments = ["-i", "pipe:0", "-ac", "1", "-ar", "8000", "-b:a", "32k", "-f", "mp3", "pipe:1"]
    return run_ffmpeg(arguments, wav, refuse_as="the development mode's sample recording could not be made")


def at_the_calls_time(database: Database, message: LeftMessage) -> LeftMessage:
    """A simulated call's message as left when the call was (`greetline call --at 22:00`), not when it was simulated:
    the inbox lists it at the hour the demo tried. The call log must hold the call already."""
    if message.started_at is not None:
        return message
    with database.transaction() as session:
        call = calls.get(session, message.call_sid)
    return replace(message, started_at=utc(call.started_at)) if call is not None else message
