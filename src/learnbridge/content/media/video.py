"""Video content: reading an upload or a URL into a version, and counting what the learner watched.

A video's spec: `file` (its name in the version's folder) or `url` (played from elsewhere), `mime`,
`captions` (a WebVTT file in the folder, or absent), `complete_share` (the share of the timeline that must
be watched to complete it; 0.9 unless the admin says otherwise).

An upload is known by its first bytes, never by its name (WebM's EBML header with the `webm` doc type,
MP4's `ftyp` box, Ogg's `OggS` page). The server never decodes it: the file is stored and served as
bytes, so no media parser runs on uploaded data here; the browser's player learns the duration.

Watching: the player reports the stretches of the timeline it played (merged with those already
reported, `intervals.merge`), where it is (the resume position, in `location`) and the duration it
read; once the merged stretches cover `complete_share` of the duration the attempt is completed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from learnbridge.content import service
from learnbridge.content.media import intervals
from learnbridge.content.media.upload import MediaUpload, title_from
from learnbridge.content.media.webvtt import decode, read_webvtt
from learnbridge.content.models import Attempt, AttemptStatus, ContentKind
from learnbridge.core.errors import Invalid
from learnbridge.records.completions import CompletionChange

DEFAULT_SHARE = 0.9
CAPTIONS = "captions.vtt"
MAX_INLINE_CAPTIONS = 256 * 1024
_WEBM_HEADER = b"\x1a\x45\xdf\xa3"


def sniff_video(data: bytes) -> tuple[str, str] | None:
    """The video's (mime type, extension) from its magic bytes, or None if it is none we play."""
    head = data[:64]
    if head.startswith(_WEBM_HEADER) and b"\x42\x82" in head and b"webm" in head:
        return "video/webm", "webm"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video/mp4", "mp4"
    if head.startswith(b"OggS"):
        return "video/ogg", "ogv"
    return None


def complete_share(value: Any) -> float:
    """The admin's share (0 < share <= 1; a percentage over 1 is read as one), or the default."""
    if value in (None, ""):
        return DEFAULT_SHARE
    try:
        share = float(value)
    except (TypeError, ValueError):
        raise Invalid(field="complete_share", message="must be a number between 0 and 1") from None
    share = share / 100 if 1 < share <= 100 else share
    if not 0 < share <= 1:
        raise Invalid(field="complete_share", message="must be more than 0 and at most 1 (or a percentage)")
    return share


def _captions(captions: bytes | str | None) -> dict[str, bytes]:
    if captions is None or captions in (b"", ""):
        return {}
    text = decode(captions) if isinstance(captions, bytes) else captions
    read_webvtt(text)
    return {CAPTIONS: text.encode()}


def read_video_upload(
    data: bytes,
    *,
    filename: str,
    captions: bytes | str | None = None,
    share: Any = None,
    title: str = "",
) -> MediaUpload:
    """A video upload checked: a WebM, MP4 or Ogg file, WebVTT captions if any, the share to watch."""
    sniffed = sniff_video(data)
    if sniffed is None:
        raise Invalid(field="file", message="not a video we can play (WebM, MP4 or Ogg)")
    mime, extension = sniffed
    files = {f"video.{extension}": data, **_captions(captions)}
    spec: dict[str, Any] = {
        "file": f"video.{extension}",
        "mime": mime,
        "complete_share": complete_share(share),
    }
    if CAPTIONS in files:
        spec["captions"] = CAPTIONS
    return MediaUpload(ContentKind.video, title.strip()[:300] or title_from(filename, "Video"), spec, files)


def read_video_url(body: dict[str, Any]) -> MediaUpload:
    """A video played from an address: `{"kind": "video", "url", "title"?, "captions"? (WebVTT text),
    "complete_share"?}`. With no folder of its own, its captions are kept in the spec (`captions_vtt`)."""
    url = str(body.get("url") or "").strip()
    parts = urlsplit(url)
    if len(url) > 2000 or parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid(field="url", message="must be an http(s):// address of at most 2000 characters")
    captions = body.get("captions")
    if captions is not None and not isinstance(captions, str):
        raise Invalid(field="captions", message="must be the text of a WebVTT file")
    if captions and len(captions) > MAX_INLINE_CAPTIONS:
        raise Invalid(
            field="captions", message=f"at most {MAX_INLINE_CAPTIONS // 1024} KiB with a video address"
        )
    spec: dict[str, Any] = {"url": url, "complete_share": complete_share(body.get("complete_share"))}
    if files := _captions(captions):
        spec["captions_vtt"] = files[CAPTIONS].decode()
    title = str(body.get("title") or "").strip()[:300] or parts.netloc
    return MediaUpload(ContentKind.video, title, spec)


@dataclass(frozen=True)
class Watched:
    share: float
    change: CompletionChange


def record_watching(
    db: Session,
    attempt: Attempt,
    *,
    played: Sequence[Sequence[float]],
    position: float,
    duration: float,
    seconds: int,
) -> Watched:
    """Merge what the player played into the attempt; complete it at the version's share."""
    data = attempt.data
    # The duration only grows: a report cannot shrink the timeline to make a little watching enough.
    known = max(float(data.get("duration") or 0), duration)
    merged = intervals.merge([*data.get("watched", []), *played], duration=known or None)
    watched = intervals.share(merged, known) if known else 0.0
    service.record_progress(
        attempt,
        progress=watched,
        location=f"{max(0.0, min(position, known or position)):.1f}",
        seconds=seconds,
        data={"watched": [[round(a, 2), round(b, 2)] for a, b in merged], "duration": known},
    )
    change = CompletionChange()
    if known and watched >= float(attempt.version.spec.get("complete_share", DEFAULT_SHARE)) - 1e-9:
        change = service.finish_attempt(db, attempt, status=AttemptStatus.completed)
    return Watched(watched, change)
