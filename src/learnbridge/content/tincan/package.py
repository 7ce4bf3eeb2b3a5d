"""xAPI (Tin Can) packages: a zip with tincan.xml (Rustici's launch guidelines, "Packaging": one
tincan.xml at the package root; the activity with a `launch` element is what the LMS launches).

The spec it makes: {"activities": [{"id", "name", "type", "description"}], "launch": {"activity_id",
"url"}}; the launch url is package-relative (served from the version's files) or absolute."""

from __future__ import annotations

import zipfile
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from learnbridge.content.kinds import Parsed
from learnbridge.content.models import ContentKind
from learnbridge.core.errors import Invalid

FIELD = "file"
MANIFEST = "tincan.xml"
MAX_BYTES = 5 * 1024 * 1024


def read_zip(archive: zipfile.ZipFile, name: str) -> Parsed:
    """The package's activities and the one it launches; a relative launch file must be in the zip."""
    info = archive.getinfo(name)
    if info.file_size > MAX_BYTES:
        raise Invalid(field=FIELD, message=f"{name} is over {MAX_BYTES // 1024**2} MB")
    parsed = parse_tincan(archive.read(info), folder=name[: -len(MANIFEST)])
    url = parsed.spec["launch"]["url"]
    names = {i.filename for i in archive.infolist() if not i.is_dir()}
    if not urlsplit(url).scheme and urlsplit(url).path not in names:
        raise Invalid(field=FIELD, message=f"tincan.xml: the launch file {url!r} is not in the zip")
    return parsed


def parse_tincan(data: bytes, *, folder: str = "") -> Parsed:
    root = _parse(data)
    activities_element = _child(root, "activities")
    elements = [
        a
        for a in (activities_element if activities_element is not None else [])
        if _local(a.tag) == "activity"
    ]
    if not elements:
        raise Invalid(field=FIELD, message="tincan.xml: no activity (activities/activity) is declared")
    activities = [_activity(a) for a in elements]
    launchable = [(a, _text(_child(e, "launch"))) for a, e in zip(activities, elements, strict=True)]
    launchable = [(a, url) for a, url in launchable if url]
    if not launchable:
        raise Invalid(field=FIELD, message="tincan.xml: no activity has a launch element to open")
    if len(launchable) > 1:
        raise Invalid(field=FIELD, message="tincan.xml: only one activity may have a launch element")
    activity, url = launchable[0]
    if not activity["id"]:
        raise Invalid(field=FIELD, message="tincan.xml: the launched activity has no id")
    path = urlsplit(url).path
    if not urlsplit(url).scheme and (url.startswith("/") or ".." in path.split("/")):
        raise Invalid(field=FIELD, message=f"tincan.xml: the launch file {url!r} points outside the package")
    if not urlsplit(url).scheme:
        url = folder + url
    title = activity["name"] or activity["id"]
    spec: dict[str, Any] = {"activities": activities, "launch": {"activity_id": activity["id"], "url": url}}
    return Parsed(kind=ContentKind.xapi, title=title[:300], spec=spec)


def _parse(data: bytes) -> Element:
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise Invalid(field=FIELD, message="tincan.xml: DTDs and entities are not allowed") from None
    except ParseError as exc:
        raise Invalid(field=FIELD, message=f"tincan.xml is not well-formed XML ({exc})") from None
    if _local(root.tag) != "tincan":
        raise Invalid(field=FIELD, message="tincan.xml: the root element must be tincan")
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _activity(element: Element) -> dict[str, str]:
    return {
        "id": (element.get("id") or "").strip(),
        "type": (element.get("type") or "").strip(),
        "name": _text(_child(element, "name")),
        "description": _text(_child(element, "description")),
    }
