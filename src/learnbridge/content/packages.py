"""Adding content to an item: an uploaded file (a package zip, a video, a PDF) or a description (a link,
a policy, a quiz). The kind is told from the file's bytes, never its name: a zip by its manifest
(imsmanifest.xml: SCORM; cmi5.xml: cmi5; tincan.xml: xAPI), a video or PDF by its signature. Each kind's
reader checks the upload and says what its player needs (`kinds.Parsed`).

Nothing is half-stored: files go into a folder of their own that takes its place only after every check
passed (`storage.ContentStore.writing`), and the version row is written last, in the caller's transaction;
if that transaction fails, the caller removes the folder (`discard`)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from learnbridge.content import policy, service
from learnbridge.content.cmi5 import course as cmi5_course
from learnbridge.content.kinds import Parsed
from learnbridge.content.media import document
from learnbridge.content.media import readers as media_readers
from learnbridge.content.models import PACKAGES, ContentKind, ContentVersion, Slot
from learnbridge.content.scorm.manifest import MANIFEST, read_package
from learnbridge.content.storage import ContentStore, UnpackLimits, check_zip, find_entry, open_zip, unpack
from learnbridge.content.tincan import package as tincan_package
from learnbridge.core.errors import Invalid, invalid_from
from learnbridge.records.completions import CompletionChange

FIELD = "file"
ZIP_MAGIC = b"PK\x03\x04"

# A zip's manifest file -> the reader of the kind it makes: given the open zip and the manifest's name
# in it, returns what the version is. Each kind's module adds itself here (see the kinds' packages).
ZipReader = Callable[[zipfile.ZipFile, str], Parsed]
ZIP_READERS: dict[str, ZipReader] = {}
# A single file's signature test -> its reader (bytes, file name, form fields) -> (Parsed, file name to keep).
FileReader = Callable[[bytes, str, dict[str, Any]], tuple[Parsed, str]]
FILE_READERS: list[tuple[Callable[[bytes], bool], FileReader]] = []
# A description's kind -> its reader (the JSON body) -> Parsed.
JSON_READERS: dict[str, Callable[[dict[str, Any]], Parsed]] = {}


def _json_reader(model: Any, read: Callable[[Any], Parsed]) -> Callable[[dict[str, Any]], Parsed]:
    def reader(body: dict[str, Any]) -> Parsed:
        try:
            data = model.model_validate(body)
        except ValidationError as exc:
            raise invalid_from(exc.errors()) from None
        return read(data)

    return reader


JSON_READERS["policy"] = _json_reader(policy.PolicyIn, policy.read_policy)
JSON_READERS["link"] = _json_reader(policy.LinkIn, policy.read_link)
# Videos, PDFs and quizzes (content.media, content.quiz).
FILE_READERS.append((media_readers.is_video, media_readers.read_video_file))
FILE_READERS.append((document.is_pdf, media_readers.read_pdf_file))
JSON_READERS["video"] = media_readers.read_video_description
JSON_READERS["quiz"] = media_readers.read_quiz_description
# cmi5 14.1 (a course zip), 14.2 (cmi5.xml uploaded alone, its AUs at absolute URLs); tincan.xml packages.
ZIP_READERS["cmi5.xml"] = cmi5_course.read_zip
ZIP_READERS["tincan.xml"] = tincan_package.read_zip
# Last: a cmi5 course or xAPI package that also carries an imsmanifest.xml is played as what it says first.
ZIP_READERS[MANIFEST] = read_package
FILE_READERS.append((cmi5_course.looks_like_course, cmi5_course.read_file))


@dataclass(frozen=True)
class Added:
    version: ContentVersion
    change: CompletionChange


def add_file(
    db: Session,
    store: ContentStore,
    limits: UnpackLimits,
    *,
    item_id: int,
    filename: str,
    data: bytes,
    fields: dict[str, Any] | None = None,
    slot: Slot = Slot.main,
    account_id: int | None = None,
) -> Added:
    """A package, video or PDF as the item's next content version in `slot`."""
    fields = fields or {}
    if not data:
        raise Invalid(field=FIELD, message="choose a file to upload: the file is empty")
    if data.startswith(ZIP_MAGIC):
        return _add_package(db, store, limits, item_id=item_id, data=data, slot=slot, account_id=account_id)
    for matches, read in FILE_READERS:
        if matches(data):
            parsed, name = read(data, filename, fields)
            with store.writing() as (key, folder):
                (folder / name).write_bytes(data)
                for extra_name, extra in fields.get("_files", {}).items():
                    (folder / extra_name).write_bytes(extra)
            return _added(db, store, parsed, item_id, slot, key, len(data), account_id)
    raise Invalid(
        field=FIELD,
        message="is not a content file Learnbridge plays: upload a SCORM, cmi5 or xAPI package (.zip), "
        "a video (MP4, WebM, Ogg) or a PDF",
    )


def add_description(
    db: Session, *, item_id: int, body: dict[str, Any], slot: Slot = Slot.main, account_id: int | None = None
) -> Added:
    """A link, policy or quiz described in JSON as the item's next content version in `slot`."""
    kind = body.get("kind")
    read = JSON_READERS.get(kind) if isinstance(kind, str) else None
    if read is None:
        kinds = ", ".join(sorted(JSON_READERS))
        raise Invalid(field="kind", message=f"must be one of {kinds} (upload a file for packages and media)")
    parsed = read(body)
    if (named := media_readers.slot_of(body)) is not None:
        slot = Slot(named)  # a quiz's JSON may say it is the pre-test or the post-test
    version = service.add_version(
        db,
        item_id=item_id,
        kind=parsed.kind,
        spec=parsed.spec,
        title=parsed.title,
        slot=slot,
        created_by_id=account_id,
    )
    change = policy.supersede(db, version) if parsed.kind is ContentKind.policy else CompletionChange()
    return Added(version, change)


def _add_package(
    db: Session,
    store: ContentStore,
    limits: UnpackLimits,
    *,
    item_id: int,
    data: bytes,
    slot: Slot,
    account_id: int | None,
) -> Added:
    archive = open_zip(data, field=FIELD)
    entries = check_zip(archive, limits, field=FIELD)
    for manifest, read in ZIP_READERS.items():
        if (name := find_entry(archive, manifest)) is not None:
            parsed = read(archive, name)
            break
    else:
        known = ", ".join(sorted(ZIP_READERS)) or "a manifest"
        raise Invalid(field=FIELD, message=f"the zip has no {known} at its root: it is not a content package")
    if parsed.kind not in PACKAGES:
        raise Invalid(field=FIELD, message=f"a zip cannot hold {parsed.kind.value} content")
    with store.writing() as (key, folder):
        size = unpack(archive, entries, folder, limits, field=FIELD)
    return _added(db, store, parsed, item_id, slot, key, size, account_id)


def _added(
    db: Session,
    store: ContentStore,
    parsed: Parsed,
    item_id: int,
    slot: Slot,
    key: str,
    size: int,
    account_id: int | None,
) -> Added:
    try:
        version = service.add_version(
            db,
            item_id=item_id,
            kind=parsed.kind,
            spec=parsed.spec,
            title=parsed.title,
            slot=slot,
            storage_key=key,
            size_bytes=size,
            created_by_id=account_id,
        )
    except Exception:
        store.remove(key)
        raise
    return Added(version, CompletionChange())


def discard(store: ContentStore, version: ContentVersion) -> None:
    """Remove the files of a version whose row was never committed."""
    if version.storage_key:
        store.remove(version.storage_key)


def folder_of(store: ContentStore, version: ContentVersion) -> Path:
    return store.path(version.storage_key)
