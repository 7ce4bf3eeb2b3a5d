"""Reading a SCORM package's imsmanifest.xml (IMS Content Packaging 1.1.x, as profiled by SCORM 1.2's CAM
and SCORM 2004's CAM) into the spec a content version stores:

    {"scorm": "1.2" | "2004", "edition": <schemaversion>, "organization": <id>,
     "control": {"choice": bool, "flow": bool, "forward_only": bool},
     "items": [{"id", "title", "depth", "visible",
                # launchable items only:
                "type": "sco" | "asset", "href": <path in the package, with its parameters>,
                "launch_data", "mastery_score" (1.2, 0..100), "scaled_passing_score" (2004, -1..1),
                "completion_threshold" (2004, 0..1), "max_time_allowed", "time_limit_action"}]}

`items` is the default organization's tree in document order (depth 0 = the organization's children):
what the player's table of contents shows and what flow navigation walks. Elements are matched by their
local names, so the namespace versions packages actually use (and their spelling slips: `scormtype` in
1.2, `scormType` in 2004) all read the same.

The XML is parsed with defusedxml: no entity expansion, no external entities or DTDs fetched (a manifest
is untrusted input). Every refusal is `Invalid(field="file")` naming the problem and where it is."""

from __future__ import annotations

import posixpath
import re
import zipfile
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from learnbridge.content.kinds import Parsed
from learnbridge.content.models import ContentKind
from learnbridge.content.storage import find_entry
from learnbridge.core.errors import Invalid

MANIFEST = "imsmanifest.xml"
MAX_MANIFEST_BYTES = 8 * 1024 * 1024
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_NAMESPACE = re.compile(r"^\{([^}]*)\}")


class ManifestError(Invalid):
    """A problem with the package's manifest, reported against the upload's field."""

    def __init__(self, message: str, *, field: str = "file") -> None:
        super().__init__(field=field, message=message)


# ---- element helpers: match by local name, without case -------------------------------------------------


def _local(name: str) -> str:
    return _NAMESPACE.sub("", name).lower()


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((child for child in element if _local(child.tag) == name), None)


def _text(element: Element | None, name: str) -> str | None:
    child = _child(element, name)
    if child is None or child.text is None:
        return None
    return child.text.strip()


def _attr(element: Element | None, name: str) -> str | None:
    if element is None:
        return None
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value.strip()
    return None


def _flag(value: str | None, default: bool) -> bool:
    return default if value is None else value.strip().lower() in ("true", "1")


def _number(value: str | None, *, what: str, low: float, high: float) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not low <= number <= high:
        raise ManifestError(f"{what} is {value!r}, which is not a number from {low:g} to {high:g}")
    return number


# ---- the manifest as a whole -----------------------------------------------------------------------------


def read_manifest(archive: zipfile.ZipFile, *, field: str = "file") -> Parsed:
    """The package's kind (SCORM 1.2 or 2004), title and spec, read from its imsmanifest.xml; Invalid naming
    the problem when the manifest is missing, malformed or points at things the package does not have."""
    entry = find_entry(archive, MANIFEST)
    if entry is None:
        raise ManifestError(f"no {MANIFEST} at the package's root: this is not a SCORM package", field=field)
    return read_package(archive, entry, field=field)


def read_package(archive: zipfile.ZipFile, entry: str, *, field: str = "file") -> Parsed:
    """`read_manifest` for a manifest already found at `entry` (content.packages' zip reader)."""
    info = archive.getinfo(entry)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{MANIFEST} is larger than {MAX_MANIFEST_BYTES // 1024**2} MB", field=field)
    root = parse_xml(archive.read(entry), field=field)
    files = frozenset(i.filename for i in archive.infolist() if not i.is_dir())
    return manifest_spec(root, files=files, folder=posixpath.dirname(entry))


def parse_xml(data: bytes, *, field: str = "file") -> Element:
    try:
        root = fromstring(data)
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":", 1)[0]
        raise ManifestError(
            f"{MANIFEST} is not well-formed XML: line {line}, column {column + 1}: {reason}", field=field
        ) from None
    except DefusedXmlException:
        raise ManifestError(
            f"{MANIFEST} declares entities or external references, which are not allowed", field=field
        ) from None
    if _local(root.tag) != "manifest":
        raise ManifestError(f"{MANIFEST}'s root element is <{_local(root.tag)}>, not <manifest>", field=field)
    return root


