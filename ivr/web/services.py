"""What the routes share: built once in create_app, handed to routes as one typed dependency."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from ivr.directory import Directory
from ivr.settings import Settings
from ivr.store.call_log import CallLogWriter
from ivr.store.database import Database
from ivr.twiml import TwimlRenderer

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    settings: Settings
    database: Database
    directory: Directory
    renderer: TwimlRenderer
    call_log: CallLogWriter
    clock: Clock


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
