"""The worker in a thread beside the web server (the default of `greetline serve`)."""

import threading

from ivr.jobs.worker import Worker


class WorkerThread:
    def __init__(self, worker: Worker, poll_s: float, schedule_every_s: float) -> None:
        self.wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=worker.run_forever,
            args=(self._stop, self.wake, poll_s, schedule_every_s),
            name="greetline-jobs",
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float) -> None:
        """Ask the loop to stop and wait for the job in hand; one still sending after that is resumed later."""
        self._stop.set()
        self.wake.set()
        self._thread.join(timeout_s)
