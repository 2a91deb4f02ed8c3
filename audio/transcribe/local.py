"""The local engine: faster-whisper (CTranslate2, int8 on the CPU), the caller's voice never leaves the machine.

The model loads on first use and stays loaded: the `base` model takes some seconds to load and 300 MB to hold.
faster-whisper is the optional extra `greetline[transcribe]`; it is imported only here, only when first used.
"""

import math
import threading
from typing import Any

from audio.transcribe.model import TranscriberError, Transcript, pick_language
from audio.transcribe.samples import Samples

# Greedy decoding: beam search (5) took 26 s where greedy took 23 s for 6 s of English espeak-ng speech with the
# `base` model on a busy 2-core machine, and found no more of the words.
BEAM_SIZE = 5


class LocalWhisper:
    """`model`: a name faster-whisper fetches from the model hub on first use (`base`, `small`, ...) or a
    directory holding a CTranslate2 model (`make setup` assembles `base` in var/models/whisper-base)."""

    def __init__(self, model: str, cpu_threads: int = 0) -> None:
        self._model_name = model
        self._cpu_threads = cpu_threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from faster_whisper import WhisperModel
                except ImportError:
                    raise TranscriberError(
                        "GREETLINE_TRANSCRIBE_MODEL is set but faster-whisper is not installed: "
                        "pip install 'greetline[transcribe]' (make setup does)"
                    ) from None
                try:
                    self._model = WhisperModel(
                        self._model_name, device="cpu", compute_type="int8", cpu_threads=self._cpu_threads
                    )
                except Exception as error:  # a missing directory, a hub out of reach, a model of another format
                    raise TranscriberError(f"could not load the model {self._model_name!r}: {error}") from error
            return self._model

    def transcribe(self, samples: Samples, languages: tuple[str, ...], cut_short: bool) -> Transcript:
        model = self._loaded()
        try:
            _best, _probability, all_probabilities = model.detect_language(samples, vad_filter=True)
            language = pick_language(dict(all_probabilities), languages)
            # The VAD filter keeps Whisper from writing words into the caller's pauses.
            segments, _info = model.transcribe(samples, language=language, beam_size=BEAM_SIZE, vad_filter=True)
            found = list(segments)
        except Exception as error:
            raise TranscriberError(f"the model could not transcribe the recording: {error}") from error
        text = " ".join(segment.text.strip() for segment in found).strip()
        spoken_s = sum(segment.end - segment.start for segment in found)
        confidence = (
            sum(math.exp(segment.avg_logprob) * (segment.end - segment.start) for segment in found) / spoken_s
            if spoken_s > 0
            else None
        )
        return Transcript(text, language, confidence, cut_short)
