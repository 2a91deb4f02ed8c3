"""What each role may do at a business (issue 24). Pure: the web guards and the CLI ask these, nothing else decides.

- owner: everything, including who logs in (and in which role) and the audit trail;
- staff: the day's work: the inbox, texts, hours, phones, greetings;
- read_only: sees what staff sees and changes nothing;
- answering: an answering service's login; opens only the card of each business it serves.
"""

from typing import Final

OWNER: Final = "owner"
STAFF: Final = "staff"
READ_ONLY: Final = "read_only"
ANSWERING: Final = "answering"
# In the order the page offers them, most rights first.
ROLES: Final = (OWNER, STAFF, READ_ONLY, ANSWERING)


def opens_pages(role: str) -> bool:
    """The business's admin pages (the answering service sees its card instead)."""
    return role in (OWNER, STAFF, READ_ONLY)


def changes_business(role: str) -> bool:
    return role in (OWNER, STAFF)


def manages_staff(role: str) -> bool:
    """Logins and roles, the audit trail, retention and erasure."""
    return role == OWNER


def opens_card(role: str) -> bool:
    return role == ANSWERING
