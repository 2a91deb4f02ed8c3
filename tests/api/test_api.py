"""The staff API over real HTTP: keys, access across businesses, configuration changes heard at once."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from ivr.settings import Settings
from ivr.simulator import SIMULATED_CALL_FIELD
from ivr.store import keys
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app
from tests.audio.signals import decoded, probe, speech_wav
from tests.local_server import running_server
from tests.messages.documents import call_sid, recording_sid, recording_url
from tests.twilio_client import TwilioLikeClient

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OTHER = 'business: Loodgieter Jansen\nnumbers: ["+31201234567"]\noperators: ["+31201111111"]\n'


@dataclass
class Setup:
    http: httpx.Client
    demo_id: int
    other_id: int
    demo_key: str
    other_key: str
    platform_key: str

    def as_key(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def api(settings: Settings, demo_text: str) -> Iterator[Setup]:
    database = Database(settings.database_url)
    demo = apply_text(database, demo_text, NOW).stored
    other = apply_text(database, OTHER, NOW).stored
    with database.transaction() as session:
        _, demo_key = keys.create(session, business_id=demo.id, label="assistant", now=NOW)
        _, other_key = keys.create(session, business_id=other.id, label="", now=NOW)
        _, platform_key = keys.create(session, business_id=None, label="ops", now=NOW)
    database.dispose()
    app = create_app(settings, clock=lambda: NOW)
    with running_server(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield Setup(http, demo.id, other.id, demo_key, other_key, platform_key)


def refused_lines(response: httpx.Response) -> list[str]:
    """Each problem of a refusal as "where: message" (the answer's shape: ivr.web.api.errors)."""
    return [f"{found['where']}: {found['message']}" for found in response.json()["detail"]["problems"]]


def refusal(response: httpx.Response) -> str:
    return str(response.json()["detail"]["message"])


def endpoints(http: httpx.Client, business_id: int) -> list[tuple[str, str]]:
    schema = http.get("/openapi.json").json()
    return [
        (
            method.upper(),
            path.replace("{business_id}", str(business_id))
            .replace("{greeting_id}", "1")
            .replace("{recording_sid}", "RE1")
            .replace("{request_id}", "1")
            .replace("{name}", "outbreak"),
        )
        for path, methods in schema["paths"].items()
        # The answering service's card is opened by the secret in its path, not by a key (tests/web/test_card.py).
        if path.startswith("/api/v1") and not path.startswith("/api/v1/card/")
        for method in methods
    ]


def test_every_endpoint_answers_401_without_a_valid_key(api: Setup) -> None:
    found = endpoints(api.http, api.demo_id)
    assert len(found) >= 8
    for method, path in found:
        assert api.http.request(method, path).status_code == 401, (method, path)
        bad = api.http.request(method, path, headers=api.as_key("gl_not-a-key"))
        assert bad.status_code == 401, (method, path)
        assert "greetline keys create" in refusal(bad)


def test_no_read_or_write_across_businesses(api: Setup) -> None:
    hijack = {"business": "Hijacked", "numbers": ["+31201234567"], "operators": ["+31612345678"]}
    for method, path in endpoints(api.http, api.other_id):
        if path in ("/api/v1/businesses", "/api/v1/info-templates"):  # about no business in particular
            continue
        # Well-formed requests, so only the business they name can make them fail.
        body: dict[str, object] | None = {"rings": 3} if method in ("PUT", "PATCH") else None
        if path.endswith("/config") and method == "PUT":
            body = hijack
        if path.endswith("/greetings/text"):
            body = {"text": "Hallo, Loodgieter Jansen."}
        if path.endswith("/handled"):
            body = {"handled": True}  # a field the endpoint does not take would be refused first (422)
        if path.endswith("/done"):
            body = {"done": True}
        files = {"recording": ("welkom.wav", b"RIFF")} if method == "POST" else None
        response = api.http.request(
            method, path, json=None if files else body, files=files, headers=api.as_key(api.demo_key)
        )
        assert response.status_code == 404, (method, path, response.text)
        assert refusal(response) == "no such business"
    own = api.http.get(f"/api/v1/businesses/{api.other_id}/config", headers=api.as_key(api.other_key))
    assert own.json()["business"] == "Loodgieter Jansen"  # untouched
    listed = api.http.get("/api/v1/businesses", headers=api.as_key(api.demo_key)).json()
    assert [b["id"] for b in listed] == [api.demo_id]
    everything = api.http.get("/api/v1/businesses", headers=api.as_key(api.platform_key)).json()
    assert [b["id"] for b in everything] == [api.demo_id, api.other_id]


def test_setting_the_ring_count_answers_what_it_means(api: Setup) -> None:
    path = f"/api/v1/businesses/{api.demo_id}/rings"
    three = api.http.put(path, json={"rings": 3}, headers=api.as_key(api.demo_key)).json()
    assert (three["dial_timeout_s"], three["ringing_s"], three["warnings"]) == (10, 15, [])
    # Six rings keep an emergency caller from a human for over 30 s: refused, naming the path.
    six = api.http.put(path, json={"rings": 6}, headers=api.as_key(api.demo_key))
    assert six.status_code == 422
    assert "toets 1 → belt +31612345678 → opgenomen na 34 s" in six.text
    other = f"/api/v1/businesses/{api.other_id}/rings"
    six_elsewhere = api.http.put(other, json={"rings": 6}, headers=api.as_key(api.other_key)).json()
    assert six_elsewhere["dial_timeout_s"] == 25
    assert any("most callers hang up" in warning for warning in six_elsewhere["warnings"])
    impossible = api.http.put(other, json={"rings": 14}, headers=api.as_key(api.other_key))
    assert impossible.status_code == 422
    assert api.http.get(other, headers=api.as_key(api.other_key)).json()["rings"] == 6  # nothing lost
    assert api.http.get(path, headers=api.as_key(api.demo_key)).json()["rings"] == 3


def test_a_mobile_operator_with_too_many_rings_is_warned_about(api: Setup) -> None:
    mobile = {"operators": ["+31612345678"], "rings": 4}
    patched = api.http.patch(
        f"/api/v1/businesses/{api.other_id}/config", json=mobile, headers=api.as_key(api.other_key)
    )
    assert patched.status_code == 200, patched.text
    meaning = api.http.get(f"/api/v1/businesses/{api.other_id}/rings", headers=api.as_key(api.other_key)).json()
    assert any("+31612345678 is a mobile" in warning for warning in meaning["warnings"])


def test_a_bad_configuration_is_refused_whole_with_every_problem(api: Setup) -> None:
    path = f"/api/v1/businesses/{api.demo_id}/config"
    before = api.http.get(path, headers=api.as_key(api.demo_key)).json()
    bad = dict(before, rings=40, operators=["+3150111"])
    response = api.http.put(path, json=bad, headers=api.as_key(api.demo_key))
    assert response.status_code == 422
    problems = refused_lines(response)
    assert any(p.startswith("rings:") for p in problems) and any(p.startswith("operators[0]:") for p in problems)
    # The same problems as data: a client words them in its own language without reading the English.
    found = response.json()["detail"]["problems"]
    assert sorted(({k: v for k, v in p.items() if k != "message"} for p in found), key=lambda p: p["where"]) == [
        {
            "code": "invalid_phone_number",
            "where": "operators[0]",
            "values": {"value": "+3150111", "national": "020 123 4567", "international": "+31 20 123 4567"},
        },
        {"code": "ring_count", "where": "rings", "values": {"value": 40, "least": 1, "most": 10}},
    ]
    assert api.http.get(path, headers=api.as_key(api.demo_key)).json() == before


def test_a_change_is_heard_on_the_next_call(api: Setup, settings: Settings) -> None:
    api.http.put(f"/api/v1/businesses/{api.demo_id}/rings", json={"rings": 3}, headers=api.as_key(api.demo_key))
    # The webhook of the same running server, signed as Twilio signs it.
    twilio = TwilioLikeClient(api.http)
    body = twilio.post("/twilio/voice").text
    assert 'timeout="10"' in body


def test_what_a_caller_hears_at_a_given_time(api: Setup) -> None:
    heard = api.http.get(
        f"/api/v1/businesses/{api.demo_id}/hears",
        params={"at": "2026-11-24T20:00:00"},
        headers=api.as_key(api.demo_key),
    ).json()
    kinds = [event["kind"] for event in heard["events"]]
    assert kinds[:2] == ["say", "say"] and "record" in kinds  # closed: greeting, voicemail
    assert heard["events"][0]["text"] == "U spreekt met Huisartsenpraktijk De Linde. U belt buiten onze openingstijden."


def test_call_log_filters(api: Setup) -> None:
    twilio = TwilioLikeClient(api.http)
    twilio.post("/twilio/voice")
    path = f"/api/v1/businesses/{api.demo_id}/calls"
    logged = api.http.get(path, headers=api.as_key(api.demo_key)).json()
    assert [call["call_sid"] for call in logged] == ["CA0123"]
    none = api.http.get(path, params={"outcome": "voicemail"}, headers=api.as_key(api.demo_key)).json()
    assert none == []


def test_the_call_log_says_which_calls_were_simulated(api: Setup) -> None:
    twilio = TwilioLikeClient(api.http)
    twilio.post("/twilio/voice", {"CallSid": "CAreal"})
    twilio.post("/twilio/voice", {"CallSid": "CAsimulated", SIMULATED_CALL_FIELD: "1"})
    logged = api.http.get(f"/api/v1/businesses/{api.demo_id}/calls", headers=api.as_key(api.demo_key)).json()
    assert sorted((call["call_sid"], call["simulated"]) for call in logged) == [
        ("CAreal", False),
        ("CAsimulated", True),
    ]


def test_the_call_log_of_a_business_that_does_not_exist_is_not_found_even_for_a_platform_key(api: Setup) -> None:
    missing = api.http.get("/api/v1/businesses/999999/calls", headers=api.as_key(api.platform_key))
    assert missing.status_code == 404 and refusal(missing) == "no such business"
    own = api.http.get(f"/api/v1/businesses/{api.demo_id}/calls", headers=api.as_key(api.platform_key))
    assert own.status_code == 200


def test_greetings_upload_list_activate_preview_delete(api: Setup, tmp_path: Path) -> None:
    voice = speech_wav(tmp_path / "voice.wav", "Goedemiddag, u spreekt met Loodgieter Jansen.")
    base = f"/api/v1/businesses/{api.other_id}/greetings"
    key = api.as_key(api.other_key)
    uploaded = api.http.post(base, files={"recording": ("welkom.wav", voice.read_bytes())}, headers=key)
    assert uploaded.status_code == 201, uploaded.text
    greeting = uploaded.json()
    assert greeting["active"] is False and abs(greeting["report"]["output_lufs"] + 19) <= 0.5
    refused = api.http.post(base, files={"recording": ("welkom.mp3", b"not audio at all")}, headers=key)
    assert refused.status_code == 422 and "not an audio format" in refusal(refused)
    assert len(api.http.get(base, headers=key).json()) == 1  # the refused upload left nothing behind
    activated = api.http.put(f"{base}/{greeting['id']}/active", headers=key)
    active = activated.json()
    assert active["active"] is True
    config = api.http.get(f"/api/v1/businesses/{api.other_id}/config", headers=key)
    assert activated.headers["ETag"] == config.headers["ETag"]  # the revision the change made
    assert greeting["media_id"] in TwilioLikeClient(api.http).post("/twilio/voice", {"To": "+31201234567"}).text
    preview = api.http.get(f"{base}/{greeting['id']}/preview", headers=key)
    assert preview.headers["content-type"] == "audio/mpeg" and len(preview.content) > 1000
    assert api.http.delete(f"{base}/{greeting['id']}", headers=key).status_code == 409  # active: keep it


def test_voicemails_list_and_mark_handled(api: Setup) -> None:
    twilio = TwilioLikeClient(api.http)
    sid = recording_sid()
    recording = {
        "CallSid": call_sid(),
        "RecordingSid": sid,
        "RecordingUrl": recording_url("https://api.twilio.com", sid),
        "RecordingDuration": "12",
    }
    assert twilio.post(f"/twilio/recording?business={api.demo_id}&box=closed", recording).status_code == 201
    base = f"/api/v1/businesses/{api.demo_id}/voicemails"
    key = api.as_key(api.demo_key)
    assert [v["recording_sid"] for v in api.http.get(base, headers=key).json()] == [sid]
    assert api.http.put(f"{base}/{sid}/handled", headers=key).status_code == 204
    assert api.http.get(base, params={"unhandled": "true"}, headers=key).json() == []
    assert api.http.put(f"{base}/{sid}/handled", headers=api.as_key(api.other_key)).status_code == 404


def test_what_a_caller_hears_takes_a_time_with_its_zone_and_is_not_logged(api: Setup) -> None:
    path = f"/api/v1/businesses/{api.demo_id}/hears"
    # 16:30 in UTC is 17:30 in Amsterdam: after closing time, so the closed greeting.
    heard = api.http.get(path, params={"at": "2026-11-24T16:30:00+00:00"}, headers=api.as_key(api.demo_key)).json()
    assert heard["events"][0]["text"] == "U spreekt met Huisartsenpraktijk De Linde. U belt buiten onze openingstijden."
    calls = api.http.get(f"/api/v1/businesses/{api.demo_id}/calls", headers=api.as_key(api.demo_key)).json()
    assert calls == []  # a preview is not a call
    for odd in ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59", "1969-12-31T23:00:00-02:00"]:
        answer = api.http.get(path, params={"at": odd}, headers=api.as_key(api.demo_key))
        assert answer.status_code == 422 and "give a time between" in answer.text, odd


def test_a_number_of_another_business_is_answered_like_any_unavailable_number(api: Setup) -> None:
    path = f"/api/v1/businesses/{api.demo_id}/config"
    document = api.http.get(path, headers=api.as_key(api.demo_key)).json()
    taken = {**document, "numbers": [*document["numbers"], "+31201234567"]}  # the other business's
    free = {**document, "numbers": [*document["numbers"], "+31209999999"]}  # nobody's
    answers = [api.http.put(path, json=body, headers=api.as_key(api.demo_key)) for body in (taken, free)]
    assert [a.status_code for a in answers] == [409, 409]
    assert answers[0].json() == answers[1].json()  # nothing tells the two apart
    assert "contact support" in refusal(answers[0]) and "another business" not in answers[0].text
    platform = api.http.put(path, json=taken, headers=api.as_key(api.platform_key))
    assert platform.status_code == 409 and "another business" in refusal(platform)  # the operator may know


def test_the_docs_page_needs_nothing_from_the_internet(api: Setup) -> None:
    page = api.http.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(source.startswith("/") for source in sources), sources
    for source in sources:
        asset = api.http.get(source)
        assert asset.status_code == 200 and len(asset.content) > 1000, source
    assert "SwaggerUIBundle" in api.http.get("/docs-assets/swagger-ui-bundle.js").text


def test_ready_made_messages_are_listed_and_filled_for_a_business(api: Setup) -> None:
    key = api.as_key(api.demo_key)
    library = api.http.get("/api/v1/info-templates", headers=key).json()
    assert set(library) >= {"outbreak", "holiday_closure"} and set(library["outbreak"]) == {"nl", "en", "de", "fr"}
    filled = api.http.get(f"/api/v1/businesses/{api.demo_id}/info-templates/holiday_closure", headers=key).json()
    assert filled["language"] == "nl" and filled["findings"] == []
    assert filled["text"].startswith("Huisartsenpraktijk De Linde is wegens vakantie gesloten van 24 december 2026")
    other = api.http.get(f"/api/v1/businesses/{api.other_id}/info-templates/outbreak", headers=key)
    assert other.status_code == 404
    unknown = api.http.get(f"/api/v1/businesses/{api.demo_id}/info-templates/nonsense", headers=key)
    assert unknown.status_code == 422 and "outbreak" in refusal(unknown)


def test_a_ready_made_message_is_downloaded_as_speech(api: Setup) -> None:
    key = api.as_key(api.demo_key)
    filled = api.http.get(f"/api/v1/businesses/{api.demo_id}/info-templates/outbreak", headers=key).json()
    assert filled["mp3"] == f"/api/v1/businesses/{api.demo_id}/info-templates/outbreak.mp3"
    spoken = api.http.get(filled["mp3"], headers=key)
    assert spoken.status_code == 200 and spoken.headers["content-type"] == "audio/mpeg"
    assert spoken.headers["content-disposition"] == 'attachment; filename="outbreak.mp3"'
    assert probe(spoken.content).codec == "mp3"
    assert len(decoded(spoken.content)) / 8000 > 5  # seconds: the whole notice is spoken, not a blip
    other = api.http.get(f"/api/v1/businesses/{api.other_id}/info-templates/outbreak.mp3", headers=key)
    assert other.status_code == 404
    lacking = api.http.get(f"/api/v1/businesses/{api.demo_id}/info-templates/nonsense.mp3", headers=key)
    assert lacking.status_code == 422 and "outbreak" in refusal(lacking)


def test_a_document_with_a_trap_is_refused_naming_the_path(api: Setup) -> None:
    path = f"/api/v1/businesses/{api.demo_id}/config"
    before = api.http.get(path, headers=api.as_key(api.demo_key)).json()
    trap = dict(before, closed={"greeting": {"text": "Spreek na de toon een bericht in."}}, numbers=["0501"])
    trap.pop("overflow")
    response = api.http.put(path, json=trap, headers=api.as_key(api.demo_key))
    assert response.status_code == 422
    problems = refused_lines(response)
    assert any(problem.startswith("numbers[0]:") for problem in problems)  # validation and paths in one answer
    assert any(
        problem.startswith("closed.greeting: maandag 's nachts → gesloten → tekst vraagt om een bericht → ophangen")
        for problem in problems
    ), problems
    assert api.http.get(path, headers=api.as_key(api.demo_key)).json() == before


def test_the_listings_check_the_key_in_their_own_query_as_strictly_as_every_other_route(
    api: Setup, settings: Settings
) -> None:
    """The call log and the listing check the key on their own connection (issue 12): a revoked key is 401 from
    the next request, another business's log is 404 like a missing one, and a key lists only its own business."""
    twilio = TwilioLikeClient(api.http)
    twilio.post("/twilio/voice")
    demo_log = f"/api/v1/businesses/{api.demo_id}/calls"
    assert [c["call_sid"] for c in api.http.get(demo_log, headers=api.as_key(api.demo_key)).json()] == ["CA0123"]
    elsewhere = api.http.get(demo_log, headers=api.as_key(api.other_key))
    assert elsewhere.status_code == 404 and refusal(elsewhere) == "no such business"
    listed = api.http.get("/api/v1/businesses", headers=api.as_key(api.other_key)).json()
    assert [business["id"] for business in listed] == [api.other_id]

    database = Database(settings.database_url)
    with database.transaction() as session:
        demo_key_id = next(key.id for key in keys.all_keys(session) if key.business_id == api.demo_id)
        keys.revoke(session, demo_key_id, NOW)
    database.dispose()
    for path in (demo_log, "/api/v1/businesses"):
        refused = api.http.get(path, headers=api.as_key(api.demo_key))
        assert refused.status_code == 401 and "unknown or revoked" in refusal(refused), path
