"""Reading a cmi5 course structure (cmi5.xml, cmi5 Quartz section 13) from a course zip (section 14.1)
or uploaded alone (section 14.2, every AU at an absolute URL).

The spec it makes, stored on the content version:
{"course": {"id", "title", "description"}, "aus": [AU...], "blocks": [{"id", "title", "aus": [index]}],
 "external": bool}
where an AU is {"id", "title", "description", "url", "launchMethod", "moveOn", "masteryScore",
"launchParameters", "entitlementKey", "activityType", "block"} (the index of its innermost block, or
None). Every value has its leading/trailing whitespace removed (13.1). The XML is parsed by defusedxml:
no DTDs, no entities, no external references."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from learnbridge.content.kinds import Parsed
from learnbridge.content.models import ContentKind
from learnbridge.core.errors import FieldError, Invalid

FIELD = "file"
MANIFEST = "cmi5.xml"
MAX_BYTES = 5 * 1024 * 1024
MOVE_ON = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")
LAUNCH_METHODS = ("OwnWindow", "AnyWindow")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def read_zip(archive: zipfile.ZipFile, name: str) -> Parsed:
    """A course zip: cmi5.xml at its root; relative AU URLs point into the package (14.1)."""
    info = archive.getinfo(name)
    if info.file_size > MAX_BYTES:
        raise Invalid(field=FIELD, message=f"{name} is over {MAX_BYTES // 1024**2} MB")
    prefix = name[: -len(MANIFEST)]
    parsed = parse_course(archive.read(info), external=False, folder=prefix)
    missing = [
        au["url"]
        for au in parsed.spec["aus"]
        if not is_absolute(au["url"]) and _entry(archive, au["url"]) is None
    ]
    if missing:
        raise Invalid(field=FIELD, message=f"cmi5.xml: the AU url {missing[0]!r} is not a file in the zip")
    return parsed


def looks_like_course(data: bytes) -> bool:
    """A bare cmi5.xml upload: XML whose root element is courseStructure."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and b"courseStructure" in head


def read_file(data: bytes, filename: str, fields: dict[str, Any]) -> tuple[Parsed, str]:
    """A course structure uploaded without a zip: every AU url must be absolute (14.2)."""
    return parse_course(data, external=True), MANIFEST


def parse_course(data: bytes, *, external: bool, folder: str = "") -> Parsed:
    """The course, its blocks and AUs, or Invalid(field="file") naming each problem found."""
    root = _parse(data)
    if _local(root.tag) != "courseStructure":
        raise Invalid(field=FIELD, message="cmi5.xml: the root element must be courseStructure")
    course = _child(root, "course")
    if course is None:
        raise Invalid(field=FIELD, message="cmi5.xml: courseStructure has no course element")
    errors: list[FieldError] = []
    course_id = _iri(course, "course", errors)
    title = _langstring(_child(course, "title")) or course_id
    spec: dict[str, Any] = {
        "course": {
            "id": course_id,
            "title": title,
            "description": _langstring(_child(course, "description")),
        },
        "aus": [],
        "blocks": [],
        "external": external,
    }
    _walk(root, spec, None, errors, folder=folder)
    if not spec["aus"] and not errors:
        errors.append(FieldError(FIELD, "cmi5.xml: the course has no AU (au element) to launch"))
    _check_unique(spec, errors)
    if external:
        errors += [
            FieldError(
                FIELD,
                f"cmi5.xml: AU {au['id']!r} has the relative url {au['url']!r}; a course "
                "structure uploaded without a zip needs absolute URLs (upload the zip instead)",
            )
            for au in spec["aus"]
            if au["url"] and not is_absolute(au["url"])
        ]
    if errors:
        raise Invalid(errors)
    return Parsed(kind=ContentKind.cmi5, title=title[:300], spec=spec)


def is_absolute(url: str) -> bool:
    return bool(_SCHEME.match(url))


def _parse(data: bytes) -> Element:
    if len(data) > MAX_BYTES:
        raise Invalid(field=FIELD, message=f"cmi5.xml is over {MAX_BYTES // 1024**2} MB")
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise Invalid(field=FIELD, message="cmi5.xml: DTDs and entities are not allowed") from None
    except ParseError as exc:
        raise Invalid(field=FIELD, message=f"cmi5.xml is not well-formed XML ({exc})") from None


