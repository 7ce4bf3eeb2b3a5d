"""The media kinds as `content.packages` reads them: a video or PDF upload (told by its first bytes) and
a video or quiz described in JSON. Extra files (a video's captions) are handed back in the upload's
fields (`_files`), which `packages.add_file` writes beside the upload in the version's folder."""

from __future__ import annotations

from typing import Any

from learnbridge.content.kinds import Parsed
from learnbridge.content.media import document, video
from learnbridge.content.media.upload import MediaUpload
from learnbridge.content.models import ContentKind
from learnbridge.content.quiz.spec import quiz_spec, read_quiz


def is_video(data: bytes) -> bool:
    return video.sniff_video(data) is not None


def _handed_back(upload: MediaUpload, fields: dict[str, Any]) -> tuple[Parsed, str]:
    main = str(upload.spec["file"])
    fields["_files"] = {name: data for name, data in upload.files.items() if name != main}
    return upload.parsed(), main


def read_video_file(data: bytes, filename: str, fields: dict[str, Any]) -> tuple[Parsed, str]:
    """Form fields: `captions` (a WebVTT file's bytes or text), `complete_share`, `title`."""
    upload = video.read_video_upload(
        data,
        filename=filename,
        captions=fields.get("captions"),
        share=fields.get("complete_share"),
        title=str(fields.get("title") or ""),
    )
    return _handed_back(upload, fields)


def read_pdf_file(data: bytes, filename: str, fields: dict[str, Any]) -> tuple[Parsed, str]:
    upload = document.read_pdf_upload(data, filename=filename, title=str(fields.get("title") or ""))
    return _handed_back(upload, fields)


def read_video_description(body: dict[str, Any]) -> Parsed:
    return video.read_video_url(body).parsed()


def read_quiz_description(body: dict[str, Any]) -> Parsed:
    spec = quiz_spec(body)
    return Parsed(ContentKind.quiz, str(spec["title"]), spec)


def slot_of(body: dict[str, Any]) -> str | None:
    """The slot a quiz's JSON names, if it names one (checked with the rest of the quiz)."""
    return read_quiz(body).slot.value if body.get("kind") == "quiz" and body.get("slot") else None
