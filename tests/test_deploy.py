"""deploy/: the compose file parses (docker cannot run here; the fleet itself is tested by tests/test_replicas.py)
and every replica and the worker get what several machines need."""

from typing import Any

import yaml

from ivr.settings import Settings
from tests.conftest import REPO

DEPLOY = REPO / "deploy"
GREETLINE_SERVICES = ("migrate", "app1", "app2", "worker")


def compose() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))
    return found


def test_the_compose_file_names_every_part_of_the_fleet() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "seaweedfs", "migrate", "app1", "app2", "worker", "caddy"}
    assert services["worker"]["command"] == ["greetline", "worker"]
    assert all("--no-migrate" in services[app]["command"] for app in ("app1", "app2"))
    assert "-s3.port.iceberg=0" in services["seaweedfs"]["command"]


def test_replicas_and_the_worker_share_the_database_bucket_and_session_secret() -> None:
    services = compose()["services"]
    for name in GREETLINE_SERVICES:
        environment = services[name]["environment"]
        assert environment["GREETLINE_DATABASE_URL"].startswith("postgresql+psycopg://"), name
        assert environment["GREETLINE_MEDIA_URL"].startswith("s3://"), name
        assert environment["GREETLINE_SESSION_SECRET"], name
        assert environment["GREETLINE_EMBEDDED_WORKER"] == "false", name
        # Every GREETLINE_ variable is a setting (a typo would be ignored silently).
        unknown = {key for key in environment if key.startswith("GREETLINE_")} - {
            f"GREETLINE_{field.upper()}" for field in Settings.model_fields
        }
        assert unknown == set(), name
    assert {services[app]["volumes"][0] for app in ("app1", "app2")} == {"app1:/data", "app2:/data"}


def test_the_proxy_sends_calls_to_both_replicas() -> None:
    caddyfile = (DEPLOY / "Caddyfile").read_text("utf-8")
    assert "reverse_proxy app1:8000 app2:8000" in caddyfile
    assert "health_uri /healthz" in caddyfile
