"""A problem in the page's language, looked up by its code: a document's validation problem or checker finding
(ivr.document.codes.Code), an audio refusal or warning (audio.errors.AudioCode), a delivery's failure
(ivr.messages.failures.DeliveryCode).

The English sentence a problem carries is for the CLI and the API; the page says it from its own catalogue,
shorter and without the document's key names, filled with the problem's values. Every code has its words here
(tests/web/test_problem_words.py holds that for all four languages).
"""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from audio.errors import AudioCode
from ivr.document.codes import Code
from ivr.errors import Problem, Value
from ivr.messages.failures import DeliveryCode
from ivr.web.admin.i18n import Words
from ivr.web.admin.validation_words import VALIDATION_WORDS

if TYPE_CHECKING:
    from ivr.usecases.rendering import RenderReport

Say = Callable[[Words, Mapping[str, Value]], str]


def _general(w: Words, _v: Mapping[str, Value]) -> str:
    return w.gettext("This value cannot be saved as it is; check it and try again.")


def _not_international(w: Words, v: Mapping[str, Value]) -> str:
    return w.gettext(
        "%(value)s is not an international number: write it with the country code, e.g. +31 50 123 4567"
    ) % {"value": v.get("value", "")}


def _not_a_phone_number(w: Words, v: Mapping[str, Value]) -> str:
    if "national" in v:  # read in the business's country: show how a number of that country is written
        return w.gettext(
            "%(value)s is not a phone number: check the digits, e.g. %(national)s or %(international)s"
        ) % {"value": v.get("value", ""), "national": v["national"], "international": v.get("international", "")}
    return w.gettext("%(value)s is not a phone number: check the digits") % {"value": v.get("value", "")}


def _not_days(w: Words, v: Mapping[str, Value]) -> str:
    return w.gettext("%(value)s is not a day or a range of days") % {"value": v.get("value", "")}


def _not_a_time_range(w: Words, v: Mapping[str, Value]) -> str:
    return w.gettext("%(value)s is not a time range: write it as 08:00-17:00") % {"value": v.get("value", "")}


def _too_many_at_once(w: Words, v: Mapping[str, Value]) -> str:
    if "count" not in v:
        return w.gettext("At most %(most)s phones can ring at once.") % {"most": v.get("most", 10)}
    # The count includes the phones whose number is wrong (issue 20 item 13): eleven listed are eleven.
    said = w.gettext("At most %(most)s phones can ring at once; %(count)s are listed.")
    return said % {"most": v.get("most", 10), "count": v["count"]}


def _menu_too_long(w: Words, v: Mapping[str, Value]) -> str:
    if "count" not in v:
        return w.gettext("A menu has at most four options.")
    # Options with a wrong number count too: a menu of six with one bad number has six options.
    return w.gettext("A menu has at most four options; this one has %(count)s.") % {"count": v["count"]}


def _no_route(w: Words, _v: Mapping[str, Value]) -> str:
    return w.gettext("Say where calls go: a number or a voicemail box.")


def _takes_long(w: Words, v: Mapping[str, Value]) -> str:
    return w.gettext("This text takes about %(value)s s; shorten it.") % {"value": v.get("seconds", "")}


def _(message: str) -> str:
    """Marks a string for `make catalogues`; the page translates it when it shows it (`_fixed`)."""
    return message


def _fixed(message: str) -> Say:
    """Words without values; `message` is marked for extraction where it is written (`_fixed(_("..."))`)."""
    return lambda w, _v: w.gettext(message)


def _audio_general(w: Words, _v: Mapping[str, Value]) -> str:
    return w.gettext(
        "This file could not be made telephone-ready: use a recording of speech (WAV, MP3, M4A, OGG, FLAC or WebM)."
    )


def _audio_unreadable(w: Words, _v: Mapping[str, Value]) -> str:
    return w.gettext("This sound file cannot be read (damaged or an unusual kind): export it again as MP3.")


def _not_a_sound_file(w: Words, _v: Mapping[str, Value]) -> str:
    return w.gettext("This is not a sound file: export the recording as WAV, MP3, M4A, OGG, FLAC or WebM.")


