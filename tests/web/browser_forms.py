"""A page's forms read as a browser submits them unchanged (HTML's "constructing the entry list"): text-like
inputs with their values, checked checkboxes and radios, each select's selected option (else its first),
textareas with CRLF line breaks, and the button that was pressed. A file input sends an empty file, as a browser
does when none was chosen."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Input types whose value is sent as it stands; checkbox and radio only when checked; the rest never.
_VALUE_TYPES = {"hidden", "text", "search", "email", "tel", "url", "password", "number", "range", "date", "time"}
_VALUE_TYPES |= {"datetime-local", "month", "week", "color"}


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # (name, value) of each submit button in order; a button without a name sends nothing.
    buttons: list[tuple[str | None, str]] = field(default_factory=list)

    def submitted(self, button_value: str = "save") -> list[tuple[str, str]]:
        """The fields, with the button of this value pressed (the first button when none has it)."""
        pressed = next((b for b in self.buttons if b[1] == button_value), self.buttons[0] if self.buttons else None)
        if pressed is None or pressed[0] is None:
            return list(self.fields)
        return [*self.fields, (pressed[0], pressed[1])]


@dataclass
class _Select:
    name: str
    options: list[tuple[str, bool]] = field(default_factory=list)
    option_value: str | None = None
    option_text: str = ""
    option_selected: bool = False
    in_option: bool = False


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: _Select | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        present = {name for name, _ in attrs}
        if tag == "form":
            self._form = Form(
                attr.get("action", ""),
                attr.get("method", "get").lower(),
                attr.get("enctype", "") == "multipart/form-data",
            )
            return
        form = self._form
        if form is None or "disabled" in present:
            return
        name = attr.get("name")
        if tag == "input":
            kind = attr.get("type", "text").lower()
            if kind == "submit" or kind == "image":
                form.buttons.append((name, attr.get("value", "")))
            elif kind == "file" and name:
                form.files.append(name)
            elif kind in ("checkbox", "radio"):
                if name and "checked" in present:
                    form.fields.append((name, attr.get("value", "on")))
            elif kind in _VALUE_TYPES and name:
                form.fields.append((name, attr.get("value", "")))
        elif tag == "button" and attr.get("type", "submit").lower() == "submit":
            form.buttons.append((name, attr.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = _Select(name)
        elif tag == "option" and self._select is not None:
            self._close_option()
            select = self._select
            select.in_option, select.option_value, select.option_text = True, attr.get("value"), ""
            select.option_selected = "selected" in present

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._select is not None and self._select.in_option:
            self._select.option_text += data

    def _close_option(self) -> None:
        select = self._select
        if select is not None and select.in_option:
            value = select.option_value if select.option_value is not None else select.option_text.strip()
            select.options.append((value, select.option_selected))
            select.in_option = False

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if tag == "form":
            if form is not None:
                self.forms.append(form)
            self._form = None
        elif tag == "textarea" and self._textarea is not None and form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # The parser drops a newline right after <textarea>; and a submitted value has CRLF line breaks.
            text = text.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")
            form.fields.append((name, text))
            self._textarea = None
        elif tag == "option":
            self._close_option()
        elif tag == "select" and self._select is not None and form is not None:
            self._close_option()
            options = self._select.options
            chosen = [value for value, selected in options if selected] or [value for value, _ in options[:1]]
            form.fields += [(self._select.name, value) for value in chosen[:1]]
            self._select = None


def forms_of(html: str) -> list[Form]:
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    return reader.forms


class _LinkReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def links_of(html: str) -> list[str]:
    reader = _LinkReader()
    reader.feed(html)
    reader.close()
    return reader.links
