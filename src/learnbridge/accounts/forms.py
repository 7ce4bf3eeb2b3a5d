"""The sign-in form."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, Field

from learnbridge.core.deps import form_of


class LoginForm(BaseModel):
    # 254: the longest address an account (and a recorded attempt) can hold. 1024: far beyond any
    # password a person types, short enough that a megabyte is refused before it is hashed.
    email: Annotated[str, Field(max_length=254)]
    password: Annotated[str, Field(max_length=1024)]
    next: Annotated[str, Field(max_length=2000)] = "/"


Login = Annotated[LoginForm, Depends(form_of(LoginForm))]