def _too_quiet(w: Words, _v: Mapping[str, Value]) -> str:
    return w.gettext("The recording is too quiet or holds no voice (only silence, a click or a hum): record it again.")


def _listen_once(w: Words, _v: Mapping[str, Value]) -> str:
    return w.gettext("Listen to it once: it may be too long, too quiet or not yet spoken by a computer voice.")


def _long_for_kind(w: Words, v: Mapping[str, Value]) -> str:
    if "seconds" not in v:
        return _listen_once(w, v)
    return w.gettext("It lasts %(seconds)s s, which is long for callers; keep it under %(most)s s.") % {
        "seconds": v["seconds"],
        "most": v.get("most", ""),
    }


# The speech engines by the name Settings gives them (audio.tts.engines), as a business knows them.
_ENGINES = {"gtts": "Google", "espeak": "espeak-ng"}


def _engine(v: Mapping[str, Value], key: str = "engine") -> str:
    name = str(v.get(key, ""))
    return _ENGINES.get(name, name)


def _speech_reason(w: Words, code: str) -> str:
    return WORDS.get(code, _speech_failed)(w, {})


def _speech_failed(w: Words, _v: Mapping[str, Value]) -> str:
    return w.gettext("The computer voice gave no usable speech.")


def _no_engine(w: Words, v: Mapping[str, Value]) -> str:
    reasons = [_speech_reason(w, code) for code in dict.fromkeys(str(v.get("reasons", "")).split())]
    sentence = w.gettext("No computer voice can speak it now; until one can, callers hear the telephone's own voice.")
    return " ".join([*reasons, sentence])


def _inside(sentence: str) -> str:
    """A sentence put inside another, in brackets: each language's reasons start with an article or a noun
    phrase that reads the same in lower case ("de server …", "der Server …", "le serveur …")."""
    return sentence[:1].lower() + sentence[1:].rstrip(".")


def _fell_back(w: Words, v: Mapping[str, Value]) -> str:
    return w.gettext("%(engine)s could not speak it (%(reason)s), so %(used)s speaks it instead.") % {
        "engine": _engine(v),
        "reason": _inside(_speech_reason(w, str(v.get("reason", "")))),
        "used": _engine(v, "used"),
    }


