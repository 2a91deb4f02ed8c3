"""What a speech engine is, and how the configured engine order becomes engines."""

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from audio.tts.errors import SpeechError
from audio.tts.espeak_engine import EspeakEngine


class SpeechEngine(Protocol):
    """Blocking text-to-speech; run it in a worker thread, a job or the CLI, never on the event loop.

    `synthesize` returns encoded audio (mp3 or wav) or raises SpeechError with a reason a business owner can act on.
    """

    name: str

    def voice(self, language: str) -> str: ...

    def synthesize(self, text: str, language: str) -> bytes: ...


def build_engines(
    order: Sequence[str],
    *,
    timeout_s: float,
    proxy_url: str | None = None,
    retries: int = 3,
    retry_base_delay_s: float | None = None,
    tls_ca_path: Path | None = None,
) -> list[SpeechEngine]:
    """`retry_base_delay_s`: the first pause before asking Google again; None keeps the engine's own."""
    # gTTS brings requests and its own modules (about 7 MB): loaded when engines are built, not with this package,
    # so a server that only answers calls never holds them (issue 12: idle memory).
    from audio.tts.gtts_engine import GttsEngine

    factories: dict[str, Callable[[], SpeechEngine]] = {
        "gtts": lambda: GttsEngine(
            timeout_s=timeout_s,
            retries=retries,
            retry_base_delay_s=retry_base_delay_s,
            proxy_url=proxy_url,
            tls_ca_path=tls_ca_path,
        ),
        "espeak": lambda: EspeakEngine(timeout_s=timeout_s),
    }
    valid = ", ".join(factories)
    if not order:
        raise SpeechError(f"the speech engine order is empty; list one or more of: {valid}")
    unknown = [name for name in order if name not in factories]
    if unknown:
        raise SpeechError(f"unknown speech engine {', '.join(map(repr, unknown))}; valid engines are: {valid}")
    repeated = sorted({name for name in order if order.count(name) > 1})
    if repeated:
        raise SpeechError(f"speech engine {', '.join(map(repr, repeated))} is listed more than once; list each once")
    return [factories[name]() for name in order]
