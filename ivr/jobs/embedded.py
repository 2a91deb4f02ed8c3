"""The worker in a thread beside the web server (the default of `greetline serve`)."""

import threading

from ivr.jobs.worker import Worker


class WorkerThread:
    def __init__(self, worker: Worker, poll_s: float, schedule_every_s: float, start_after_s: float = 0.0) -> None:
        """`start_after_s`: how long after `start` the first round waits (its schedules read every business)."""
        self.wake = threading.Event()
        self._worker = worker
        self._stop = threading.Event()
        self._poll_s, self._schedule_every_s, self._start_after_s = poll_s, schedule_every_s, start_after_s
        self._thread = threading.Thread(target=self._run, name="greetline-jobs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        if not self._stop.wait(self._start_after_s):
            self._worker.run_forever(self._stop, self.wake, self._poll_s, self._schedule_every_s)

    def stop(self, timeout_s: float) -> None:
        """Ask the loop to stop and wait for the jobs in hand; one still sending after `timeout_s` is resumed later.

        Not for a schedule the thread may be in: with 10,000 businesses one reads every document when a worker
        starts, which held a server's stop back by the whole timeout (issue 25). The thread is a daemon; what it
        leaves undone is done again by the next start."""
        self._stop.set()
        self.wake.set()
        if self._worker.in_hand.acquire(timeout=timeout_s):
            self._worker.in_hand.release()  # no batch is claimed after this: the loop sees the stop first
