"""The samples every engine reads: mono float32 at Whisper's 16 kHz."""

import numpy as np
import numpy.typing as npt

RATE_HZ = 16000
Samples = npt.NDArray[np.float32]