_DOCUMENT: dict[Code, Say] = {
    Code.NOT_A_MAPPING: _general,
    Code.NOT_YAML: _general,
    **VALIDATION_WORDS,
    Code.INVALID: _general,
    Code.NOT_INTERNATIONAL: _not_international,
    Code.NOT_A_PHONE_NUMBER: _not_a_phone_number,
    Code.INVALID_PHONE_NUMBER: _not_a_phone_number,
    Code.NOT_AN_EMAIL: lambda w, v: (
        w.gettext("%(value)s is not an e-mail address, e.g. praktijk@example.nl") % {"value": v.get("value", "")}
    ),
    Code.NOT_DAYS: _not_days,
    Code.DAYS_BACKWARDS: _not_days,
    Code.BAD_TIME: _not_a_time_range,
    Code.NOT_A_TIME_RANGE: _not_a_time_range,
    Code.RANGE_BACKWARDS: _not_a_time_range,
    Code.DAY_TWICE: _fixed(_("A day is given twice: name each day once.")),
    Code.HOLIDAY_NOT_A_DATE: lambda w, v: (
        w.gettext("%(value)s is not a date: write it as 12-24, or 2026-12-24 for one year.")
        % {"value": v.get("value", "")}
    ),
    Code.TOO_MANY_DIALLED: _too_many_at_once,
    Code.TEXT_OR_FILE: _fixed(_("Give a text or a recording.")),
    Code.LISTED_TWICE: lambda w, v: (
        w.gettext("%(value)s is listed twice: list each once.") % {"value": v.get("value", "")}
    ),
    Code.BOX_WITHOUT_RECIPIENTS: _fixed(_("Give an e-mail address or a mobile number for the messages.")),
    Code.NO_ADDRESSES: _fixed(_("Give at least one e-mail address.")),
    Code.NOT_A_CLOCK_TIME: lambda w, v: (
        w.gettext("%(value)s is not a time: write it as 17:30.") % {"value": v.get("value", "")}
    ),
    Code.DIAL_AND_VOICEMAIL: _fixed(_("Choose a number or a voicemail box, not both.")),
    Code.OPTION_WITHOUT_ROUTE: _no_route,
    Code.OVERFLOW_WITHOUT_ROUTE: _no_route,
    Code.BAD_KEY: _fixed(_("A key is one of 0-9, * or #.")),
    Code.NOTES_WITHOUT_RECIPIENTS: _fixed(_("Give an e-mail address or a mobile number for the call notes.")),
    Code.NOTES_WITHOUT_SERVICE: _fixed(_("Call notes come from an answering service: give its number first.")),
    Code.PERIOD_BACKWARDS: _fixed(_("The period ends before it starts.")),
    Code.UNKNOWN_TIMEZONE: lambda w, v: (
        w.gettext("%(value)s is not a time zone, e.g. Europe/Amsterdam.") % {"value": v.get("value", "")}
    ),
    Code.RING_COUNT: _fixed(_("Choose from 1 to 10 rings.")),
    Code.RETENTION_DAYS: lambda w, v: (
        w.gettext("%(value)s days cannot be kept: choose from %(least)s to %(most)s days.")
        % {"value": v.get("value", ""), "least": v.get("least", ""), "most": v.get("most", "")}
    ),
    Code.MENU_TOO_LONG: _menu_too_long,
    Code.KEY_TWICE: _fixed(_("Each option needs its own key.")),
    Code.TOO_MANY_AT_ONCE: _too_many_at_once,
    Code.NUMBER_TWICE: _fixed(_("A number is listed twice.")),
    Code.CALLBACK_NOT_SET: _fixed(_("Say where callback requests go: an e-mail address or a mobile number.")),
    Code.NOT_A_CALENDAR_ADDRESS: _fixed(_("Give the calendar's address, starting with https:// or webcal://.")),
    Code.AWAY_WITHOUT_SERVICE: _fixed(
        _("Calls can go to the answering service while you are away only when it has a number: give it first.")
    ),
    Code.PART_NOT_CHANGEABLE: _general,
    Code.FILE_TOO_LARGE: lambda w, v: (
        w.gettext("The file is larger than %(mb)s MB: upload a shorter recording.") % {"mb": v.get("mb", "")}
    ),
    Code.FILE_UNREADABLE: _audio_unreadable,
    Code.BUSY: lambda w, v: (
        w.gettext("Other recordings are being made telephone-ready right now; upload again in %(s)s seconds.")
        % {"s": v.get("seconds", "")}
    ),
    Code.WELCOME_UNNAMED: _fixed(_("The welcome must name the business.")),
    Code.WELCOME_LONG: _takes_long,
    Code.INFO_LONG: _takes_long,
    Code.EMERGENCY_NOT_FIRST: _fixed(_("The emergency option must be the first option callers hear.")),
    Code.EMERGENCY_NOT_MARKED: lambda w, v: (
        w.gettext("Key %(key)s says “%(word)s”: mark it as the emergency option (emergency: true).")
        % {"key": v.get("key", ""), "word": v.get("word", "")}
    ),
    Code.UNKNOWN_PLACEHOLDER: lambda w, v: (
        w.gettext("%(placeholder)s would be spoken as written: the placeholders are %(known)s.")
        % {"placeholder": v.get("placeholder", ""), "known": v.get("known", "")}
    ),
    Code.BROKEN_PLACEHOLDER: lambda w, v: (
        w.gettext("%(placeholder)s is a placeholder with a missing brace: write %(known)s.")
        % {"placeholder": v.get("placeholder", ""), "known": v.get("known", "")}
    ),
    Code.MANY_RINGS: lambda w, v: (
        w.gettext("%(value)s rings: most callers hang up after 5 or 6; use 5 or fewer.") % {"value": v.get("rings", "")}
    ),
    Code.MOBILE_VOICEMAIL: lambda w, v: (
        w.gettext("A staff mobile rings %(value)s s, past its own voicemail: let staff confirm calls, or ring less.")
        % {"value": v.get("seconds", "")}
    ),
    Code.MOBILE_RINGS_TOO_LONG: lambda w, v: (
        w.gettext(
            "A mobile's own voicemail answers after about 20 s and takes the call first; "
            "use %(value)s rings or fewer, or switch off that phone's voicemail."
        )
        % {"value": v.get("rings", "")}
    ),
    Code.INSTRUCTIONS_WITHOUT_SERVICE: _fixed(
        _("The instructions are for an answering service, but no call goes to one.")
    ),
    Code.SMS_FROM_LANDLINE: lambda w, v: (
        w.gettext(
            "Texts would go from %(value)s, a landline, which cannot send them: ask for a mobile number or a sender "
            "name to send texts from, or send e-mail only."
        )
        % {"value": v.get("sender", "")}
    ),
    Code.WEBSITE: _fixed(_("Do not send callers to a website or e-mail address.")),
    Code.FILLER: _fixed(_("Leave out filler words: they lengthen the wait.")),
    Code.WHISPER_LONG: lambda w, v: (
        w.gettext("The answering service hears about %(value)s s before the caller is put through; keep it under 4 s.")
        % {"value": v.get("seconds", "")}
    ),
    Code.MESSAGE_NOT_RECORDED: _fixed(
        _("Callers are asked to leave a message, but nothing records it: add a voicemail box here.")
    ),
    Code.NOBODY_ANSWERS: _fixed(
        _("Nobody answers and there is no message box: add an answering service or voicemail.")
    ),
    Code.NOWHERE_TO_GO: _fixed(_("Callers hear a message and are hung up on: give a number or a voicemail box.")),
    Code.LONG_WAIT: lambda w, v: (
        w.gettext("A caller hears about %(value)s s before a phone rings; keep it under 30 s.")
        % {"value": v.get("seconds", "")}
    ),
    Code.EMERGENCY_KEY_LATE: _fixed(_("An emergency caller must be able to press within 30 s.")),
    Code.EMERGENCY_TAKES_MESSAGE: _fixed(
        _("The emergency option takes a message instead of reaching a person: give it a number.")
    ),
    Code.EMERGENCY_HUMAN_LATE: lambda w, v: (
        w.gettext("An emergency caller reaches a person only after about %(value)s s; keep it under 30 s.")
        % {"value": v.get("seconds", "")}
    ),
    Code.KEY_NOT_TAKEN: lambda w, v: (
        w.gettext("This text asks callers to press %(key)s, but no menu here takes that key: pressing it does nothing.")
        % {"key": v.get("key", "")}
    ),
    Code.HANGS_UP_UNANSWERED: _fixed(
        _("When nobody answers this number, the caller is hung up on: add a voicemail box for that case.")
    ),
    Code.MESSAGE_UNNAMED: lambda w, v: (
        w.gettext("Callers hear this first: start by naming the business, e.g. “%(example)s”")
        % {"example": v.get("example", "")}
    ),
}


