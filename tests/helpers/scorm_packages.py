"""SCORM packages built in the tests: a manifest for SCORM 1.2 or 2004 around SCOs whose pages load the
API discovery script and whatever scripts a test gives them (tests/helpers/scorm/*.js: the conformance
runs), so every package a test plays is made here, never downloaded."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

SCRIPTS = Path(__file__).parent / "scorm"


@dataclass(frozen=True)
class Sco:
    id: str
    title: str
    scripts: tuple[str, ...] = ()
    href: str = ""  # defaults to {id}.html
    asset: bool = False
    parameters: str = ""
    launch_data: str = ""
    mastery_score: float | None = None  # 1.2
    max_time_allowed: str = ""
    time_limit_action: str = ""
    passing_score: float | None = None  # 2004: minNormalizedMeasure, satisfied by measure
    completion_threshold: float | None = None  # 2004 4th edition

    @property
    def page(self) -> str:
        return self.href or f"{self.id}.html"


@dataclass(frozen=True)
class Package:
    title: str
    scos: tuple[Sco, ...]
    version: str = "2004"  # or "1.2"
    edition: str = "2004 4th Edition"
    flow: bool = True
    choice: bool = True
    extra: dict[str, bytes] = field(default_factory=dict)

    def zip(self) -> bytes:
        return zipped({"imsmanifest.xml": self.manifest().encode(), **self.files()})

    def files(self) -> dict[str, bytes]:
        files = {"api.js": (SCRIPTS / "api.js").read_bytes(), **self.extra}
        for sco in self.scos:
            files[sco.page] = sco_page(sco).encode()
            for script in sco.scripts:
                files[script] = (SCRIPTS / script).read_bytes()
        return files

    def manifest(self) -> str:
        return manifest_12(self) if self.version == "1.2" else manifest_2004(self)


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def sco_page(sco: Sco) -> str:
    scripts = "".join(f'<script src="{name}"></script>' for name in ("api.js", *sco.scripts))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(sco.title)}</title>'
        f'</head><body><h1>{escape(sco.title)}</h1><p id="sco">{escape(sco.id)}</p>{scripts}</body></html>'
    )


def _resource(sco: Sco, attribute: str) -> str:
    kind = "asset" if sco.asset else "sco"
    return (
        f'<resource identifier="r-{sco.id}" type="webcontent" {attribute}="{kind}" href="{sco.page}">'
        f'<file href="{sco.page}"/></resource>'
    )


def manifest_12(package: Package) -> str:
    items = []
    for sco in package.scos:
        extra = "".join(
            f"<adlcp:{name}>{escape(str(value))}</adlcp:{name}>"
            for name, value in (
                ("masteryscore", "" if sco.mastery_score is None else f"{sco.mastery_score:g}"),
                ("datafromlms", sco.launch_data),
                ("maxtimeallowed", sco.max_time_allowed),
                ("timelimitaction", sco.time_limit_action),
            )
            if value
        )
        parameters = f" parameters={quoteattr(sco.parameters)}" if sco.parameters else ""
        items.append(
            f'<item identifier="{sco.id}" identifierref="r-{sco.id}"{parameters}>'
            f"<title>{escape(sco.title)}</title>{extra}</item>"
        )
    resources = "".join(_resource(sco, "adlcp:scormtype") for sco in package.scos)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest identifier="test-package" version="1.0" '
        'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
        'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">'
        "<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"
        f'<organizations default="org"><organization identifier="org"><title>{escape(package.title)}</title>'
        f"{''.join(items)}</organization></organizations><resources>{resources}</resources></manifest>"
    )


def _sequencing_2004(sco: Sco) -> str:
    if sco.passing_score is None:
        return ""
    return (
        '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="primary" '
        'satisfiedByMeasure="true">'
        f"<imsss:minNormalizedMeasure>{sco.passing_score:g}</imsss:minNormalizedMeasure>"
        "</imsss:primaryObjective></imsss:objectives></imsss:sequencing>"
    )


def manifest_2004(package: Package) -> str:
    items = []
    for sco in package.scos:
        extra = ""
        if sco.completion_threshold is not None:
            extra += (
                '<adlcp:completionThreshold completedByMeasure="true" '
                f'minProgressMeasure="{sco.completion_threshold:g}"/>'
            )
        if sco.launch_data:
            extra += f"<adlcp:dataFromLMS>{escape(sco.launch_data)}</adlcp:dataFromLMS>"
        if sco.time_limit_action:
            extra += f"<adlcp:timeLimitAction>{escape(sco.time_limit_action)}</adlcp:timeLimitAction>"
        parameters = f" parameters={quoteattr(sco.parameters)}" if sco.parameters else ""
        items.append(
            f'<item identifier="{sco.id}" identifierref="r-{sco.id}"{parameters}>'
            f"<title>{escape(sco.title)}</title>{extra}{_sequencing_2004(sco)}</item>"
        )
    resources = "".join(_resource(sco, "adlcp:scormType") for sco in package.scos)
    control = (
        f'<imsss:sequencing><imsss:controlMode choice="{str(package.choice).lower()}" '
        f'flow="{str(package.flow).lower()}"/></imsss:sequencing>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest identifier="test-package" version="1.0" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
        'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss" '
        'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3">'
        f"<metadata><schema>ADL SCORM</schema><schemaversion>{package.edition}</schemaversion></metadata>"
        f'<organizations default="org"><organization identifier="org"><title>{escape(package.title)}</title>'
        f"{''.join(items)}{control}</organization></organizations><resources>{resources}</resources></manifest>"
    )
