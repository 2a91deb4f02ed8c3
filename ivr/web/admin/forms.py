"""Form fields as business-document parts: what staff type in the admin page, in the document's own shape."""

import re
from typing import Any, Literal

OverflowKind = Literal["dial", "voicemail", "none"]

# One phone number or address per line, or separated by commas or semicolons; spaces stay inside a number
# ("+31 20 888 8888"), the document's own validation normalises them.
_SEPARATORS = re.compile(r"[,;\n]+")


def listed(text: str) -> list[str]:
    return [item.strip() for item in _SEPARATORS.split(text) if item.strip()]


def overflow_part(
    kind: OverflowKind | None, dial: str, email: str, stored: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The `overflow` part to change, or nothing when the form did not say (so an overflow is never lost).

    The form edits a voicemail box's addresses only; its SMS numbers (`stored`) are kept as they are.
    """
    if kind is None:
        return {}
    if kind == "none":
        return {"overflow": None}
    if kind == "dial":
        return {"overflow": {"dial": listed(dial)}}
    box: dict[str, Any] = {"email": listed(email)}
    sms = ((stored or {}).get("voicemail") or {}).get("sms")
    if sms:
        box["sms"] = sms
    return {"overflow": {"voicemail": box}}


def overflow_fields(document: dict[str, Any]) -> dict[str, str]:
    """The stored overflow as the form shows it."""
    overflow = document.get("overflow") or {}
    kind = "dial" if "dial" in overflow else "voicemail" if "voicemail" in overflow else "none"
    return {
        "kind": kind,
        "dial": ", ".join(overflow.get("dial", [])),
        "email": ", ".join((overflow.get("voicemail") or {}).get("email", [])),
    }
