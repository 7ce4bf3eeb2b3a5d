"""The CMI rules the LMS applies: times, status and score by SCORM version, and what a session starts from."""

from __future__ import annotations

import pytest

from learnbridge.content.scorm.cmi import (
    Learner,
    for_launch,
    seconds_of,
    status_12,
    status_2004,
    timespan,
)

LEE = Learner(id="7", name="Lee Carter")


@pytest.mark.parametrize(
    ("value", "scorm12", "seconds"),
    [
        ("00:05:30", True, 330),
        ("0001:00:00.50", True, 3600.5),
        ("nonsense", True, 0),
        ("PT5M30S", False, 330),
        ("P1DT1H", False, 90000),
        ("PT0.25S", False, 0.25),
        ("P", False, 0),
        ("PT", False, 0),
        ("5 minutes", False, 0),
    ],
)
def test_time_spans_of_each_version(value: str, scorm12: bool, seconds: float) -> None:
    assert seconds_of(value, scorm12=scorm12) == seconds


def test_time_spans_are_written_as_each_version_wants() -> None:
    assert timespan(3723.5, scorm12=True) == "0001:02:03.50"
    assert timespan(3723.5, scorm12=False) == "PT1H2M3.5S"
    assert seconds_of(timespan(98765.43, scorm12=False), scorm12=False) == pytest.approx(98765.43)


def _core(status: str, raw: str = "", **score: str) -> dict[str, object]:
    return {"core": {"lesson_status": status, "score": {"raw": raw, **score}}}


def test_scorm_12_status_and_the_mastery_score() -> None:
    assert status_12(_core("incomplete"), mastery_score=None).done is False
    done = status_12(_core("completed", "85"), mastery_score=80)
    assert (done.completion, done.success, done.score) == ("completed", "passed", 0.85)
    failed = status_12(_core("passed", "60"), mastery_score=80)
    assert (failed.success, failed.outcome) == ("failed", "failed")
    # Still working: the mastery score waits until the SCO says it is done.
    assert status_12(_core("incomplete", "60"), mastery_score=80).success == "unknown"
    assert status_12(_core("completed", "30", min="20", max="40"), mastery_score=None).score == 0.5
    assert status_12({"core": "nonsense"}, mastery_score=80).completion == "not attempted"


def test_scorm_2004_status_with_thresholds() -> None:
    plain = status_2004(
        {"completion_status": "completed", "success_status": "passed", "score": {"scaled": "0.9"}},
        scaled_passing_score=None,
        completion_threshold=None,
    )
    assert (plain.completion, plain.success, plain.score, plain.progress) == ("completed", "passed", 0.9, 1.0)
    judged = status_2004(
        {
            "completion_status": "incomplete",
            "success_status": "passed",
            "progress_measure": "0.8",
            "score": {"scaled": "0.5"},
        },
        scaled_passing_score=0.7,
        completion_threshold=0.75,
    )
    assert (judged.completion, judged.success, judged.outcome) == ("completed", "failed", "failed")
    raw = status_2004(
        {"score": {"raw": "45", "max": "50"}}, scaled_passing_score=None, completion_threshold=None
    )
    assert raw.score == 0.9
    assert not raw.done


def test_a_first_launch_starts_ab_initio_with_the_lms_data() -> None:
    sco = {"id": "s", "launch_data": "mode=exam", "mastery_score": 80.0}
    cmi = for_launch(None, sco, scorm12=True, learner=LEE, total_seconds=0, review=False)
    assert cmi["core"]["entry"] == "ab-initio"
    assert cmi["core"]["student_name"] == "Carter, Lee"
    assert cmi["core"]["credit"] == "credit"
    assert cmi["launch_data"] == "mode=exam"
    assert cmi["student_data"] == {"mastery_score": "80"}


def test_a_suspended_session_resumes_and_write_only_data_is_not_sent_back() -> None:
    stored = {"location": "p3", "suspend_data": "abc", "exit": "suspend", "session_time": "PT1M"}
    sco = {"id": "s", "scaled_passing_score": 0.8}
    cmi = for_launch(stored, sco, scorm12=False, learner=LEE, total_seconds=90, review=False)
    assert cmi["entry"] == "resume"
    assert (cmi["location"], cmi["suspend_data"], cmi["total_time"]) == ("p3", "abc", "PT0H1M30S")
    assert "exit" not in cmi and "session_time" not in cmi
    assert cmi["scaled_passing_score"] == "0.8"


def test_a_scorm_2004_sco_left_normally_starts_a_new_attempt_on_it() -> None:
    stored = {"location": "p3", "exit": "normal", "completion_status": "completed"}
    cmi = for_launch(stored, {"id": "s"}, scorm12=False, learner=LEE, total_seconds=90, review=True)
    assert cmi["entry"] == "ab-initio"
    assert "location" not in cmi
    assert (cmi["total_time"], cmi["mode"], cmi["credit"]) == ("PT0H0M0S", "review", "no-credit")
    kept = for_launch(
        {"core": {"lesson_location": "p3", "exit": ""}},
        {"id": "s"},
        scorm12=True,
        learner=LEE,
        total_seconds=5,
        review=False,
    )
    assert (kept["core"]["entry"], kept["core"]["lesson_location"]) == ("", "p3")
