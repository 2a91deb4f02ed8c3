"""The local engine: faster-whisper (CTranslate2, int8 on the CPU), the caller's voice never leaves the machine.

The model loads on first use and stays loaded: the `base` model takes some seconds to load and 300 MB to hold.
faster-whisper is the optional extra `greetline[transcribe]`; it is imported only here, only when first used.
"""

import math
import threading
from typing import Any

from audio.transcribe.model import TranscriberError, Transcript, pick_language
from audio.transcribe.samples import Samples

# faster-whisper's own default and its README's: for a 60 s English voicemail with the `base` model greedy decoding
# (1) took 23 % less CPU time but wrote fewer of the words (69-73 % against 74-76 %; docs/benchmarks.md).
BEAM_SIZE = 5
# Whisper writes no timestamp tokens: measured on the same voicemail, 22-26 % less CPU time with as many of the words
# (77 % against 76 %). What it gives up: a window ends at 30 s rather than where a sentence ends, so a word spoken
# across a 30 s mark of speech can come out cut (a shorter message has no such mark), and nothing here reads the
# times.
WITHOUT_TIMESTAMPS = True


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
            # Only the caller's speech, found once for both steps below (each would run the VAD over the whole
            # recording again): it keeps Whisper from writing words into the caller's pauses.
            speech = _speech_only(samples)
            if len(speech) == 0:
                return Transcript("", languages[0], None, cut_short)
            _best, _probability, all_probabilities = model.detect_language(speech)
            language = pick_language(dict(all_probabilities), languages)
            segments, _info = model.transcribe(
                speech, language=language, beam_size=BEAM_SIZE, without_timestamps=WITHOUT_TIMESTAMPS
            )
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


def _speech_only(samples: Samples) -> Samples:
    """The stretches in which someone speaks, joined, as faster-whisper's `vad_filter` keeps them (Silero VAD with
    its default options)."""
    import numpy as np
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    chunks, _metadata = collect_chunks(samples, get_speech_timestamps(samples, VadOptions()))
    joined: Samples = np.concatenate(chunks, axis=0)
    return joined
