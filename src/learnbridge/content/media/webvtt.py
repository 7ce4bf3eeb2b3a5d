"""A strict reader of WebVTT caption files (W3C WebVTT, https://www.w3.org/TR/webvtt1/).

Why our own reader and not webvtt-py: an upload only needs to be *checked* (the browser's own parser shows
the captions), and the check must be strict, naming the line at fault, where webvtt-py is lenient in
places (it reads files with blank-line quirks and without the header's separator) and is untyped, which
strict mypy would need an exception for. The rules followed (section 4.1, file structure):
- an optional BOM, then `WEBVTT`, then nothing or a space/tab and free text on that line;
- blocks separated by blank lines; `NOTE`, `STYLE` and `REGION` blocks are skipped;
- a cue: an optional identifier line (without `-->`), the timing line `start --> end [settings]`, then
  its text; timestamps are `[hh:]mm:ss.ttt` (section 4.2: minutes and seconds 00-59, three digits of
  milliseconds), the end after the start (4.1), and cues in order of their start times (4.1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from learnbridge.core.errors import Invalid

MAX_BYTES = 1024 * 1024
MAX_CUES = 10_000
_TIMESTAMP = re.compile(r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    identifier: str = ""


def parse_timestamp(value: str) -> float | None:
    """Seconds, or None when `value` is not a WebVTT timestamp."""
    match = _TIMESTAMP.match(value)
    if match is None:
        return None
    hours, minutes, seconds, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def decode(data: bytes, *, field: str = "captions") -> str:
    """WebVTT is UTF-8 (section 4.1); anything else, or a file too large, is refused."""
    if len(data) > MAX_BYTES:
        raise Invalid(field=field, message=f"the captions file is larger than {MAX_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(field=field, message="the captions file is not UTF-8 text") from None


def read_webvtt(text: str, *, field: str = "captions") -> list[Cue]:
    """The cues of a WebVTT file, or Invalid naming the first line that breaks the format."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not _HEADER.match(lines[0]):
        raise Invalid(field=field, message="line 1: a WebVTT file starts with WEBVTT")
    cues: list[Cue] = []
    for number, block in _blocks(lines):
        if block[0].split(" ")[0].split("\t")[0] in _SKIPPED_BLOCKS:
            continue
        cue = _cue(number, block, field=field)
        if cues and cue.start < cues[-1].start:
            raise Invalid(field=field, message=f"line {number}: cues must be in order of their start time")
        cues.append(cue)
        if len(cues) > MAX_CUES:
            raise Invalid(field=field, message=f"more than {MAX_CUES} cues")
    return cues


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """The blocks after the header, each with the line number (1-based) it starts on. The header's own
    block (its first lines up to a blank one) is not a cue."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    in_header = True
    for index, line in enumerate(lines, start=1):
        if not line.strip():
            if current and not in_header:
                blocks.append((start, current))
            current, in_header = [], False
            continue
        if not current:
            start = index
        current.append(line)
    if current and not in_header:
        blocks.append((start, current))
    return blocks


def _cue(number: int, block: list[str], *, field: str) -> Cue:
    identifier = ""
    if "-->" not in block[0]:
        identifier, block, number = block[0], block[1:], number + 1
        if not block or "-->" not in block[0]:
            raise Invalid(field=field, message=f"line {number}: a cue needs a timing line (start --> end)")
    start_text, _, rest = block[0].partition("-->")
    end_text = rest.strip().split()[0] if rest.strip() else ""
    start, end = parse_timestamp(start_text.strip()), parse_timestamp(end_text)
    if start is None or end is None:
        raise Invalid(field=field, message=f"line {number}: bad cue timing {block[0].strip()!r}")
    if end <= start:
        raise Invalid(field=field, message=f"line {number}: a cue must end after it starts")
    return Cue(start=start, end=end, text="\n".join(block[1:]), identifier=identifier)
