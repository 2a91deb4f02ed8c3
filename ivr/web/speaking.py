"""Speaking a business's texts after a save, off the request that saved them: the page answers at once and
updates itself when the recordings are ready; until then callers hear each text through Twilio's <Say>, as they
always did before a text had its recording.

One thread per process speaks, one business after another (speaking is CPU-bound ffmpeg and espeak work; two at
once on a small server would only slow both). A save while that business's texts are being spoken queues one
more round, which reads the document as it is then; saves that come while that round still waits share it.
"""

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ivr.usecases.rendering import RenderReport


class Speaker:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="greetline-speaking")
        self._latest: dict[str, Future[RenderReport]] = {}
        self._guard = threading.Lock()

    def soon(self, number: str, speak: Callable[[], "RenderReport"]) -> Future["RenderReport"]:
        """Speak the texts of the business answering `number` after what is queued; a round still waiting for its
        turn is shared (it will read the newest document when it starts)."""
        with self._guard:
            latest = self._latest.get(number)
            if latest is not None and not latest.running() and not latest.done():
                return latest
            future = self._pool.submit(speak)
            self._latest[number] = future
            return future

    def busy(self, number: str, wait_s: float = 0.0) -> bool:
        """Whether texts of that business are still being spoken, after waiting up to `wait_s` for them."""
        with self._guard:
            latest = self._latest.get(number)
        if latest is None:
            return False
        try:
            latest.exception(timeout=wait_s)  # a failed round is done too; its problems were the save's to show
        except TimeoutError:
            return True
        return False
