"""Listening queries through the API: list, read, create, change, delete. Scoped to the token's
workspace; the same checks as the editor (``listening.services.validate``), answered with 422
and field errors; changes need the right to set up listening."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Path, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from chorus.api.routers.posts import unprocessable
from chorus.api.schemas import DB_INT_MAX, Id, InputSchema, Text, answers
from chorus.listening import services
from chorus.listening.models import ListeningQuery
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can

router = Router(tags=["listening"])
MAX_QUERIES = 1000  # far above what a workspace writes; keeps the list one page


class QueryOut(Schema):
    id: int
    name: str
    kind: str
    expression: str
    languages: list[str]
    sources: list[int]
    exclude_own_accounts: bool
    excluded_authors: list[str]
    is_active: bool
    alert_min_count: int
    alert_cooldown_minutes: int
    created_at: datetime
    updated_at: datetime


class QueryIn(InputSchema):
    name: Text = Field(max_length=120)
    kind: Text = Field(max_length=12, description="brand, product, person, campaign, competitor")
    expression: Text = Field(
        max_length=2000,
        description='Words, "phrases", #hashtags, @handles, site:domains, AND/OR/NOT',
    )
    languages: list[Text] = Field(default_factory=list, max_length=services.MAX_LANGUAGES)
    sources: list[Id] = Field(default_factory=list, max_length=100)
    exclude_own_accounts: bool = True
    excluded_authors: list[Text] = Field(
        default_factory=list, max_length=services.MAX_EXCLUDED_AUTHORS
    )
    is_active: bool = True
    alert_min_count: int = Field(default=5, ge=1, le=services.MAX_ALERT_MIN_COUNT)
    alert_cooldown_minutes: int = Field(default=60, ge=1, le=services.MAX_COOLDOWN_MINUTES)

    def fields(self) -> services.QueryFields:
        return services.QueryFields(
            name=self.name,
            kind=self.kind,
            expression=self.expression,
            languages=[code.strip().lower() for code in self.languages],
            source_ids=list(self.sources),
            exclude_own_accounts=self.exclude_own_accounts,
            excluded_authors="\n".join(handle.strip() for handle in self.excluded_authors),
            is_active=self.is_active,
            alert_min_count=self.alert_min_count,
            alert_cooldown_minutes=self.alert_cooldown_minutes,
        )


def _out(query: ListeningQuery) -> dict[str, Any]:
    fields = services.fields_of(query)
    return {
        **vars(fields),
        "id": query.pk,
        "sources": sorted(fields.source_ids),
        "excluded_authors": [
            line.strip() for line in fields.excluded_authors.splitlines() if line.strip()
        ],
        "created_at": query.created_at,
        "updated_at": query.updated_at,
    }


def _queries(request: WorkspaceRequest) -> Any:
    return ListeningQuery.objects.filter(workspace=request.workspace).prefetch_related("sources")


def _one(request: WorkspaceRequest, query_id: int) -> ListeningQuery:
    query = _queries(request).filter(pk=query_id).first()
    if query is None:
        raise HttpError(404, "No such listening query in this workspace.")
    return query


def _may_change(request: WorkspaceRequest) -> None:
    if not can(request.membership, Permission.LISTEN):
        raise HttpError(403, "Your role cannot set up listening.")


@router.get("/listening/queries", response=answers({200: list[QueryOut]}, 422))
def list_queries(request: WorkspaceRequest) -> list[dict[str, Any]]:
    return [_out(query) for query in _queries(request)[:MAX_QUERIES]]


@router.get("/listening/queries/{query_id}", response=answers({200: QueryOut}, 404, 422))
def get_query(
    request: WorkspaceRequest, query_id: int = Path(..., ge=1, le=DB_INT_MAX)
) -> dict[str, Any]:
    return _out(_one(request, query_id))


@router.post("/listening/queries", response=answers({201: QueryOut}, 400, 403, 422))
def create_query(request: WorkspaceRequest, payload: QueryIn) -> Status:
    """A query that cannot be read is refused with 422, the error and its column in the message."""
    _may_change(request)
    try:
        query = services.create_query(request.workspace, request.user, payload.fields())
    except DjangoValidationError as error:
        raise unprocessable(error.message_dict) from None
    return Status(201, _out(_one(request, query.pk)))


@router.put("/listening/queries/{query_id}", response=answers({200: QueryOut}, 400, 403, 404, 422))
def update_query(
    request: WorkspaceRequest, payload: QueryIn, query_id: int = Path(..., ge=1, le=DB_INT_MAX)
) -> dict[str, Any]:
    _may_change(request)
    query = _one(request, query_id)
    try:
        services.update_query(query, payload.fields())
    except DjangoValidationError as error:
        raise unprocessable(error.message_dict) from None
    return _out(_one(request, query.pk))


@router.delete("/listening/queries/{query_id}", response=answers({204: None}, 403, 404, 422))
def delete_query(
    request: WorkspaceRequest, query_id: int = Path(..., ge=1, le=DB_INT_MAX)
) -> Status:
    _may_change(request)
    services.delete_query(_one(request, query_id))
    return Status(204, None)
