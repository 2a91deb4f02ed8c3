"""The one place that turns call steps into TwiML, always through twilio's VoiceResponse builder."""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlencode

from twilio.twiml.voice_response import Gather as TwimlGather
from twilio.twiml.voice_response import VoiceResponse

from ivr.callflow.model import Country, Language
from ivr.callflow.steps import Dial, Gather, Hangup, Play, Record, Redirect, Say, Speech, Step, Webhook

# Twilio <Say> language codes and a natural neural voice for each (Twilio docs, "Text-to-speech" voices).
SAY_VOICE: dict[Language, tuple[str, str]] = {
    Language.NL: ("nl-NL", "Polly.Lotte"),
    Language.EN: ("en-GB", "Polly.Amy"),
    Language.DE: ("de-DE", "Polly.Vicki"),
    Language.FR: ("fr-FR", "Polly.Lea"),
}

# Twilio <Dial ringTone> codes: callers hear the ringback tone they know from their own country.
RING_TONE: dict[Country, str] = {
    Country.NL: "nl",
    Country.BE: "be",
    Country.DE: "de",
    Country.FR: "fr",
    Country.GB: "uk",
    Country.US: "us",
}

WEBHOOK_PREFIX = "/twilio"
# Room for one answer per business with 10,000 businesses and then some: calls spread over more businesses than
# an LRU cache holds miss it every time (each evicted before its business is called again), and a render is about
# 0.3 ms against 10 µs for a hit (issue 12). An entry is the answer's XML and its steps: about 1-2 kB.
RENDER_CACHE_SIZE = 32_768


class TwimlRenderer:
    """Renders steps with absolute URLs under the public base URL Twilio calls."""

    def __init__(self, public_url: str) -> None:
        self._public_url = public_url.rstrip("/")
        # Most calls get one of a handful of answers; steps are frozen data, so the XML can be reused.
        self.render: Callable[[tuple[Step, ...]], str] = lru_cache(maxsize=RENDER_CACHE_SIZE)(self._render)

    def webhook_url(self, webhook: Webhook) -> str:
        url = f"{self._public_url}{WEBHOOK_PREFIX}/{webhook.hook.value}"
        return f"{url}?{urlencode(webhook.params)}" if webhook.params else url

    def media_url(self, media_id: str) -> str:
        return f"{self._public_url}/media/{media_id}.wav"

    def _render(self, steps: tuple[Step, ...]) -> str:
        response = VoiceResponse()
        for step in steps:
            self._add(response, step)
        return str(response.to_xml())

    def _speak(self, parent: VoiceResponse | TwimlGather, speech: Speech) -> None:
        if isinstance(speech, Play):
            parent.play(self.media_url(speech.media_id))
        else:
            language, voice = SAY_VOICE[speech.language]
            parent.say(speech.text, language=language, voice=voice)

    def _add(self, response: VoiceResponse, step: Step) -> None:
        if isinstance(step, Say | Play):
            self._speak(response, step)
        elif isinstance(step, Gather):
            gather = response.gather(
                num_digits=step.num_digits,
                action=self.webhook_url(step.action),
                method="POST",
                timeout=step.timeout_s,
                finish_on_key=step.finish_on_key or None,
            )
            for prompt in step.prompts:
                self._speak(gather, prompt)
        elif isinstance(step, Dial):
            dial = response.dial(
                timeout=step.timeout_s,
                action=self.webhook_url(step.action) if step.action else None,
                method="POST" if step.action else None,
                ring_tone=RING_TONE[step.country],
            )
            whisper_url = self.webhook_url(step.whisper) if step.whisper else None
            for number in step.numbers:
                dial.number(number, url=whisper_url, method="POST" if whisper_url else None)
        elif isinstance(step, Record):
            response.record(
                action=self.webhook_url(step.action),
                method="POST",
                max_length=step.max_length_s,
                finish_on_key=step.finish_on_key,
                play_beep=True,
                recording_status_callback=self.webhook_url(step.status_callback),
                recording_status_callback_method="POST",
            )
        elif isinstance(step, Hangup):
            response.hangup()
        elif isinstance(step, Redirect):
            response.redirect(self.webhook_url(step.to), method="POST")


def _last_resort_twiml() -> str:
    response = VoiceResponse()
    response.say("We cannot take your call right now. Please try again in a few minutes.", language="en-GB")
    response.hangup()
    return str(response.to_xml())


# Answered when even the fallback cannot be worked out (it never should): built once, at import.
LAST_RESORT_TWIML = _last_resort_twiml()
