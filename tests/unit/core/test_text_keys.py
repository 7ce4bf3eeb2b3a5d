"""Stored text in NFC, and the search key that folds case and form in every script."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from learnbridge.core.text_keys import nfc, search_key

DECOMPOSED = "N\u0303u\u0301n\u0303ez"


def test_the_key_folds_case_and_form_in_every_script() -> None:
    assert nfc(DECOMPOSED) == "Ñúñez" and len(nfc(DECOMPOSED)) == 5
    assert search_key("Ñúñez") == search_key("ñúñez") == search_key(DECOMPOSED) == "ñúñez"
    assert search_key("Σωκράτης") == search_key("σωκράτης") == search_key("ΣΩΚΡΆΤΗΣ") == "σωκράτησ"
    assert search_key("Дмитрий") == search_key("ДМИТРИЙ") == "дмитрий"
    assert search_key("Straße") == search_key("STRASSE") == "strasse"
    assert search_key("Ｊｏｓé") == "josé"  # full-width letters, as some East Asian input methods type them
    assert search_key("  Ana \t María ") == "ana maría"


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_gives_the_key_the_full_rule_gives(text: str) -> None:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    assert search_key(text) == " ".join(folded.split())


@given(st.text())
def test_a_key_is_its_own_key_and_the_same_for_any_normal_form(text: str) -> None:
    assert search_key(search_key(text)) == search_key(text)
    assert search_key(unicodedata.normalize("NFD", text)) == search_key(text)
