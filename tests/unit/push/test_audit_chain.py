"""The audit chain's content format, written out by hand: the contract PostgreSQL's trigger, SQLite's
functions and verification all follow."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from learnbridge.push.audit_chain import GENESIS, Head, _SqliteLinks, field, link, shared_part


def test_fields_are_length_prefixed_and_null_is_not_empty() -> None:
    assert field(None) == "-"
    assert field("") == "0:"
    assert field(42) == "2:42"
    assert field("Zoë ✓") == "5:Zoë ✓"  # characters, not bytes
    assert field("1:-") == "3:1:-"


def test_a_link_hashes_the_previous_hash_and_the_content_in_order() -> None:
    at = dt.datetime(2026, 3, 2, 13, 4, 5, 60, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    shared = shared_part(
        at=at, actor_id=7, actor="a@b.org", action="assigned", reason="", item_id=None, completion_id=None
    )
    assert shared == "26:2026-03-02T12:04:05.0000601:77:a@b.org8:assigned0:--"
    content = "1:1" + shared + "1:3" + "2:10" + "-" + "14:due 2026-04-01"
    expected = hashlib.sha256(GENESIS + content.encode()).digest()
    assert link(GENESIS, 1, shared, 3, 10, None, "due 2026-04-01") == expected


def test_sqlite_links_agree_whichever_function_a_row_calls_first() -> None:
    hash_first, seq_first = _SqliteLinks(), _SqliteLinks()
    start = Head(41, bytes(range(32)))
    hash_first.start(start)
    seq_first.start(start)
    for n in range(3):
        digest = hash_first.next_hash("x", n, None, None, "d")
        seq = hash_first.next_seq()
        assert (seq_first.next_seq(), seq_first.next_hash("x", n, None, None, "d")) == (seq, digest)
        assert seq == 42 + n


def test_a_head_reads_back_as_printed() -> None:
    head = Head(12, bytes(range(32)))
    assert Head.parse(str(head)) == head
    for bad in ("12", "x:" + "0" * 64, "12:" + "0" * 63, "12:" + "g" * 64):
        with pytest.raises(ValueError, match=r"hex|SEQ:HASH"):
            Head.parse(bad)
