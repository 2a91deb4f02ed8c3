"""Which speech engines were out of reach lately, so that the texts that follow go straight to the next engine.

Google's endpoint, when unreachable (no network, a proxy down), costs each text its timeout times its attempts
before the offline engine speaks it: with the defaults about 8 s a save on the admin page. One engine found out
of reach (audio.errors.AudioCode.SPEECH_UNREACHABLE, after its own retries) is skipped for UNREACHABLE_REMEMBERED_S;
after that it is tried first again, so a network that comes back brings the preferred voice back with it. A
refusal for one text (a text Google cannot speak) is not remembered: the next text may be fine.
"""

import threading
import time
from collections.abc import Callable, Sequence

from audio.errors import AudioCode
from audio.tts.engines import SpeechEngine
from audio.tts.errors import EngineFailure

# Five minutes: long enough that a page of texts saved one after another waits once, short enough that a network
# back up is used again within the same coffee break.
UNREACHABLE_REMEMBERED_S = 300.0


class Reach:
    """Shared by every text a process speaks (thread-safe); `clock` in seconds, monotonic."""

    def __init__(
        self, remember_s: float = UNREACHABLE_REMEMBERED_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._remember_s = remember_s
        self._clock = clock
        self._out_until: dict[str, float] = {}
        self._guard = threading.Lock()

    def usable(self, engines: Sequence[SpeechEngine]) -> list[SpeechEngine]:
        """The engines not out of reach lately, in their order; all of them when every one is (try again rather
        than speak nothing)."""
        now = self._clock()
        with self._guard:
            reachable = [engine for engine in engines if self._out_until.get(engine.name, 0.0) <= now]
        return reachable or list(engines)

    def heard(self, failures: Sequence[EngineFailure]) -> None:
        """The failures of one text: those that were out of reach are remembered."""
        until = self._clock() + self._remember_s
        with self._guard:
            for failure in failures:
                if failure.code == AudioCode.SPEECH_UNREACHABLE:
                    self._out_until[failure.engine] = until

    def out_of_reach(self) -> list[str]:
        now = self._clock()
        with self._guard:
            return sorted(name for name, until in self._out_until.items() if until > now)
