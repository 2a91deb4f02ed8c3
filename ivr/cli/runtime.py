"""The CLI's composition root: what its commands use, made from Settings in this one place.

`create_app` is the web's root; this is the command line's. A command opens one `runtime()` and takes from it the
database, the stores (ivr.audio_stores), the speech engines and the senders; each is made when the command first asks
for it (a `greetline export` opens no bucket client, a `greetline keys list` loads no speech engine), and what was
opened is closed when the command ends. Heavy modules are imported only there: `greetline serve` imports this
module (and `greetline audio …` does not import it at all).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from ivr.settings import Settings

if TYPE_CHECKING:
    from audio.tts import SpeechEngine
    from ivr.audio_stores import Storage
    from ivr.messages.senders import Senders
    from ivr.store.businesses import StoredBusiness
    from ivr.store.database import Database
    from ivr.usecases.rendering import RenderReport


def load_settings(*, insecure_dev_mode: bool = False) -> Settings:
    """The GREETLINE_* environment, read once per command (only `serve` has --insecure-dev-mode to add)."""
    return Settings(insecure_dev_mode=True) if insecure_dev_mode else Settings()


def migrate(settings: Settings) -> list[str]:
    """The database schema, and the bucket when audio lives in S3; returns what was done besides."""
    from ivr.audio_stores import prepare_storage
    from ivr.store.migrate import upgrade_if_behind

    upgrade_if_behind(settings.database_url)
    created = prepare_storage(settings)
    return [created] if created else []


class Runtime:
    """What one command uses, each part made on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def database(self) -> "Database":
        from ivr.store.database import Database

        # With the routing snapshot: a change saved here is heard by a server on this machine from its next call.
        return Database(self.settings.database_url, self.settings.snapshot_path)

    @cached_property
    def audio(self) -> "Storage":
        from ivr.audio_stores import storage

        return storage(self.settings)

    @cached_property
    def engines(self) -> "list[SpeechEngine]":
        from ivr.usecases.rendering import speech_engines

        return speech_engines(self.settings)

    @cached_property
    def senders(self) -> "Senders":
        from ivr.messages.senders import senders

        return senders(self.settings)

    def migrate(self) -> list[str]:
        return migrate(self.settings)

    def renderer(self) -> "Callable[[StoredBusiness], RenderReport]":
        """Speaks one stored business's texts with this runtime's database, stores and engines (safe to call from
        several threads: the parts are made here, before any of them runs)."""
        from ivr.usecases.rendering import render_business

        database, media, cache, engines = self.database, self.audio.media, self.audio.speech, self.engines

        def render(stored: "StoredBusiness") -> "RenderReport":
            return render_business(database, stored, media=media, engines=engines, cache=cache, now=datetime.now(UTC))

        return render

    def close(self) -> None:
        if "database" in self.__dict__:  # made: its pool is ours to close
            self.database.dispose()


@contextmanager
def runtime(settings: Settings | None = None) -> Iterator[Runtime]:
    """`settings` None: from the environment."""
    opened = Runtime(settings if settings is not None else load_settings())
    try:
        yield opened
    finally:
        opened.close()
