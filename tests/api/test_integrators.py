"""What an integrator relies on (issue 20, item 15): times with their zone, one error shape, nothing silently
ignored, no lost update, national numbers read in the business's country, the call notes."""

from datetime import UTC, datetime

from ivr.settings import Settings
from ivr.store import cards
from ivr.store.cards import CallNote
from ivr.store.database import Database
from tests.api.test_api import NOW, Setup, api  # noqa: F401 (a fixture)
from tests.messages.documents import call_sid, recording_sid, recording_url
from tests.twilio_client import TwilioLikeClient


def _voicemail(api: Setup) -> str:  # noqa: F811
    sid = recording_sid()
    recording = {
        "CallSid": call_sid(),
        "RecordingSid": sid,
        "RecordingUrl": recording_url("https://api.twilio.com", sid),
        "RecordingDuration": "12",
    }
    answer = TwilioLikeClient(api.http).post(f"/twilio/recording?business={api.demo_id}&box=closed", recording)
    assert answer.status_code == 201
    return sid


def test_every_time_the_api_returns_carries_its_zone(api: Setup) -> None:  # noqa: F811
    TwilioLikeClient(api.http).post("/twilio/voice")
    sid = _voicemail(api)
    key = api.as_key(api.demo_key)
    calls = api.http.get(f"/api/v1/businesses/{api.demo_id}/calls", headers=key).json()
    started = datetime.fromisoformat(calls[0]["started_at"])
    assert started.utcoffset() is not None and started == NOW
    voicemails = api.http.get(f"/api/v1/businesses/{api.demo_id}/voicemails", headers=key).json()
    assert voicemails[0]["recording_sid"] == sid
    assert datetime.fromisoformat(voicemails[0]["received_at"]) == NOW
    assert datetime.fromisoformat(voicemails[0]["received_at"]).utcoffset() is not None
    # A time asked for in another zone is the same instant: 10:00+01:00 is 09:00 UTC, the call's time.
    since = api.http.get(
        f"/api/v1/businesses/{api.demo_id}/calls", params={"since": "2026-11-24T10:00:00+01:00"}, headers=key
    ).json()
    assert [call["call_sid"] for call in since] == [calls[0]["call_sid"]]
    later = api.http.get(
        f"/api/v1/businesses/{api.demo_id}/calls", params={"since": "2026-11-24T10:00:01+01:00"}, headers=key
    ).json()
    assert later == []


def _shape(detail: object) -> bool:
    if not isinstance(detail, dict) or set(detail) != {"message", "problems"} or not detail["problems"]:
        return False
    return all(set(found) == {"where", "code", "message", "values"} for found in detail["problems"])


def test_fastapi_validation_and_our_own_refusals_share_one_shape(api: Setup) -> None:  # noqa: F811
    key = api.as_key(api.demo_key)
    base = f"/api/v1/businesses/{api.demo_id}"
    answers = {
        "FastAPI's validation of a query": api.http.get(f"{base}/calls", params={"limit": "0"}, headers=key),
        "FastAPI's validation of a path": api.http.get("/api/v1/businesses/0/config", headers=key),
        "FastAPI's validation of a body": api.http.put(f"{base}/rings", json={"rings": "many"}, headers=key),
        "our document's validation": api.http.patch(f"{base}/config", json={"rings": 14}, headers=key),
        "our not found": api.http.get("/api/v1/businesses/999/config", headers=key),
        "no key": api.http.get(f"{base}/config"),
        "a path the API does not serve": api.http.get("/api/v1/nothing/here", headers=key),
        "a method the path does not take": api.http.delete(f"{base}/config", headers=key),
    }
    for what, answer in answers.items():
        assert 400 <= answer.status_code < 500, (what, answer.status_code)
        assert _shape(answer.json()["detail"]), (what, answer.text)
    limit = answers["FastAPI's validation of a query"].json()["detail"]["problems"][0]
    assert (limit["where"], limit["code"]) == ("query.limit", "invalid")
    rings = answers["FastAPI's validation of a body"].json()["detail"]["problems"][0]
    assert rings["where"] == "rings"
    assert answers["our document's validation"].json()["detail"]["problems"][0]["code"] == "ring_count"
    assert answers["a path the API does not serve"].json()["detail"]["problems"][0]["code"] == "not_found"
    assert answers["a method the path does not take"].status_code == 405


