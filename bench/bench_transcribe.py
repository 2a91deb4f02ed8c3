"""Benchmark: voicemail in words (issue 22). A 60 s voicemail (English espeak-ng speech, 8 kHz MP3 as Twilio sends
it) with the Whisper `base` model (var/models/whisper-base, assembled by `make setup`):

1. faster-whisper called directly on the same file, in a fresh process of its own (the alternative, alone);
2. Greetline: the recording status callback (real HTTP into the app), the worker's transcription job with the
   model in its child process as under `greetline serve`, until the transcript is stored;

interleaved, ROUNDS times each, the model loaded (warm) in both; the first, cold run of each is reported apart.
Also: the peak memory (VmHWM) of each transcribing process, and the voice webhook's p99 idle and while a transcript
runs. Targets: stored <= 20 s after the recording (real-time factor <= 0.33), overhead <= 10 % over the direct
call, peak <= 700 MB.

Run: `python -m bench.bench_transcribe` (or `make bench`) on a quiet machine.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

from ivr.messages.delivery import make_worker
from ivr.settings import Settings
from ivr.store import calls
from ivr.store.database import Database
from ivr.store.migrate import upgrade
from ivr.web.app import create_app
from ivr.web.services import utc_now
from tests.conftest import PUBLIC_URL, REPO, TEST_TOKEN
from tests.fakes.smtp import running_mail_server
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, running_twilio_api
from tests.local_server import running_server
from tests.messages.documents import BUSINESS_NUMBER, apply_after_call_document, call_sid, recording_sid
from tests.twilio_client import TwilioLikeClient

MODEL = REPO / "var" / "models" / "whisper-base"
ROUNDS = 3
VOICEMAIL_S = 60
WEBHOOK_REQUESTS = 300
SENTENCE = (
    "Hello, this is Peter Smith calling about the invoice for the repair of the central heating last week. "
    "The amount seems higher than the quote you sent me, so could you please call me back this afternoon? "
)

# faster-whisper alone, as the reference: the same model, int8, the same decoding options as ours.
DIRECT = """
import json, resource, sys, time
from faster_whisper import WhisperModel
from audio.transcribe.local import BEAM_SIZE
model = WhisperModel(sys.argv[1], device="cpu", compute_type="int8")
for path in sys.argv[2:]:
    started = time.perf_counter()
    segments, info = model.transcribe(path, beam_size=BEAM_SIZE, vad_filter=True)
    text = " ".join(s.text for s in segments)
    print(json.dumps({"s": time.perf_counter() - started, "words": len(text.split())}), flush=True)
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
"""


def voicemail(folder: Path) -> Path:
    wav, mp3 = folder / "voicemail.wav", folder / "voicemail.mp3"
    subprocess.run(["espeak-ng", "-v", "en", "-w", str(wav), SENTENCE * 8], check=True)
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(wav),
            "-t",
            str(VOICEMAIL_S),
            "-ac",
            "1",
            "-ar",
            "8000",
            "-b:a",
            "32k",
            str(mp3),
        ],
        check=True,
    )
    return mp3


def direct_runs(mp3: Path, count: int) -> tuple[list[float], float]:
    """Seconds per transcription (the first one cold) and the process's peak memory, faster-whisper alone."""
    result = subprocess.run(
        [sys.executable, "-c", DIRECT, str(MODEL), *[str(mp3)] * count],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return [line["s"] for line in lines if "s" in line], lines[-1]["peak_mb"]


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def p99_ms(http: httpx.Client, stop: threading.Event | None = None) -> float:
    validator = RequestValidator(TEST_TOKEN)
    took: list[float] = []
    for number in range(WEBHOOK_REQUESTS):
        if stop is not None and stop.is_set():
            break
        form = {"CallSid": f"CA{number:032}", "From": "+31611112222", "To": BUSINESS_NUMBER}
        headers = {"X-Twilio-Signature": validator.compute_signature(f"{PUBLIC_URL}/twilio/voice", form)}
        started = time.perf_counter()
        http.post("/twilio/voice", data=form, headers=headers)
        took.append((time.perf_counter() - started) * 1000)
    return statistics.quantiles(took, n=100)[98] if len(took) >= 2 else float("nan")


def main() -> dict[str, object]:
    if not (MODEL / "model.bin").is_file():
        raise SystemExit("run `make setup` first: it assembles the Whisper base model in var/models/whisper-base")
    with tempfile.TemporaryDirectory() as scratch, running_mail_server() as mail, running_twilio_api() as twilio:
        folder = Path(scratch)
        mp3 = voicemail(folder)
        settings = Settings(
            database_url=f"sqlite:///{folder}/bench.db",
            media_dir=folder / "media",
            voicemail_dir=folder / "vm",
            snapshot_path=folder / "snapshot.json",
            call_log_spill_path=folder / "spill.jsonl",
            public_url=PUBLIC_URL,
            twilio_auth_token=AUTH_TOKEN,
            twilio_account_sid=ACCOUNT_SID,
            twilio_api_url=twilio.base_url,
            smtp_url=mail.url,
            embedded_worker=False,
            transcribe_model=str(MODEL),
        )
        upgrade(settings.database_url)
        database = Database(settings.database_url)
        apply_after_call_document(database, datetime.now(UTC))
        app = create_app(settings, database=database)
        worker = make_worker(settings, database, utc_now, transcriber_in_own_process=True)
        greetline: list[float] = []
        direct: list[float] = []
        direct_peak = 0.0
        with running_server(app) as url, httpx.Client(base_url=url, timeout=60) as http:
            idle_p99 = p99_ms(http)
            during: list[float] = []
            for _round in range(ROUNDS + 1):
                seconds, direct_peak = direct_runs(mp3, 1)
                direct += seconds
                sid, call = recording_sid(), call_sid()
                recording_url = twilio.add_recording(sid, call, VOICEMAIL_S, audio=mp3.read_bytes())
                form = {"CallSid": call, "From": "+31611112222", "RecordingSid": sid, "RecordingUrl": recording_url}
                stop = threading.Event()
                load = threading.Thread(target=lambda stop=stop: during.append(p99_ms(http, stop)))
                started = time.perf_counter()
                assert TwilioLikeClient(http).post("/twilio/recording?business=1&box=overflow", form).status_code == 201
                load.start()
                worker.run_due()
                greetline.append(time.perf_counter() - started)
                stop.set()
                load.join()
                with database.transaction() as session:
                    stored = calls.get_recording(session, sid)
                assert stored is not None and stored.transcript_status == "done", stored
        child_peak = max((vm_hwm_mb(pid) for pid in _children()), default=float("nan"))
        database.dispose()
    return {
        "direct_s": direct,
        "greetline_s": greetline,
        "direct_peak_mb": direct_peak,
        "child_peak_mb": child_peak,
        "idle_p99_ms": idle_p99,
        "during_p99_ms": max(during) if during else float("nan"),
    }


def _children() -> list[int]:
    tasks = Path("/proc/self/task").iterdir()
    return [int(child) for task in tasks for child in (task / "children").read_text().split()]


def report(result: dict[str, object]) -> str:
    direct = [float(x) for x in result["direct_s"]]  # type: ignore[attr-defined]
    greetline = [float(x) for x in result["greetline_s"]]  # type: ignore[attr-defined]
    warm_direct, warm_greetline = statistics.median(direct[1:]), statistics.median(greetline[1:])
    rows = [
        "| | faster-whisper alone | Greetline (callback → stored) | target |",
        "|---|---|---|---|",
        f"| 60 s voicemail, first run (Greetline's child loads the model) | {direct[0]:.1f} s | "
        f"{greetline[0]:.1f} s | |",
        f"| 60 s voicemail, warm (median of {len(direct) - 1}) | {warm_direct:.1f} s | {warm_greetline:.1f} s | "
        "≤ 20 s |",
        f"| real-time factor, warm | {warm_direct / VOICEMAIL_S:.2f} | {warm_greetline / VOICEMAIL_S:.2f} | ≤ 0.33 |",
        f"| Greetline's overhead | | {100 * (warm_greetline / warm_direct - 1):+.0f} % | ≤ 10 % |",
        f"| peak memory of the transcribing process | {result['direct_peak_mb']:.0f} MB | "
        f"{result['child_peak_mb']:.0f} MB | ≤ 700 MB |",
        f"| voice webhook p99: idle / while a transcript runs | | {result['idle_p99_ms']:.1f} ms / "
        f"{result['during_p99_ms']:.1f} ms | ≤ 2 x idle |",
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    print(report(main()))
