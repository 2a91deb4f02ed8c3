"""Form fields as business-document parts: what staff type in the admin page, in the document's own shape."""

import re
from typing import Any, Literal

OverflowKind = Literal["dial", "voicemail", "none"]

# One phone number or address per line, or separated by commas or semicolons; spaces stay inside a number
# ("+31 20 888 8888"), the document's own validation normalises them.
_SEPARATORS = re.compile(r"[,;\n]+")


def listed(text: str) -> list[str]:
    return [item.strip() for item in _SEPARATORS.split(text) if item.strip()]


def overflow_part(kind: OverflowKind | None, dial: str, email: str) -> dict[str, Any]:
    """The `overflow` part to change, or nothing when the form did not say (so an overflow is never lost)."""
    if kind is None:
        return {}
    if kind == "none":
        return {"overflow": None}
    if kind == "dial":
        return {"overflow": {"dial": listed(dial)}}
    return {"overflow": {"voicemail": {"email": listed(email)}}}


def overflow_fields(document: dict[str, Any]) -> dict[str, str]:
    """The stored overflow as the form shows it."""
    overflow = document.get("overflow") or {}
    kind = "dial" if "dial" in overflow else "voicemail" if "voicemail" in overflow else "none"
    return {
        "kind": kind,
        "dial": ", ".join(overflow.get("dial", [])),
        "email": ", ".join((overflow.get("voicemail") or {}).get("email", [])),
    }