def scorm_version(root: Element) -> ContentKind:
    """SCORM 2004 when the metadata's schemaversion says so (`2004 4th Edition`, `2004 3rd Edition`,
    `CAM 1.3`) or the manifest uses the 2004 namespaces (adlcp_v1p3, imsss); SCORM 1.2 otherwise."""
    version = (_text(_child(root, "metadata"), "schemaversion") or "").lower()
    if version.startswith("1.2"):
        return ContentKind.scorm12
    if "2004" in version or "1.3" in version:
        return ContentKind.scorm2004
    namespaces = {_NAMESPACE.match(name) for el in root.iter() for name in (el.tag, *el.attrib)}
    uris = {match.group(1).lower() for match in namespaces if match}
    if any("adlcp_v1p3" in uri or "imsss" in uri or "adlseq" in uri for uri in uris):
        return ContentKind.scorm2004
    return ContentKind.scorm12


def manifest_spec(root: Element, *, files: frozenset[str], folder: str = "") -> Parsed:
    """The spec of a parsed manifest whose package holds `files` (the manifest sits in `folder`)."""
    kind = scorm_version(root)
    organization = _default_organization(root)
    resources_element = _child(root, "resources")
    base = _join(folder, _attr(root, "base") or "", _attr(resources_element, "base") or "")
    resources = {
        (_attr(r, "identifier") or ""): r
        for r in (_children(resources_element, "resource") if resources_element is not None else [])
    }
    reader = _ItemReader(kind=kind, resources=resources, files=files, base=base, root=root)
    for child in _children(organization, "item"):
        reader.read(child, depth=0)
    if not any(item.get("type") == "sco" for item in reader.items):
        raise ManifestError(
            'the package has no SCO (no launchable resource with adlcp:scormType="sco"), so nothing in it '
            "could report progress"
        )
    title = _text(organization, "title") or reader.items[0]["title"] or "SCORM package"
    spec: dict[str, Any] = {
        "scorm": "1.2" if kind is ContentKind.scorm12 else "2004",
        "edition": _text(_child(root, "metadata"), "schemaversion") or "",
        "organization": _attr(organization, "identifier") or "",
        "control": _control_mode(kind, organization, root),
        "items": reader.items,
    }
    return Parsed(kind=kind, title=title[:300], spec=spec)


def _default_organization(root: Element) -> Element:
    organizations = _child(root, "organizations")
    candidates = _children(organizations, "organization") if organizations is not None else []
    if not candidates:
        raise ManifestError(f"{MANIFEST} has no <organization> to launch")
    wanted = _attr(organizations, "default")
    if not wanted:
        return candidates[0]
    for organization in candidates:
        if _attr(organization, "identifier") == wanted:
            return organization
    raise ManifestError(f"the default organization {wanted!r} is not in the manifest")


def _control_mode(kind: ContentKind, organization: Element, root: Element) -> dict[str, bool]:
    """How the learner may move between SCOs. SCORM 1.2 leaves navigation to the LMS (both ways); SCORM
    2004 reads the organization's <imsss:controlMode> (IMS SS defaults: choice yes, flow no)."""
    if kind is ContentKind.scorm12:
        return {"choice": True, "flow": True, "forward_only": False}
    mode = _sequencing_child(organization, root, "controlmode")
    return {
        "choice": _flag(_attr(mode, "choice"), True),
        "flow": _flag(_attr(mode, "flow"), False),
        "forward_only": _flag(_attr(mode, "forwardonly"), False),
    }


def _sequencing_child(element: Element, root: Element, name: str) -> Element | None:
    """The <imsss:sequencing> child `name` of an organization or item, looked up in the element's own
    sequencing first and then in the <imsss:sequencingCollection> entry its IDRef names."""
    sequencing = _child(element, "sequencing")
    if sequencing is None:
        return None
    found = _child(sequencing, name)
    reference = _attr(sequencing, "idref")
    if found is not None or not reference:
        return found
    collection = _child(root, "sequencingcollection")
    for shared in _children(collection, "sequencing") if collection is not None else []:
        if _attr(shared, "id") == reference:
            return _child(shared, name)
    return None


def _join(*parts: str) -> str:
    return posixpath.join(*[p for p in parts if p]) if any(parts) else ""


def with_parameters(href: str, parameters: str) -> str:
    """An item's launch location: the resource's href with the item's parameters added, as the IMS CP
    best-practice guide says (a leading `?` or `&` is dropped and the right separator used; a `#fragment`
    is kept only if the href has none)."""
    parameters = parameters.strip()
    if not parameters:
        return href
    if parameters.startswith("#"):
        return href if "#" in href else href + parameters
    parameters = parameters.lstrip("?&")
    return f"{href}{'&' if '?' in href else '?'}{parameters}"


