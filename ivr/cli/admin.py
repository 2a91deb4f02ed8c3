"""The staff-facing commands: `greetline keys …`, `staff …`, `card`, `templates …` and `forward-codes`."""

import argparse
import secrets
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ivr.callflow.model import Country
from ivr.callflow.ringing import MAX_RINGS, MIN_RINGS
from ivr.cli.arguments import parse_day
from ivr.cli.runtime import Runtime, runtime
from ivr.document.phones import read_number
from ivr.errors import InputError
from ivr.roles import OWNER, ROLES
from ivr.store.staff import MIN_PASSWORD_LENGTH


def _number(text: str) -> str:
    try:
        return read_number(text, None)
    except ValueError as error:
        raise InputError(str(error)) from None


def _keys_create(args: argparse.Namespace) -> int:
    from ivr.store import businesses, keys

    with runtime() as opened:
        opened.migrate()
        with opened.database.transaction() as session:
            business_id = None
            if args.business:
                stored = businesses.find_by_number(session, _number(args.business))
                if stored is None:
                    raise InputError(f"no business answers {args.business}; apply its document first")
                business_id = stored.id
            key, secret = keys.create(session, business_id=business_id, label=args.label, now=datetime.now(UTC))
    scope = f"business {key.business_id}" if key.business_id else "the platform (every business)"
    print(f"API key {key.id} for {scope}; shown once, store it now:\n{secret}")
    return 0


def _keys_list(args: argparse.Namespace) -> int:
    from ivr.store import keys

    with runtime() as opened, opened.database.transaction() as session:
        listed = keys.all_keys(session)
    for key in listed:
        scope = f"business {key.business_id}" if key.business_id else "platform"
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        print(f"{key.id:4}  {key.prefix}…  {scope:12}  {state:18}  {key.label}")
    return 0


def _keys_revoke(args: argparse.Namespace) -> int:
    from ivr.store import keys

    with runtime() as opened, opened.database.transaction() as session:
        key = keys.revoke(session, args.id, datetime.now(UTC))
    print(f"API key {key.id} ({key.prefix}…) is revoked")
    return 0


def _staff_create(args: argparse.Namespace) -> int:
    from ivr.document.phones import email
    from ivr.store import staff

    try:
        address = email(args.email)
    except ValueError as error:
        raise InputError(f"--email: {error}") from None
    if args.password is not None and len(args.password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")

    def create(_opened: Any, session: Any, stored: Any) -> str:
        # An existing login keeps its password unless one is given: it joins this business (a second location).
        exists = bool(staff.businesses_of(session, address))
        password = args.password or (None if exists else secrets.token_urlsafe(12))
        now = datetime.now(UTC)
        user = staff.set_login(
            session, business_id=stored.id, email=address, password=password, now=now, role=args.role
        )
        shown = f" / {password}" if password else " (its password unchanged)"
        return f"{user.role} login for {stored.document['business']}: {user.email}{shown}"

    return _for_business(args, create)


def _for_business(args: argparse.Namespace, act: Any) -> int:
    """Run `act(runtime, session, business)` for the business answering --business; what it returns is printed."""
    from ivr.store import businesses

    with runtime() as opened:
        opened.migrate()
        with opened.database.transaction() as session:
            stored = businesses.find_by_number(session, _number(args.business))
            if stored is None:
                raise InputError(f"no business answers {args.business}; apply its document first")
            print(act(opened, session, stored))
    return 0


def _staff_list(args: argparse.Namespace) -> int:
    from ivr.store import staff

    def listing(_runtime: Runtime, session: Any, stored: Any) -> str:
        members = staff.of_business(session, stored.id)
        listed = (f"{m.email}  {m.role}  (since {m.created_at:%Y-%m-%d})" for m in members)
        return "\n".join(listed) or "no staff logins"

    return _for_business(args, listing)


def _staff_remove(args: argparse.Namespace) -> int:
    from ivr.store import staff

    def removing(_runtime: Runtime, session: Any, stored: Any) -> str:
        found = [m for m in staff.of_business(session, stored.id) if m.email == args.email.lower()]
        if not found:
            raise InputError(f"{args.email} has no login at {stored.document['business']}; see `greetline staff list`")
        staff.remove(session, stored.id, found[0].id)
        return f"{found[0].email} can no longer log in"

    return _for_business(args, removing)


def _templates_list(args: argparse.Namespace) -> int:
    from prompts.info_templates import info_templates

    for name, texts in info_templates().items():
        print(f"{name:20}  {texts['en']}")
    return 0


def _templates_show(args: argparse.Namespace) -> int:
    from ivr.document.info_messages import ready_made

    # The day decides which period is the next one the message announces.
    today = parse_day(args.date, "--date") if args.date else datetime.now(UTC).date()

    def showing(opened: Runtime, session: Any, stored: Any) -> str:
        text, findings = ready_made(stored.document, args.name, today)
        lines = [text, *(f"  {finding}" for finding in findings)]
        if args.mp3 is not None:
            lines.append(f"spoken: {_spoken_to(opened, args.mp3, stored.document, args.name, today)}")
        return "\n".join(lines)

    return _for_business(args, showing)


def _spoken_to(opened: Runtime, path: Path, document: dict[str, Any], name: str, today: date) -> Path:
    """The message as speech, written to `path` as MP3 (to hear first, or to play on a practice's own phone system)."""
    from ivr.usecases.rendering import spoken_ready_made

    spoken = spoken_ready_made(opened.settings, opened.audio, document, name, today)
    try:
        path.write_bytes(spoken)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}; give a file in a folder you can write to") from None
    return path


