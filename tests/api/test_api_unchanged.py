"""Every part the API reads, put back as it was read, leaves the stored document as it was and adds no version to
its history (issue 19): the whole document, each part on its own, the ring count, the welcome."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from ivr.settings import Settings
from ivr.store import businesses, history, keys
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.usecases.editing import PARTS
from ivr.web.app import create_app
from tests.every_key import EVERY_KEY, OTHER_SHAPES
from tests.local_server import running_server

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@dataclass
class Api:
    http: httpx.Client
    database: Database
    business_id: int
    headers: dict[str, str]

    def stored(self) -> tuple[dict[str, Any], int]:
        with self.database.transaction() as session:
            document = businesses.get(session, self.business_id).document
            return document, len(history.versions(session, self.business_id, limit=1000))

    def put_back(self, method: str, path: str, body: Any) -> None:
        before = self.stored()
        answer = self.http.request(method, path, json=body, headers=self.headers)
        assert answer.status_code in (200, 201), (method, path, answer.text)
        after = self.stored()
        assert after[0] == before[0], f"{method} {path} changed the document"
        assert after[1] == before[1], f"{method} {path} added a version to the history"


@pytest.fixture(params=["every key", "other shapes"])
def api(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Api]:
    database = Database(settings.database_url)
    business_id = apply_text(database, EVERY_KEY if request.param == "every key" else OTHER_SHAPES, NOW).stored.id
    with database.transaction() as session:
        _, key = keys.create(session, business_id=business_id, label="assistent", now=NOW)
    local_speech = {"tts_engines": ("espeak",)}
    app = create_app(settings.model_copy(update=local_speech), clock=lambda: NOW)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield Api(http, database, business_id, {"Authorization": f"Bearer {key}"})
    database.dispose()


def test_what_is_read_and_put_back_unchanged_changes_nothing(api: Api) -> None:
    schema = api.http.get("/openapi.json").json()
    business = f"/api/v1/businesses/{api.business_id}"
    # Every path the API both reads and replaces (the whole document, the ring count, …), put back as read.
    readable = [
        path.replace("{business_id}", str(api.business_id))
        for path, methods in schema["paths"].items()
        if "get" in methods and "put" in methods and "{business_id}" in path and path.count("{") == 1
    ]
    assert f"{business}/config" in readable and f"{business}/rings" in readable
    for path in readable:
        api.put_back("PUT", path, api.http.get(path, headers=api.headers).json())
    # Each part on its own, and all of them at once.
    document = api.http.get(f"{business}/config", headers=api.headers).json()
    present = [part for part in PARTS if part in document]
    assert len(present) >= 6
    for part in present:
        api.put_back("PATCH", f"{business}/config", {part: document[part]})
    api.put_back("PATCH", f"{business}/config", {part: document[part] for part in present})
    # The welcome, typed as it is (one shape has none: callers hear the language's default).
    if "greeting" in document:
        api.put_back("PUT", f"{business}/greetings/text", {"text": document["greeting"]["text"]})


def test_a_changed_part_is_one_version_in_the_history(api: Api) -> None:
    """The other side: a real change still makes exactly one version."""
    before = api.stored()
    path = f"/api/v1/businesses/{api.business_id}/rings"
    rings = api.http.get(path, headers=api.headers).json()["rings"]
    assert api.http.put(path, json={"rings": rings % 5 + 1}, headers=api.headers).status_code == 200
    after = api.stored()
    assert after[1] == before[1] + 1 and after[0]["rings"] == rings % 5 + 1


def test_a_key_inside_a_part_changes_that_key_only(api: Api) -> None:
    path = f"/api/v1/businesses/{api.business_id}/config"
    before = api.http.get(path, headers=api.headers).json()
    answer = api.http.patch(path, json={"closed.greeting.text": "Wij zijn nu gesloten."}, headers=api.headers)
    assert answer.status_code == 200, answer.text
    after = api.stored()[0]
    assert after["closed"] == {**before["closed"], "greeting": {"text": "Wij zijn nu gesloten."}}
    assert {key: value for key, value in after.items() if key != "closed"} == {
        key: value for key, value in before.items() if key != "closed"
    }
    unknown = api.http.patch(path, json={"business.name": "X"}, headers=api.headers)
    assert unknown.status_code == 422
    assert [(p["where"], p["code"]) for p in unknown.json()["detail"]["problems"]] == [
        ("business", "part_not_changeable")
    ]