_AUDIO: dict[AudioCode, Say] = {
    AudioCode.FAILED: _audio_general,
    AudioCode.TOO_LARGE: _DOCUMENT[Code.FILE_TOO_LARGE],
    AudioCode.UNREADABLE: _audio_unreadable,
    AudioCode.EMPTY: _fixed(_("The file is empty: choose the recording itself.")),
    AudioCode.PLAYLIST: _not_a_sound_file,
    AudioCode.NOT_AUDIO: _not_a_sound_file,
    AudioCode.UNDECODABLE: _audio_unreadable,
    AudioCode.DECODE_TIMEOUT: _audio_unreadable,
    AudioCode.NO_AUDIO: _audio_unreadable,
    AudioCode.SAMPLE_RATE: _audio_unreadable,
    AudioCode.INVALID_SAMPLES: _audio_unreadable,
    AudioCode.TOO_LONG: lambda w, v: (
        w.gettext("The recording is longer than %(minutes)s minutes: upload a shorter one.")
        % {"minutes": v.get("minutes", "")}
    ),
    AudioCode.TOO_SHORT: _fixed(_("The recording is too short: record a longer greeting.")),
    AudioCode.SILENT: _fixed(_("The recording is silent: check the microphone and record again.")),
    AudioCode.LITTLE_LEFT: _fixed(
        _(
            "Once the silence is cut, almost no sound is left: the recording is too short or too quiet. "
            "Record it again, closer to the microphone."
        )
    ),
    AudioCode.TOO_QUIET: _too_quiet,
    AudioCode.NOT_A_VOICE: _too_quiet,
    AudioCode.TARGET_OUT_OF_RANGE: _audio_general,
    AudioCode.TOOL_MISSING: _audio_general,
    AudioCode.NOT_A_MEDIA_ID: _audio_general,
    AudioCode.MEDIA_UNREADABLE: _audio_general,
    AudioCode.CLIPPED: _fixed(_("The recording is distorted (too loud when recorded): record again a little quieter.")),
    AudioCode.NOISY: _fixed(_("The recording is noisy: record in a quieter room, closer to the microphone.")),
    AudioCode.LONG_FOR_KIND: _long_for_kind,
    AudioCode.SPEECH_FAILED: _speech_failed,
    AudioCode.SPEECH_UNREACHABLE: _fixed(_("The computer voice's server could not be reached.")),
    AudioCode.SPEECH_ENGINE_MISSING: _fixed(_("The offline computer voice is not installed on the server.")),
    AudioCode.SPEECH_NO_ENGINE: _no_engine,
    AudioCode.SPEECH_FELL_BACK: _fell_back,
}

