"""Reading an uploaded CSV (a form's file field, or an API request body) as text."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData, UploadFile

from learnbridge.core.errors import Invalid

MAX_UPLOAD = 50 * 1024 * 1024


def _decode(data: bytes, field: str) -> str:
    if len(data) > MAX_UPLOAD:
        raise Invalid(field=field, message="the file is larger than 50 MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(field=field, message="the file is not UTF-8 text") from None


async def csv_from_form(form: FormData, field: str = "file") -> str:
    upload = form.get(field)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid(field=field, message="choose a CSV file to upload")
    return _decode(await upload.read(), field)


async def csv_from_body(request: Request) -> str:
    return _decode(await request.body(), "body")