def _local(tag: str) -> str:
    """The element's name without its namespace: course structures name two namespaces in the wild
    (https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd and the older adlnet.gov one)."""
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _langstring(element: Element | None) -> str:
    """The first non-empty langstring (an English one when there is one)."""
    if element is None:
        return ""
    strings = [(c.get("lang") or "", _text(c)) for c in element if _local(c.tag) == "langstring"]
    strings = [(lang, text) for lang, text in strings if text]
    english = [text for lang, text in strings if lang.lower().startswith("en")]
    return (english or [text for _, text in strings] or [""])[0]


def _iri(element: Element, what: str, errors: list[FieldError]) -> str:
    value = (element.get("id") or "").strip()
    if not value:
        errors.append(FieldError(FIELD, f"cmi5.xml: a {what} has no id"))
    elif not is_absolute(value):
        errors.append(FieldError(FIELD, f"cmi5.xml: the {what} id {value!r} is not an absolute IRI"))
    return value


def _walk(
    parent: Element, spec: dict[str, Any], block: int | None, errors: list[FieldError], *, folder: str
) -> None:
    """AUs and blocks in document order (the order a learner is shown them)."""
    for element in parent:
        name = _local(element.tag)
        if name == "au":
            spec["aus"].append(_au(element, block, errors, folder=folder))
            if block is not None:
                spec["blocks"][block]["aus"].append(len(spec["aus"]) - 1)
        elif name == "block":
            block_id = _iri(element, "block", errors)
            title = _langstring(_child(element, "title")) or block_id
            spec["blocks"].append({"id": block_id, "title": title, "parent": block, "aus": []})
            _walk(element, spec, len(spec["blocks"]) - 1, errors, folder=folder)


def _au(element: Element, block: int | None, errors: list[FieldError], *, folder: str) -> dict[str, Any]:
    au_id = _iri(element, "au", errors)
    where = f"AU {au_id!r}"
    url = _text(_child(element, "url"))
    if not url:
        errors.append(FieldError(FIELD, f"cmi5.xml: {where} has no url"))
    elif not is_absolute(url):
        url = _relative(url, folder, where, errors)
    method = (element.get("launchMethod") or "AnyWindow").strip()
    if method not in LAUNCH_METHODS:
        errors.append(FieldError(FIELD, f"cmi5.xml: {where} launchMethod must be OwnWindow or AnyWindow"))
    move_on = (element.get("moveOn") or "NotApplicable").strip()
    if move_on not in MOVE_ON:
        errors.append(FieldError(FIELD, f"cmi5.xml: {where} moveOn must be one of {', '.join(MOVE_ON)}"))
    return {
        "id": au_id,
        "title": _langstring(_child(element, "title")) or au_id,
        "description": _langstring(_child(element, "description")),
        "url": url,
        "launchMethod": method,
        "moveOn": move_on,
        "masteryScore": _mastery(element, where, errors),
        "launchParameters": _text(_child(element, "launchParameters")),
        "entitlementKey": _text(_child(element, "entitlementKey")),
        "activityType": (element.get("activityType") or "").strip(),
        "block": block,
    }


def _relative(url: str, folder: str, where: str, errors: list[FieldError]) -> str:
    """A package-relative url, as a path from the package root (the folder cmi5.xml is in)."""
    path = urlsplit(url).path
    if url.startswith("/") or ".." in path.split("/"):
        errors.append(FieldError(FIELD, f"cmi5.xml: {where} url {url!r} points outside the package"))
        return url
    return folder + url


def _mastery(element: Element, where: str, errors: list[FieldError]) -> float | None:
    raw = (element.get("masteryScore") or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal(-1)
    if not Decimal(0) <= value <= Decimal(1):
        errors.append(FieldError(FIELD, f"cmi5.xml: {where} masteryScore must be a decimal from 0 to 1"))
        return None
    return float(round(value, 4))


def _check_unique(spec: dict[str, Any], errors: list[FieldError]) -> None:
    """AU ids are unique within the course structure (13.1.4)."""
    seen: set[str] = set()
    for au in spec["aus"]:
        if au["id"] and au["id"] in seen:
            errors.append(FieldError(FIELD, f"cmi5.xml: the AU id {au['id']!r} appears twice"))
        seen.add(au["id"])


def _entry(archive: zipfile.ZipFile, url: str) -> str | None:
    path = urlsplit(url).path
    names = {info.filename for info in archive.infolist() if not info.is_dir()}
    return path if path in names else None
