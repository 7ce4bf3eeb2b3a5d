"""Text as it is stored and as it is searched, the same in every script and on every database.

Stored text is NFC (Unicode Standard Annex #15): "Ñ" typed as one character and "N" + U+0303 (what macOS
and some HR exports write) are one name, not two that merely look alike. A search key is the text folded
for caseless matching (Unicode 15, 3.13 "Default Caseless Matching", approximated as NFKC of the casefolded
NFKC text, with runs of white space made one space): "Ñúñez" and "ñúñez", "Σωκράτης" and "σωκράτης",
"Straße" and "STRASSE" have one key. The key is computed here, in Python, and stored: SQLite's lower()
and LIKE fold only ASCII, and PostgreSQL's depend on the database's collation."""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """The text in Unicode Normalization Form C."""
    return unicodedata.normalize("NFC", text)


def search_key(text: str) -> str:
    """The text folded for caseless matching (see the module's docstring)."""
    if text.isascii():  # most names: NFKC changes no ASCII text, and casefold is lower there
        return " ".join(text.lower().split())
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())
