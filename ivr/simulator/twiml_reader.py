"""Reading TwiML the way Twilio does, into plain verbs the simulated caller can follow."""

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

from ivr.errors import GreetlineError


@dataclass(frozen=True)
class Verb:
    name: str
    text: str
    attributes: dict[str, str]
    children: tuple["Verb", ...] = field(default=())


def _verb(element: ElementTree.Element) -> Verb:
    children = tuple(_verb(child) for child in element)
    return Verb(element.tag, (element.text or "").strip(), dict(element.attrib), children)


def read_twiml(body: str) -> list[Verb]:
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise GreetlineError(f"the server answered something that is not TwiML ({error}): {body[:200]!r}") from None
    if root.tag != "Response":
        raise GreetlineError(f"the server answered <{root.tag}> instead of <Response>")
    return [_verb(child) for child in root]
