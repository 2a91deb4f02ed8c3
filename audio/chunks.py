"""Sample-wise operations that look a few samples around each one, run over a long signal chunk by chunk.

Each chunk is cut with the neighbours its window needs, so the result
equals the operation on the whole signal while the temporaries stay the size of a chunk, not of five minutes.
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

CHUNK_SAMPLES = 1 << 16


def windowed(
    values: NDArray[np.float32],
    before: int,
    after: int,
    operation: Callable[[NDArray[np.float32]], NDArray[np.float32]],
    *,
    silent_outside: bool = False,
) -> NDArray[np.float32]:
    """`operation` gets a stretch with `before` extra samples in front and `after` behind, and returns one
    value for each sample between them. Outside the signal: its end samples repeated, or silence."""
    count = len(values)
    result = np.empty(count, np.float32)
    for start in range(0, count, CHUNK_SAMPLES):
        stop = min(count, start + CHUNK_SAMPLES)
        lo, hi = start - before, stop + after
        stretch = values[max(0, lo) : min(count, hi)]
        if lo < 0 or hi > count:
            first, last = (0.0, 0.0) if silent_outside else (values[0], values[-1])
            stretch = np.concatenate(
                (np.full(max(0, -lo), first, np.float32), stretch, np.full(max(0, hi - count), last, np.float32))
            )
        result[start:stop] = operation(stretch)
    return result
