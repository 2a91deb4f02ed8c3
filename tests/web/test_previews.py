"""A preview of what a caller hears goes into the app already serving the page: no second app per preview."""

from typing import Any

import fastapi
import httpx
import pytest
import starlette.applications

from ivr.settings import Settings
from tests.web.test_admin import admin, log_in, stored_document
from tests.web.test_admin_drafts import week_of

__all__ = ["admin"]  # the fixture, used by name


@pytest.fixture
def apps_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the ASGI application classes constructed from now on (FastAPI's and Starlette's own)."""
    built: list[str] = []
    for cls in (fastapi.FastAPI, starlette.applications.Starlette):
        original = cls.__init__

        def counting(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> None:
            built.append(type(self).__name__)
            __original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting)
    return built


def test_the_texts_page_and_the_dashboard_build_no_app(admin: httpx.Client, apps_built: list[str]) -> None:
    log_in(admin)
    texts = admin.get("/admin/texts")
    dashboard = admin.get("/admin")
    assert texts.status_code == 200 and dashboard.status_code == 200
    week = week_of(texts.text)
    assert list(week) == ["Nu", "Vanavond", "Zondag", "Volgende feestdag", "In de volgende periode"]
    assert "u spreekt met Huisartsenpraktijk De Linde" in week["Nu"]
    assert "U belt buiten onze openingstijden." in week["Vanavond"]
    assert "Goedemorgen, u spreekt met Huisartsenpraktijk De Linde." in dashboard.text
    assert apps_built == []


def test_a_draft_is_heard_without_building_an_app_or_storing_it(
    admin: httpx.Client, settings: Settings, apps_built: list[str]
) -> None:
    token = log_in(admin)
    before = stored_document(settings)
    text = "De praktijk is vrijdag gesloten."
    draft = {"info_text": text, "info_on": "on", "intent": "preview", "csrf": token}
    page = admin.post("/admin/texts/info", data=draft)
    assert page.status_code == 200 and text in week_of(page.text)["Nu"]
    assert text not in week_of(admin.get("/admin/texts").text)["Nu"]  # the next view hears the stored document
    assert stored_document(settings) == before
    assert apps_built == []


def test_the_counter_sees_an_app_being_built(apps_built: list[str]) -> None:
    fastapi.FastAPI()
    assert apps_built == ["FastAPI"]
