"""A simulated call: sign requests as Twilio does, follow the TwiML, keep time as a caller would hear it.

Say durations are estimated from the words at the language's speaking rate; Play durations are read from
the served WAV file. Ringing lasts the <Dial timeout> plus the ~5 s Twilio adds (see ivr.callflow.ringing).
"""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from twilio.request_validator import RequestValidator

from audio.wav import wav_duration_s
from ivr.callflow.model import AwaySpell
from ivr.callflow.ringing import ringing_s
from ivr.errors import GreetlineError
from ivr.simulator import SIMULATED, SIMULATED_AWAY_FIELD, SIMULATED_CALL_FIELD, SIMULATED_TIME_FIELD, away_field
from ivr.simulator.behaviour import PhoneBehaviour
from ivr.simulator.twiml_reader import Verb, read_twiml
from prompts import prompt_book

if TYPE_CHECKING:
    # httpx (with rich and pygments where installed) is loaded by whoever makes the client: the CLI, a preview.
    import httpx

# A call that takes more webhooks than this is looping; real IVR calls here take fewer than ten.
MAX_REQUESTS = 40
# How long the simulated caller talks into voicemail, and an answered call lasts.
MESSAGE_S = 10
CONVERSATION_S = 60
# Twilio's <Gather> waits this long for a key when the TwiML does not say (Twilio docs, <Gather> timeout).
DEFAULT_GATHER_TIMEOUT_S = 5


RING_RESULTS = {"completed": "answered", "no-answer": "no answer", "busy": "busy"}


@dataclass(frozen=True)
class Heard:
    at_s: float
    kind: str  # say, play, ring, press, dial, answer, record, whisper, hangup, note
    text: str  # the step in English, for the CLI's transcript
    duration_s: float = 0.0
    # The step as data, for a page to word in its own language: "numbers" and "ring_s" of a dial, "status"
    # (RING_RESULTS' key) of a ring, "who" answered, the recording's "words" when known, the "key" pressed.
    values: Mapping[str, str | float] = field(default_factory=dict, hash=False)


@dataclass
class Transcript:
    to_number: str
    from_number: str
    call_sid: str
    events: list[Heard] = field(default_factory=list)
    human_after_s: float | None = None
    answered_by: str | None = None
    ended_at_s: float = 0.0


@dataclass(frozen=True)
class CallPlan:
    to_number: str
    from_number: str
    local_time: datetime | None
    presses: str
    operators: PhoneBehaviour
    service: PhoneBehaviour
    call_sid: str = "CA" + "0" * 32
    # Where Twilio would keep the recording (GREETLINE_TWILIO_API_URL); None: post no recording callbacks,
    # so a preview of what callers hear never stores or delivers a message.
    recordings_url: str | None = None
    # `greetline call --calendar FILE.ics`: the calendar's away spells, followed instead of the stored copy's.
    away: tuple[AwaySpell, ...] | None = None


def say_duration_s(text: str, language_code: str) -> float:
    language = language_code.split("-")[0].lower()
    try:
        words_per_minute = prompt_book(language).words_per_minute
    except ValueError:
        words_per_minute = 150
    return round(len(text.split()) * 60.0 / words_per_minute, 1)


