"""Two-step login (issue 24): a TOTP code from a phone app (RFC 6238), or one of ten one-time recovery codes.

A code is good once: the login keeps the last time step it accepted a code for, and a code for that step or an
earlier one is refused (RFC 6238 section 5.2: "the verifier MUST NOT accept the second attempt of the same OTP").
The row is locked while it is checked, so two requests with one code cannot both pass on PostgreSQL; SQLite writes
one at a time anyway.
"""

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Literal

import pyotp
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ivr.store.access_tables import RecoveryCodeRow, StaffUserRow

# RFC 6238's default step, the one phone apps (Google Authenticator, FreeOTP, 1Password) assume.
STEP_S = 30
# One step either side: a phone whose clock is up to 30 s off still logs in (RFC 6238 section 5.2 allows it).
WINDOW_STEPS = 1
CODE_DIGITS = 6
RECOVERY_CODE_COUNT = 10
ISSUER = "Greetline"

Passed = Literal["totp", "recovery"]


def new_secret() -> str:
    return pyotp.random_base32()


def setup_uri(secret: str, email: str) -> str:
    """What the QR code holds: the otpauth:// URI every phone app reads."""
    return pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_S).provisioning_uri(name=email, issuer_name=ISSUER)


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step `code` belongs to, within the window around `now`; None when it matches none."""
    code = code.replace(" ", "").strip()
    if len(code) != CODE_DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=CODE_DIGITS, interval=STEP_S)
    current = totp.timecode(now)
    for step in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").strip().lower().encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = secrets.token_hex(5)  # 40 bits each, used once, and every try counts toward the login throttle
    return f"{raw[:5]}-{raw[5:]}"


def turn_on(session: Session, user_id: int, secret: str, step: int) -> list[str]:
    """Stores the secret (its first code, for `step`, already used) and new recovery codes, shown this once."""
    row = session.get(StaffUserRow, user_id)
    assert row is not None
    row.totp_secret, row.totp_last_step = secret, step
    session.execute(delete(RecoveryCodeRow).where(RecoveryCodeRow.staff_id == user_id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    session.add_all(RecoveryCodeRow(staff_id=user_id, code_hash=_recovery_hash(code)) for code in codes)
    session.flush()
    return codes


def turn_off(session: Session, user_id: int) -> None:
    row = session.get(StaffUserRow, user_id)
    assert row is not None
    row.totp_secret, row.totp_last_step = None, None
    session.execute(delete(RecoveryCodeRow).where(RecoveryCodeRow.staff_id == user_id))
    session.flush()


def check_code(session: Session, user_id: int, code: str, now: datetime) -> Passed | None:
    """Which kind of code let the login in (and is now used), or None: wrong, reused, or no two-step login set up."""
    row = session.execute(select(StaffUserRow).where(StaffUserRow.id == user_id).with_for_update()).scalar_one_or_none()
    if row is None or row.totp_secret is None:
        return None
    step = matching_step(row.totp_secret, code, now)
    if step is not None and (row.totp_last_step is None or step > row.totp_last_step):
        row.totp_last_step = step
        return "totp"
    unused = session.execute(
        select(RecoveryCodeRow)
        .where(
            RecoveryCodeRow.staff_id == user_id,
            RecoveryCodeRow.code_hash == _recovery_hash(code),
            RecoveryCodeRow.used_at.is_(None),
        )
        .with_for_update()
    ).scalar_one_or_none()
    if unused is None:
        return None
    unused.used_at = now
    return "recovery"


def recovery_codes_left(session: Session, user_id: int) -> int:
    rows = session.scalars(
        select(RecoveryCodeRow.id).where(RecoveryCodeRow.staff_id == user_id, RecoveryCodeRow.used_at.is_(None))
    )
    return len(list(rows))
