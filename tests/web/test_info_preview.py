"""The information message's preview plays the draft, spoken for the preview and not saved; each player on the
page says what it plays (the ready-made message, the draft, the saved message)."""

import re

import httpx

from ivr.settings import Settings
from tests.audio.signals import decoded
from tests.web.test_admin import admin, log_in, stored_document

__all__ = ["admin"]  # the fixture, used by name

SAVED = "Wij zijn open van acht tot vijf."
# Saving speaks every text of the demo the first time; a busy machine (two cores, tests beside) took over 30 s.
SPEAKING_TIMEOUT_S = 300
DRAFT = "Heeft u koorts of hoest u? Bel dan eerst even voor u langskomt. Wij helpen u graag verder."


def player_src(page: str, paragraph_id: str) -> str:
    found = re.search(rf'<p (?:class="spoken" )?id="{paragraph_id}">.*?<audio [^>]*src="(/media/[0-9a-f]+\.mp3)"', page)
    assert found is not None, f"no player in #{paragraph_id}"
    return found.group(1)


def test_the_preview_plays_the_draft_and_saves_nothing(admin: httpx.Client, settings: Settings) -> None:
    token = log_in(admin)
    saved = admin.post(
        "/admin/texts/info", data={"info_text": SAVED, "info_on": "on", "csrf": token}, timeout=SPEAKING_TIMEOUT_S
    )
    assert saved.status_code == 200
    before = stored_document(settings)
    texts = admin.get("/admin/texts").text
    saved_src = player_src(texts, "info-spoken")
    assert "Het opgeslagen bericht, zoals bellers het nu horen:" in texts

    preview = admin.post(
        "/admin/texts/info",
        data={"info_text": DRAFT, "info_on": "on", "intent": "preview", "csrf": token},
        timeout=SPEAKING_TIMEOUT_S,
    )
    assert preview.status_code == 200
    draft_src = player_src(preview.text, "info-draft-spoken")
    assert draft_src != saved_src and player_src(preview.text, "info-spoken") == saved_src
    assert "Het concept, zoals bellers het zouden horen (ingesproken voor deze voorvertoning, niet opgeslagen):" in (
        preview.text
    )
    draft_s = len(decoded(admin.get(draft_src).content)) / 8000
    saved_s = len(decoded(admin.get(saved_src).content)) / 8000
    assert draft_s > saved_s + 1  # the draft is a much longer text than the saved one
    assert stored_document(settings) == before
    assert player_src(admin.get("/admin/texts").text, "info-spoken") == saved_src  # nothing of the draft kept
