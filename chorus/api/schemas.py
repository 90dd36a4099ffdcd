"""Input types and error answers shared by every endpoint.

Every number and string the API reads is bounded here, so that any input a client can send is
answered with a 422 and field errors before it reaches the database (an id beyond 64 bits, a NUL
character PostgreSQL refuses), and every error answer is in the OpenAPI schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import ValidationError
from pydantic import AfterValidator, Field, model_validator

# Ids are 64-bit signed integers in SQLite and PostgreSQL (BigAutoField).
DB_INT_MAX = 2**63 - 1
MAX_PAGE = 100


def _storable(value: str) -> str:
    """PostgreSQL cannot store NUL characters, and lone surrogates are not UTF-8 at all."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise ValueError("must be valid Unicode text")
    return value


def _storable_json(value: Any) -> Any:
    """The same check through nested options (stored as JSON), keys included."""
    if isinstance(value, str):
        _storable(value)
    elif isinstance(value, list):
        for item in value:
            _storable_json(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key)
            _storable_json(item)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > DB_INT_MAX:
        raise ValueError("numbers must fit in 64 bits")
    return value


def _storable_time(value: datetime) -> datetime:
    """Times are stored in UTC; one that overflows there (year 9999 west of Greenwich) cannot be."""
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("this time is out of range") from None
    return value


Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
Text = Annotated[str, AfterValidator(_storable)]
Options = Annotated[dict[str, Any], AfterValidator(_storable_json)]
Moment = Annotated[datetime, AfterValidator(_storable_time)]


class InputSchema(Schema):
    """A request body. ninja's Schema reads attributes off whatever it is given (so it can take
    Django models), which let a JSON array pass as an empty object and change nothing with a
    200: a body must be a JSON object."""

    @model_validator(mode="before")
    @classmethod
    def an_object(cls, value: Any) -> Any:
        given = getattr(value, "_obj", value)  # ninja hands the body over wrapped (DjangoGetter)
        if not isinstance(given, dict):
            raise ValueError("the body must be a JSON object")
        return value


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="Messages by field path, e.g. 'channels.0'")


# Every endpoint needs a token (401) and is throttled per token (429).
_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,  # a body that is not JSON
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,  # the post is being published right now
    422: FieldErrorsOut,
    429: ErrorOut,
    502: ErrorOut,  # a network refused or failed a call Chorus made for this request
}


def answers(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The success answers plus the error answers this endpoint can give, for the schema."""
    return ok | {status: _ERRORS[status] for status in sorted({401, 429, *errors})}


def refuse_unknown_parameters(request: HttpRequest, known: set[str]) -> None:
    """A 422 for a query parameter the endpoint does not take: a misspelt filter must not
    quietly widen the answer (``?stat=failed`` would otherwise list every post)."""
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise ValidationError(
            [{"loc": ["query", key], "msg": "unknown parameter"} for key in unknown]
        )
