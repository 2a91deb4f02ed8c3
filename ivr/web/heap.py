"""Keeping Python's cyclic garbage collector from stopping the event loop over the directory's business data.

With 10,000 businesses in memory the heap holds about 1.5 million objects, and each full collection walks all of
them: 0.2-1.7 s with every call waiting (measured under load, issue 12), a few times while the directory fills and
now and then afterwards. Business data lives until its document changes and is freed by reference counting, so
once the directory has loaded documents, everything alive is moved out of the collector's sight (`gc.freeze`).
What a freeze also keeps is the cyclic garbage young at that moment; freezing only after documents were loaded,
and at most once per `FREEZE_EVERY_S`, keeps that to a few objects per change.
"""

import gc
import math
import time

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
