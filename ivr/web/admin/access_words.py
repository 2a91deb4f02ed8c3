"""Roles and audit-trail entries in the reader's language (the catalogues hold the words; the codes stay codes)."""

from typing import Any

from ivr.roles import ANSWERING, OWNER, READ_ONLY, STAFF
from ivr.store.audit import AuditEvent
from ivr.web.admin.i18n import Words


def role_names(words: Words) -> dict[str, str]:
    return {
        OWNER: words.gettext("Owner"),
        STAFF: words.gettext("Staff member"),
        READ_ONLY: words.gettext("Read only"),
        ANSWERING: words.gettext("Answering service"),
    }


def action_words(words: Words) -> dict[str, str]:
    """Each action of ivr.store.audit.ACTIONS in words (a test checks none is missing)."""
    return {
        "login": words.gettext("Logged in"),
        "login_failed": words.gettext("Failed to log in"),
        "logout": words.gettext("Logged out"),
        "password_changed": words.gettext("Changed the password"),
        "password_reset": words.gettext("Reset the password by e-mail"),
        "password_reset_asked": words.gettext("Asked for a password reset by e-mail"),
        "two_factor_enabled": words.gettext("Turned on two-step login"),
        "two_factor_disabled": words.gettext("Turned off two-step login"),
        "recovery_code_used": words.gettext("Logged in with a recovery code"),
        "voicemail_played": words.gettext("Played a voicemail"),
        "voicemail_downloaded": words.gettext("Downloaded a voicemail"),
        "caller_exported": words.gettext("Exported a caller's data"),
        "caller_erased": words.gettext("Erased a caller's data"),
        "staff_added": words.gettext("Added a login"),
        "staff_removed": words.gettext("Removed a login"),
        "role_changed": words.gettext("Changed a role"),
        "retention_run": words.gettext("Deleted expired data"),
    }


def event_details(words: Words, event: AuditEvent) -> str:
    """What identifies the act, in words: whose login, which role, which recording. Never contents."""
    details: dict[str, Any] = event.details
    roles = role_names(words)
    parts: list[str] = []
    if "email" in details:
        parts.append(str(details["email"]))
    if "from" in details and "to" in details:
        parts.append(f"{roles.get(details['from'], details['from'])} → {roles.get(details['to'], details['to'])}")
    elif "role" in details:
        parts.append(roles.get(details["role"], str(details["role"])))
    if "recording" in details:
        parts.append(str(details["recording"]))
    if "caller" in details:
        parts.append(str(details["caller"]))
    if "reason" in details:
        parts.append(reason_words(words).get(details["reason"], str(details["reason"])))
    if "counts" in details and isinstance(details["counts"], dict):
        parts.append(", ".join(f"{name}: {count}" for name, count in sorted(details["counts"].items())))
    return " · ".join(parts)


def reason_words(words: Words) -> dict[str, str]:
    """Why a login failed."""
    return {
        "password": words.gettext("wrong password"),
        "code": words.gettext("wrong or used code"),
        "throttled": words.gettext("too many attempts"),
    }
