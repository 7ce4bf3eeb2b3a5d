"""The SCORM manifest reader: versions, the default organization's items, what each SCO is initialised
with, sequencing control modes, and every malformed package named clearly."""

from __future__ import annotations

import io
import zipfile

import pytest

from learnbridge.content.kinds import Parsed
from learnbridge.content.models import ContentKind
from learnbridge.content.scorm.manifest import read_manifest, with_parameters
from learnbridge.core.errors import Invalid
from tests.helpers.scorm_packages import Package, Sco, zipped


def _read(data: bytes) -> Parsed:
    return read_manifest(zipfile.ZipFile(io.BytesIO(data)))


def _refusal(data: bytes) -> str:
    with pytest.raises(Invalid) as caught:
        _read(data)
    assert caught.value.errors[0].field == "file"
    return caught.value.errors[0].message


def test_a_scorm_12_package_with_its_mastery_score_and_launch_data() -> None:
    package = Package(
        "Safety basics",
        (
            Sco("intro", "Introduction", asset=True),
            Sco(
                "quiz",
                "Quiz",
                mastery_score=80,
                launch_data="mode=exam",
                max_time_allowed="00:30:00",
                time_limit_action="exit,message",
                parameters="?lang=en",
            ),
        ),
        version="1.2",
    )
    parsed = _read(package.zip())
    assert parsed.kind is ContentKind.scorm12
    assert parsed.title == "Safety basics"
    spec = parsed.spec
    assert spec["scorm"] == "1.2"
    assert spec["control"] == {"choice": True, "flow": True, "forward_only": False}
    intro, quiz = spec["items"]
    assert intro == {
        "id": "intro",
        "title": "Introduction",
        "depth": 0,
        "visible": True,
        "type": "asset",
        "href": "intro.html",
    }
    assert quiz["type"] == "sco"
    assert quiz["href"] == "quiz.html?lang=en"
    assert quiz["mastery_score"] == 80
    assert quiz["launch_data"] == "mode=exam"
    assert quiz["max_time_allowed"] == "00:30:00"
    assert quiz["time_limit_action"] == "exit,message"


def test_a_scorm_2004_package_with_its_passing_score_threshold_and_control_mode() -> None:
    package = Package(
        "Information security",
        (Sco("one", "One", completion_threshold=0.75), Sco("two", "Two", passing_score=0.8, launch_data="x")),
        flow=True,
        choice=False,
    )
    parsed = _read(package.zip())
    assert parsed.kind is ContentKind.scorm2004
    assert parsed.spec["edition"] == "2004 4th Edition"
    assert parsed.spec["control"] == {"choice": False, "flow": True, "forward_only": False}
    one, two = parsed.spec["items"]
    assert one["completion_threshold"] == 0.75
    assert "scaled_passing_score" not in one
    assert two["scaled_passing_score"] == 0.8
    assert two["launch_data"] == "x"


MANIFEST_2004 = """<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xml:base="course/">
 <organizations default="second">
  <organization identifier="first"><title>Not this one</title>
   <item identifier="x" identifierref="r1"><title>X</title></item></organization>
  <organization identifier="second"><title>Course</title>
   <item identifier="module"><title>Module 1</title>
    <item identifier="lesson" identifierref="r1" isvisible="false"><title>Lesson</title>
     <adlcp:completionThreshold>0.5</adlcp:completionThreshold>
     <imsss:sequencing IDRef="shared"/></item>
   </item>
   <imsss:sequencing><imsss:controlMode flow="true" forwardOnly="true"/></imsss:sequencing>
  </organization>
 </organizations>
 <resources xml:base="res/">
  <resource identifier="r1" type="webcontent" adlcp:scormType="sco" xml:base="l1/" href="index.html?a=1"/>
 </resources>
 <imsss:sequencingCollection>
  <imsss:sequencing ID="shared"><imsss:limitConditions attemptAbsoluteDurationLimit="PT1H"/>
   <imsss:objectives><imsss:primaryObjective satisfiedByMeasure="true"/></imsss:objectives>
  </imsss:sequencing>
 </imsss:sequencingCollection>
</manifest>"""


