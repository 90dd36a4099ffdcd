from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field, field_validator

from chorus.api.schemas import InputSchema, Text, answers
from chorus.core.timeutil import is_valid_timezone
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can

router = Router(tags=["workspace"])


class MeOut(Schema):
    email: str
    full_name: str
    language: str
    workspace: str
    role: str


class WorkspaceOut(Schema):
    slug: str
    name: str
    timezone: str
    language: str
    is_demo: bool
    created_at: datetime


class WorkspaceIn(InputSchema):
    name: Text | None = Field(default=None, min_length=2, max_length=120)
    timezone: str | None = None
    language: str | None = None

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_timezone(value):
            raise ValueError("unknown time zone; use an IANA name such as Europe/Paris")
        return value

    @field_validator("language")
    @classmethod
    def known_language(cls, value: str | None) -> str | None:
        if value is not None and value not in ("en", "fr"):
            raise ValueError("language must be 'en' or 'fr'")
        return value


class MemberOut(Schema):
    email: str
    full_name: str
    role: str


@router.get("/me", response=answers({200: MeOut}))
def me(request: WorkspaceRequest) -> dict[str, str]:
    membership = request.membership
    user = membership.user
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "workspace": membership.workspace.slug,
        "role": membership.role,
    }


@router.get("/workspace", response=answers({200: WorkspaceOut}))
def workspace(request: WorkspaceRequest) -> Workspace:
    """The workspace the token belongs to. A token never reaches another workspace."""
    return request.workspace


@router.patch("/workspace", response=answers({200: WorkspaceOut}, 400, 403, 422))
def update_workspace(request: WorkspaceRequest, payload: WorkspaceIn) -> Workspace:
    if not can(request.membership, Permission.MANAGE_WORKSPACE):
        raise HttpError(403, "Your role cannot change workspace settings.")
    target: Workspace = request.workspace
    for field, value in payload.dict(exclude_none=True).items():
        setattr(target, field, value)
    target.save()
    return target


@router.get("/workspace/members", response=answers({200: list[MemberOut]}))
def members(request: WorkspaceRequest) -> list[dict[str, str]]:
    target: Workspace = request.workspace
    return [
        {"email": m.user.email, "full_name": m.user.full_name, "role": m.role}
        for m in target.memberships.select_related("user").order_by("user__email")
    ]
