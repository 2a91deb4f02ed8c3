"""The console's event stream as data (ivr.console.stream): where a console resumes, how an event is framed, which
events a login sees."""

from datetime import UTC, datetime

import pytest

from ivr.console import stream
from ivr.store.console_events import PutThrough

AT = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("last_event_id", "after", "resumes_after"),
    [
        ("42", "7", 42),  # a reconnection: the browser's last event wins over the page's
        (None, "7", 7),  # the first connection: after the newest event when the page was made
        ("", "7", 7),
        (None, None, None),  # nothing said: after the newest event now
        ("abc", None, None),
        ("-3", "x", None),
        ("9" * 19, None, None),  # no id of ours is that long
        (" 12 ", None, 12),
    ],
)
def test_where_a_console_resumes(last_event_id: str | None, after: str | None, resumes_after: int | None) -> None:
    assert stream.resume_after(last_event_id, after) == resumes_after


def test_an_event_is_framed_with_its_id_for_the_browser_to_say_back() -> None:
    event = PutThrough(3, "CA" + "a" * 32, "+31611112222", "menu", "1", AT, id=57)
    assert stream.framed(event) == (b'id: 57\nevent: call\ndata: {"business":3,"call":"CA' + b"a" * 32 + b'"}\n\n')
    assert stream.opening() == b"retry: 1000\n\n"
    assert stream.keepalive().startswith(b":")  # a comment: no event in the browser


def test_a_login_sees_only_the_businesses_it_serves() -> None:
    events = [PutThrough(business, f"CA{business}", "", "direct", "", AT, id=business) for business in (1, 2, 3)]
    assert [event.business_id for event in stream.for_login(events, {1, 3})] == [1, 3]
    assert stream.for_login(events, set()) == []
