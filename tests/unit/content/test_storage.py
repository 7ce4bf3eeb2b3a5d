"""The content store's checks: a package is refused, with the reason named, before anything is written,
for names that lead out of it, links, encryption, too many entries, a bomb's ratio or total, and a zip that
understates its sizes is stopped while it is written. Files are only found inside a version's folder."""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from learnbridge.content.storage import (
    ContentStore,
    UnpackLimits,
    check_zip,
    find_entry,
    open_zip,
    unpack,
)
from learnbridge.core.errors import Invalid


def _zip(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def _refused(archive: zipfile.ZipFile, limits: UnpackLimits = UnpackLimits()) -> str:
    with pytest.raises(Invalid) as refused:
        check_zip(archive, limits)
    return str(refused.value)


@pytest.mark.parametrize(
    "name", ["../evil.html", "a/../../evil.html", "/etc/passwd", "C:/windows/x", "a\\b.html"]
)
def test_a_name_leading_out_of_the_package_is_refused(name: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("ok.html"), b"x")
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # zipfile would clean some of these up on the way in
        z.writestr(info, b"x")
    assert "points outside the package" in _refused(zipfile.ZipFile(io.BytesIO(buffer.getvalue())))


def test_links_and_encrypted_entries_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        link = zipfile.ZipInfo("link")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "/etc/passwd")
    assert "is a link" in _refused(zipfile.ZipFile(io.BytesIO(buffer.getvalue())))
    archive = _zip({"secret.txt": b"x"})
    archive.infolist()[0].flag_bits |= 0x1
    assert "is encrypted" in _refused(archive)


def test_too_many_entries_too_much_in_all_or_a_bomb_s_ratio_is_refused() -> None:
    many = _zip({f"f{n}.txt": b"x" for n in range(11)})
    assert "holds 11 files; at most 10" in _refused(many, UnpackLimits(entries=10))
    big = _zip({"a.txt": b"a" * 600, "b.txt": b"b" * 600})
    assert "unpacks to more than" in _refused(big, UnpackLimits(total_bytes=1000))
    bomb = _zip({"zeros.bin": bytes(3 * 1024 * 1024)})
    assert "looks like a zip bomb" in _refused(bomb)
    stored = _zip({"zeros.bin": bytes(3 * 1024 * 1024)}, compression=zipfile.ZIP_STORED)
    assert check_zip(stored, UnpackLimits())  # plain, uncompressed: nothing to suspect


def test_a_zip_that_understates_its_sizes_is_stopped_while_it_is_written(tmp_path: Path) -> None:
    data = _zip({"big.txt": b"y" * 5000}).fp.getvalue()  # type: ignore[union-attr]
    # Rewrite both headers' uncompressed size to 10 bytes: the check believes it, the writing does not.
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    lied = bytearray(data)
    lied[local + 22 : local + 26] = struct.pack("<I", 10)
    lied[central + 24 : central + 28] = struct.pack("<I", 10)
    archive = zipfile.ZipFile(io.BytesIO(bytes(lied)))
    limits = UnpackLimits(total_bytes=1000)
    entries = check_zip(archive, limits)
    with pytest.raises(Invalid):
        unpack(archive, entries, tmp_path, limits)


def test_unpacking_writes_folders_and_files_and_counts_the_bytes(tmp_path: Path) -> None:
    archive = _zip({"course/": b"", "course/index.html": b"<p>hi</p>", "./course/a.js": b"1"})
    written = unpack(archive, check_zip(archive, UnpackLimits()), tmp_path, UnpackLimits())
    assert written == 10 and (tmp_path / "course" / "index.html").read_bytes() == b"<p>hi</p>"
    assert (tmp_path / "course" / "a.js").exists()


def test_a_manifest_is_found_at_the_root_or_in_the_one_top_folder_without_case() -> None:
    assert find_entry(_zip({"IMSmanifest.XML": b"x"}), "imsmanifest.xml") == "IMSmanifest.XML"
    assert find_entry(_zip({"pkg/imsmanifest.xml": b"x", "pkg/a.html": b"x"}), "imsmanifest.xml") == (
        "pkg/imsmanifest.xml"
    )
    assert find_entry(_zip({"a/imsmanifest.xml": b"x", "b/c.html": b"x"}), "imsmanifest.xml") is None
    assert find_entry(_zip({"index.html": b"x"}), "imsmanifest.xml") is None


def test_an_empty_or_broken_upload_is_named(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="empty"):
        open_zip(b"")
    with pytest.raises(Invalid, match="not a zip"):
        open_zip(b"PK\x03\x04 and then nothing")


def test_the_store_finds_only_regular_files_inside_a_version_s_folder(tmp_path: Path) -> None:
    store = ContentStore(tmp_path / "content")
    with store.writing() as (key, folder):
        (folder / "index.html").write_text("hi")
        (folder / "sub").mkdir()
        (folder / "sub" / "a.js").write_text("1")
        os.symlink("/etc/hostname", folder / "escape")
    assert store.file(key, "index.html") == (store.path(key) / "index.html").resolve()
    assert store.file(key, "sub/a.js") is not None
    for bad in ("../x", "sub/../../x", "/etc/hostname", "escape", "sub", "missing.html", "", "a\\b"):
        assert store.file(key, bad) is None, bad
    for bad_key in ("", "../x", ".incoming-x"):
        with pytest.raises(ValueError, match="bad storage key"):
            store.path(bad_key)


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    store = ContentStore(tmp_path / "content")

    def failing() -> None:
        with store.writing() as (_, folder):
            (folder / "half.html").write_text("x")
            raise RuntimeError("the check failed")

    with pytest.raises(RuntimeError, match="the check failed"):
        failing()
    assert list((tmp_path / "content").iterdir()) == []
    with store.writing() as (key, folder):
        (folder / "a.html").write_text("x")
    store.remove(key)
    assert list((tmp_path / "content").iterdir()) == []
