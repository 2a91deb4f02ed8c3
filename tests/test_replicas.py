"""Several machines as one service (issue 13), with real parts on 127.0.0.1: two `greetline serve` replicas and one
`greetline worker` on one PostgreSQL database (its own) and one S3 store (SeaweedFS), mail through aiosmtpd,
Twilio's REST API as the local fake. Nothing is shared but the database and the bucket: each replica has its own
local directories, which must stay empty of audio.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from ivr.roles import ANSWERING
from ivr.store import jobs, keys, staff
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.usecases.documents import apply_text
from ivr.web.logins import FREE_FAILURES_PER_ACCOUNT
from tests.audio.signals import speech_wav
from tests.conftest import REPO, TEST_TOKEN, own_postgres_database
from tests.fakes.smtp import MailServer, running_mail_server
from tests.fakes.twilio_api import ACCOUNT_SID, FakeTwilio, running_twilio_api, voicemail_mp3
from tests.local_server import ServerProcess, server_process
from tests.messages.documents import call_sid, recording_sid
from tests.seaweedfs import S3Store, running_seaweedfs
from tests.twilio_client import TwilioLikeClient

# Plain http, so the session cookie is not marked Secure and the test's client sends it to the other replica.
PUBLIC_URL = "http://greetline.test"
NUMBER = "+31201110000"
EMAIL, PASSWORD = "balie@replica.example", "een-lang-wachtwoord"
BOX_ADDRESSES = ("balie@replica.example", "tandarts@replica.example")
DOCUMENT = f"""\
business: Tandartspraktijk Replica
numbers: ["{NUMBER}"]
language: nl
country: NL
timezone: Europe/Amsterdam
greeting: {{text: "Goedendag, u spreekt met Tandartspraktijk Replica."}}
operators: ["+31611110000"]
rings: 4
overflow: {{voicemail: {{email: [{", ".join(BOX_ADDRESSES)}]}}}}
"""
# rings x 5 s (the Dutch ring cycle, ITU-T E.180) - 5 s: what <Dial timeout> says for 4 and for 3 rings.
TIMEOUT_4_RINGS, TIMEOUT_3_RINGS = 'timeout="15"', 'timeout="10"'
HEARD_WITHIN_S = 1.0
# Bounds for a machine shared with other work; reached in a second or two normally.
WAIT_S = 20.0
VOICEMAILS = 3


@dataclass
class Fleet:
    a: ServerProcess
    b: ServerProcess
    worker: "subprocess.Popen[bytes]"
    database: Database
    store: S3Store
    prefix: str
    mail: MailServer
    twilio: FakeTwilio
    api_key: str
    business_id: int
    local_dirs: list[Path]

    def http(self, server: ServerProcess) -> httpx.Client:
        return httpx.Client(base_url=server.base_url, timeout=10.0)

    def twilio_client(self, http: httpx.Client) -> TwilioLikeClient:
        return TwilioLikeClient(http, TEST_TOKEN, PUBLIC_URL)

    @property
    def key(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


def environment(
    database_url: str, store: S3Store, prefix: str, mail: MailServer, twilio: FakeTwilio, local: Path
) -> dict[str, str]:
    """One machine's settings: the shared database and bucket; its own disk for what is only ever local."""
    return {
        "PYTHONPATH": str(REPO),
        "GREETLINE_DATABASE_URL": database_url,
        **store.environment(prefix),
        # Where audio would go if the bucket were not used: must stay empty.
        "GREETLINE_MEDIA_DIR": str(local / "media"),
        "GREETLINE_SPEECH_CACHE_DIR": str(local / "speech-cache"),
        "GREETLINE_VOICEMAIL_DIR": str(local / "voicemail"),
        "GREETLINE_SNAPSHOT_PATH": str(local / "routing-snapshot.json"),
        "GREETLINE_CALL_LOG_SPILL_PATH": str(local / "call-log-spill.jsonl"),
        "GREETLINE_PUBLIC_URL": PUBLIC_URL,
        "GREETLINE_TWILIO_AUTH_TOKEN": TEST_TOKEN,
        "GREETLINE_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "GREETLINE_TWILIO_API_URL": twilio.base_url,
        "GREETLINE_SMTP_URL": mail.url,
        "GREETLINE_SESSION_SECRET": "replicas-test-session-secret-0123456789",
        "GREETLINE_TTS_ENGINES": '["espeak"]',
        "GREETLINE_EMBEDDED_WORKER": "false",
        # The revision check would catch a change within this; NOTIFY must do it far sooner.
        "GREETLINE_DIRECTORY_RECHECK_S": "60",
        "GREETLINE_JOB_POLL_S": "0.2",
    }


