"""The For you and skill-rating forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel

from learnbridge.core.deps import form_of
from learnbridge.core.ids import Id
from learnbridge.pull.models import FeedbackAction


class FeedbackForm(BaseModel):
    item_id: Id
    action: FeedbackAction


class RatingForm(BaseModel):
    skill_id: Id
    # The scale is the service's rule (skills.rate_skill), shown beside the form when broken.
    level: int


Feedback = Annotated[FeedbackForm, Depends(form_of(FeedbackForm))]
Rating = Annotated[RatingForm, Depends(form_of(RatingForm))]
