"""Certificates of completion: a PDF per completion, made on request, with a verification address
printed on it that anyone may open without signing in.

No table: the verification code is the completion's id and the first 16 hex digits of an HMAC of it
under the app's secret key, so only this app can make one, and verifying it is a lookup of the
completion. The verify page answers only whether the certificate stands (and whose, for what, when):
revoked or unknown says nothing more."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.errors import NotFound
from learnbridge.core.ids import MAX_ID
from learnbridge.home.transcript_views import TranscriptLine, transcript_line
from learnbridge.people.models import OrgUnit, Person
from learnbridge.records.models import Completion

# Enough of the MAC that guessing one is hopeless (64 bits), short enough to type from paper.
MAC_HEX = 16
CODE = re.compile(rf"^([1-9][0-9]{{0,9}})-([0-9a-f]{{{MAC_HEX}}})$")
MAX_CODE = 11 + 1 + MAC_HEX
# A Unicode font when the system has one (Debian's fonts-dejavu-core), so every name prints as typed;
# otherwise the PDF core font, which only knows Latin-1.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def certificate_code(secret_key: str, completion_id: int) -> str:
    """The code printed on a completion's certificate."""
    return f"{completion_id}-{_mac(secret_key, completion_id)}"


def _mac(secret_key: str, completion_id: int) -> str:
    message = f"learnbridge certificate {completion_id}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:MAC_HEX]


def completion_of_code(secret_key: str, code: str) -> int | None:
    """The completion id a code was made for, or None for anything this app did not make."""
    match = CODE.match(code) if len(code) <= MAX_CODE else None
    if match is None or int(match.group(1)) > MAX_ID:
        return None
    completion_id = int(match.group(1))
    return completion_id if hmac.compare_digest(match.group(2), _mac(secret_key, completion_id)) else None


@dataclass(frozen=True)
class Certificate:
    """What a certificate states."""

    line: TranscriptLine
    person_name: str
    person_id: int
    revoked: bool
    organisation: str


def get_certificate(db: Session, *, completion_id: int, organisation: str = "") -> Certificate:
    """The certificate of a completion, revoked or not; NotFound when there is no such completion."""
    line = transcript_line(db, completion_id=completion_id)
    completion = db.get(Completion, completion_id)
    if line is None or completion is None:
        raise NotFound(f"No certificate {completion_id}.")
    person = db.get(Person, completion.person_id)
    assert person is not None
    return Certificate(
        line=line,
        person_name=person.name,
        person_id=person.id,
        revoked=completion.revoked_at is not None,
        organisation=organisation or organisation_name(db, person),
    )


def verify_certificate(db: Session, *, secret_key: str, code: str) -> Certificate:
    """The certificate a code names; NotFound for a code this app did not make (or a lost completion)."""
    completion_id = completion_of_code(secret_key, code)
    if completion_id is None:
        raise NotFound("No such certificate.")
    return get_certificate(db, completion_id=completion_id)


def organisation_name(db: Session, person: Person) -> str:
    """The organisation is the root of the unit tree, when there is exactly one root."""
    roots = list(db.scalars(select(OrgUnit.name).where(OrgUnit.parent_id.is_(None)).limit(2)))
    if len(roots) == 1:
        return roots[0]
    if person.org_unit_id is None:
        return ""
    unit = db.get(OrgUnit, person.org_unit_id)
    return unit.full_name.split(" / ")[0] if unit is not None else ""


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        # One page, inside the frame: a long title wraps, and never spills onto a second page.
        self.set_margins(22, 20, 22)
        self.set_auto_page_break(False)
        self.face = "Helvetica"
        plain, strong = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if plain.exists() and strong.exists():
            self.add_font("DejaVu", "", str(plain))
            self.add_font("DejaVu", "B", str(strong))
            self.face = "DejaVu"

    def line_of(
        self, text: str, *, size: float, bold: bool = False, height: float = 10, link: str = ""
    ) -> None:
        self.set_font(self.face, "B" if bold else "", size)
        if self.face == "Helvetica":
            text = text.encode("latin-1", "replace").decode("latin-1")
        if link:
            self.cell(0, height, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT, link=link)
        else:
            self.multi_cell(0, height, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def certificate_pdf(certificate: Certificate, *, verify_url: str, compress: bool = True) -> bytes:
    """The certificate as an A4 landscape PDF, the verification address printed and linked on it."""
    line = certificate.line
    pdf = _Pdf()
    pdf.set_compression(compress)
    pdf.set_title(f"Certificate: {line.item_title}")
    pdf.set_creator("Learnbridge")
    pdf.add_page()
    pdf.set_draw_color(40, 70, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(32)
    if certificate.organisation:
        pdf.line_of(certificate.organisation, size=14, height=8)
    pdf.line_of("Certificate of completion", size=30, bold=True, height=18)
    pdf.line_of("This certifies that", size=14)
    pdf.line_of(certificate.person_name, size=26, bold=True, height=16)
    pdf.line_of("completed", size=14)
    pdf.line_of(line.item_title, size=20, bold=True, height=14)
    pdf.line_of(f"on {_day(line.completed_at)}", size=14)
    pdf.line_of(_how(line), size=12, height=8)
    if line.expires_on is not None:
        pdf.line_of(f"Valid until {line.expires_on:%d %B %Y}", size=12, height=8)
    pdf.set_y(170)
    pdf.line_of("Check this certificate at", size=10, height=6)
    pdf.line_of(verify_url, size=10, height=6, link=verify_url)
    return bytes(pdf.output())


def _day(when: dt.datetime) -> str:
    return f"{when.astimezone(dt.UTC):%d %B %Y}"


def _how(line: TranscriptLine) -> str:
    score = f", score {line.score_percent}%" if line.score_percent is not None else ""
    return f"{line.source_label}{score}"