def test_a_field_the_endpoint_does_not_take_is_refused_naming_it(api: Setup) -> None:  # noqa: F811
    key = api.as_key(api.demo_key)
    rings_path = f"/api/v1/businesses/{api.demo_id}/rings"
    before = api.http.get(rings_path, headers=key).json()["rings"]
    refused = api.http.put(rings_path, json={"rings": 3, "ring": 5}, headers=key)
    assert refused.status_code == 422
    assert [(p["where"], p["code"]) for p in refused.json()["detail"]["problems"]] == [("ring", "unknown_key")]
    assert api.http.get(rings_path, headers=key).json()["rings"] == before
    misspelt = api.http.get(f"/api/v1/businesses/{api.demo_id}/calls", params={"outcom": "missed"}, headers=key)
    assert misspelt.status_code == 422
    assert [(p["where"], p["code"]) for p in misspelt.json()["detail"]["problems"]] == [("query.outcom", "unknown_key")]
    sid = _voicemail(api)
    handled = api.http.put(
        f"/api/v1/businesses/{api.demo_id}/voicemails/{sid}/handled", json={"handed": True}, headers=key
    )
    assert handled.status_code == 422 and handled.json()["detail"]["problems"][0]["where"] == "handed"


def test_handled_false_makes_a_voicemail_unhandled_again(api: Setup) -> None:  # noqa: F811
    key = api.as_key(api.demo_key)
    sid = _voicemail(api)
    base = f"/api/v1/businesses/{api.demo_id}/voicemails"
    assert api.http.put(f"{base}/{sid}/handled", headers=key).status_code == 204
    assert api.http.get(base, params={"unhandled": "true"}, headers=key).json() == []
    assert api.http.put(f"{base}/{sid}/handled", json={"handled": False}, headers=key).status_code == 204
    unhandled = api.http.get(base, params={"unhandled": "true"}, headers=key).json()
    assert [(v["recording_sid"], v["handled"]) for v in unhandled] == [(sid, False)]
    assert api.http.put(f"{base}/{sid}/handled", json={"handled": True}, headers=key).status_code == 204
    assert api.http.get(base, headers=key).json()[0]["handled"] is True


def test_if_match_refuses_a_lost_update_and_applies_a_current_one(api: Setup) -> None:  # noqa: F811
    key = api.as_key(api.demo_key)
    config = f"/api/v1/businesses/{api.demo_id}/config"
    read = api.http.get(config, headers=key)
    etag = read.headers["ETag"]
    revision = api.http.get("/api/v1/businesses", headers=key).json()[0]["revision"]
    assert etag == f'"{revision}"'
    assert api.http.get(f"/api/v1/businesses/{api.demo_id}/rings", headers=key).headers["ETag"] == etag
    # Someone else changes the ring count after we read.
    theirs = api.http.put(f"/api/v1/businesses/{api.demo_id}/rings", json={"rings": 2}, headers=key)
    assert theirs.status_code == 200 and theirs.headers["ETag"] == f'"{revision + 1}"'
    # Our change, made to what we read, would undo theirs: refused, nothing changed.
    stale = {**key, "If-Match": etag}
    for answer in (
        api.http.put(config, json={**read.json(), "rings": 3}, headers=stale),
        api.http.patch(config, json={"rings": 3}, headers=stale),
        api.http.put(f"/api/v1/businesses/{api.demo_id}/rings", json={"rings": 3}, headers=stale),
    ):
        assert answer.status_code == 412, answer.text
        problem = answer.json()["detail"]["problems"][0]
        assert (problem["where"], problem["code"]) == ("If-Match", "stale_revision")
        assert problem["values"] == {"expected": revision, "stored": revision + 1}
    now = api.http.get(config, headers=key)
    assert now.json()["rings"] == 2 and now.headers["ETag"] == f'"{revision + 1}"'
    # Made to the current revision, it is applied, and answers the new one.
    current = {**key, "If-Match": now.headers["ETag"]}
    applied = api.http.patch(config, json={"rings": 3}, headers=current)
    assert applied.status_code == 200 and applied.json()["revision"] == revision + 2
    assert applied.headers["ETag"] == f'"{revision + 2}"'
    assert api.http.get(config, headers=key).json()["rings"] == 3
    malformed = api.http.patch(config, json={"rings": 4}, headers={**key, "If-Match": "yesterday"})
    assert malformed.status_code == 422 and malformed.json()["detail"]["problems"][0]["where"] == "If-Match"


