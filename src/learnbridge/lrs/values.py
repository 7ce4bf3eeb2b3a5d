"""The xAPI value types (xAPI 1.0.3 Part 2, section 4): IRIs, UUIDs, timestamps, durations, language
maps, extensions, and the checks every statement property uses. A check returns the (normalised) value or
raises StatementInvalid naming the property path.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, NoReturn

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# 4.3: an IRI needs a scheme; best-effort beyond that (no whitespace, nothing RFC 3987 excludes).
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
# 4.6: ISO 8601:2004 4.4.3.2 durations; the alternative format (4.4.3.3) is refused.
_N = r"\d+(?:[.,]\d+)?"
# Weeks stand alone (PnW): "P4W1D" is not a duration.
_DURATION = re.compile(
    rf"^P(?:{_N}W|(?=[\dT])(?:{_N}Y)?(?:{_N}M)?(?:{_N}D)?(?:T(?=\d)(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?)$"
)
# RFC 5646 2.1 language tag syntax (the token-length sequence 4.2 requires the LRS to check).
_LANGTAG = re.compile(
    r"""^(?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})
      (?:-[a-z]{4})?
      (?:-(?:[a-z]{2}|\d{3}))?
      (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*
      (?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*
      (?:-x(?:-[a-z\d]{1,8})+)?
    | x(?:-[a-z\d]{1,8})+
    | i-[a-z]{2,8}
    | en-gb-oed | sgn-be-fr | sgn-be-nl | sgn-ch-de
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


class StatementInvalid(Exception):
    """A statement breaks an xAPI rule; `message` names the offending property path."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fail(message: str) -> NoReturn:
    """Refuses the statement with `message`."""
    raise StatementInvalid(message)


def at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def check_object(
    value: object, path: str, allowed: frozenset[str], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """An object with only `allowed` keys, all `required` ones, and no null values (2.2)."""
    if not isinstance(value, dict):
        fail(f"{path or 'statement'}: must be an object")
    for key, item in value.items():
        if key not in allowed:
            fail(f"unexpected property '{key}' in {path or 'statement'}")
        if item is None:
            fail(f"{at(path, key)}: must not be null")
    for key in required:
        if key not in value:
            fail(f"{at(path, key)}: required")
    return value


def string(value: object, path: str) -> str:
    if not isinstance(value, str):
        fail(f"{path}: must be a string")
    return value


def iri(value: object, path: str) -> str:
    if not isinstance(value, str) or not _IRI.match(value):
        fail(f"{path}: must be an absolute IRI")
    return value


def uuid(value: object, path: str) -> str:
    if not isinstance(value, str) or not _UUID.match(value):
        fail(f"{path}: must be a UUID")
    return value.lower()


def boolean(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        fail(f"{path}: must be a boolean")
    return value


def number(value: object, path: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        fail(f"{path}: must be a number")
    return value


def parse_timestamp(value: object, path: str = "timestamp", *, version: str = "1.0.3") -> dt.datetime:
    """An ISO 8601 timestamp (4.5) as an aware UTC datetime; 2.0 requires the offset, and "-00:00"
    (RFC 3339's "offset unknown") is refused since the point in time would be unknown."""
    if not isinstance(value, str) or not (match := _TIMESTAMP.match(value)):
        fail(f"{path}: must be an ISO 8601 timestamp")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if offset is None and version.startswith("2."):
        fail(f"{path}: must include a time zone offset")
    if offset in ("-00", "-00:00", "-0000"):
        fail(f"{path}: must not use the offset -00:00")
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro)
    except ValueError:
        fail(f"{path}: not a valid date and time")
    return moment.replace(tzinfo=_zone(offset)).astimezone(dt.UTC)


def _zone(offset: str | None) -> dt.tzinfo:
    if offset is None or offset in ("Z", "z"):
        return dt.UTC
    digits = offset[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:] or "0")
    return dt.timezone(dt.timedelta(minutes=-minutes if offset[0] == "-" else minutes))


def format_timestamp(moment: dt.datetime) -> str:
    """UTC with a "Z", milliseconds always, microseconds only when present (4.5: keep at least ms)."""
    moment = moment.astimezone(dt.UTC)
    # Not strftime: it leaves years before 1000 unpadded on glibc; isoformat pads them.
    base = moment.replace(tzinfo=None, microsecond=0).isoformat()
    if moment.microsecond % 1000:
        return f"{base}.{moment.microsecond:06d}Z"
    return f"{base}.{moment.microsecond // 1000:03d}Z"


def timestamp(value: object, path: str, version: str) -> str:
    return format_timestamp(parse_timestamp(value, path, version=version))


def duration(value: object, path: str) -> str:
    if not isinstance(value, str) or not _DURATION.match(value):
        fail(f"{path}: must be an ISO 8601 duration")
    return value


def is_language_tag(value: object) -> bool:
    """Whether `value` follows RFC 5646's language tag syntax."""
    return isinstance(value, str) and _LANGTAG.match(value) is not None


def language_map(value: object, path: str) -> dict[str, str]:
    """4.2: keys are RFC 5646 tags, values strings."""
    if not isinstance(value, dict):
        fail(f"{path}: must be a language map")
    for tag, text in value.items():
        if not _LANGTAG.match(tag):
            fail(f"{path}: '{tag}' is not an RFC 5646 language tag")
        if not isinstance(text, str):
            fail(f"{at(path, tag)}: must be a string")
    return dict(value)


def extensions(value: object, path: str) -> dict[str, Any]:
    """5.3: keys are IRIs, values free-form JSON (null allowed inside extensions, 2.2)."""
    if not isinstance(value, dict):
        fail(f"{path}: must be an object")
    for key in value:
        if not _IRI.match(key):
            fail(f"{path}: key '{key}' must be an IRI")
    return value


def array(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        fail(f"{path}: must be an array")
    return value


def language(value: object, path: str) -> str:
    if not is_language_tag(value):
        fail(f"{path}: must be an RFC 5646 language tag")
    return str(value)
