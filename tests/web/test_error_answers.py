"""One handler answers the error tree: routes raise typed errors; the API answers JSON with the status the error's
kind calls for, the admin pages a page in the visitor's language."""

import httpx
import pytest

from audio.errors import AudioCode, AudioToolFailed, RefusedAudio
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
    StaleRevisionError,
    UnavailableError,
)
from ivr.web.api.errors import Answer, answer_for
from tests.api.test_api import Setup, api  # noqa: F401 (a fixture)
from tests.web.test_admin import admin, log_in  # noqa: F401 (a fixture)


def _one(message: str, code: str, where: str = "request", **values: object) -> dict[str, object]:
    """The answer's detail when the refusal is one problem about the request as a whole."""
    return {"message": message, "problems": [{"where": where, "code": code, "message": message, "values": values}]}


@pytest.mark.parametrize(
    ("error", "answer"),
    [
        (NotFoundError("no such greeting"), Answer(404, _one("no such greeting", "not_found"))),
        (ConflictError("in use"), Answer(409, _one("in use", "conflict"))),
        (
            StaleRevisionError(expected=3, stored=4),
            Answer(412, _one(str(StaleRevisionError(3, 4)), "stale_revision", "If-Match", expected=3, stored=4)),
        ),
        (
            DocumentError([Problem(Code.RING_COUNT, "rings", "ring count must be 1-10, got 14", {"rings": 14})]),
            Answer(
                422,
                {
                    "message": "nothing was changed; fix these problems",
                    "problems": [
                        {
                            "where": "rings",
                            "code": "ring_count",
                            "message": "ring count must be 1-10, got 14",
                            "values": {"rings": 14},
                        }
                    ],
                },
            ),
        ),
        (InputError("give a time between"), Answer(422, _one("give a time between", "invalid"))),
        (RefusedAudio("not an audio format"), Answer(422, _one("not an audio format", "audio_failed"))),
        (
            AudioToolFailed("ffmpeg failed", AudioCode.TOOL_MISSING, tool="ffmpeg"),
            Answer(422, _one("ffmpeg failed", "audio_tool_missing", tool="ffmpeg")),
        ),
        (
            BusyError("upload again in 5 seconds", retry_after_s=5),
            Answer(503, _one("upload again in 5 seconds", "busy"), {"Retry-After": "5"}),
        ),
        (UnavailableError("try again later"), Answer(503, _one("try again later", "unavailable"))),
        (
            NotAuthenticatedError("key unknown"),
            Answer(401, _one("key unknown", "not_authenticated", "Authorization"), {"WWW-Authenticate": "Bearer"}),
        ),
        (GreetlineError("something else"), Answer(400, _one("something else", "refused"))),
    ],
    ids=lambda value: type(value).__name__,
)
def test_each_kind_of_error_has_its_answer(error: Exception, answer: Answer) -> None:
    assert answer_for(error) == answer


def test_the_api_answers_typed_errors_as_json(api: Setup) -> None:  # noqa: F811
    base = f"/api/v1/businesses/{api.demo_id}"
    key = api.as_key(api.demo_key)
    missing = api.http.put(f"{base}/greetings/999/active", headers=key)
    assert (missing.status_code, missing.json()) == (404, {"detail": _one("no such greeting", "not_found")})
    unknown_key = api.http.get(f"{base}/config", headers=api.as_key("not-a-key"))
    assert unknown_key.status_code == 401 and unknown_key.headers["www-authenticate"] == "Bearer"
    assert "unknown or revoked" in unknown_key.json()["detail"]["message"]
    no_key = api.http.get(f"{base}/config")
    assert no_key.status_code == 401 and no_key.headers["www-authenticate"] == "Bearer"


def test_an_admin_page_answers_a_typed_error_with_a_page_in_dutch(admin: httpx.Client) -> None:  # noqa: F811
    token = log_in(admin)
    missing = admin.post("/admin/greetings/999/active", data={"csrf": token})
    assert missing.status_code == 404 and "Deze pagina of dit onderdeel bestaat niet (meer)." in missing.text
    assert missing.headers["content-type"].startswith("text/html")