def test_call_notes_are_listed_in_the_api(api: Setup, settings: Settings) -> None:  # noqa: F811
    database = Database(settings.database_url)
    note = CallNote("NT" + "1" * 32, api.demo_id, "Jan de Vries", "+31612345678", "Bel terug.", True, NOW)
    with database.transaction() as session:
        cards.add_note(session, note)
    database.dispose()
    key = api.as_key(api.demo_key)
    base = f"/api/v1/businesses/{api.demo_id}/call-notes"
    listed = api.http.get(base, headers=key).json()
    assert [(n["note_id"], n["caller_name"], n["caller_number"], n["urgent"], n["handled"]) for n in listed] == [
        (note.note_id, "Jan de Vries", "+31612345678", True, False)
    ]
    assert datetime.fromisoformat(listed[0]["written_at"]) == NOW.astimezone(UTC)
    assert api.http.get(f"/api/v1/businesses/{api.other_id}/call-notes", headers=api.as_key(api.other_key)).json() == []
    assert api.http.put(f"{base}/{note.note_id}/handled", headers=key).status_code == 204
    assert api.http.get(base, headers=key).json()[0]["handled"] is True
    assert api.http.put(f"{base}/{note.note_id}/handled", json={"handled": False}, headers=key).status_code == 204
    assert api.http.get(base, headers=key).json()[0]["handled"] is False
    elsewhere = api.http.put(f"/api/v1/businesses/{api.other_id}/call-notes/{note.note_id}/handled", headers=key)
    assert elsewhere.status_code == 404


def test_the_api_reads_national_numbers_in_the_business_country(api: Setup) -> None:  # noqa: F811
    key = api.as_key(api.demo_key)
    config = f"/api/v1/businesses/{api.demo_id}/config"
    patched = api.http.patch(config, json={"operators": ["06 12345678", "0031 20 765 4321"]}, headers=key)
    assert patched.status_code == 200, patched.text
    assert api.http.get(config, headers=key).json()["operators"] == ["+31612345678", "+31207654321"]
    refused = api.http.patch(config, json={"operators": ["06 123"]}, headers=key)
    assert refused.status_code == 422
    problem = refused.json()["detail"]["problems"][0]
    assert (problem["where"], problem["code"]) == ("operators[0]", "invalid_phone_number")
    assert problem["message"].endswith("write it as 020 123 4567 or +31 20 123 4567")


def test_blocking_a_number_takes_if_match_and_answers_the_revision(api: Setup) -> None:  # noqa: F811
    key = api.as_key(api.demo_key)
    config = f"/api/v1/businesses/{api.demo_id}/config"
    read = api.http.get(config, headers=key)
    assert api.http.put(f"/api/v1/businesses/{api.demo_id}/rings", json={"rings": 2}, headers=key).status_code == 200
    blocked = f"/api/v1/businesses/{api.demo_id}/blocked/+31611112222"
    # Made to the revision read before someone else's change: refused, the number not blocked.
    stale = api.http.put(blocked, headers={**key, "If-Match": read.headers["ETag"]})
    assert stale.status_code == 412, stale.text
    assert stale.json()["detail"]["problems"][0]["code"] == "stale_revision"
    assert "+31611112222" not in api.http.get(config, headers=key).json().get("blocked", [])
    current = api.http.get(config, headers=key).headers["ETag"]
    done = api.http.put(blocked, headers={**key, "If-Match": current})
    assert done.status_code == 204
    now = api.http.get(config, headers=key)
    assert now.json()["blocked"] == ["+31611112222"] and done.headers["ETag"] == now.headers["ETag"] != current
    assert api.http.delete(blocked, headers={**key, "If-Match": current}).status_code == 412
    undone = api.http.delete(blocked, headers={**key, "If-Match": now.headers["ETag"]})
    assert undone.status_code == 204 and api.http.get(config, headers=key).json().get("blocked", []) == []


def test_every_change_to_the_document_documents_if_match_and_its_etag(api: Setup) -> None:  # noqa: F811
    schema = api.http.get("/openapi.json").json()
    conditional = {
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "412" in operation["responses"]
    }
    assert conditional == {
        ("PUT", "/api/v1/businesses/{business_id}/config"),
        ("PATCH", "/api/v1/businesses/{business_id}/config"),
        ("PUT", "/api/v1/businesses/{business_id}/rings"),
        ("PUT", "/api/v1/businesses/{business_id}/blocked/{number}"),
        ("DELETE", "/api/v1/businesses/{business_id}/blocked/{number}"),
        ("PUT", "/api/v1/businesses/{business_id}/greetings/{greeting_id}/active"),
        ("PUT", "/api/v1/businesses/{business_id}/greetings/text"),
    }
    for method, path in conditional:
        operation = schema["paths"][path][method.lower()]
        assert "if-match" in [parameter["name"] for parameter in operation["parameters"]], (method, path)
        answered = next(operation["responses"][status] for status in ("200", "204") if status in operation["responses"])
        assert "ETag" in answered.get("headers", {}), (method, path)


