"""The demo's own media, made here rather than downloaded: a short captioned video of a forklift
pre-use check (drawn frame by frame with Pillow and encoded as WebM/VP9 with PyAV, whose wheels carry
FFmpeg's libraries, so `pip install` is all it needs: no system ffmpeg), its WebVTT captions (written
by hand, committed beside this module) and a few pages of a warehouse-safety handbook as a PDF (fpdf2).

The video's scenes follow the captions' cues one for one."""

from __future__ import annotations

import io
from pathlib import Path

import av
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

DATA = Path(__file__).resolve().parent / "demo_data"
CAPTIONS = DATA / "forklift-pre-use-check.vtt"
WIDTH, HEIGHT, FPS = 480, 270, 10
# (first second, last second, heading, line): the scenes, as the captions' cues time them.
SCENES = [
    (0, 3, "Forklift pre-use check", "Before every shift"),
    (3, 5, "1. Tyres and forks", "No cuts, cracks or bent tines"),
    (5, 7, "2. Hydraulics and chains", "No leaks, no loose links"),
    (7, 9, "3. Brakes, horn, lights", "Test each before moving"),
    (9, 11, "4. Seat belt and controls", "Lift, lower, tilt: empty"),
    (11, 13, "5. Found a fault?", "Tag it out, tell your lead"),
]
SECONDS = SCENES[-1][1]


def forklift_captions() -> str:
    return CAPTIONS.read_text(encoding="utf-8")


def _forklift(draw: ImageDraw.ImageDraw, x: int, lift: int) -> None:
    """A forklift truck in side view at `x`, forks raised by `lift` pixels."""
    ground = 230
    draw.rectangle((x, ground - 60, x + 90, ground - 20), fill=(242, 169, 0))  # body
    draw.rectangle((x + 20, ground - 100, x + 70, ground - 60), outline=(40, 40, 40), width=4)  # cab
    draw.rectangle((x + 95, ground - 130, x + 101, ground - 15), fill=(70, 70, 70))  # mast
    draw.rectangle((x + 101, ground - 22 - lift, x + 150, ground - 16 - lift), fill=(90, 90, 90))  # forks
    for wheel in (x + 15, x + 70):
        draw.ellipse((wheel - 3, ground - 28, wheel + 25, ground), fill=(30, 30, 30))


Fonts = tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, ImageFont.FreeTypeFont | ImageFont.ImageFont]


def _frame(second: float, fonts: Fonts) -> Image.Image:
    scene = next(s for s in SCENES if s[0] <= second < s[1]) if second < SECONDS else SCENES[-1]
    image = Image.new("RGB", (WIDTH, HEIGHT), (18, 52, 86))
    draw = ImageDraw.Draw(image)
    draw.text((16, 14), scene[2], fill=(255, 255, 255), font=fonts[0])
    draw.text((16, 46), scene[3], fill=(214, 230, 245), font=fonts[1])
    draw.rectangle((0, 230, WIDTH, HEIGHT), fill=(60, 60, 60))  # the floor
    _forklift(draw, 40 + int(second * 12), lift=int(30 * abs(((second * 2) % 4) - 2)))
    draw.rectangle((0, HEIGHT - 6, int(WIDTH * second / SECONDS), HEIGHT), fill=(242, 169, 0))  # progress
    return image


def forklift_video() -> bytes:
    """The clip as WebM (VP9), about 13 s at 10 frames a second: tens of kilobytes."""
    fonts = (ImageFont.load_default(size=26), ImageFont.load_default(size=18))
    out = io.BytesIO()
    with av.open(out, mode="w", format="webm") as container:
        stream = container.add_stream("libvpx-vp9", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.options = {"deadline": "realtime", "cpu-used": "8", "b": "60k"}
        for number in range(SECONDS * FPS):
            frame = av.VideoFrame.from_image(_frame(number / FPS, fonts))  # type: ignore[no-untyped-call]
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return out.getvalue()


HANDBOOK = [
    (
        "Warehouse safety handbook",
        "This short handbook sets out the rules everyone in our warehouses follows, every shift. "
        "Read it to the last page: that is what marks it as read.",
    ),
    (
        "1. Walkways and traffic",
        "Walk only in the marked green walkways. Forklifts have right of way in the aisles: make eye "
        "contact with the driver before you cross, and never walk under a raised load.",
    ),
    (
        "2. Lifting by hand",
        "Test the weight first. Bend your knees, keep the load close and your back straight. Anything "
        "over 25 kg is a two-person lift or a job for the pallet truck.",
    ),
    (
        "3. Spills and obstructions",
        "Stop, block off and report a spill at once, then clean it with the spill kit at the end of each "
        "aisle. Keep fire exits, extinguishers and first-aid points clear at all times.",
    ),
    (
        "4. Reporting",
        "Report every accident, near miss and hazard to your team leader before the end of your shift. "
        "Reports are how we fix what is unsafe: nobody is blamed for raising one.",
    ),
]


def handbook_pdf() -> bytes:
    """A five-page PDF, one topic to a page (fpdf2, its core Helvetica font)."""
    pdf = FPDF(format=(148, 210))  # A5, in millimetres
    pdf.set_title(HANDBOOK[0][0])
    pdf.set_author("Northwind Logistics, Learning & Development")
    pdf.set_auto_page_break(auto=False)  # one short topic to a page, the footer near its foot
    for number, (heading, text) in enumerate(HANDBOOK, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 18)
        pdf.multi_cell(0, 10, heading)
        pdf.ln(4)
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 7, text)
        pdf.set_y(-20)
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 8, f"Page {number} of {len(HANDBOOK)}", align="C")
    return bytes(pdf.output())
