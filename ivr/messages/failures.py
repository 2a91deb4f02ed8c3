"""Why a delivery failed, as codes: the job stores the code and its values beside the English line (for the API
and the logs), and the inbox page says it in the visitor's language (ivr.web.admin.problem_words)."""

from enum import StrEnum

from ivr.jobs.model import FAILED, NO_WORKER_FUNCTION


class DeliveryCode(StrEnum):
    FAILED = FAILED  # not known more precisely: the server's own answer is kept as the detail
    NO_WORKER_FUNCTION = NO_WORKER_FUNCTION
    NOT_AN_MP3 = "recording_not_mp3"
    MESSAGE_GONE = "message_gone"
    RECORDING_GONE = "recording_gone"
    MAIL_REFUSED = "mail_refused"
    MAIL_LOGIN_REFUSED = "mail_login_refused"
    TEXT_REFUSED = "text_refused"
    NO_DAILY_SUMMARY = "no_daily_summary"