def _forward_codes(args: argparse.Namespace) -> int:
    from ivr.callflow.forwarding import forward_codes, landline_codes

    if not MIN_RINGS <= args.rings <= MAX_RINGS:
        raise InputError(f"ring count must be from {MIN_RINGS} to {MAX_RINGS}, got {args.rings}")
    to_number = _number(args.to)
    for code in forward_codes(args.rings, to_number, Country("GB" if args.country == "UK" else args.country)):
        print(f"{code.code:32}  {code.what}")
    for line, codes in landline_codes(to_number).items():
        print(f"\n{line} landline:")
        for code in codes:
            print(f"{code.code:32}  {code.what}")
    return 0


def _card(args: argparse.Namespace) -> int:
    from ivr.card.link import card_link_in

    def showing(opened: Runtime, session: Any, stored: Any) -> str:
        name = stored.document["business"]
        link = card_link_in(session, stored.id, opened.settings.public_url, datetime.now(UTC), rotate=args.rotate)
        if link.url is None:
            return (
                f"{name} has had a card since {link.made_at:%Y-%m-%d %H:%M} UTC; its URL is shown only when made "
                f"(only a hash is kept): `greetline card {args.business} --rotate` makes a new one and the old stops "
                "working"
            )
        made = "rotated, the old URL no longer works; " if args.rotate else ""
        return f"the answering service's card for {name} ({made}give it to the service, keep it secret):\n{link.url}"

    return _for_business(args, showing)


def _callbacks_feed(args: argparse.Namespace) -> int:
    from ivr.messages.callback_feed import feed_url
    from ivr.store.callbacks import feed_token

    def showing(opened: Runtime, session: Any, stored: Any) -> str:
        token = feed_token(session, stored.id, datetime.now(UTC), rotate=args.rotate)
        made = "rotated, the old URL no longer works; " if args.rotate else ""
        name = stored.document["business"]
        url = feed_url(opened.settings.public_url, token)
        return f"the calendar feed of open callback requests for {name} ({made}subscribe to it, keep it secret):\n{url}"

    return _for_business(args, showing)


