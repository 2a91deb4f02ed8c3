"""How a caller came to the answering service, as plain data: what its whisper tells it.

The route travels from the decision that dials the service to the whisper webhook in the <Number url>'s query
(signed by Twilio like every webhook URL), so the whisper needs nothing but the business and these parameters.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Via(StrEnum):
    # No menu, open: nothing to tell beyond whom the call is for.
    DIRECT = "direct"
    # A menu was offered but the caller pressed no key (or a wrong one).
    NO_CHOICE = "no-choice"
    MENU = "menu"
    HOURS = "hours"
    HOLIDAY = "holiday"
    PERIOD = "period"


@dataclass(frozen=True)
class CallerRoute:
    via: Via
    # The menu key pressed, for Via.MENU.
    key: str = ""

    @property
    def label(self) -> str:
        """The whisper's name in Business.whispers and in the call log ("menu:1", "hours")."""
        return f"{self.via.value}:{self.key}" if self.via is Via.MENU else self.via.value

    def params(self) -> tuple[tuple[str, str], ...]:
        return (("via", self.via.value), ("key", self.key)) if self.via is Via.MENU else (("via", self.via.value),)

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "CallerRoute":
        """A whisper URL from before routes travelled (or with an unknown one) is a plain whisper."""
        try:
            via = Via(params.get("via", Via.DIRECT.value))
        except ValueError:
            return cls(Via.DIRECT)
        key = params.get("key", "")
        if via is Via.MENU and (len(key) != 1 or key not in "0123456789*#"):
            return cls(Via.DIRECT)
        return cls(via, key if via is Via.MENU else "")
