"""Posts through the API: list, create (draft or scheduled), read one. Scoped to the token's
workspace; a variant with errors is refused with 422 and the same messages the composer shows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import Field, field_validator

from chorus.accounts.models import User
from chorus.api.schemas import (
    DB_INT_MAX,
    MAX_PAGE,
    Id,
    InputSchema,
    Moment,
    Options,
    Text,
    answers,
    refuse_unknown_parameters,
)
from chorus.channels.models import Channel
from chorus.core.redact import redact
from chorus.publishing import deleting, services
from chorus.publishing.composition import Composition, VariantInput, go_out, save_composition
from chorus.publishing.models import Media, Post, PostKind, PostTarget, State
from chorus.publishing.problems import Problem
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can

router = Router(tags=["posts"])
# Far above what any post uses: they keep one request's id lists small enough for one query.
MAX_CHANNELS = 100
MAX_MEDIA = 50


class ProblemOut(Schema):
    code: str
    message: str
    severity: str
    part: int | None = None


class VariantOut(Schema):
    id: int
    channel: int
    network: str
    channel_name: str
    text: str
    customised: bool
    options: dict[str, Any]
    media: list[int]
    state: str
    scheduled_at: datetime | None
    published_at: datetime | None
    remote_url: str
    last_error: str
    problems: list[ProblemOut]


class PostOut(Schema):
    id: int
    text: str
    author: str | None
    created_at: datetime
    needs_approval: bool
    approved_at: datetime | None
    variants: list[VariantOut]


class VariantIn(InputSchema):
    channel: Id
    text: Text | None = Field(
        default=None, max_length=100_000, description="Own text for this channel (customised)"
    )
    options: Options = Field(default_factory=dict)


class PostIn(InputSchema):
    text: Text = Field(default="", max_length=100_000)
    channels: list[Id] = Field(min_length=1, max_length=MAX_CHANNELS)
    media: list[Id] = Field(
        default_factory=list, max_length=MAX_MEDIA, description="Ids from the media library"
    )
    options: Options = Field(default_factory=dict, description="Options for every channel")
    variants: list[VariantIn] = Field(default_factory=list, max_length=MAX_CHANNELS)
    scheduled_at: Moment | None = Field(
        default=None, description="ISO 8601 with a time zone; without it the post is a draft"
    )

    @field_validator("scheduled_at")
    @classmethod
    def aware_and_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and timezone.is_naive(value):
            raise ValueError("give a time zone, e.g. 2026-05-01T09:00:00+02:00")
        if value is not None and value < timezone.now() - timedelta(minutes=1):
            raise ValueError("this time is in the past")
        return value


def unprocessable(errors: dict[str, list[str]]) -> ValidationError:
    """A 422 in the API's one shape: ``{"detail": …, "errors": {"field.path": [messages]}}``."""
    return ValidationError(
        [
            {"loc": key.split("."), "msg": msg}
            for key, messages in errors.items()
            for msg in messages
        ]
    )


def _workspace(request: WorkspaceRequest) -> Workspace:
    return request.workspace


def _posts(request: WorkspaceRequest) -> Any:
    return (
        deleting.live(Post.objects.filter(workspace=_workspace(request), kind=PostKind.POST))
        .select_related("author")
        .prefetch_related("targets__channel", "targets__media")
    )


def _variant_out(target: PostTarget) -> dict[str, Any]:
    problems = services.problems_of_target(target) if target.state in services.EDITABLE else []
    return {
        "id": target.pk,
        "channel": target.channel_id,
        "network": target.channel.network,
        "channel_name": target.channel.name,
        "text": target.text,
        "customised": target.customised,
        "options": target.options,
        "media": [item.pk for item in target.media.all()],
        "state": target.state,
        "scheduled_at": target.scheduled_at,
        "published_at": target.published_at,
        "remote_url": target.remote_url,
        "last_error": redact(target.last_error),  # also what was stored before redaction
        "problems": [vars(problem) for problem in problems],
    }


def _post_out(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk,
        "text": post.text,
        "author": post.author.email if post.author else None,
        "created_at": post.created_at,
        "needs_approval": post.needs_approval,
        "approved_at": post.approved_at,
        "variants": [_variant_out(t) for t in sorted(post.targets.all(), key=lambda t: t.pk)],
    }


