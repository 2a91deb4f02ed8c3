"""Process-wide levers: what a served Greetline changes about its whole Python process, each with what it buys.

Every lever is here, and each is pulled from one place:
- the switch interval: the served app's lifespan (`tune_served_process`), in every worker process;
- freezing the heap: after the directory loaded documents (`HeapSettler`, which the voice webhook calls on a miss);
- no cyclic collection while a served app is imported and built, frozen afterwards: `greetline serve` and each of
  its workers (`built_without_collecting`);
- migrating in a forked child: `greetline serve` before its server starts (`in_forked_child`);
- the settings handed to workers through the environment: `greetline serve --workers N` (`hand_settings_to_workers`).
One process-wide hook stays with the store on purpose: the listener on every SQLAlchemy session's commit
(ivr.store.revisions) that lets a change saved in this process be heard by the next call without asking the
database. It is not tuning but correctness, needed wherever a session commits (the CLI, the worker, a test's
directory), so it is registered when the store is imported rather than pulled by a served app; it costs one dict
look-up per commit.
"""

import gc
import math
import os
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from ivr.settings import Settings

# How long the event loop waits at most for the GIL while a background thread (the call-log writer storing a batch,
# the jobs worker, a query in the thread pool) runs Python. CPython's default is 5 ms: on its own as much as the
# p99 target at 500 calls/s (issue 12), since a call arriving while the writer stores a batch waited for all of it.
SERVED_SWITCH_INTERVAL_S = 0.0005


def tune_served_process() -> None:
    """At the start of a served app. Only a served app pulls it: tests and the simulator's apps run no lifespan."""
    sys.setswitchinterval(SERVED_SWITCH_INTERVAL_S)


# Keeping Python's cyclic garbage collector from stopping the event loop over the directory's business data.
# With 10,000 businesses in memory the heap holds about 1.5 million objects, and each full collection walks all of
# them: 0.2-1.7 s with every call waiting (measured under load, issue 12), a few times while the directory fills and
# now and then afterwards. Business data lives until its document changes and is freed by reference counting, so
# once the directory has loaded documents, everything alive is moved out of the collector's sight (`gc.freeze`).
# What a freeze also keeps is the cyclic garbage young at that moment; freezing only after documents were loaded,
# and at most once per `FREEZE_EVERY_S`, keeps that to a few objects per change.
FREEZE_EVERY_S = 1.0


class HeapSettler:
    def __init__(self) -> None:
        self._frozen_at_loads = 0
        self._frozen_at = -math.inf

    def after_loading(self, documents_loaded: int) -> None:
        """`documents_loaded`: the directory's running count; a freeze when it grew since the last one."""
        now = time.monotonic()
        if documents_loaded != self._frozen_at_loads and now - self._frozen_at >= FREEZE_EVERY_S:
            self._frozen_at_loads, self._frozen_at = documents_loaded, now
            gc.freeze()


@contextmanager
def built_without_collecting() -> Iterator[None]:
    """Importing and building the served app makes about 200,000 objects that live as long as the process; the cyclic
    collector walked them again and again while they were made: about 0.15 s of the 1.2-1.3 s of CPU the imports take
    (issue 25, a first call within 3 s of the start). Paused meanwhile; what was built is then frozen out of its sight,
    as `HeapSettler` does for business data (the few cycles of garbage made meanwhile are kept with it)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


Argument = TypeVar("Argument")
Result = TypeVar("Result")


def in_forked_child(work: Callable[[Argument], Result], argument: Argument) -> Result:
    """`work(argument)` in a child process, so what it imports never loads into the server: migrating brought
    Alembic, about 10 MB of the server's idle memory (issue 12: idle memory 176 -> 84.5 MB, docs/benchmarks.md).

    Only before the server starts: fork copies this process as it is, which is safe while it runs no threads yet,
    and spares the child importing everything again. `work` and its result travel by pickle."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(1, mp_context=get_context("fork")) as child:
        return child.submit(work, argument).result()


def beside_in_forked_child(
    work: Callable[[Argument], Result], argument: Argument, then: Callable[[Result], None]
) -> None:
    """`work(argument)` and then `then(result)` in a child process forked now (before the server starts, as above),
    working while the server starts. The child reports by itself (it shares the server's standard error) and ends
    when done: a server stopped before that no longer matters to it. With a result to hand back (a process pool)
    it was left waiting for its parent's word for ever, and what it found was lost, whenever `serve` was stopped
    within seconds of its start: uvicorn ends a SIGTERM'd server by raising the signal again, so no exit handler
    runs (issue 25). A server ending normally (Ctrl-C) waits for it at exit, as for any child of multiprocessing.

    For what need not hold the server back: `serve`'s warning about texts from a landline read every stored document
    (10,000 of them: a second of CPU on the way to the first call, issue 25)."""
    import threading
    from multiprocessing import get_context

    child = get_context("fork").Process(target=_then, args=(work, argument, then), name="greetline-beside")
    child.start()
    threading.Thread(target=child.join, name="greetline-beside-reaper", daemon=True).start()  # no zombie left


def _then(work: Callable[[Argument], Result], argument: Argument, then: Callable[[Result], None]) -> None:
    then(work(argument))


def hand_settings_to_workers(settings: Settings) -> None:
    """Each worker of `greetline serve --workers N` builds its app from the environment (ivr.web.serving's
    `app_for_worker`): hand it the settings `serve` decided rather than read. Before the workers start."""
    os.environ["GREETLINE_PUBLIC_URL"] = settings.public_url
    os.environ["GREETLINE_INSECURE_DEV_MODE"] = "true" if settings.insecure_dev_mode else "false"
    # One secret for all of them (SQLite, none set): a login made through one worker is valid on the others.
    os.environ["GREETLINE_SESSION_SECRET"] = settings.session_secret or secrets.token_urlsafe(32)
