"""Google Translate's voices through gTTS, made safe to depend on.

gTTS does the language work: it cleans the text, cuts it into chunks of at most 100 characters at punctuation
and packs each into Google's batchexecute rpc envelope. Its own `gTTS.stream()` is not used to send them,
because (gTTS 2.5.4, gtts/tts.py) it has no timeout by default, never retries, disables TLS verification, takes
a proxy only from process-wide environment variables, and on an answer without the audio line yields nothing,
so `save()` writes an empty file. Here each prepared chunk is sent with a timeout, retried with backoff when
Google is busy or unreachable, through an explicitly configured proxy, and the answer must carry audio.
"""

import base64
import binascii
import re
import time
from collections.abc import Mapping
from pathlib import Path

import requests
from gtts import gTTS

from audio.errors import AudioCode
from audio.tts.errors import SpeechError
from audio.tts.languages import require_supported

GOOGLE_LANGUAGES: Mapping[str, str] = {"nl": "nl", "en": "en", "de": "de", "fr": "fr"}
# Busy (429) or briefly broken (5xx): worth another try. A 403 or 404 means the API changed; waiting won't help.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# The first pause before asking Google again; each further one doubles, up to the longest.
DEFAULT_RETRY_BASE_DELAY_S = 1.0
DEFAULT_RETRY_MAX_DELAY_S = 16.0
# The pattern gTTS 2.5.4 applies in gTTS.stream() to the line of the answer that names the rpc:
# [["wrb.fr","jQ1olc","[\"<base64 mp3>\"]",null,null,null,"generic"]]
_RPC_ID = "jQ1olc"
_AUDIO_IN_ANSWER = re.compile(r'jQ1olc","\[\\"(.*)\\"]')
_ANSWER_EXCERPT_CHARS = 80


class GttsEngine:
    name = "gtts"

    def __init__(
        self,
        *,
        timeout_s: float,
        retries: int = 3,
        retry_base_delay_s: float | None = None,
        retry_max_delay_s: float = DEFAULT_RETRY_MAX_DELAY_S,
        proxy_url: str | None = None,
        tls_ca_path: Path | None = None,
        tld: str = "com",
    ) -> None:
        if timeout_s <= 0:
            raise SpeechError(f"the gTTS timeout must be more than 0 s, got {timeout_s:g}")
        if retries < 0:
            raise SpeechError(f"gTTS retries must be 0 or more, got {retries}")
        self.timeout_s = timeout_s
        self.retries = retries
        self.retry_base_delay_s = DEFAULT_RETRY_BASE_DELAY_S if retry_base_delay_s is None else retry_base_delay_s
        self.retry_max_delay_s = retry_max_delay_s
        self.proxy_url = proxy_url
        # None trusts the public CAs; a TLS-inspecting proxy needs its own CA here.
        self.tls_ca_path = tls_ca_path
        self.tld = tld

    def voice(self, language: str) -> str:
        return f"google-translate-{self.tld}-{GOOGLE_LANGUAGES[require_supported(language)]}"

    def synthesize(self, text: str, language: str) -> bytes:
        chunks = self._prepare(text, GOOGLE_LANGUAGES[require_supported(language)])
        with self._session() as session:
            parts = [
                self._fetch(session, chunk, f"chunk {number} of {len(chunks)}")
                for number, chunk in enumerate(chunks, start=1)
            ]
        # mp3 is a sequence of self-contained frames, so the parts play back to back when joined (as gTTS.save does).
        return b"".join(parts)

    def backoff_s(self, retry: int) -> float:
        return float(min(self.retry_max_delay_s, self.retry_base_delay_s * 2 ** (retry - 1)))

    def _prepare(self, text: str, google_language: str) -> list[requests.PreparedRequest]:
        try:
            # lang_check=False: the language was checked against our own list already.
            tts = gTTS(text, tld=self.tld, lang=google_language, lang_check=False)
            chunks: list[requests.PreparedRequest] = tts._prepare_requests()
        except AssertionError as error:
            raise SpeechError(f"nothing left to speak after gTTS cleaned the text {text!r}") from error
        return chunks

    def _session(self) -> requests.Session:
        session = requests.Session()
        session.verify = str(self.tls_ca_path) if self.tls_ca_path else True
        if self.proxy_url:
            session.proxies = {"https": self.proxy_url, "http": self.proxy_url}
        return session

    def _fetch(self, session: requests.Session, chunk: requests.PreparedRequest, where: str) -> bytes:
        attempts = self.retries + 1
        last_failure = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(self.backoff_s(attempt))
            try:
                response = session.send(chunk, timeout=self.timeout_s)
            except requests.exceptions.SSLError as error:
                raise SpeechError(
                    f"Google's TLS certificate was refused for {where} ({error}); "
                    "behind a TLS-inspecting proxy, configure that proxy's CA file"
                ) from error
            except requests.exceptions.Timeout:
                last_failure = f"no answer within {self.timeout_s:g} s"
                continue
            except requests.exceptions.ProxyError as error:
                last_failure = f"the proxy {self.proxy_url} could not be used ({type(error).__name__})"
                continue
            except requests.exceptions.ConnectionError as error:
                last_failure = f"Google could not be reached ({type(error).__name__})"
                continue
            except requests.exceptions.RequestException as error:
                raise SpeechError(f"the request for {where} could not be sent: {error}") from error
            if response.status_code in RETRYABLE_STATUSES:
                last_failure = f"HTTP {response.status_code} {response.reason}"
                continue
            if response.status_code != 200:
                raise SpeechError(
                    f"Google refused {where} with HTTP {response.status_code} {response.reason}; "
                    "the endpoint may have changed (try a newer gTTS)"
                )
            return audio_from_answer(response.content, where)
        raise SpeechError(
            f"Google gave no audio for {where} after {attempts} attempts; last: {last_failure}",
            AudioCode.SPEECH_UNREACHABLE,
        )


def audio_from_answer(answer: bytes, where: str) -> bytes:
    """The mp3 inside a batchexecute answer; refuses answers that carry none instead of returning nothing."""
    text = answer.decode("utf-8", "replace")
    for line in text.splitlines():
        if _RPC_ID not in line:
            continue
        match = _AUDIO_IN_ANSWER.search(line)
        if match is None:
            excerpt = line[:_ANSWER_EXCERPT_CHARS]
            raise SpeechError(f"Google answered {where} without audio in the rpc payload ({excerpt!r})")
        try:
            audio = base64.b64decode(match.group(1), validate=True)
        except binascii.Error as error:
            raise SpeechError(f"Google's audio for {where} is not valid base64 ({error})") from error
        if not audio:
            raise SpeechError(f"Google answered {where} with an empty audio payload")
        return audio
    excerpt = text[:_ANSWER_EXCERPT_CHARS]
    raise SpeechError(f"Google's answer to {where} carries no audio rpc at all (it starts {excerpt!r})")