_DELIVERY: dict[DeliveryCode, Say] = {
    DeliveryCode.FAILED: _fixed(_("The mail or text service did not take it.")),
    DeliveryCode.NO_WORKER_FUNCTION: _fixed(_("The server cannot do this kind of work (yet): contact support.")),
    DeliveryCode.NOT_AN_MP3: _fixed(_("The recording the telephone service sent is damaged, not an MP3 file.")),
    DeliveryCode.MESSAGE_GONE: _fixed(_("The message is no longer stored.")),
    DeliveryCode.RECORDING_GONE: _fixed(_("The telephone service no longer has the recording.")),
    DeliveryCode.MAIL_REFUSED: _fixed(_("The mail server refuses this address: check it.")),
    DeliveryCode.MAIL_LOGIN_REFUSED: _fixed(_("The mail server refuses our login: contact support.")),
    DeliveryCode.TEXT_REFUSED: _fixed(_("The text message service refuses this number: check it.")),
    DeliveryCode.NO_DAILY_SUMMARY: _fixed(_("The daily summary is switched off.")),
}

WORDS: dict[str, Say] = {str(code): say for table in (_DOCUMENT, _AUDIO, _DELIVERY) for code, say in table.items()}


def said(words: Words, code: str, values: Mapping[str, Value]) -> str:
    """The problem's words in the page's language; a path finding says first which path ("maandag … → …")."""
    say = WORDS.get(code, _general)
    sentence = say(words, values)
    path = values.get("path")
    return f"{path}: {sentence}" if path else sentence


def problem_words(words: Words, problem: Problem) -> str:
    return said(words, problem.code, problem.values)


def audio_refusal(words: Words, code: str, values: Mapping[str, Value]) -> str:
    """Why a recording was refused; a code that is not an audio refusal gets the general upload sentence."""
    return (WORDS.get(code) or _audio_general)(words, values)


def about_text(words: Words, problem: Problem) -> str:
    """A problem or advice about one of the business's texts as it was spoken (ivr.usecases.rendering): which
    text, then why."""
    text = problem.values.get("text")
    sentence = said(words, problem.code, problem.values)
    return f"“{text}”: {sentence}" if text else sentence


def spoken_notes(words: Words, report: "RenderReport") -> list[str]:
    """What speaking the business's texts left to say, once each: texts still heard as <Say> and why, then advice
    about texts that were spoken (another engine spoke it, a text long for callers)."""
    # Once every engine has failed, the texts after it are not tried: one line names them all, not one line each.
    untried = [p for p in report.problems if p.code == AudioCode.SPEECH_NO_ENGINE and not p.values.get("reasons")]
    notes = [about_text(words, problem) for problem in report.problems if problem not in untried]
    if untried:
        texts = ", ".join(f"“{problem.values.get('text', problem.where)}”" for problem in untried)
        notes.append(words.gettext("Not spoken yet for the same reason: %(texts)s.") % {"texts": texts})
    return list(dict.fromkeys([*notes, *(about_text(words, problem) for problem in report.warnings)]))