class _ItemReader:
    """Walks an organization's items, resolving each launchable item against its resource."""

    def __init__(
        self,
        *,
        kind: ContentKind,
        resources: dict[str, Element],
        files: frozenset[str],
        base: str,
        root: Element,
    ) -> None:
        self.kind = kind
        self.resources = resources
        self.files = files
        self.base = base
        self.root = root
        self.items: list[dict[str, Any]] = []

    def read(self, element: Element, *, depth: int) -> None:
        identifier = _attr(element, "identifier") or f"item-{len(self.items) + 1}"
        item: dict[str, Any] = {
            "id": identifier,
            "title": (_text(element, "title") or identifier)[:300],
            "depth": depth,
            "visible": _flag(_attr(element, "isvisible"), True),
        }
        self.items.append(item)
        reference = _attr(element, "identifierref")
        if reference:
            item.update(self._launch(element, identifier, reference))
        for child in _children(element, "item"):
            self.read(child, depth=depth + 1)

    def _launch(self, element: Element, identifier: str, reference: str) -> dict[str, Any]:
        resource = self.resources.get(reference)
        if resource is None:
            raise ManifestError(
                f"item {identifier!r} refers to resource {reference!r}, which the manifest does not have"
            )
        scorm_type = (_attr(resource, "scormtype") or "asset").lower()
        href = self._href(resource, reference)
        launch: dict[str, Any] = {
            "type": "sco" if scorm_type == "sco" else "asset",
            "href": with_parameters(href, _attr(element, "parameters") or ""),
        }
        launch.update(self._run_time(element, identifier))
        return {key: value for key, value in launch.items() if value is not None}

    def _href(self, resource: Element, reference: str) -> str:
        href = _attr(resource, "href")
        if not href:
            raise ManifestError(f"resource {reference!r} has no href, so it cannot be launched")
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            raise ManifestError(
                f"resource {reference!r} launches {href!r}, outside the package: content must be inside it"
            )
        path = posixpath.normpath(_join(self.base, _attr(resource, "base") or "", unquote(parts.path)))
        if path.startswith(("../", "/")) or path == "..":
            raise ManifestError(f"resource {reference!r} launches {href!r}, which points outside the package")
        if path not in self.files:
            raise ManifestError(f"resource {reference!r} launches {href!r}, which is not in the package")
        location = (
            path
            + (f"?{parts.query}" if parts.query else "")
            + (f"#{parts.fragment}" if parts.fragment else "")
        )
        return location

    def _run_time(self, element: Element, identifier: str) -> dict[str, Any]:
        """What the LMS initialises the SCO's run-time data with (CAM: adlcp and imsss item elements)."""
        if self.kind is ContentKind.scorm12:
            return {
                "launch_data": _text(element, "datafromlms"),
                "mastery_score": _number(
                    _text(element, "masteryscore"),
                    what=f"item {identifier!r}'s masteryscore",
                    low=0,
                    high=100,
                ),
                "max_time_allowed": _text(element, "maxtimeallowed"),
                "time_limit_action": _text(element, "timelimitaction"),
            }
        limits = _sequencing_child(element, self.root, "limitconditions")
        return {
            "launch_data": _text(element, "datafromlms"),
            "scaled_passing_score": self._passing_score(element, identifier),
            "completion_threshold": _completion_threshold(element, identifier),
            "max_time_allowed": _attr(limits, "attemptabsolutedurationlimit"),
            "time_limit_action": _text(element, "timelimitaction"),
        }

    def _passing_score(self, element: Element, identifier: str) -> float | None:
        """cmi.scaled_passing_score: the primary objective's minNormalizedMeasure, when it is satisfied
        by measure (SCORM 2004 RTE 4.2.18); IMS SS's default measure is 1.0."""
        objectives = _sequencing_child(element, self.root, "objectives")
        primary = _child(objectives, "primaryobjective")
        if primary is None or not _flag(_attr(primary, "satisfiedbymeasure"), False):
            return None
        measure = _number(
            _text(primary, "minnormalizedmeasure"),
            what=f"item {identifier!r}'s minNormalizedMeasure",
            low=-1,
            high=1,
        )
        return 1.0 if measure is None else measure


def _completion_threshold(element: Element, identifier: str) -> float | None:
    """cmi.completion_threshold: 3rd edition's element text, or 4th edition's minProgressMeasure when
    completedByMeasure is true."""
    threshold = _child(element, "completionthreshold")
    if threshold is None:
        return None
    what = f"item {identifier!r}'s completionThreshold"
    if threshold.text and threshold.text.strip():
        return _number(threshold.text.strip(), what=what, low=0, high=1)
    if not _flag(_attr(threshold, "completedbymeasure"), False):
        return None
    measure = _number(_attr(threshold, "minprogressmeasure"), what=what, low=0, high=1)
    return 1.0 if measure is None else measure
