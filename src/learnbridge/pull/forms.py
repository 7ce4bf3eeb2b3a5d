"""Small page forms of development plans: a manager's comment, the catalogue's Enrol button."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, Field

from learnbridge.core.deps import form_of


class CommentForm(BaseModel):
    # Blank is allowed here: the service says "write a comment" beside the form.
    body: Annotated[str, Field(max_length=5000)] = ""


class EnrolForm(BaseModel):
    # Checked by plans.parse_origin, which names the field when it is not a chosen origin.
    origin: Annotated[str, Field(max_length=50)] = "self"


Comment = Annotated[CommentForm, Depends(form_of(CommentForm))]
Enrolment = Annotated[EnrolForm, Depends(form_of(EnrolForm))]
