"""The document's second chances for a caller who reached nobody: where callback requests go, the text back to a
missed mobile caller, and the numbers that reach nobody at all."""

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo

from ivr.document.codes import Code, refused
from ivr.document.values import PhoneNumber, Recipients, Strict, one_or_many

# A text back is one SMS: 160 characters of GSM-7 (3GPP TS 23.038), fewer with accents; the name can fill in longer.
MAX_TEXT_BACK_CHARS = 320
# When the text goes after the call ended: at once would cross the caller calling straight back; a day is too late.
MAX_TEXT_BACK_AFTER_S = 3600


class CallbackRequests(Recipients):
    """Where a callback request goes: an e-mail per address, an SMS per number (and the inbox, the card, the feed)."""

    _nobody = "callback: needs email: [addresses] and/or sms: [numbers], or nobody hears of the requests"


class TextBack(Strict):
    """One SMS to a mobile caller who reached nobody and left nothing; `{business}` is the business's name."""

    text: str = Field(min_length=1, max_length=MAX_TEXT_BACK_CHARS)
    after_s: int = Field(default=120, ge=0, le=MAX_TEXT_BACK_AFTER_S)


BlockedNumbers = Annotated[list[PhoneNumber], BeforeValidator(one_or_many)]


def _callbacks_go_somewhere(requests: "CallbackRequests | None", info: ValidationInfo) -> "CallbackRequests | None":
    """A menu option (callback: true) or a box (offer_callback: true) offers callbacks only when the document says
    where requests go. The parts are validated before callback: (they come first in the document model)."""
    parts = [
        *info.data.get("menu", []),
        *(info.data.get(key) for key in ("overflow", "closed")),
        *info.data.get("periods", []),
    ]
    offered = any(part is not None and (part.offer_callback or getattr(part, "callback", False)) for part in parts)
    if offered and requests is None:
        raise refused(
            Code.CALLBACK_NOT_SET,
            "callback: true and offer_callback: true need callback: {email: [...]} and/or {sms: [...]} "
            "at the top of the document, so each request reaches someone",
        )
    return requests


# The document's callback: key, checked also when absent (a default is validated only when asked to).
CallbackSetting = Annotated[
    CallbackRequests | None, AfterValidator(_callbacks_go_somewhere), Field(validate_default=True)
]


def callback_route(callback: bool, dial: object, voicemail: object) -> bool:
    """Whether a menu option's route is callback: true (then it may have no dial: or voicemail: beside it)."""
    if callback and (dial is not None or voicemail is not None):
        raise refused(Code.DIAL_AND_VOICEMAIL, "give an option dial:, voicemail: or callback: true, only one of them")
    return callback