def register(commands: Any) -> None:
    keys = commands.add_parser("keys", help="create, list and revoke API keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="KEYS_COMMAND")
    create = key_commands.add_parser(
        "create",
        help="create a key (shown once)",
        epilog="example: greetline keys create --business +31501234567 --label assistant",
    )
    create.add_argument(
        "--business",
        metavar="NUMBER",
        help="a number of the business the key may manage; without it, a platform key that manages every business",
    )
    create.add_argument("--label", default="", help="what the key is for")
    create.set_defaults(func=_keys_create)
    key_commands.add_parser("list", help="list keys (never the secrets)").set_defaults(func=_keys_list)
    revoke = key_commands.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("id", type=int, help="the key's id, as `greetline keys list` shows it")
    revoke.set_defaults(func=_keys_revoke)

    staff = commands.add_parser("staff", help="staff logins for the admin page")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True, metavar="STAFF_COMMAND")
    create_login = staff_commands.add_parser(
        "create",
        help="create a login (or reset its password)",
        epilog="example: greetline staff create --business +31501234567 --email assistent@delinde.nl --role staff",
    )
    create_login.add_argument("--business", required=True, metavar="NUMBER", help="a number of the business")
    create_login.add_argument("--email", required=True, help="the login: the staff member's e-mail address")
    create_login.add_argument(
        "--password",
        help=f"at least {MIN_PASSWORD_LENGTH} characters; default: a random one, printed "
        "(an existing login keeps its own)",
    )
    create_login.add_argument(
        "--role",
        choices=ROLES,
        default=OWNER,
        help="owner (everything, staff and roles too), staff (the day's work), read_only (sees, changes nothing), "
        "answering (an answering service: the card only); default: owner",
    )
    create_login.set_defaults(func=_staff_create)
    list_logins = staff_commands.add_parser("list", help="list a business's staff logins")
    list_logins.add_argument("--business", required=True, metavar="NUMBER", help="a number of the business")
    list_logins.set_defaults(func=_staff_list)
    remove_login = staff_commands.add_parser("remove", help="remove a staff login")
    remove_login.add_argument("--business", required=True, metavar="NUMBER", help="a number of the business")
    remove_login.add_argument("--email", required=True, help="the login to remove: the staff member's e-mail address")
    remove_login.set_defaults(func=_staff_remove)

    templates = commands.add_parser("templates", help="ready-made information messages")
    template_commands = templates.add_subparsers(dest="templates_command", required=True, metavar="TEMPLATES_COMMAND")
    template_commands.add_parser("list", help="the templates, in English").set_defaults(func=_templates_list)
    show = template_commands.add_parser(
        "show",
        help="a template filled for a business, in its language, with the checker's findings",
        epilog="example: greetline templates show holiday_closure --business +31501234567",
    )
    show.add_argument("name", help="the template's name, as `greetline templates list` prints it")
    show.add_argument("--business", required=True, metavar="NUMBER", help="a number of the business")
    show.add_argument("--mp3", type=Path, metavar="FILE", help="also write the message, spoken, to FILE as MP3")
    show.add_argument("--date", help="the day to announce the next period from, YYYY-MM-DD (default: today)")
    show.set_defaults(func=_templates_show)

    forward = commands.add_parser(
        "forward-codes",
        help="mobile codes that forward calls to Greetline",
        description="Codes to dial on a mobile so calls it does not answer (or when busy, unreachable, or always) "
        "go to Greetline; the no-answer timer follows the ring count, up to the 30 s a mobile waits at most. Then "
        "the codes for an analogue and an ISDN landline, each with its cancel code.",
        epilog="example: greetline forward-codes --rings 4 --to +31501234567",
    )
    forward.add_argument("--rings", type=int, required=True, help="rings before forwarding")
    forward.add_argument("--to", required=True, help="the Greetline number, E.164")
    forward.add_argument(
        "--country",
        default="NL",
        choices=["NL", "BE", "DE", "FR", "GB", "UK", "US"],
        help="the country's ring cycle turns rings into seconds (default: %(default)s)",
    )
    forward.set_defaults(func=_forward_codes)

    card = commands.add_parser(
        "card",
        help="the answering service's card: its secret URL (instructions, today's calls, call notes)",
        description="Print the URL of the answering service's instruction card for the business answering NUMBER. "
        "The first time makes it; only a hash is kept, so later only --rotate shows one (and ends the old).",
        epilog="example: greetline card +31501234567",
    )
    card.add_argument("business", metavar="NUMBER", help="a number of the business")
    card.add_argument("--rotate", action="store_true", help="make a new URL; the old one stops working at once")
    card.set_defaults(func=_card)
    feed = commands.add_parser(
        "callbacks-feed",
        help="the calendar feed of open callback requests: its secret URL",
        description="Print the URL of the iCalendar feed of the open callback requests of the business answering "
        "NUMBER, for Google Agenda, Outlook or Apple Calendar to subscribe to.",
        epilog="example: greetline callbacks-feed +31501234567 --rotate",
    )
    feed.add_argument("business", metavar="NUMBER", help="a number of the business")
    feed.add_argument("--rotate", action="store_true", help="make a new URL; the old one stops working at once")
    feed.set_defaults(func=_callbacks_feed)
