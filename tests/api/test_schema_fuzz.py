"""A bounded schemathesis run over the OpenAPI schema: whatever it sends, no server error."""

from datetime import UTC, datetime

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from ivr.settings import Settings
from ivr.store import keys
from ivr.store.database import Database
from ivr.usecases.documents import apply_text
from ivr.web.app import create_app

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
# Bounded so CI stays quick; every operation still gets this many generated requests.
EXAMPLES_PER_OPERATION = 15


def test_no_server_error_on_any_generated_request(settings: Settings, demo_text: str) -> None:
    database = Database(settings.database_url)
    apply_text(database, demo_text, NOW)
    with database.transaction() as session:
        _, secret = keys.create(session, business_id=None, label="fuzz", now=NOW)
    database.dispose()
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings, clock=lambda: NOW))
    operations = [result.ok() for result in schema.include(path_regex=r"^/api/v1/").get_all_operations()]
    assert len(operations) >= 7
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck)
        )
        def no_server_error(case: schemathesis.Case) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {secret}"}, checks=[schemathesis.checks.not_a_server_error]
            )

        no_server_error()
