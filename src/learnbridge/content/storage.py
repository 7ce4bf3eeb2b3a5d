"""The content store: each version's files in a folder of their own under `LEARNBRIDGE_CONTENT_DIR`
(default `var/content`), named by a random key, written once and never changed.

A package (zip) is checked before anything is written, and unpacked into a temporary folder that is
renamed into place only when every entry is out, so a refused or broken upload leaves nothing behind:
- entries whose names are absolute, hold `..`, a drive letter or a backslash, or are links, are refused
  (path traversal; "zip slip");
- the uncompressed total is bounded (`LEARNBRIDGE_MAX_CONTENT_UNPACKED`) by the sizes the zip declares,
  and again by the bytes actually written, so a zip that lies about its sizes is stopped at the limit;
  so are the number of entries and each entry's compression ratio (zip bombs);
- an encrypted entry, a corrupt zip or a bad CRC is refused.
Files are only ever served as bytes (`content.files_web`), never run on the server."""

from __future__ import annotations

import io
import os
import secrets
import shutil
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from learnbridge.core.errors import Invalid

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class UnpackLimits:
    total_bytes: int = 2 * 1024**3
    entries: int = 20_000
    # A real package's text compresses about 10:1; a bomb's zeros compress more than 1000:1.
    max_ratio: int = 200
    # Entries smaller than this are never refused for their ratio (a tiny file of spaces compresses well).
    ratio_floor: int = 1024 * 1024


class ContentStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        if not key or "/" in key or key.startswith("."):
            raise ValueError(f"bad storage key {key!r}")
        return self.root / key

    def file(self, key: str, name: str) -> Path | None:
        """The file `name` of the version stored under `key`, or None when there is no such regular file
        inside its folder (no way out of it: `..`, absolute names and links lead nowhere)."""
        folder = self.path(key).resolve()
        parts = PurePosixPath(name).parts
        if not parts or any(p in ("..", ".") or p.startswith("/") or "\\" in p for p in parts):
            return None
        candidate = folder.joinpath(*parts)
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not resolved.is_relative_to(folder) or not resolved.is_file():
            return None
        return resolved

    @contextmanager
    def writing(self) -> Iterator[tuple[str, Path]]:
        """A new version's folder: yields (key, a temporary folder to fill); the folder takes its place
        only if the block ends without an error, and is removed otherwise."""
        self.root.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(16)
        temporary = self.root / f".incoming-{key}"
        temporary.mkdir()
        try:
            yield key, temporary
            os.replace(temporary, self.path(key))
        finally:
            shutil.rmtree(temporary, ignore_errors=True)

    def remove(self, key: str) -> None:
        shutil.rmtree(self.path(key), ignore_errors=True)


def _safe_name(name: str) -> str | None:
    """The entry's path inside the package, or None if it may not be unpacked."""
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or (len(name) > 1 and name[1] == ":")
    ):
        return None
    parts = PurePosixPath(name).parts
    if any(part == ".." for part in parts):
        return None
    return "/".join(p for p in parts if p != ".")


def open_zip(data: bytes, *, field: str = "file") -> zipfile.ZipFile:
    if not data:
        raise Invalid(field=field, message="the file is empty")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Invalid(field=field, message="is not a zip file (a package is uploaded as a .zip)") from None


def check_zip(
    archive: zipfile.ZipFile, limits: UnpackLimits, *, field: str = "file"
) -> list[zipfile.ZipInfo]:
    """The entries to unpack, or Invalid naming the first reason the zip may not be unpacked."""
    entries = archive.infolist()
    if len(entries) > limits.entries:
        raise Invalid(
            field=field, message=f"holds {len(entries):,} files; at most {limits.entries:,} are allowed"
        )
    declared = 0
    for info in entries:
        if _safe_name(info.filename) is None:
            raise Invalid(field=field, message=f"entry {info.filename!r} points outside the package")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise Invalid(field=field, message=f"entry {info.filename!r} is a link; links are not allowed")
        if info.flag_bits & 0x1:
            raise Invalid(field=field, message=f"entry {info.filename!r} is encrypted")
        declared += info.file_size
        if declared > limits.total_bytes:
            raise Invalid(
                field=field,
                message=f"unpacks to more than {limits.total_bytes / 1024**2:,.0f} MB, the package limit",
            )
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise Invalid(
                field=field,
                message=f"entry {info.filename!r} expands {ratio:,} times: this looks like a zip bomb",
            )
    return entries


def unpack(
    archive: zipfile.ZipFile,
    entries: list[zipfile.ZipInfo],
    into: Path,
    limits: UnpackLimits,
    *,
    field: str = "file",
) -> int:
    """Write the checked entries under `into`; returns the bytes written. The bytes are counted as they
    are written, so a zip whose headers understate its sizes is still stopped at the limit."""
    written = 0
    for info in entries:
        name = _safe_name(info.filename)
        assert name is not None  # check_zip refused the rest
        target = into / name
        if info.is_dir() or not name:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(info) as source, target.open("wb") as sink:
                while chunk := source.read(CHUNK):
                    written += len(chunk)
                    if written > limits.total_bytes:
                        raise Invalid(field=field, message="unpacks to more than the limit for a package")
                    sink.write(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
            raise Invalid(field=field, message=f"entry {info.filename!r} cannot be read: {exc}") from None
    return written


def find_entry(archive: zipfile.ZipFile, name: str) -> str | None:
    """The entry named `name` at the package's root (or in its one top folder), matched without case."""
    wanted = name.lower()
    names = [i.filename for i in archive.infolist() if not i.is_dir()]
    for candidate in names:
        if candidate.lower() == wanted:
            return candidate
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    if len(tops) == 1 and not any("/" not in n for n in names):
        (top,) = tops
        for candidate in names:
            if candidate.lower() == f"{top}/{wanted}".lower():
                return candidate
    return None
