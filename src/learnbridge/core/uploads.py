"""The CSV an import route receives: the request body under /api, the form's file field on a page.

`read_csv_upload` (`core.deps.CsvFile`) is the one dependency the import routes take. It reads the bytes
in the event loop (the body's size is bounded before it is read, `core.limits`), so the routes stay plain
`def`s: their database work runs in the threadpool, never in the event loop, where one long import would
hold up every other request. The bytes are decoded only when the route asks for the text, inside the
route, so a page shows a file it cannot read on its import form like any other problem with the file."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import UploadFile

from learnbridge.core.csv_text import decode_csv
from learnbridge.core.errors import Invalid

FILE_FIELD = "file"


@dataclass(frozen=True)
class CsvUpload:
    data: bytes | None  # None: the form came without a file
    field: str

    def text(self) -> str:
        """The file's text (core.csv_rows.decode_csv), or Invalid naming the field."""
        if self.data is None:
            raise Invalid(field=self.field, message="choose a CSV file to upload")
        return decode_csv(self.data, field=self.field)


async def read_csv_upload(request: Request) -> CsvUpload:
    """An API request's body, whatever its content type (curl's --data-binary says form-urlencoded), or
    a page's uploaded file (Starlette keeps the form once read, so the CSRF check's read is reused)."""
    if request.url.path.startswith("/api/"):
        return CsvUpload(await request.body(), "body")
    upload = (await request.form()).get(FILE_FIELD)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return CsvUpload(None, FILE_FIELD)
    await upload.seek(0)
    return CsvUpload(await upload.read(), FILE_FIELD)