def test_the_call_log_finds_a_caller_written_as_people_write_numbers(api: Setup) -> None:  # noqa: F811
    TwilioLikeClient(api.http).post("/twilio/voice")  # from +31612345678
    key = api.as_key(api.demo_key)
    calls = f"/api/v1/businesses/{api.demo_id}/calls"
    for typed in ("06 1234 5678", "06-12345678", "+31 6 1234 5678", "0612345678", "5678"):
        found = api.http.get(calls, params={"caller": typed}, headers=key)
        assert found.status_code == 200, (typed, found.text)
        assert [call["caller"] for call in found.json()] == ["+31612345678"], typed
    assert api.http.get(calls, params={"caller": "06 9999 9999"}, headers=key).json() == []
    refused = api.http.get(calls, params={"caller": "Jansen"}, headers=key)
    assert refused.status_code == 422 and refused.json()["detail"]["problems"][0]["where"] == "query.caller"


def test_a_body_that_is_no_json_and_a_misspelt_part_are_said_as_such(api: Setup) -> None:  # noqa: F811
    key = api.as_key(api.demo_key)
    base = f"/api/v1/businesses/{api.demo_id}"
    garbled = api.http.put(f"{base}/rings", content=b"rings=5", headers={**key, "Content-Type": "application/json"})
    assert garbled.status_code == 422
    (problem,) = garbled.json()["detail"]["problems"]
    assert (problem["where"], problem["code"]) == ("body", "json_invalid")
    assert problem["message"].startswith("the body is not JSON")
    misspelt = api.http.patch(f"{base}/config", json={"ringz": 5, "business": "X"}, headers=key)
    assert misspelt.status_code == 422
    assert [(p["where"], p["code"]) for p in misspelt.json()["detail"]["problems"]] == [
        ("ringz", "unknown_key"),
        ("business", "part_not_changeable"),
    ]


def test_a_window_time_without_a_zone_is_the_business_local_time(api: Setup) -> None:  # noqa: F811
    TwilioLikeClient(api.http).post("/twilio/voice")  # at 09:00 UTC: 10:00 in Amsterdam
    key = api.as_key(api.demo_key)
    base = f"/api/v1/businesses/{api.demo_id}"
    for since, listed in (("2026-11-24T10:00:00", 1), ("2026-11-24T09:30:00", 1), ("2026-11-24T10:00:01", 0)):
        found = api.http.get(f"{base}/calls", params={"since": since}, headers=key).json()
        assert len(found) == listed, since
        rows = api.http.get(f"{base}/calls.csv", params={"since": since}, headers=key).text.splitlines()[1:]
        assert len(rows) == listed, since
    before = api.http.get(f"{base}/calls", params={"until": "2026-11-24T10:00:00"}, headers=key).json()
    assert before == []  # until is exclusive: the call began at 10:00 there


def test_what_the_ring_count_means_is_taken_back_as_read_never_set(api: Setup) -> None:  # noqa: F811
    key = api.as_key(api.demo_key)
    rings = f"/api/v1/businesses/{api.demo_id}/rings"
    read = api.http.get(rings, headers=key).json()
    # Its own dial timeout would have been ignored without a word: refused, nothing changed.
    refused = api.http.put(rings, json={**read, "rings": 3, "dial_timeout_s": 99}, headers=key)
    assert refused.status_code == 422, refused.text
    assert [(p["where"], p["code"]) for p in refused.json()["detail"]["problems"]] == [("dial_timeout_s", "read_only")]
    assert api.http.get(rings, headers=key).json() == read
    # GET's answer with the count changed goes back as read; so does the meaning of the new count.
    changed = api.http.put(rings, json={**read, "rings": 3}, headers=key)
    assert changed.status_code == 200, changed.text
    again = api.http.put(rings, json={**changed.json(), "rings": 3}, headers=key)
    assert again.status_code == 200 and again.json() == changed.json()
