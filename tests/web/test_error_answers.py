"""One handler answers the error tree: routes raise typed errors; the API answers JSON with the status the error's
kind calls for, the admin pages a page in the visitor's language."""

import httpx
import pytest

from audio.errors import AudioToolFailed, RefusedAudio
from ivr.document.codes import Code
from ivr.errors import (
    BusyError,
    ConflictError,
    DocumentError,
    GreetlineError,
    InputError,
    NotAuthenticatedError,
    NotFoundError,
    Problem,
    UnavailableError,
)
from ivr.web.api.errors import Answer, answer_for
from tests.api.test_api import Setup, api  # noqa: F401 (a fixture)
from tests.web.test_admin import admin, log_in  # noqa: F401 (a fixture)


@pytest.mark.parametrize(
    ("error", "answer"),
    [
        (NotFoundError("no such greeting"), Answer(404, "no such greeting")),
        (ConflictError("in use"), Answer(409, "in use")),
        (
            DocumentError([Problem(Code.RING_COUNT, "rings", "ring count must be 1-10, got 14", {"rings": 14})]),
            Answer(
                422,
                {
                    "message": "nothing was changed; fix these problems",
                    "problems": ["rings: ring count must be 1-10, got 14"],
                    "codes": [{"code": "ring_count", "where": "rings", "values": {"rings": 14}}],
                },
            ),
        ),
        (InputError("give a time between"), Answer(422, "give a time between")),
        (RefusedAudio("not an audio format"), Answer(422, "not an audio format")),
        (AudioToolFailed("ffmpeg failed"), Answer(422, "ffmpeg failed")),
        (
            BusyError("upload again in 5 seconds", retry_after_s=5),
            Answer(503, "upload again in 5 seconds", {"Retry-After": "5"}),
        ),
        (UnavailableError("try again later"), Answer(503, "try again later")),
        (NotAuthenticatedError("key unknown"), Answer(401, "key unknown", {"WWW-Authenticate": "Bearer"})),
        (GreetlineError("something else"), Answer(400, "something else")),
    ],
    ids=lambda value: type(value).__name__,
)
def test_each_kind_of_error_has_its_answer(error: Exception, answer: Answer) -> None:
    assert answer_for(error) == answer


def test_the_api_answers_typed_errors_as_json(api: Setup) -> None:  # noqa: F811
    base = f"/api/v1/businesses/{api.demo_id}"
    key = api.as_key(api.demo_key)
    missing = api.http.put(f"{base}/greetings/999/active", headers=key)
    assert (missing.status_code, missing.json()) == (404, {"detail": "no such greeting"})
    unknown_key = api.http.get(f"{base}/config", headers=api.as_key("not-a-key"))
    assert unknown_key.status_code == 401 and unknown_key.headers["www-authenticate"] == "Bearer"
    assert "unknown or revoked" in unknown_key.json()["detail"]
    no_key = api.http.get(f"{base}/config")
    assert no_key.status_code == 401 and no_key.headers["www-authenticate"] == "Bearer"


def test_an_admin_page_answers_a_typed_error_with_a_page_in_dutch(admin: httpx.Client) -> None:  # noqa: F811
    token = log_in(admin)
    missing = admin.post("/admin/greetings/999/active", data={"csrf": token})
    assert missing.status_code == 404 and "Deze pagina of dit onderdeel bestaat niet (meer)." in missing.text
    assert missing.headers["content-type"].startswith("text/html")