class SimulatedCall:
    def __init__(
        self,
        client: "httpx.Client",
        public_url: str,
        auth_token: str | None,
        plan: CallPlan,
        recordings: Mapping[str, str] | None = None,
    ) -> None:
        # What each recording says, by its id (rendered speech, uploaded files); unknown ones show their URL.
        self._recordings = recordings or {}
        self._client = client
        self._public_url = public_url.rstrip("/")
        self._validator = RequestValidator(auth_token) if auth_token else None
        self._plan = plan
        self._presses = list(plan.presses)
        self._requests = 0
        self.clock_s = 0.0
        self.transcript = Transcript(plan.to_number, plan.from_number, plan.call_sid)

    # -- talking to the server as Twilio does --------------------------------------------------------
    def _post(self, url: str, extra: dict[str, str]) -> list[Verb]:
        response = self._send(url, extra)
        if response.status_code != 200:
            raise GreetlineError(f"{url} answered HTTP {response.status_code}: {response.text[:200]}")
        return read_twiml(response.text)

    def _callback(self, url: str, extra: dict[str, str]) -> None:
        """A callback that answers no TwiML (the recording status): any 2xx will do."""
        response = self._send(url, extra)
        if not response.is_success:
            raise GreetlineError(f"{url} answered HTTP {response.status_code}: {response.text[:200]}")

    def _send(self, url: str, extra: dict[str, str]) -> "httpx.Response":
        self._requests += 1
        if self._requests > MAX_REQUESTS:
            raise GreetlineError(f"the call took more than {MAX_REQUESTS} webhooks; the flow is looping")
        params = {
            "CallSid": self._plan.call_sid,
            "AccountSid": "ACsimulated",
            "To": self._plan.to_number,
            "From": self._plan.from_number,
            "Direction": "inbound",
            "CallStatus": "in-progress",
            SIMULATED_CALL_FIELD: SIMULATED,
            **extra,
        }
        if self._plan.local_time is not None:
            params[SIMULATED_TIME_FIELD] = self._plan.local_time.isoformat()
        if self._plan.away is not None:
            params[SIMULATED_AWAY_FIELD] = away_field(self._plan.away)
        absolute = url if url.startswith("http") else f"{self._public_url}{url}"
        headers = {}
        if self._validator is not None:
            headers["X-Twilio-Signature"] = self._validator.compute_signature(absolute, params)
        return self._client.post(self._local(absolute), data=params, headers=headers)

    def _local(self, absolute: str) -> str:
        """The public URL as a path on the server we talk to (in-process or --url)."""
        parts = urlsplit(absolute)
        return f"{parts.path}?{parts.query}" if parts.query else parts.path

    def _media_duration_s(self, url: str) -> float | None:
        import httpx

        try:
            response = self._client.get(self._local(url))
        except httpx.HTTPError:
            return None
        return wav_duration_s(response.content) if response.status_code == 200 else None

    def _note(self, kind: str, text: str, duration_s: float = 0.0, **values: str | float) -> None:
        self.transcript.events.append(Heard(round(self.clock_s, 1), kind, text, duration_s, values))
        self.clock_s += duration_s

    # -- following the TwiML -------------------------------------------------------------------------
    def run(self) -> Transcript:
        verbs: list[Verb] | None = self._post("/twilio/voice", {})
        while verbs is not None:
            verbs = self._follow(verbs)
        self.transcript.ended_at_s = round(self.clock_s, 1)
        self._post("/twilio/status", {"CallStatus": "completed", "CallDuration": str(int(self.clock_s))})
        return self.transcript

    def _speak(self, verb: Verb) -> None:
        if verb.name == "Say":
            language = verb.attributes.get("language", "en")
            self._note("say", verb.text, say_duration_s(verb.text, language))
        elif verb.name == "Play":
            duration = self._media_duration_s(verb.text)
            media_id = urlsplit(verb.text).path.rsplit("/", 1)[-1].removesuffix(".wav")
            known = self._recordings.get(media_id, "")
            words = f'"{known}"' if media_id in self._recordings else verb.text
            text = words if duration is not None else f"{words} (unreadable)"
            self._note("play", text, duration or 0.0, words=known)
        elif verb.name == "Pause":
            self._note("pause", "", float(verb.attributes.get("length", "1")))

    def _follow(self, verbs: list[Verb]) -> list[Verb] | None:
        """Play verbs in order; return the next webhook's TwiML, or None when the call is over."""
        for verb in verbs:
            if verb.name in ("Say", "Play", "Pause"):
                self._speak(verb)
            elif verb.name == "Gather":
                for child in verb.children:
                    self._speak(child)
                if self._presses:
                    digit = self._presses.pop(0)
                    self._note("press", digit, key=digit)
                    return self._post(verb.attributes["action"], {"Digits": digit})
                wait_s = float(verb.attributes.get("timeout", DEFAULT_GATHER_TIMEOUT_S))
                self._note("wait", "no key pressed", wait_s)
            elif verb.name == "Dial":
                following = self._dial(verb)
                if following is not None:
                    return following
            elif verb.name == "Record":
                return self._record(verb)
            elif verb.name == "Redirect":
                return self._post(verb.text, {})
            elif verb.name == "Hangup":
                self._note("hangup", "the call ends")
                return None
        self._note("hangup", "the call ends (no more TwiML)")
        return None

    def _dial(self, verb: Verb) -> list[Verb] | None:
        timeout_s = int(verb.attributes.get("timeout", "30"))
        ring_s = ringing_s(timeout_s)
        numbers = [child.text for child in verb.children if child.name == "Number"]
        leg_url = next((child.attributes.get("url") for child in verb.children if child.attributes.get("url")), None)
        # Staff phones with confirm calls are asked to press 1; an answering service hears a whisper.
        confirming = leg_url is not None and urlsplit(leg_url).path.endswith("/confirm")
        behaviour = self._plan.service if leg_url and not confirming else self._plan.operators
        dialled = ", ".join(numbers)
        self._note("dial", f"{dialled} (timeout {timeout_s} s: rings up to {ring_s} s)", numbers=dialled, ring_s=ring_s)
        status, rang_s = behaviour.outcome(ring_s)
        self._note("ring", RING_RESULTS.get(status, status), rang_s, status=status)
        if status == "completed":
            who = numbers[0]
            if leg_url:
                self._answerer_hears(leg_url, who)
            self.transcript.human_after_s = round(self.clock_s, 1)
            self.transcript.answered_by = who
            self._note("answer", f"{who} talks with the caller", CONVERSATION_S, who=who)
        action = verb.attributes.get("action")
        if action is None:
            return None
        extra = {"DialCallStatus": status}
        if status == "completed":
            extra["DialCallDuration"] = str(CONVERSATION_S)
        return self._post(action, extra)

    def _answerer_hears(self, url: str, who: str) -> None:
        """What the answering phone hears before the caller is put through: a whisper, or the confirmation
        question (the simulated staff member presses 1)."""
        leg = {
            "CallSid": "CAsimulatedleg",
            "ParentCallSid": self._plan.call_sid,
            "To": who,
            "Direction": "outbound-dial",
        }
        for heard in self._post(url, leg):
            if heard.name == "Say":
                self._note("whisper", heard.text, say_duration_s(heard.text, heard.attributes.get("language", "en")))
            elif heard.name == "Play":  # a rendered whisper: its words when known, its length measured
                media_id = urlsplit(heard.text).path.rsplit("/", 1)[-1].removesuffix(".wav")
                words = self._recordings.get(media_id, heard.text)
                self._note("whisper", words, self._media_duration_s(heard.text) or 0.0)
            elif heard.name == "Gather":
                for asked in heard.children:
                    if asked.name == "Say":
                        language = asked.attributes.get("language", "en")
                        self._note("whisper", asked.text, say_duration_s(asked.text, language))
                self._note("press", "1 (the answerer takes the call)", key="1")
                self._post(heard.attributes["action"], {**leg, "Digits": "1"})
                return

    def _record(self, verb: Verb) -> list[Verb]:
        self._note("record", "the caller leaves a message", MESSAGE_S)
        if self._plan.recordings_url is None:
            return self._post(verb.attributes["action"], {})
        sid = "RE" + secrets.token_hex(16)
        recording = {
            "RecordingSid": sid,
            "RecordingUrl": f"{self._plan.recordings_url}/2010-04-01/Accounts/ACsimulated/Recordings/{sid}",
            "RecordingDuration": str(MESSAGE_S),
        }
        callback = verb.attributes.get("recordingStatusCallback")
        if callback:
            self._callback(callback, {**recording, "RecordingStatus": "completed"})
            self._note("note", f"Twilio reports recording {sid} ({MESSAGE_S} s)")
        return self._post(verb.attributes["action"], recording)
