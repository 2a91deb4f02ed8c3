"""What makes a Message-ID valid, checked two ways: Python's own RFC 5322 header parser and the grammar itself."""

import email.policy
import re
from email import message_from_string

# RFC 5322 §3.6.4: msg-id = "<" id-left "@" id-right ">"; we make both parts dot-atom-text (§3.2.3): runs of atext
# (letters, digits and !#$%&'*+-/=?^_`{|}~) joined by single dots. Written out here, not imported from the code.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM_TEXT = rf"{_ATOM}(?:\.{_ATOM})*"
MSG_ID = re.compile(rf"^<{_DOT_ATOM_TEXT}@{_DOT_ATOM_TEXT}>$")


def assert_valid_msg_id(value: str) -> None:
    assert MSG_ID.match(value), value
    parsed = message_from_string(f"Message-ID: {value}\n\n", policy=email.policy.default)["Message-ID"]
    assert (str(parsed), parsed.defects) == (value, ()), value
