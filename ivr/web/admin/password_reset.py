"""/admin/password: a forgotten password reset by e-mail (issue 24). The link works once, for one hour; using it
ends every session of the login. The answer to "send me a link" is the same whether or not the address has a login,
so the form tells nobody which addresses exist."""

import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from ivr.jobs.model import PermanentFailure
from ivr.messages.compose import Email
from ivr.messages.outbox import message_domain
from ivr.messages.senders import senders
from ivr.store import password_resets, staff
from ivr.store.password_resets import Refusal
from ivr.web.admin import pages
from ivr.web.admin.account import address_of, record_for_login
from ivr.web.admin.i18n import Words
from ivr.web.admin.pages import check_csrf, words
from ivr.web.admin.problems import Problems
from ivr.web.request_session import RequestSessionDep
from ivr.web.services import ServicesDep

log = logging.getLogger(__name__)
router = APIRouter(prefix="/password", include_in_schema=False)
Token = Annotated[str, Query(max_length=100)]


def _refused(words_: Words, refusal: Refusal) -> str:
    return {
        "unknown": words_.gettext("This link is not valid. Ask for a new one."),
        "used": words_.gettext("This link was used already. Ask for a new one."),
        "expired": words_.gettext("This link has expired (links work for one hour). Ask for a new one."),
    }[refusal]


@router.get("/forgot")
def forgot_page(request: Request) -> Response:
    return pages.page(request, "password_forgot.html", "login")


@router.post("/forgot")
def send_link(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    csrf: Annotated[str, Form()],
    email: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    issued = password_resets.issue(db.session, email, services.clock())
    if issued is not None:
        user, token = issued
        link = f"{services.settings.public_url}/admin/password/reset?token={token}"
        body = words_.gettext(
            "Someone asked for a new password for %(email)s on Greetline. Open this link within an hour to choose "
            "one:\n\n%(link)s\n\nThe link works once. If you did not ask for it, ignore this e-mail: your password "
            "stays as it is."
        ) % {"email": user.email, "link": link}
        mail = Email(
            to=user.email,
            subject=words_.gettext("A new password for Greetline"),
            body=body,
            message_id=f"<reset-{secrets.token_hex(8)}@{message_domain(services.settings.public_url)}>",
        )
        try:
            senders(services.settings).mailer.send(mail, services.settings.mail_from)
        except (OSError, PermanentFailure):  # the visitor is told the same; the log says why no mail went
            log.exception("the password reset mail to %s could not be sent", user.email)
        record_for_login(services, db, user, "password_reset_asked", address_of(request))
    sent = words_.gettext(
        "If this address has a login, a link to choose a new password is on its way. It works once, for one hour."
    )
    return pages.page(request, "password_forgot.html", "login", notice=sent)


@router.get("/reset")
def reset_page(request: Request, services: ServicesDep, db: RequestSessionDep, token: Token = "") -> Response:
    refusal = password_resets.check(db.session, token, services.clock())
    if refusal is not None:
        return _refusal_page(request, refusal)
    return _reset_form(request, token)


def _reset_form(request: Request, token: str, problems: Problems | None = None) -> Response:
    return pages.page(
        request,
        "password_reset.html",
        "login",
        status_code=422 if problems else 200,
        token=token,
        problems=problems,
        min_password_length=staff.MIN_PASSWORD_LENGTH,
    )


def _refusal_page(request: Request, refusal: Refusal) -> Response:
    log.warning("password reset link refused: %s", refusal)
    problems = Problems({"form": [_refused(words(request), refusal)]})
    return pages.page(request, "password_forgot.html", "login", status_code=400, problems=problems)


@router.post("/reset")
def reset(
    request: Request,
    services: ServicesDep,
    db: RequestSessionDep,
    csrf: Annotated[str, Form()],
    token: Annotated[str, Form(max_length=100)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    check_csrf(request, csrf)
    words_ = words(request)
    if len(new) < staff.MIN_PASSWORD_LENGTH:
        short = words_.gettext("A password has at least %(count)s characters.") % {"count": staff.MIN_PASSWORD_LENGTH}
        return _reset_form(request, token, Problems({"new-password": [short]}))
    done = password_resets.redeem(db.session, token, new, services.clock())
    if isinstance(done, str):
        return _refusal_page(request, done)
    record_for_login(services, db, done, "password_reset", address_of(request))
    changed = words_.gettext("Your password is changed; every other session of this login has ended. Log in with it.")
    return pages.page(request, "login.html", "login", notice=changed)
