"""What the routes share: built once in create_app, handed to routes as one typed dependency."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Protocol

from fastapi import Depends, Request
from starlette.types import ASGIApp

from audio.media import MediaStore
from audio.tts.cache import SpeechCache
from audio.tts.reach import Reach
from ivr.audio_stores import Storage
from ivr.console.feed import ConsoleFeed
from ivr.messages.simulated import SimulatedMessages
from ivr.messages.voicemail_copies import VoicemailAudio
from ivr.routing.directory import Directory
from ivr.settings import Settings
from ivr.store.calls import CallEntry
from ivr.store.database import Database
from ivr.twiml import TwimlRenderer
from ivr.web.first_answers import FirstAnswers
from ivr.web.logins import LoginGuard
from ivr.web.process_levers import HeapSettler
from ivr.web.speaking import Speaker

if TYPE_CHECKING:
    from ivr.privacy.deleters import Holders
    from ivr.usecases.rendering import RenderReport

Clock = Callable[[], datetime]

# The ASGI scope key under which a preview's requests carry Services of their own (ivr.web.preview).
PREVIEW_SERVICES = "greetline.preview_services"


def utc_now() -> datetime:
    return datetime.now(UTC)


class CallLog(Protocol):
    """Where webhooks hand their steps (ivr.store.call_log.CallLogWriter; nowhere for a preview)."""

    def record(self, entry: CallEntry) -> None: ...

    def flush(self, timeout_s: float = ...) -> bool: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Services:
    settings: Settings
    database: Database
    directory: Directory
    renderer: TwimlRenderer
    call_log: CallLog
    clock: Clock
    # Greetings (uploaded and rendered), in the directory or bucket GREETLINE_MEDIA_URL names.
    media: MediaStore
    # Our private copies of voicemail recordings: served only to the business's staff and API keys.
    voicemails: VoicemailAudio
    # Speech already made, by engine, voice and text (beside the greetings).
    speech: SpeechCache
    # The app these serve: a preview's requests go into it in-process (ivr.web.preview), no second app is built.
    app: ASGIApp
    # Where a simulated call's messages go instead of the outbox: printed (ivr.messages.simulated).
    simulated_messages: SimulatedMessages
    logins: LoginGuard = field(default_factory=LoginGuard)
    # Moves the directory's loaded business data out of the garbage collector's full passes.
    heap: HeapSettler = field(default_factory=HeapSettler)
    # Each business's first answer to a call, decided and rendered once per situation.
    first_answers: FirstAnswers = field(default_factory=FirstAnswers)
    # Tells an embedded job worker that new deliveries are stored (so it need not wait for its next poll).
    jobs_waiting: Callable[[], None] = lambda: None
    # Which speech engines were out of reach lately: a page's next texts go straight to the offline engine.
    reach: Reach = field(default_factory=Reach)
    # Speaks a business's texts after a save, off the request (ivr.web.speaking).
    speaking: Speaker = field(default_factory=Speaker)
    # The answering services' consoles: a call put through pops up its card (ivr.console.feed); none for a preview.
    console: ConsoleFeed | None = None

    def audio(self) -> Storage:
        """The app's stores as one, for rendering and speaking texts within a request."""
        return Storage(self.media, self.speech, self.voicemails)

    def privacy_holders(self) -> "Holders":
        """Everywhere a caller's data is, for an export or an erasure from the page: Twilio's copy made from the
        settings when asked (a request that erases is rare; a server answering calls never makes it)."""
        from ivr.messages.senders import senders
        from ivr.privacy.deleters import Holders

        return Holders(self.database, self.voicemails, senders(self.settings).recordings)

    def speak_texts(self, number: str) -> "RenderReport":
        """Speak the texts of the business answering `number` now, with the app's database and stores; until a text
        has its recording, callers hear it spoken by Twilio's <Say>."""
        from ivr.usecases.rendering import (  # numpy and the engines load with the first text
            render_number,
            speech_engines,
        )

        return render_number(self.database, self.audio(), speech_engines(self.settings), number, reach=self.reach)


def get_services(request: Request) -> Services:
    services: Services = request.scope.get(PREVIEW_SERVICES) or request.app.state.services
    return services


async def _services_dependency(request: Request) -> Services:
    # async: FastAPI runs a plain `def` dependency in a worker thread, a hop per request for a dict lookup.
    return get_services(request)


ServicesDep = Annotated[Services, Depends(_services_dependency)]
