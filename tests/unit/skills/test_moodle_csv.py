"""Moodle's competency framework export, and the simple skills CSV, parsed without a database."""

from __future__ import annotations

import pytest

from learnbridge.core.errors import Invalid
from learnbridge.skills.importer import parse_moodle, parse_simple

MOODLE_HEADER = (
    '"Parent ID number","ID number","Short name",Description,"Description format","Scale values",'
    '"Scale configuration","Rule type (optional)","Rule outcome (optional)","Rule config (optional)",'
    '"Cross-referenced competency ID numbers","Exported ID (optional)","Is framework",Taxonomy\n'
)
MOODLE = MOODLE_HEADER + (
    ',DS-2024,"Digital skills","<p>Core digital skills for staff.</p>",1,"Not yet competent,Competent",'
    '"[{""scaleid"":""2""},{""id"":2,""scaledefault"":1,""proficient"":1}]",,,,,,1,"domain,competency"\n'
    ',DS-COMM,Communication,"<p>Communicating online.</p>",1,,,,0,null,,11,,\n'
    ',DS-SAFE,"Online safety","<p>Staying safe &amp; well online.</p>",1,,,,0,null,,12,,\n'
    'DS-COMM,DS-COMM-EMAIL,"Email etiquette","<p>Writes clear, polite emails.</p>",1,,,,0,null,,13,,\n'
)


def test_moodle_export_gives_framework_scale_and_tree() -> None:
    (spec,) = parse_moodle(MOODLE)
    assert (spec.idnumber, spec.name, spec.levels) == (
        "DS-2024",
        "Digital skills",
        ["Not yet competent", "Competent"],
    )
    assert spec.description == "Core digital skills for staff."
    assert [(r.row, r.idnumber, r.parent_idnumber) for r in spec.rows] == [
        (3, "DS-COMM", ""),
        (4, "DS-SAFE", ""),
        (5, "DS-COMM-EMAIL", "DS-COMM"),
    ]
    assert spec.rows[1].description == "Staying safe & well online."


def test_moodle_file_without_a_framework_row_is_refused() -> None:
    with pytest.raises(Invalid, match="no row marks the framework"):
        parse_moodle(MOODLE_HEADER + ",DS-COMM,Communication,,1,,,,0,null,,11,,\n")


def test_moodle_rows_with_unknown_parent_or_no_short_name_are_reported() -> None:
    bad = MOODLE + "NOPE,DS-X,Orphan,,1,,,,0,null,,14,,\n,DS-Y,,,1,,,,0,null,,15,,\n"
    with pytest.raises(Invalid) as caught:
        parse_moodle(bad)
    assert sorted((e.row, e.field) for e in caught.value.errors) == [
        (6, "parent_idnumber"),
        (7, "Short name"),
    ]


def test_simple_csv_groups_skills_by_framework_with_levels() -> None:
    specs = parse_simple(
        "framework,idnumber,name,description,parent_idnumber,levels\n"
        "Safety,SAF-1,Fire safety,,,Aware|Competent|Expert\n"
        "Safety,SAF-2,Evacuation,,SAF-1,\n"
        "Data,DAT-1,SQL,Query data,,\n"
    )
    assert [(s.name, s.levels, len(s.rows)) for s in specs] == [
        ("Safety", ["Aware", "Competent", "Expert"], 2),
        ("Data", [], 1),
    ]


def test_simple_csv_reports_missing_columns_and_values() -> None:
    with pytest.raises(Invalid) as caught:
        parse_simple("framework,name\nSafety,Fire\n")
    assert [(e.row, e.field) for e in caught.value.errors] == [(1, "idnumber")]
    with pytest.raises(Invalid) as caught:
        parse_simple("framework,idnumber,name\nSafety,,Fire\nSafety,S1,Ok\nSafety,S1,Dup\n")
    assert [(e.row, e.field) for e in caught.value.errors] == [(2, "idnumber"), (4, "idnumber")]


def test_a_moodle_description_may_span_lines_but_no_other_cell_may() -> None:
    multi_line = MOODLE_HEADER + MOODLE.removeprefix(MOODLE_HEADER).replace(
        '"<p>Communicating online.</p>"', '"<p>Communicating</p>\n<p>online.</p>"'
    )
    (spec,) = parse_moodle(multi_line)
    assert [(r.row, r.idnumber) for r in spec.rows] == [(3, "DS-COMM"), (4, "DS-SAFE"), (5, "DS-COMM-EMAIL")]
    assert spec.rows[0].description == "Communicating \n online."
    stray = MOODLE.replace(",Communication,", ',"Communication,')
    with pytest.raises(Invalid, match='check for a stray " character') as caught:
        parse_moodle(stray)
    assert [(e.row, e.field) for e in caught.value.errors] == [(3, "row")]


def test_a_stray_quote_in_the_simple_format_names_its_row() -> None:
    text = 'framework,idnumber,name\nSafety,S1,Fire\nSafety,S2,"Evacuation\nSafety,S3,First aid\n'
    with pytest.raises(Invalid, match="a quote opened on row 3 is never closed"):
        parse_simple(text)


def _framework_row(values: str, configuration: str) -> str:
    cell = '"' + configuration.replace('"', '""') + '"'
    return MOODLE_HEADER + f',FW,Framework,,1,"{values}",{cell},,,,,,1,\n,C1,One,,1,,,,0,null,,11,,\n'


def test_moodle_scale_configuration_gives_the_lowest_proficient_value() -> None:
    (spec,) = parse_moodle(MOODLE)
    assert spec.proficient_level == 2
    configuration = (
        '[{"scaleid":"7"},{"id":1,"scaledefault":1,"proficient":0},{"id":2,"scaledefault":0,"proficient":0},'
        '{"id":3,"scaledefault":0,"proficient":1},{"id":4,"scaledefault":0,"proficient":1}]'
    )
    (spec,) = parse_moodle(_framework_row("Novice,Developing,Competent,Expert", configuration))
    assert (spec.levels, spec.proficient_level) == (["Novice", "Developing", "Competent", "Expert"], 3)


@pytest.mark.parametrize(
    ("configuration", "message"),
    [
        ("", "is not Moodle's scale configuration"),
        ("not json", "is not Moodle's scale configuration"),
        ('{"id": 2}', "is not Moodle's scale configuration"),
        ('[{"scaleid":"7"},{"id":"x","proficient":1}]', "is not Moodle's scale configuration"),
        ('[{"scaleid":"7"},{"id":1,"scaledefault":1,"proficient":0}]', "marks no scale value as proficient"),
        ('[{"scaleid":"7"},{"id":9,"proficient":1}]', "outside the 3 scale values"),
        ('[{"scaleid":"7"},{"id":2,"proficient":1}]', "run from one value to the top"),
    ],
)
def test_a_moodle_scale_configuration_that_cannot_say_what_is_proficient_is_refused(
    configuration: str, message: str
) -> None:
    with pytest.raises(Invalid) as caught:
        parse_moodle(_framework_row("Low,Middle,High", configuration))
    [error] = caught.value.errors
    assert (error.row, error.field) == (2, "Scale configuration") and message in error.message
