"""The For you and skill-rating forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, Field

from learnbridge.core.deps import form_of
from learnbridge.core.ids import Id
from learnbridge.pull.models import FeedbackAction


class FeedbackForm(BaseModel):
    item_id: Id
    action: FeedbackAction


class RatingForm(BaseModel):
    # A skill picker's choice (skills.browse.picked_skill): its id, and the text of its search field
    # (absent from a form that names the skill itself).
    skill_id: Id | None = None
    skill_text: str | None = Field(default=None, max_length=200)
    # The scale is the service's rule (skills.rate_skill), shown beside the form when broken.
    level: int


Feedback = Annotated[FeedbackForm, Depends(form_of(FeedbackForm))]
Rating = Annotated[RatingForm, Depends(form_of(RatingForm))]
