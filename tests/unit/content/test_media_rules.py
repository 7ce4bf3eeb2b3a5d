"""Reading WebVTT captions strictly, merging watched stretches, and telling uploads by their bytes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnbridge.content.media import intervals
from learnbridge.content.media.demo import forklift_captions, handbook_pdf
from learnbridge.content.media.document import count_pages, read_pdf_upload
from learnbridge.content.media.video import complete_share, read_video_upload, read_video_url, sniff_video
from learnbridge.content.media.webvtt import decode, parse_timestamp, read_webvtt
from learnbridge.core.errors import Invalid

GOOD = (
    "WEBVTT\n\n1\n00:00.000 --> 00:02.500\nHello\n\n00:01:02.000 --> 00:01:03.000 align:start\nTwo\nlines\n"
)


def _problem(call: object) -> str:
    with pytest.raises(Invalid) as caught:
        call()  # type: ignore[operator]
    return str(caught.value)


def test_a_webvtt_file_gives_its_cues_with_identifiers_and_settings_ignored() -> None:
    cues = read_webvtt(GOOD)
    assert [(c.start, c.end, c.text, c.identifier) for c in cues] == [
        (0.0, 2.5, "Hello", "1"),
        (62.0, 63.0, "Two\nlines", ""),
    ]


def test_the_demo_captions_are_valid_and_notes_are_skipped() -> None:
    cues = read_webvtt(forklift_captions())
    assert len(cues) == 6 and cues[0].start == 0 and cues[-1].end == 13.0


def test_timestamps_follow_the_spec() -> None:
    assert parse_timestamp("01:02:03.004") == 3723.004
    assert parse_timestamp("59:59.999") == pytest.approx(3599.999)
    for bad in ("1:02.000", "00:60.000", "00:01.00", "00:01,000", "aa:bb.ccc"):
        assert parse_timestamp(bad) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1\n00:00.000 --> 00:01.000\nx", "line 1: a WebVTT file starts with WEBVTT"),
        ("WEBVTTX\n", "starts with WEBVTT"),
        ("WEBVTT\n\n00:00.000 -> 00:01.000\nx", "a cue needs a timing line"),
        ("WEBVTT\n\n00:00.000 --> 1:00.000\nx", "line 3: bad cue timing"),
        ("WEBVTT\n\n00:02.000 --> 00:01.000\nx", "a cue must end after it starts"),
        (
            "WEBVTT\n\n00:05.000 --> 00:06.000\na\n\n00:01.000 --> 00:02.000\nb",
            "line 6: cues must be in order",
        ),
    ],
)
def test_a_broken_file_is_refused_naming_the_line(text: str, says: str) -> None:
    assert says in _problem(lambda: read_webvtt(text))


def test_captions_must_be_utf8_and_small() -> None:
    assert decode("\ufeffWEBVTT\n".encode()) == "WEBVTT\n"
    assert "not UTF-8" in _problem(lambda: decode(b"WEBVTT\n\xff\xfe"))
    assert "larger than" in _problem(lambda: decode(b"W" * (1024 * 1024 + 1)))


def test_overlapping_and_touching_stretches_merge_and_are_clipped() -> None:
    merged = intervals.merge([[5, 8], [0, 2], [1, 3], [3.2, 4], [9, 30], [7, 7]], duration=12)
    assert merged == [(0, 4), (5, 8), (9, 12)]
    assert intervals.total(merged) == 10 and intervals.share(merged, 12) == pytest.approx(10 / 12)
    assert intervals.share([], 0) == 0


def test_seeking_to_the_end_watches_nothing_new() -> None:
    """A learner who watched 0-3 s and then jumped to the end reports the stretch played at the end only."""
    merged = intervals.merge([[0, 3], [11.8, 12]], duration=12)
    assert intervals.share(merged, 12) < 0.3


@given(st.lists(st.tuples(st.floats(-10, 200), st.floats(-10, 200)), max_size=30))
def test_merged_stretches_are_sorted_disjoint_and_within_the_timeline(
    pairs: list[tuple[float, float]],
) -> None:
    merged = intervals.merge(pairs, duration=100)
    assert all(0 <= a < b <= 100 for a, b in merged)
    assert all(merged[i][1] + intervals.JOIN < merged[i + 1][0] for i in range(len(merged) - 1))
    assert intervals.merge(merged, duration=100) == merged  # merging again changes nothing
    assert 0 <= intervals.share(merged, 100) <= 1


def test_videos_are_told_by_their_bytes_not_their_names() -> None:
    webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\0" * 40
    assert sniff_video(webm) == ("video/webm", "webm")
    assert sniff_video(b"\0\0\0\x20ftypisom" + b"\0" * 20) == ("video/mp4", "mp4")
    assert sniff_video(b"OggS\0\x02" + b"\0" * 20) == ("video/ogg", "ogv")
    assert sniff_video(b"%PDF-1.7 not a video") is None
    upload = read_video_upload(webm, filename="clip.pdf", captions=GOOD.encode(), share="95")
    assert upload.spec == {
        "file": "video.webm",
        "mime": "video/webm",
        "complete_share": 0.95,
        "captions": "captions.vtt",
    }
    assert set(upload.files) == {"video.webm", "captions.vtt"} and upload.title == "clip"
    assert "not a video" in _problem(lambda: read_video_upload(b"MZ" + b"\0" * 100, filename="x.webm"))
    assert "line 1" in _problem(lambda: read_video_upload(webm, filename="x.webm", captions=b"nope"))


def test_the_share_to_watch_is_bounded() -> None:
    assert complete_share(None) == 0.9 and complete_share("0.5") == 0.5 and complete_share(80) == 0.8
    for bad in ("0", "-1", "200", "half"):
        assert "complete_share" in _problem(lambda bad=bad: complete_share(bad))


def test_a_video_address_keeps_its_captions_in_the_spec() -> None:
    made = read_video_url({"kind": "video", "url": "https://media.example/a.mp4", "captions": GOOD})
    assert made.spec["url"] == "https://media.example/a.mp4" and made.spec["captions_vtt"] == GOOD
    assert made.title == "media.example" and made.files == {}
    assert "url" in _problem(lambda: read_video_url({"url": "javascript:alert(1)"}))
    assert "captions" in _problem(lambda: read_video_url({"url": "https://a.example/", "captions": 3}))


def test_a_pdf_is_told_by_its_magic_and_its_pages_counted() -> None:
    pdf = handbook_pdf()
    assert count_pages(pdf) == 5
    upload = read_pdf_upload(pdf, filename="handbook.pdf")
    assert upload.spec == {"file": "document.pdf", "pages": 5} and upload.title == "handbook"
    assert "%PDF-" in _problem(lambda: read_pdf_upload(b"<html>", filename="a.pdf"))
    assert "cut short" in _problem(lambda: read_pdf_upload(pdf[:200], filename="a.pdf"))
    assert count_pages(b"%PDF-1.5 /Type /ObjStm ... %%EOF") is None
