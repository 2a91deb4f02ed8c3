"""Why a call ended, in the page's language (ivr.callflow.end_reasons), for the calls page and the statistics."""

from ivr.callflow.end_reasons import EndReason
from ivr.web.admin.i18n import Words


def end_reason(words: Words, value: str | None) -> str:
    if value is None:
        return words.gettext("in progress")
    said: dict[str, str] = {
        EndReason.ANSWERED_STAFF: words.gettext("answered by staff"),
        EndReason.ANSWERED_SERVICE: words.gettext("answered by the answering service"),
        EndReason.MESSAGE_LEFT: words.gettext("message left"),
        EndReason.CALLBACK_REQUESTED: words.gettext("callback requested"),
        EndReason.BLOCKED: words.gettext("blocked"),
        EndReason.HUNG_UP_WELCOME: words.gettext("hung up during the welcome"),
        EndReason.HUNG_UP_INFORMATION: words.gettext("hung up during the information"),
        EndReason.HUNG_UP_MENU: words.gettext("hung up during the menu"),
        EndReason.HUNG_UP_RINGING: words.gettext("hung up while the phones rang"),
        EndReason.CLOSED_NO_MESSAGE: words.gettext("closed, no message"),
        EndReason.HOLIDAY: words.gettext("holiday"),
        EndReason.PERIOD: words.gettext("closed period"),
        EndReason.BUSY: words.gettext("nobody free"),
        EndReason.FAILED: words.gettext("failed"),
        EndReason.SIMULATED: words.gettext("simulated"),
    }
    return said.get(value, words.gettext("other outcome"))


def hung_up_at(words: Words, value: str | None, second: int | None) -> str:
    """ "hung up during the menu (at 14 s)": the second tells how far the caller got."""
    said = end_reason(words, value)
    if second is None or value not in {reason.value for reason in EndReason if reason.name.startswith("HUNG_UP")}:
        return said
    return words.gettext("%(reason)s (at %(second)s s)") % {"reason": said, "second": second}
