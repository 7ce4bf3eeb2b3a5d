"""The demo catalogue's content, all written for this project and built in code at load time:
- Information Security Essentials: a SCORM 2004 package with a quiz inside;
- Fire Safety Awareness: a cmi5 course of two AUs using the @xapi/cmi5 library;
- Pre-Shift Forklift Inspection Checklist: a short generated video with WebVTT captions;
- Manual Handling: a generated warehouse-safety handbook (PDF) to read to its last page;
- Northwind Data Protection Policy: a policy to acknowledge;
- Forklift Refresher Assessment and Data Protection Basics (GDPR): quizzes.
Lee Carter (learner@example.com) can start and finish each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.catalog.models import LearningItem
from learnbridge.content import packages
from learnbridge.content.media import demo as media_demo
from learnbridge.content.storage import ContentStore, UnpackLimits
from learnbridge.core.progress import Progress, no_progress
from learnbridge.demo.packages import fire_safety_cmi5
from learnbridge.demo.packages.infosec_scorm import build_infosec_package

POLICY_TEXT = """\
Northwind Logistics keeps personal data about its customers, the people who receive their goods, and \
its own staff. This policy says how everyone at Northwind handles that data.

1. Purpose. Use personal data only for the purpose it was collected for: a delivery address is for \
delivering, not for marketing. If you need data for something new, ask the privacy team first.

2. Minimum. Collect, copy and keep only what the job needs. Do not export customer lists to your own \
spreadsheets; use the reports in the warehouse system, which remove what you do not need.

3. Access. Look up a person's data only when your work requires it. Every look-up in the HR and customer \
systems is logged and reviewed.

4. Sharing. Share personal data outside Northwind only through the channels the privacy team approved, \
never by personal e-mail or messaging apps.

5. Breaches. A lost scanner, a misdirected e-mail or a label printed for the wrong customer can be a \
breach. Report it to privacy@northwind.example within one hour, even if you are not sure. Reporting \
early is never held against you.