def prepared(database: Database) -> tuple[int, str]:
    """The business, a staff login and a platform API key, stored as `greetline apply` and `keys create` would."""
    now = datetime.now(UTC)
    business_id = apply_text(database, DOCUMENT, now).stored.id
    with database.transaction() as session:
        staff.set_login(session, business_id=business_id, email=EMAIL, password=PASSWORD, now=now)
        _key, secret = keys.create(session, business_id=None, label="replicas test", now=now)
    return business_id, secret


@pytest.fixture(scope="module")
def fleet(postgres_unavailable: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    work = tmp_path_factory.mktemp("replicas")
    with ExitStack() as stack:
        database_url = stack.enter_context(own_postgres_database(postgres_unavailable))
        store = stack.enter_context(running_seaweedfs(work / "seaweedfs"))
        mail = stack.enter_context(running_mail_server())
        twilio = stack.enter_context(running_twilio_api())
        upgrade(database_url)
        database = Database(database_url)
        stack.callback(database.dispose)
        business_id, api_key = prepared(database)
        prefix = "fleet"
        machines = {name: work / name for name in ("a", "b", "w")}
        env = {name: environment(database_url, store, prefix, mail, twilio, path) for name, path in machines.items()}
        a = stack.enter_context(server_process(env["a"], arguments=["--no-migrate"]))
        b = stack.enter_context(server_process(env["b"], arguments=["--no-migrate"]))
        worker_log = (work / "worker.log").open("wb")
        stack.callback(worker_log.close)
        worker = subprocess.Popen(
            [sys.executable, "-m", "ivr", "worker"], env={**os.environ, **env["w"]}, stderr=worker_log
        )
        stack.callback(_stop, worker)
        yield Fleet(a, b, worker, database, store, prefix, mail, twilio, api_key, business_id, list(machines.values()))


def _stop(process: "subprocess.Popen[bytes]") -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(WAIT_S)


def answer(fleet: Fleet, http: httpx.Client) -> str:
    response = fleet.twilio_client(http).post("/twilio/voice", {"CallSid": call_sid(), "To": NUMBER})
    assert response.status_code == 200, response.text
    return response.text


def objects_under(fleet: Fleet, folder: str) -> list[str]:
    listed: dict[str, Any] = fleet.store.client().list_objects_v2(
        Bucket=fleet.store.bucket, Prefix=f"{fleet.prefix}/{folder}/"
    )
    return [item["Key"] for item in listed.get("Contents", [])]


def test_a_login_on_one_replica_works_on_the_other(fleet: Fleet) -> None:
    with fleet.http(fleet.a) as on_a, fleet.http(fleet.b) as on_b:
        login_page = on_a.get("/admin/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', login_page)
        assert token is not None
        logged_in = on_a.post("/admin/login", data={"email": EMAIL, "password": PASSWORD, "csrf": token[1]})
        assert logged_in.status_code == 303 and logged_in.headers["location"] == "/admin"
        on_b.cookies = on_a.cookies  # the load balancer sends the next request elsewhere
        dashboard = on_b.get("/admin")
    assert dashboard.status_code == 200 and "Tandartspraktijk Replica" in dashboard.text


def test_a_greeting_uploaded_through_one_replica_is_played_and_served_by_the_other(
    fleet: Fleet, tmp_path: Path
) -> None:
    voice = speech_wav(tmp_path / "welkom.wav", "Goedendag, u spreekt met Tandartspraktijk Replica.")
    base = f"/api/v1/businesses/{fleet.business_id}/greetings"
    with fleet.http(fleet.a) as on_a, fleet.http(fleet.b) as on_b:
        assert "<Play>" not in answer(fleet, on_b)  # B has the business in memory, with the typed welcome
        uploaded = on_a.post(base, files={"recording": ("welkom.wav", voice.read_bytes())}, headers=fleet.key)
        assert uploaded.status_code == 201, uploaded.text
        media_id = uploaded.json()["media_id"]
        assert on_a.put(f"{base}/{uploaded.json()['id']}/active", headers=fleet.key).status_code == 200
        deadline = time.monotonic() + HEARD_WITHIN_S
        while (played := re.search(r"<Play>([^<]+)</Play>", answer(fleet, on_b))) is None:
            assert time.monotonic() < deadline, "replica B still does not play the greeting uploaded through A"
        assert played[1] == f"{PUBLIC_URL}/media/{media_id}.wav"
        served = on_b.get(played[1].removeprefix(PUBLIC_URL))  # Twilio fetches it from whichever replica
        from_a = on_a.get(played[1].removeprefix(PUBLIC_URL))
    assert served.status_code == 200 and served.headers["content-type"] == "audio/wav"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.content[:4] == b"RIFF" and served.content == from_a.content
    assert f"{fleet.prefix}/media/{media_id}.wav" in objects_under(fleet, "media")


def test_a_ring_count_changed_on_one_replica_is_heard_on_the_other_within_a_second(fleet: Fleet) -> None:
    rings = f"/api/v1/businesses/{fleet.business_id}/rings"
    with fleet.http(fleet.a) as on_a, fleet.http(fleet.b) as on_b:
        assert on_a.put(rings, json={"rings": 4}, headers=fleet.key).status_code == 200
        deadline = time.monotonic() + WAIT_S
        while TIMEOUT_4_RINGS not in answer(fleet, on_b):  # B answers 4 rings from memory from here on
            assert time.monotonic() < deadline
        changed = on_a.put(rings, json={"rings": 3}, headers=fleet.key)
        changed_at = time.monotonic()
        assert changed.status_code == 200, changed.text
        while TIMEOUT_3_RINGS not in (heard := answer(fleet, on_b)):
            assert TIMEOUT_4_RINGS in heard
            assert time.monotonic() - changed_at < HEARD_WITHIN_S, "B still rings 4 times a second after the change"
        heard_after_s = time.monotonic() - changed_at
    assert heard_after_s < HEARD_WITHIN_S


def test_voicemails_arriving_at_both_replicas_are_each_delivered_once(fleet: Fleet) -> None:
    path = f"/twilio/recording?business={fleet.business_id}&box=overflow"
    sids = [recording_sid() for _ in range(VOICEMAILS)]
    with fleet.http(fleet.a) as on_a, fleet.http(fleet.b) as on_b:
        for number, sid in enumerate(sids):
            call = call_sid()
            form = {
                "CallSid": call,
                "RecordingSid": sid,
                "RecordingUrl": fleet.twilio.add_recording(sid, call),
                "RecordingStatus": "completed",
                "RecordingDuration": "2",
                "From": f"+3161234500{number}",
            }
            # Twilio's callback reaches one replica, its retry (or the <Record> action) the other.
            statuses = {fleet.twilio_client(http).post(path, form).status_code for http in (on_a, on_b)}
            assert statuses == {200, 201}
        expected = VOICEMAILS * len(BOX_ADDRESSES)
        fleet.mail.inbox.wait_for(expected, WAIT_S)
        _wait_until_no_job_is_left(fleet)
        audio = on_b.get(f"/api/v1/businesses/{fleet.business_id}/voicemails/{sids[0]}/audio", headers=fleet.key)
        public = on_b.get(f"/media/{sids[0]}.mp3")
    messages = fleet.mail.inbox.messages
    assert len(messages) == expected, _tail(fleet)
    assert len(Counter(message["Message-ID"] for message in messages)) == expected
    assert Counter(message["To"] for message in messages) == dict.fromkeys(BOX_ADDRESSES, VOICEMAILS)
    # Our private copy is in the bucket, beside the greetings but never among them.
    assert sorted(objects_under(fleet, "voicemail")) == sorted(f"{fleet.prefix}/voicemail/{sid}.mp3" for sid in sids)
    assert (audio.status_code, audio.headers["cache-control"]) == (200, "private, no-store")
    assert audio.content == voicemail_mp3()
    assert public.status_code == 404


def _wait_until_no_job_is_left(fleet: Fleet) -> None:
    deadline = time.monotonic() + WAIT_S
    while True:
        with fleet.database.transaction() as session:
            states = jobs.counts(session)
        if not states.get("pending") and not states.get("running"):
            return
        assert time.monotonic() < deadline, f"jobs left: {states}\n{_tail(fleet)}"
        time.sleep(0.05)  # polling the jobs table with a deadline


def _tail(fleet: Fleet) -> str:
    return "\n".join(fleet.a.output[-10:] + fleet.b.output[-10:])


def test_the_replicas_share_one_login_throttle(fleet: Fleet) -> None:
    # Wrong passwords for one account, alternating between the replicas: each counts the other's failures too, so
    # the attempt after the free ones is refused on either (issue 24). Another account: EMAIL keeps logging in.
    account = "geraden@replica.example"
    with fleet.http(fleet.a) as on_a, fleet.http(fleet.b) as on_b:
        answers = []
        for attempt in range(FREE_FAILURES_PER_ACCOUNT + 1):
            http = (on_a, on_b)[attempt % 2]
            token = re.search(r'name="csrf" value="([^"]+)"', http.get("/admin/login").text)
            assert token is not None
            answers.append(http.post("/admin/login", data={"email": account, "password": "fout", "csrf": token[1]}))
    assert [answer.status_code for answer in answers] == [401] * FREE_FAILURES_PER_ACCOUNT + [429]
    assert int(answers[-1].headers["Retry-After"]) >= 1


def test_a_call_put_through_on_one_replica_pops_up_on_a_console_connected_to_the_other_within_a_second(
    fleet: Fleet,
) -> None:
    """Issue 26: the whisper runs on A; the console's event stream on B hears it through PostgreSQL's NOTIFY."""
    with fleet.database.transaction() as session:
        staff.set_login(
            session,
            business_id=fleet.business_id,
            email="telefoniste@replica.example",
            password=PASSWORD,
            now=datetime.now(UTC),
            role=ANSWERING,
        )
    with fleet.http(fleet.a) as on_a, fleet.http(fleet.b) as on_b:
        token = re.search(r'name="csrf" value="([^"]+)"', on_b.get("/admin/login").text)
        assert token is not None
        form = {"email": "telefoniste@replica.example", "password": PASSWORD, "csrf": token[1]}
        assert on_b.post("/admin/login", data=form).status_code == 303
        with on_b.stream("GET", "/console/events") as stream:
            lines = stream.iter_lines()
            assert next(lines).startswith("retry:")  # the stream is open on B, after every event so far
            call = call_sid()
            leg = {"CallSid": call_sid(), "ParentCallSid": call, "To": "+31208888888", "From": "+31612345678"}
            whisper = f"/twilio/whisper?business={fleet.business_id}&via=menu&key=1"
            assert fleet.twilio_client(on_a).post(whisper, leg).status_code == 200
            answered_at = time.monotonic()
            event = ""
            while not event.startswith("data:"):
                event = next(lines)
            popped_after_s = time.monotonic() - answered_at
    assert json.loads(event.removeprefix("data:"))["call"] == call
    assert popped_after_s < HEARD_WITHIN_S, f"the console on B heard the call {popped_after_s:.2f} s after A"


# Last in the module: it kills replica a, which the tests above need.
def test_with_one_replica_killed_the_other_answers_every_call(fleet: Fleet) -> None:
    fleet.a.process.send_signal(signal.SIGKILL)
    fleet.a.process.wait(WAIT_S)
    with fleet.http(fleet.a) as on_a, fleet.http(fleet.b) as on_b:
        with pytest.raises(httpx.ConnectError):
            answer(fleet, on_a)
        answers = [answer(fleet, on_b) for _ in range(20)]
    assert all("<Dial" in text and TIMEOUT_3_RINGS in text for text in answers)
    # Nothing was ever written to a replica's own disk but its routing snapshot and call-log spill.
    assert [path for machine in fleet.local_dirs for path in machine.glob("*/**/*") if path.is_file()] == []
