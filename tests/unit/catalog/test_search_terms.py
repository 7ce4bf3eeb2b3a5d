"""What a search box turns into: nothing the user types can become query syntax."""

from __future__ import annotations

from learnbridge.catalog.search import fts5_query, terms, tsquery


def test_words_are_lowercased_and_punctuation_dropped() -> None:
    assert terms('Fork-lift "safety" OR NEAR(x)') == ["fork", "lift", "safety", "or", "near", "x"]


def test_fts5_query_quotes_every_word_and_prefixes_the_last() -> None:
    assert fts5_query(["data", "protec"]) == '"data" "protec"*'


def test_tsquery_ands_words_and_prefixes_the_last() -> None:
    assert tsquery(["data", "protec"]) == "'data' & 'protec':*"


def test_a_query_of_only_symbols_has_no_terms() -> None:
    assert terms("*** ()") == []
