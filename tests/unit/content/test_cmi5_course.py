"""Reading cmi5 course structures (cmi5 13, 14) and tincan.xml packages: what is kept, and every way a
bad one is refused with a message naming the problem (field "file")."""

from __future__ import annotations

import io
import zipfile

import pytest

from learnbridge.content.cmi5.course import looks_like_course, parse_course, read_file, read_zip
from learnbridge.content.models import ContentKind
from learnbridge.content.tincan.package import parse_tincan
from learnbridge.content.tincan.package import read_zip as read_tincan
from learnbridge.core.errors import Invalid

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def course(aus: str, *, ns: str = NS, blocks: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="{ns}">
  <course id="https://example.org/courses/fire">
    <title><langstring lang="de-DE">Brandschutz</langstring>
      <langstring lang="en-GB"> Fire safety </langstring></title>
    <description><langstring lang="en-GB">Two parts.</langstring></description>
  </course>
  {aus}
  {blocks}
</courseStructure>""".encode()


def au(au_id: str = "https://example.org/au/1", url: str = "au1/index.html", **attributes: str) -> str:
    attrs = " ".join(f'{k}="{v}"' for k, v in attributes.items())
    url_element = f"<url> {url} </url>" if url else ""
    return f"""<au id="{au_id}" {attrs}>
      <title><langstring lang="en-GB">Part {au_id[-1]}</langstring></title>
      <description><langstring lang="en-GB">About it.</langstring></description>
      {url_element}
      <launchParameters> mode=quiz </launchParameters>
      <entitlementKey>key-1</entitlementKey>
    </au>"""


def test_a_course_keeps_its_aus_blocks_and_launch_settings() -> None:
    second_au = au(
        "https://example.org/au/2",
        "https://elsewhere.example/au2",
        moveOn="Passed",
        masteryScore="0.8",
        launchMethod="OwnWindow",
        activityType="http://adlnet.gov/expapi/activities/lesson",
    )
    blocks = f'<block id="https://example.org/blocks/1"><title><langstring>Escape</langstring></title>{second_au}</block>'
    parsed = parse_course(course(au(moveOn="CompletedAndPassed"), blocks=blocks), external=False)
    assert parsed.kind is ContentKind.cmi5 and parsed.title == "Fire safety"
    first, second = parsed.spec["aus"]
    assert first == {
        "id": "https://example.org/au/1",
        "title": "Part 1",
        "description": "About it.",
        "url": "au1/index.html",
        "launchMethod": "AnyWindow",
        "moveOn": "CompletedAndPassed",
        "masteryScore": None,
        "launchParameters": "mode=quiz",
        "entitlementKey": "key-1",
        "activityType": "",
        "block": None,
    }
    assert second["url"] == "https://elsewhere.example/au2" and second["masteryScore"] == 0.8
    assert second["launchMethod"] == "OwnWindow" and second["block"] == 0
    assert parsed.spec["blocks"] == [
        {"id": "https://example.org/blocks/1", "title": "Escape", "parent": None, "aus": [1]}
    ]
    assert parsed.spec["course"]["id"] == "https://example.org/courses/fire"


def test_the_older_namespace_and_a_default_move_on_are_read() -> None:
    parsed = parse_course(course(au(), ns="http://www.adlnet.gov/cmi5/CourseStructure.xsd"), external=False)
    assert parsed.spec["aus"][0]["moveOn"] == "NotApplicable"


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<courseStructure><course", "not well-formed XML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><courseStructure/>', "DTDs and entities"),
        (b"<manifest/>", "root element must be courseStructure"),
        (course(""), "no AU"),
        (course(au(url="")), "has no url"),
        (course(au(moveOn="Sometimes")), "moveOn must be one of"),
        (course(au(masteryScore="1.5")), "masteryScore must be a decimal from 0 to 1"),
        (course(au(launchMethod="Popup")), "launchMethod must be OwnWindow or AnyWindow"),
        (course(au(au_id="not-an-iri")), "is not an absolute IRI"),
        (course(au(url="../../etc/passwd")), "points outside the package"),
        (course(au() + au()), "appears twice"),
    ],
)
def test_a_bad_course_structure_is_refused_naming_the_problem(xml: bytes, message: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_course(xml, external=False)
    assert caught.value.errors[0].field == "file"
    assert message in str(caught.value)


def _zip(files: dict[str, bytes]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_a_zip_needs_each_relative_au_file() -> None:
    archive = _zip({"cmi5.xml": course(au()), "au1/index.html": b"<html></html>"})
    assert read_zip(archive, "cmi5.xml").spec["aus"][0]["url"] == "au1/index.html"
    with pytest.raises(Invalid, match=r"au1/index\.html' is not a file in the zip"):
        read_zip(_zip({"cmi5.xml": course(au())}), "cmi5.xml")
    nested = _zip({"fire/cmi5.xml": course(au()), "fire/au1/index.html": b"<html></html>"})
    assert read_zip(nested, "fire/cmi5.xml").spec["aus"][0]["url"] == "fire/au1/index.html"


def test_a_bare_course_structure_needs_absolute_urls() -> None:
    data = course(au(url="https://courses.example/au1"))
    assert looks_like_course(data) and not looks_like_course(b"%PDF-1.7")
    parsed, name = read_file(data, "cmi5.xml", {})
    assert name == "cmi5.xml" and parsed.spec["external"] is True
    with pytest.raises(Invalid, match="needs absolute URLs"):
        read_file(course(au()), "cmi5.xml", {})


TINCAN = b"""<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="https://example.org/tc/golf" type="http://adlnet.gov/expapi/activities/course">
      <name>Golf basics</name>
      <description lang="en-US">Etiquette and scoring.</description>
      <launch lang="en-us">index.html</launch>
    </activity>
    <activity id="https://example.org/tc/golf/q1" type="http://adlnet.gov/expapi/activities/cmi.interaction">
      <name>Question 1</name>
    </activity>
  </activities>
</tincan>"""


def test_a_tincan_package_names_its_launched_activity() -> None:
    parsed = read_tincan(_zip({"tincan.xml": TINCAN, "index.html": b"<html></html>"}), "tincan.xml")
    assert parsed.kind is ContentKind.xapi and parsed.title == "Golf basics"
    assert parsed.spec["launch"] == {"activity_id": "https://example.org/tc/golf", "url": "index.html"}
    assert [a["id"] for a in parsed.spec["activities"]] == [
        "https://example.org/tc/golf",
        "https://example.org/tc/golf/q1",
    ]


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<tincan><activities>", "not well-formed"),
        (b"<tincan><activities/></tincan>", "no activity"),
        (TINCAN.replace(b'<launch lang="en-us">index.html</launch>', b""), "no activity has a launch"),
        (TINCAN.replace(b"index.html", b"../x.html"), "points outside the package"),
    ],
)
def test_a_bad_tincan_xml_is_refused(xml: bytes, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        parse_tincan(xml)


def test_a_tincan_launch_file_must_be_in_the_zip() -> None:
    with pytest.raises(Invalid, match="is not in the zip"):
        read_tincan(_zip({"tincan.xml": TINCAN}), "tincan.xml")