def test_namespaces_xml_base_nested_items_and_shared_sequencing_are_read() -> None:
    parsed = _read(zipped({"imsmanifest.xml": MANIFEST_2004.encode(), "course/res/l1/index.html": b"<p>"}))
    assert parsed.kind is ContentKind.scorm2004
    assert parsed.title == "Course"
    assert parsed.spec["organization"] == "second"
    assert parsed.spec["control"] == {"choice": True, "flow": True, "forward_only": True}
    module, lesson = parsed.spec["items"]
    assert module == {"id": "module", "title": "Module 1", "depth": 0, "visible": True}
    assert lesson["depth"] == 1
    assert lesson["visible"] is False
    assert lesson["href"] == "course/res/l1/index.html?a=1"
    assert lesson["completion_threshold"] == 0.5
    assert lesson["max_time_allowed"] == "PT1H"
    assert lesson["scaled_passing_score"] == 1.0


def test_a_package_inside_one_top_folder_launches_from_that_folder() -> None:
    package = Package("Wrapped", (Sco("a", "A"),))
    data = zipped(
        {
            f"wrapped/{name}": body
            for name, body in {"imsmanifest.xml": package.manifest().encode(), **package.files()}.items()
        }
    )
    assert _read(data).spec["items"][0]["href"] == "wrapped/a.html"


@pytest.mark.parametrize(
    ("href", "parameters", "expected"),
    [
        ("a.html", "", "a.html"),
        ("a.html", "?x=1", "a.html?x=1"),
        ("a.html?y=2", "?x=1", "a.html?y=2&x=1"),
        ("a.html?y=2", "&x=1", "a.html?y=2&x=1"),
        ("a.html", "#top", "a.html#top"),
        ("a.html#here", "#top", "a.html#here"),
    ],
)
def test_item_parameters_join_the_launch_location(href: str, parameters: str, expected: str) -> None:
    assert with_parameters(href, parameters) == expected


def _manifest(body: str, *, resources: str = "") -> bytes:
    return (
        '<manifest identifier="m" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">'
        f"<organizations default='o'><organization identifier='o'><title>T</title>{body}</organization>"
        f"</organizations><resources>{resources}</resources></manifest>"
    ).encode()


SCO_RESOURCE = '<resource identifier="r" adlcp:scormtype="sco" href="a.html"/>'


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"index.html": b"<p>"}, "no imsmanifest.xml at the package's root"),
        ({"imsmanifest.xml": b"<manifest>\n<organizations>\n</manifest>"}, "not well-formed XML: line 3"),
        (
            {"imsmanifest.xml": b'<!DOCTYPE m [<!ENTITY a "aaaa">]><manifest>&a;</manifest>'},
            "declares entities",
        ),
        ({"imsmanifest.xml": b"<package/>"}, "root element is <package>, not <manifest>"),
        ({"imsmanifest.xml": b"<manifest><resources/></manifest>"}, "no <organization> to launch"),
        (
            {"imsmanifest.xml": _manifest('<item identifier="x" identifierref="y"><title>X</title></item>')},
            "item 'x' refers to resource 'y', which the manifest does not have",
        ),
        (
            {
                "imsmanifest.xml": _manifest(
                    '<item identifier="x" identifierref="r"/>', resources=SCO_RESOURCE
                )
            },
            "resource 'r' launches 'a.html', which is not in the package",
        ),
        (
            {
                "imsmanifest.xml": _manifest(
                    '<item identifier="x" identifierref="r"/>',
                    resources='<resource identifier="r" adlcp:scormtype="sco" href="../a.html"/>',
                ),
                "a.html": b"",
            },
            "points outside the package",
        ),
        (
            {
                "imsmanifest.xml": _manifest(
                    '<item identifier="x" identifierref="r"/>',
                    resources='<resource identifier="r" adlcp:scormtype="sco" href="https://e.example/a"/>',
                )
            },
            "outside the package: content must be inside it",
        ),
        (
            {
                "imsmanifest.xml": _manifest(
                    '<item identifier="x" identifierref="r"/>',
                    resources='<resource identifier="r" adlcp:scormtype="asset" href="a.html"/>',
                ),
                "a.html": b"",
            },
            "has no SCO",
        ),
        (
            {
                "imsmanifest.xml": _manifest(
                    '<item identifier="x" identifierref="r">'
                    "<adlcp:masteryscore>high</adlcp:masteryscore></item>",
                    resources=SCO_RESOURCE,
                ),
                "a.html": b"",
            },
            "item 'x''s masteryscore is 'high', which is not a number from 0 to 100",
        ),
        (
            {
                "imsmanifest.xml": b"<manifest><organizations default='z'><organization identifier='o'/>"
                b"</organizations></manifest>"
            },
            "the default organization 'z' is not in the manifest",
        ),
    ],
)
def test_malformed_packages_are_refused_naming_the_problem(entries: dict[str, bytes], message: str) -> None:
    assert message in _refusal(zipped(entries))
