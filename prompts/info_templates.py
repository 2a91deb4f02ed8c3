"""Ready-made information messages (info_templates.yaml beside this module), and filling their placeholders."""

from functools import cache
from importlib import resources

import yaml

from prompts import LANGUAGES

PLACEHOLDERS = ("business", "from", "until", "stand_in", "referral")


@cache
def info_templates() -> dict[str, dict[str, str]]:
    """Template name -> language -> text with {placeholders}."""
    raw = yaml.safe_load(resources.files(__package__).joinpath("info_templates.yaml").read_text("utf-8"))
    found: dict[str, dict[str, str]] = {name: dict(texts) for name, texts in raw.items()}
    return found


def template_names() -> list[str]:
    return list(info_templates())


def fill_template(name: str, language: str, values: dict[str, str]) -> str:
    """The template in `language` with every placeholder filled; ValueError names what is unknown or missing."""
    templates = info_templates()
    if name not in templates:
        raise ValueError(f"no template {name!r}; choose one of {', '.join(templates)}")
    if language not in LANGUAGES:
        raise ValueError(f"no templates in {language!r}; choose one of {', '.join(LANGUAGES)}")
    text = templates[name][language]
    for placeholder in PLACEHOLDERS:
        if "{" + placeholder + "}" in text:
            if not values.get(placeholder):
                raise ValueError(f"template {name!r} needs {placeholder}")
            text = text.replace("{" + placeholder + "}", values[placeholder])
    return text