@router.get("/posts", response=answers({200: list[PostOut]}, 422))
def list_posts(
    request: WorkspaceRequest,
    state: str | None = None,
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=DB_INT_MAX),
) -> list[dict[str, Any]]:
    """Newest first; ``state`` keeps posts with at least one variant in that state."""
    refuse_unknown_parameters(request, {"state", "limit", "offset"})
    posts = _posts(request)
    if state is not None:
        if state not in State.values:
            raise unprocessable({"state": [f"one of {', '.join(State.values)}"]})
        posts = posts.filter(targets__state=state).distinct()
    window = posts[offset : offset + limit]
    return [_post_out(post) for post in window]


@router.get("/posts/{post_id}", response=answers({200: PostOut}, 404, 422))
def get_post(
    request: WorkspaceRequest, post_id: int = Path(..., ge=1, le=DB_INT_MAX)
) -> dict[str, Any]:
    post = _posts(request).filter(pk=post_id).first()
    if post is None:
        raise HttpError(404, "No such post in this workspace.")
    return _post_out(post)


@router.post("/posts", response=answers({201: PostOut}, 400, 403, 422))
def create_post(request: WorkspaceRequest, payload: PostIn) -> Status:
    """A draft, or scheduled when ``scheduled_at`` is given (then errors are refused with 422)."""
    if not can(request.membership, Permission.COMPOSE):
        raise HttpError(403, "Your role cannot write posts.")
    composition = _composition(request, payload)
    user: User = request.user
    try:
        with transaction.atomic():
            post = save_composition(_workspace(request), user, composition)
            if payload.scheduled_at is not None:
                go_out(post, "schedule", payload.scheduled_at, by=user)
    except services.VariantProblems as exc:
        raise unprocessable(_problem_errors(exc.problems)) from None
    except services.PublishingRuleBroken as exc:
        raise unprocessable({"__all__": [str(exc)]}) from None
    return Status(201, _post_out(_posts(request).get(pk=post.pk)))


@router.delete("/posts/{post_id}", response=answers({204: None}, 403, 404, 409, 422, 502))
def delete_post(request: WorkspaceRequest, post_id: int = Path(..., ge=1, le=DB_INT_MAX)) -> Status:
    """Deleted on the networks too where they let Chorus (a variant whose network does not
    stays there); 502 when a network failed, and then nothing not yet deleted there changed."""
    post = _posts(request).filter(pk=post_id).first()
    if post is None:
        raise HttpError(404, "No such post in this workspace.")
    user: User = request.user
    if not deleting.may_delete(post, user):
        raise HttpError(403, "Your role cannot delete this post.")
    try:
        deleting.delete_post(post, user)
    except deleting.NetworkRefusedDelete as exc:
        raise HttpError(502, str(exc)) from None
    except services.PublishingRuleBroken as exc:
        raise HttpError(409, str(exc)) from None
    return Status(204, None)


def _composition(request: WorkspaceRequest, payload: PostIn) -> Composition:
    workspace = _workspace(request)
    channels = {c.pk: c for c in Channel.objects.of(workspace).filter(pk__in=payload.channels)}
    media = {m.pk: m for m in Media.objects.filter(workspace=workspace, pk__in=payload.media)}
    errors: dict[str, list[str]] = {}
    for index, pk in enumerate(payload.channels):
        if pk not in channels:
            errors[f"channels.{index}"] = [f"no channel {pk} in this workspace"]
    for index, pk in enumerate(payload.media):
        if pk not in media:
            errors[f"media.{index}"] = [f"no file {pk} in this workspace's media library"]
    for index, variant in enumerate(payload.variants):
        if variant.channel not in payload.channels:
            errors[f"variants.{index}.channel"] = ["must be one of the post's channels"]
    if errors:
        raise unprocessable(errors)
    variants = {
        v.channel: VariantInput(
            text=v.text or "", customised=v.text is not None, options=payload.options | v.options
        )
        for v in payload.variants
    }
    for pk in payload.channels:
        variants.setdefault(pk, VariantInput(options=dict(payload.options)))
    return Composition(
        text=payload.text,
        channels=[channels[pk] for pk in dict.fromkeys(payload.channels)],
        media=[media[pk] for pk in dict.fromkeys(payload.media)],
        variants=variants,
    )


def _problem_errors(problems: dict[int, list[Problem]]) -> dict[str, list[str]]:
    return {
        f"variants.{channel}": [p.message for p in found if p.is_error]
        for channel, found in problems.items()
    }
