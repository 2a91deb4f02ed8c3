"""What every stored greeting meets, and the limits of what we accept; no heavy imports, so the CLI can name them.

Loudness -19 LUFS and true peak -1.5 dBTP are the project's telephone targets (the issue's "comfortable
loudness"), measured per ITU-R BS.1770 on the decoded 8 kHz μ-law file.
"""

TARGET_LUFS = -19.0
# Below about -35 LUFS speech drowns in μ-law's quantisation noise; above -10 LUFS it cannot stay under the
# peak ceiling without audible limiting.
TARGET_RANGE_LUFS = (-35.0, -10.0)
PEAK_CEILING_DBTP = -1.5
LOUDNESS_PROMISE_LU = 0.5  # what every stored greeting meets, or it is refused
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MIN_DURATION_S = 0.5
MAX_DURATION_S = 300.0
# Longer than this, callers stop listening (see the greeting checker).
LONGEST_S: dict[str, float] = {"welcome": 10.0, "info": 30.0}
