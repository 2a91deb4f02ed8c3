"""The words the checker listens for in a business's texts, per language (nl, en, de, fr).

Lower case; each list is matched inside the text the caller hears (ivr.document.lint says what a match means).
"""

import re

# Words that make a menu prompt an emergency option, per language (lower case stems, matched inside words, so
# "spoed" finds "spoedgevallen" and "emergenc" "emergencies"). A prompt with one of its language's words that is
# not marked `emergency: true` is warned about (EMERGENCY_NOT_MARKED); a prompt with any language's word counts as
# the emergency option for its place in the menu (EMERGENCY_NOT_FIRST).
EMERGENCY_WORDS_BY_LANGUAGE = {
    "nl": ("spoed", "dringend", "noodgeval"),
    "de": ("notfall", "dringend"),
    "fr": ("urgence", "urgent"),
    "en": ("emergenc", "urgent"),
}
EMERGENCY_WORDS = tuple(dict.fromkeys(word for words in EMERGENCY_WORDS_BY_LANGUAGE.values() for word in words))
# How each language asks for a key ("druk op 1", "toets 1", "drücken Sie die 1", "Taste 1", "press 1", "appuyez sur
# 1", "touche 1"), the key a digit or its word. A text asking for a key that no menu heard with it takes is refused
# (KEY_NOT_TAKEN): the caller presses and nothing happens. "een", "un", "une" are left out ("druk op een toets" asks
# for any key), and # and * too (the voicemail's own "druk op hekje" ends a recording).
KEY_WORDS_BY_LANGUAGE = {
    "nl": {
        "nul": "0",
        "één": "1",
        "twee": "2",
        "drie": "3",
        "vier": "4",
        "vijf": "5",
        "zes": "6",
        "zeven": "7",
        "acht": "8",
        "negen": "9",
    },
    "en": {
        "zero": "0",
        "one": "1",
        "two": "2",
        "three": "3",
        "four": "4",
        "five": "5",
        "six": "6",
        "seven": "7",
        "eight": "8",
        "nine": "9",
    },
    "de": {
        "null": "0",
        "eins": "1",
        "zwei": "2",
        "drei": "3",
        "vier": "4",
        "fünf": "5",
        "sechs": "6",
        "sieben": "7",
        "acht": "8",
        "neun": "9",
    },
    "fr": {
        "zéro": "0",
        "deux": "2",
        "trois": "3",
        "quatre": "4",
        "cinq": "5",
        "six": "6",
        "sept": "7",
        "huit": "8",
        "neuf": "9",
    },
}
KEY_ASKING_BY_LANGUAGE = {
    "nl": (r"\b(?:druk\w*(?:\s+\w+)?\s+op|toets|kies|type)\s+(?:de\s+|het\s+)?(?:cijfer\s+|toets\s+)?{key}",),
    "en": (r"\b(?:press|push|dial|select|enter)\s+(?:the\s+)?(?:key\s+|number\s+|button\s+)?{key}", r"\bkey\s+{key}"),
    "de": (
        r"\b(?:drücken|wählen|tippen)\s+sie\s+(?:bitte\s+)?(?:jetzt\s+)?(?:auf\s+)?(?:die\s+)?(?:taste\s+)?{key}",
        r"\btaste\s+{key}",
    ),
    "fr": (r"\b(?:appuyez|tapez|pressez|composez)\s+(?:sur\s+)?(?:la\s+)?(?:touche\s+)?{key}", r"\btouche\s+{key}"),
}
FILLER = {
    "nl": ("uw gesprek is belangrijk", "uw telefoontje is belangrijk", "blijft u aan de lijn", "een ogenblik geduld"),
    "en": ("your call is important", "please stay on the line", "please hold", "thank you for your patience"),
    "de": ("ihr anruf ist uns wichtig", "bitte bleiben sie dran", "bitte haben sie etwas geduld"),
    "fr": ("votre appel est important", "merci de patienter", "ne quittez pas"),
}
WEBSITE = re.compile(
    r"(www\.|https?://|\S+@\S+\.\w+|\b\w+\.(nl|com|de|fr|be|eu|org|net)\b|\bwebsite\b|\bwebsite|\bwebseite\b|"
    r"\bsite (web|internet)\b|\bonze site\b|\binternet\b)",
    re.IGNORECASE,
)


def asked_keys(text: str, language: str) -> list[str]:
    """The keys a text asks callers to press, in the order it asks (KEY_ASKING_BY_LANGUAGE)."""
    words = KEY_WORDS_BY_LANGUAGE.get(language, {})
    key = "(?P<key>[0-9]|" + "|".join(words) + r")\b"
    found = [
        (match.start(), match.group("key"))
        for pattern in KEY_ASKING_BY_LANGUAGE.get(language, ())
        for match in re.finditer(pattern.format(key=key), text.lower())
    ]
    return list(dict.fromkeys(words.get(word, word) for _at, word in sorted(found)))
