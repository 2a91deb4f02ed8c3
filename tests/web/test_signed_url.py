"""Our signature check against twilio's RequestValidator: the same verdict on thousands of generated requests."""

import random
import string

from starlette.datastructures import FormData
from twilio.request_validator import RequestValidator

from ivr.web.signature import TwilioSignature

TOKEN = "test-auth-token-0123456789abcdef"
# Bases as operators configure GREETLINE_PUBLIC_URL: schemes, default and other ports, a path prefix.
BASES = [
    "https://greetline.test",
    "https://greetline.test:443",
    "https://greetline.test:8443",
    "http://greetline.test",
    "http://greetline.test:80",
    "http://127.0.0.1:8000",
    "https://ivr.example.nl/greetline",
    "https://ivr.example.nl:443/greetline",
    "https://xn--bcher-kva.example",
]
PATHS = ["/twilio/voice", "/twilio/menu", "/twilio/dial-ended", "/twilio/whisper", "/twilio/v%C3%B6ice", "/twilio/a;b"]
QUERIES = ["", "attempt=2", "stage=operators&index=1", "business=7", "a=1&a=2", "q=%E2%82%AC&x=", "bodySHA256=abc"]
# Letters, digits, punctuation Twilio fields carry (+, :), and text beyond ASCII (names, transcriptions).
ALPHABET = string.ascii_letters + string.digits + "+-_:./ =&?%" + "éüßñ€中文😀"


def random_text(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


def random_form(rng: random.Random) -> FormData:
    keys = ["CallSid", "From", "To", "Digits", "CallStatus", random_text(rng, 6)]
    items: list[tuple[str, str]] = []
    for _ in range(rng.randint(0, 12)):
        key = rng.choice(keys)  # repeated keys: twilio signs every distinct value of each
        items.append((key, rng.choice(["", "+31501234567", random_text(rng, 20)])))
    return FormData(items)


def signature_to_try(rng: random.Random, url: str, form: FormData) -> str:
    validator = RequestValidator(TOKEN)
    base, _, rest = url.partition("//")
    host, slash, tail = rest.partition("/")
    bare_host = host.split(":")[0]
    default = "443" if base == "https:" else "80"
    signed_over = rng.choice(
        [
            url,
            f"{base}//{bare_host}{slash}{tail}",  # without the port
            f"{base}//{bare_host}:{default}{slash}{tail}",  # with the default port
            f"{base}//{bare_host}:9999{slash}{tail}",  # another port: refused
            url.replace("https:", "http:", 1),  # another scheme: refused
            url + "x",
        ]
    )
    params = form if rng.random() < 0.9 else FormData([*form.multi_items(), ("Extra", "1")])
    signature = validator.compute_signature(signed_over, params)
    mangled = rng.random()
    if mangled < 0.05:
        return signature[:-2] + "=="
    if mangled < 0.08:
        return ""
    if mangled < 0.1:
        return "é" + signature[1:]
    return signature


def test_the_verdict_is_twilios_on_thousands_of_generated_requests() -> None:
    rng = random.Random(20261130)
    validator = RequestValidator(TOKEN)
    checkers = {base: TwilioSignature(TOKEN, base) for base in BASES}
    verdicts = {True: 0, False: 0}
    for _ in range(5000):
        base = rng.choice(BASES)
        path, query = rng.choice(PATHS), rng.choice(QUERIES)
        path_and_query = f"{path}?{query}" if query else path
        form = random_form(rng)
        signature = signature_to_try(rng, base + path_and_query, form)
        twilios = validator.validate(base + path_and_query, form, signature)
        assert checkers[base].valid(path_and_query, form, signature) == twilios, (base, path_and_query, signature)
        verdicts[twilios] += 1
    # Both verdicts are well represented, so agreement is not agreement on "no" alone.
    assert verdicts[True] > 1500 and verdicts[False] > 1500, verdicts


def test_a_base_twilio_parses_differently_is_checked_per_request() -> None:
    odd = "https://greetline.test:8443?tenant=1"  # a query in the base: the forms are not base + path
    form = FormData([("To", "+31501234567")])
    url = odd + "/twilio/voice"
    for signed in (url, "https://greetline.test/twilio/voice", "https://greetline.test?tenant=1/twilio/voice"):
        signature = RequestValidator(TOKEN).compute_signature(signed, form)
        expected = RequestValidator(TOKEN).validate(url, form, signature)
        assert TwilioSignature(TOKEN, odd).valid("/twilio/voice", form, signature) == expected
