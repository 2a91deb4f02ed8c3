"""A business document's revision as its HTTP entity tag: GET answers `ETag: "7"`; a PUT or PATCH sent with
`If-Match: "7"` is applied only if the stored document is still revision 7, else 412 and nothing changes (RFC 9110
§8.8.3, §13.1.1): two clients that read the same revision cannot silently undo each other's change (a lost update).
Without If-Match a change is applied to whatever is stored, as before."""

from typing import Annotated

from fastapi import Depends, Header
from fastapi.responses import Response

from ivr.errors import InputError, Problem

IF_MATCH_DESCRIPTION = (
    'The revision the change was made to, as GET answered it in `ETag` (`"7"`): applied only if the document is '
    "still at that revision, else 412 and nothing changes. Without it the change is applied to the stored revision."
)
ETAG_HEADER = {"ETag": {"description": 'The document\'s revision after this answer, as an entity tag: `"7"`'}}
# A revision's digits at most: anything longer is no revision we gave.
MAX_REVISION_DIGITS = 9


def etag(revision: int) -> str:
    return f'"{revision}"'


def with_etag(response: Response, revision: int) -> None:
    response.headers["ETag"] = etag(revision)


async def revision_asked(
    if_match: Annotated[str | None, Header(description=IF_MATCH_DESCRIPTION)] = None,
) -> int | None:
    """The revision If-Match names; None without one or with `*` (any revision is the one meant)."""
    if if_match is None or if_match.strip() == "*":
        return None
    # One strong entity tag of digits, quoted as RFC 9110 writes it; the bare digits are taken too.
    tag = if_match.strip()
    digits = tag[1:-1] if len(tag) > 1 and tag[0] == tag[-1] == '"' else tag
    if not (digits.isascii() and digits.isdigit() and len(digits) <= MAX_REVISION_DIGITS):
        message = f'If-Match must name one revision as ETag gave it, e.g. "7"; got {if_match[:40]!r}'
        raise InputError(message, [Problem("invalid", "If-Match", message, {"value": if_match[:40]})])
    return int(digits)


IfMatch = Annotated[int | None, Depends(revision_asked)]
