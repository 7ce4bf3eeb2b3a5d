"""Reading an uploaded CSV (a form's file field, or an API request body) as text.

Both are plain functions over what a dependency has already received (`core.deps.FormFields`, `RawBody`),
so the routes that import stay plain `def`s: their database work runs in the threadpool, never in the event
loop, where one long import would hold up every other request. The body's size is bounded before it is
read (`core.limits`)."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile

from learnbridge.core.errors import Invalid


def _decode(data: bytes, field: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(field=field, message="the file is not UTF-8 text") from None


def csv_from_form(form: FormData, field: str = "file") -> str:
    """The uploaded file's text (the form parser has already spooled it to a temporary file)."""
    upload = form.get(field)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid(field=field, message="choose a CSV file to upload")
    upload.file.seek(0)
    return _decode(upload.file.read(), field)


def csv_from_body(body: bytes) -> str:
    return _decode(body, "body")
