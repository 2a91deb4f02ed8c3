"""Texts reach Twilio from GREETLINE_SMS_FROM when it is an alphanumeric sender ID (issue 20, item 16); without it
from the business's own number (tests/messages/test_delivery.py)."""

from ivr.messages.delivery import make_worker
from ivr.settings import Settings
from ivr.store.database import Database
from ivr.web.app import create_app
from tests.fakes.twilio_api import FakeTwilio
from tests.messages.test_delivery import Clock, after_call_settings, database, leave_message  # noqa: F401 (fixtures)
from tests.twilio_client import twilio_client

pytest_plugins = ["tests.fakes.twilio_api", "tests.fakes.smtp"]


def test_a_text_goes_to_twilio_from_the_alphanumeric_sender(
    after_call_settings: Settings,  # noqa: F811
    database: Database,  # noqa: F811
    twilio_api: FakeTwilio,
) -> None:
    settings = after_call_settings.model_copy(update={"sms_from": "Jansen"})
    app = create_app(settings, clock=Clock(), database=database)
    with twilio_client(app) as client:
        leave_message(app, client, twilio_api)
    clock = Clock()
    clock.advance(2)
    make_worker(settings, database, clock).run_due()
    assert [(text["To"], text["From"]) for text in twilio_api.texts] == [("+31687654321", "Jansen")]
