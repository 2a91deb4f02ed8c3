"""The login page speaks the language the browser asks for (Accept-Language) until the visitor chooses one; a
business's own language and a chosen one come first once known."""

import httpx
import pytest

from ivr.web.admin.i18n import asked_for
from tests.web.test_admin import admin, log_in

__all__ = ["admin"]  # the fixture, used by name


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"),
        ("es-ES,es;q=0.9,de;q=0.5,en;q=0.6", "en"),  # by weight, not by place
        ("NL", "nl"),
        ("en;q=0, de", "de"),  # q=0: "not this one"
        ("en;q=zero, de", "de"),  # a weight that is no number: that item ignored
        ("es, pt", None),
        ("", None),
        ("*", None),
    ],
)
def test_the_first_of_our_languages_the_browser_asks_for(header: str, language: str | None) -> None:
    assert asked_for(header) == language


@pytest.mark.parametrize(
    ("header", "heading", "label"),
    [
        ("de-DE,de;q=0.9", "Anmelden", "E-Mail-Adresse"),
        ("en-US,en;q=0.9", "Log in", "E-mail address"),
        ("fr-FR", "Se connecter", "Adresse e-mail"),
        ("es-ES", "Inloggen", "E-mailadres"),  # none of ours: Dutch
    ],
)
def test_the_login_page_follows_the_browsers_language(
    admin: httpx.Client, header: str, heading: str, label: str
) -> None:
    page = admin.get("/admin/login", headers={"Accept-Language": header})
    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in page.text
    assert f'<label for="email">{label}</label>' in page.text


def test_a_chosen_language_wins_over_the_browsers(admin: httpx.Client) -> None:
    english = {"Accept-Language": "en-GB"}
    assert admin.get("/admin/language/de", headers=english).status_code == 303
    assert "<h1>Anmelden</h1>" in admin.get("/admin/login", headers=english).text


def test_once_logged_in_the_businesss_language_comes_before_the_browsers(admin: httpx.Client) -> None:
    log_in(admin)
    overview = admin.get("/admin", headers={"Accept-Language": "en-GB"})
    assert '<html lang="nl">' in overview.text
