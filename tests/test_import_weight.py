"""What each entry point imports: heavy libraries only where they are needed (issue 12).

The web server must start without numpy or any audio code (they come with the first upload), nor Alembic (`serve`
migrates in a child process), the holiday tables, gTTS with requests (loaded when something is first spoken),
httpx (a preview, the worker's recording fetch), Jinja2 and Babel (the first admin or card page), argon2 (the first
login) or Swagger UI's code (its files are served), and `greetline audio normalize` must not pay for scipy,
pyloudnorm, the web framework or the database. Each check runs in a fresh interpreter, since this test process has
imported everything already.
"""

import json
import subprocess
import sys
from collections.abc import Iterator
from itertools import takewhile
from pathlib import Path

import pytest
from fastapi.routing import _IncludedRouter
from starlette.routing import BaseRoute, Match

from ivr.settings import Settings
from ivr.web.app import create_app
from tests.audio.signals import speech_wav
from tests.conftest import PUBLIC_URL, REPO, TEST_TOKEN

TIMEOUT_S = 60
NUMERIC = ["numpy", "scipy", "pyloudnorm", "audio.normalize", "audio.measure", "audio.decode"]


def imported_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=TIMEOUT_S, check=True
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_web_server_starts_without_numeric_or_audio_libraries(sqlite_url: str, tmp_path: Path) -> None:
    imported = imported_after(
        "from ivr.settings import Settings\n"
        "from ivr.web.app import create_app\n"
        "import ivr.cli\n"
        "import ivr.cli.commands  # `serve` migrates through it\n"
        f"create_app(Settings(database_url={sqlite_url!r}, media_dir={str(tmp_path / 'media')!r}, "
        f"public_url={PUBLIC_URL!r}, twilio_auth_token={TEST_TOKEN!r}))"
    )
    assert "ivr.web.admin.greetings" in imported and "ivr.usecases.uploads" in imported  # the upload routes are there
    assert [name for name in NUMERIC if name in imported] == []
    # Needed later or elsewhere (migrating, a call on a holiday, a page), they would be idle memory (issue 12: < 90 MB).
    later = ["alembic", "holidays", "gtts", "requests", "httpx", "jinja2", "babel", "argon2", "swagger_ui"]
    later += ["sqlalchemy.dialects.postgresql"]  # the upserts' on SQLite: 1.4 MB
    assert [name for name in later if name in imported] == []


def test_a_health_check_passes_no_included_router(settings: Settings) -> None:
    """FastAPI (0.165) builds an included router's routes, with their fields' validators, when a request first
    passes it: a load balancer's health checks behind the admin pages held 3.5 MB of an idle server's memory."""
    app = create_app(settings)
    scope = {"type": "http", "method": "GET", "path": "/healthz", "root_path": "", "headers": [], "query_string": b""}
    passed = list(takewhile(lambda route: route.matches(dict(scope))[0] is Match.NONE, app.router.routes))
    assert len(passed) < len(app.router.routes)  # /healthz is there
    assert [route for route in passed if hasattr(route, "original_router")] == []


def test_building_the_app_builds_no_included_route(settings: Settings) -> None:
    """Routers inside a router included without a prefix had every route built at once (FastAPI 0.165 checks their
    paths), routes never served: the app builds its own when a request first passes them. 2 MB of idle memory."""
    app = create_app(settings)

    def built(routes: list[BaseRoute]) -> Iterator[object]:
        for route in routes:
            if isinstance(route, _IncludedRouter):
                if route._effective_candidates_version is not None:
                    yield route.original_router
                yield from built(route.original_router.routes)

    assert list(built(app.router.routes)) == []


def test_the_normalize_command_imports_neither_scipy_nor_the_server(tmp_path: Path) -> None:
    voice = speech_wav(tmp_path / "voice.wav", "Goedemiddag.")
    target = tmp_path / "out.wav"
    imported = imported_after(
        f"from ivr.cli import main\nassert main(['audio', 'normalize', {str(voice)!r}, {str(target)!r}]) == 0"
    )
    assert "numpy" in imported and target.read_bytes()[:4] == b"RIFF"  # it did the work
    heavy = ["scipy", "pyloudnorm", "fastapi", "sqlalchemy", "pydantic", "pydantic_settings", "phonenumbers"]
    assert [name for name in heavy if name in imported] == []


@pytest.mark.parametrize("engine", ["transcribe_model='base'", "transcribe_url='http://127.0.0.1:9/v1'"])
def test_the_web_server_with_a_transcriber_imports_no_part_of_it(sqlite_url: str, tmp_path: Path, engine: str) -> None:
    """The model runs in a child process of its own, started on the first voicemail (issue 22); the served process
    never imports faster-whisper, CTranslate2 or ONNX Runtime (tests/messages/test_transcribe_model.py checks the
    running process's mapped libraries after a transcript)."""
    imported = imported_after(
        "from ivr.settings import Settings\n"
        "from ivr.web.app import create_app\n"
        f"create_app(Settings(database_url={sqlite_url!r}, media_dir={str(tmp_path / 'media')!r}, "
        f"public_url={PUBLIC_URL!r}, twilio_auth_token={TEST_TOKEN!r}, {engine}))"
    )
    assert "ivr.messages.transcription" in imported  # the job is there
    heavy = ["faster_whisper", "ctranslate2", "onnxruntime", "tokenizers", "av", "audio.transcribe.local"]
    assert [name for name in heavy + NUMERIC if name in imported] == []
