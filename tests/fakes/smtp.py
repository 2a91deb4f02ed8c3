"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it accepts; it can be stopped and
started again on the same port, to play a mail server that is down for a while.
PYTEST_DONT_REWRITE
"""

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """`latency_s`: how long the server takes to accept each message, as a busy mail server does."""

    def __init__(self, latency_s: float = 0.0) -> None:
        self.messages: list[EmailMessage] = []
        # time.monotonic() when each message was accepted, in the same order (for the benchmark).
        self.arrived_at: list[float] = []
        self.arrived = threading.Condition()
        self.latency_s = latency_s

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        if self.latency_s:
            await asyncio.sleep(self.latency_s)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.arrived:
            self.messages.append(message)
            self.arrived_at.append(time.monotonic())
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout_s: float = 20.0) -> list[EmailMessage]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout_s)
            return list(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class MailServer:
    def __init__(self, latency_s: float = 0.0) -> None:
        self.inbox = Inbox(latency_s)
        self.port = free_port()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@contextmanager
def running_mail_server(latency_s: float = 0.0) -> Iterator[MailServer]:
    server = MailServer(latency_s)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    with running_mail_server() as server:
        yield server