6. Questions. The privacy team answers questions about this policy on the intranet and at \
privacy@northwind.example."""


def _choice(text: str, correct: bool = False) -> dict[str, Any]:
    return {"text": text, "correct": correct}


FORKLIFT_QUIZ: dict[str, Any] = {
    "kind": "quiz",
    "title": "Forklift refresher assessment",
    "pass_mark": 80,
    "attempts_limit": 3,
    "shuffle": True,
    "questions": [
        {
            "kind": "single",
            "text": "You find a hydraulic leak during the pre-use check. What do you do?",
            "choices": [
                _choice("Tag the truck out of service and report the defect", True),
                _choice("Use the truck carefully until the end of the shift"),
                _choice("Wipe the leak and carry on"),
            ],
            "feedback": {
                "correct": "Right: a defective truck is taken out of service until it is repaired.",
                "incorrect": "A truck with a defect is never used: tag it out of service and report it.",
            },
        },
        {
            "kind": "true_false",
            "text": "Forks should be raised about 15 cm above the floor while travelling.",
            "choices": [_choice("True", True), _choice("False")],
            "feedback": {
                "correct": "Yes: low, but clear of the floor.",
                "incorrect": "About 15 cm is right.",
            },
        },
        {
            "kind": "multiple",
            "text": "Which of these are part of the daily pre-use check?",
            "choices": [
                _choice("Brakes and steering", True),
                _choice("Horn and lights", True),
                _choice("Chains and forks", True),
                _choice("The radio station"),
            ],
            "feedback": {
                "correct": "All the safety systems, checked before every shift.",
                "incorrect": "Brakes, steering, horn, lights, chains and forks are all checked.",
            },
        },
        {
            "kind": "short",
            "text": "What must a driver wear at all times on a truck that has one?",
            "accepted": ["seat belt", "seatbelt", "a seat belt", "the seat belt"],
            "feedback": {
                "correct": "Yes: the seat belt keeps you inside the cab if the truck tips.",
                "incorrect": "The seat belt: it keeps you inside the cab if the truck tips.",
            },
        },
        {
            "kind": "single",
            "text": "A load blocks your view forwards. How do you drive?",
            "choices": [
                _choice("In reverse, looking in the direction of travel", True),
                _choice("Forwards, slowly, sounding the horn"),
                _choice("Forwards, with a colleague walking in front"),
            ],
            "feedback": {
                "correct": "Right: travel in reverse so you can see where you are going.",
                "incorrect": "Drive in reverse, looking where you are going.",
            },
        },
    ],
}

GDPR_QUIZ: dict[str, Any] = {
    "kind": "quiz",
    "title": "Data protection basics: check your understanding",
    "pass_mark": 75,
    "attempts_limit": None,
    "shuffle": False,
    "questions": [
        {
            "kind": "true_false",
            "text": "A customer's delivery address is personal data.",
            "choices": [_choice("True", True), _choice("False")],
            "feedback": {
                "correct": "Yes: it identifies a person.",
                "incorrect": "It identifies a person, so it is.",
            },
        },
        {
            "kind": "single",
            "text": "You sent a delivery note to the wrong customer. When do you report it?",
            "choices": [
                _choice("Within the hour, to the privacy team", True),
                _choice("Only if the customer complains"),
                _choice("At the next team meeting"),
            ],
            "feedback": {
                "correct": "Right: report a possible breach within the hour.",
                "incorrect": "Report it within the hour: early reports limit the harm.",
            },
        },
        {
            "kind": "multiple",
            "text": "Which are lawful reasons to use a colleague's personal data?",
            "choices": [
                _choice("Paying their salary", True),
                _choice("Meeting a legal duty, such as reporting an accident", True),
                _choice("Curiosity about their address"),
            ],
            "feedback": {
                "correct": "Yes: a contract and a legal duty are lawful bases; curiosity is not.",
                "incorrect": "A contract and a legal duty are lawful bases; curiosity never is.",
            },
        },
        {
            "kind": "short",
            "text": "Whom do you ask before using personal data for a new purpose? (two words)",
            "accepted": ["privacy team", "the privacy team"],
            "feedback": {"correct": "Yes.", "incorrect": "The privacy team."},
        },
    ],
}


def _item_id(db: Session, title: str) -> int | None:
    return db.scalar(
        select(LearningItem.id).where(LearningItem.title == title).order_by(LearningItem.id).limit(1)
    )


def load_delivery(db: Session, store: ContentStore, *, progress: Progress = no_progress) -> int:
    """Give the demo catalogue its content; returns how many versions were added."""
    limits = UnpackLimits()
    added = 0
    described = [
        (
            "Northwind Data Protection Policy",
            {"kind": "policy", "title": "", "text": POLICY_TEXT, "label": "2026"},
        ),
        ("Forklift Refresher Assessment", FORKLIFT_QUIZ),
        ("Data Protection Basics (GDPR)", GDPR_QUIZ),
    ]
    # (item, file name, bytes, form fields): made by content.media.demo at load time.
    files: list[tuple[str, str, bytes, dict[str, Any]]] = [
        ("Information Security Essentials", "infosec-essentials.zip", build_infosec_package(), {}),
        (
            "Pre-Shift Forklift Inspection Checklist",
            "forklift-pre-use-check.webm",
            media_demo.forklift_video(),
            {"captions": media_demo.forklift_captions(), "title": "Forklift pre-use check"},
        ),
        (
            "Manual Handling",
            "warehouse-safety-handbook.pdf",
            media_demo.handbook_pdf(),
            {"title": "Warehouse safety handbook"},
        ),
        ("Fire Safety Awareness", "fire-safety-cmi5.zip", fire_safety_cmi5.course_zip(), {}),
    ]
    total = len(described) + len(files)
    for title, body in described:
        if (item_id := _item_id(db, title)) is not None:
            packages.add_description(db, item_id=item_id, body=body)
            added += 1
        progress("content", added, total)
    for title, name, data, fields in files:
        if (item_id := _item_id(db, title)) is not None:
            packages.add_file(db, store, limits, item_id=item_id, filename=name, data=data, fields=fields)
            added += 1
        progress("content", added, total)
    return added
