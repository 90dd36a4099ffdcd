"""Contests through the API, read-only: the list and one contest with its commitment, frozen
entries' SHA-256 and, once drawn, its certificate (the same one the public page serves).
Scoped to the token's workspace; reading needs only membership."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError

from chorus.api.schemas import DB_INT_MAX, MAX_PAGE, answers, refuse_unknown_parameters
from chorus.engagement import contests as service
from chorus.engagement.models import Contest
from chorus.workspaces.http import WorkspaceRequest

router = Router(tags=["contests"])


class ContestOut(Schema):
    id: int
    public_id: str
    title: str
    status: str
    opens_at: datetime
    closes_at: datetime
    winners: int
    alternates: int
    commitment: str | None
    entries_sha256: str | None
    certificate: dict[str, Any] | None


def _out(contest: Contest) -> dict[str, Any]:
    return {
        "id": contest.pk,
        "public_id": str(contest.public_id),
        "title": contest.title,
        "status": contest.status,
        "opens_at": contest.opens_at,
        "closes_at": contest.closes_at,
        "winners": contest.winners,
        "alternates": contest.alternates,
        "commitment": contest.commitment or None,
        "entries_sha256": contest.entries_sha256 or None,
        "certificate": service.certificate_of(contest),
    }


@router.get("/contests", response=answers({200: list[ContestOut]}, 422))
def list_contests(
    request: WorkspaceRequest,
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=DB_INT_MAX),
) -> list[dict[str, Any]]:
    """Newest first."""
    refuse_unknown_parameters(request, {"limit", "offset"})
    found = Contest.objects.filter(workspace=request.workspace).prefetch_related("substitutions")
    return [_out(contest) for contest in found[offset : offset + limit]]


@router.get("/contests/{contest_id}", response=answers({200: ContestOut}, 404, 422))
def get_contest(
    request: WorkspaceRequest, contest_id: int = Path(..., ge=1, le=DB_INT_MAX)
) -> dict[str, Any]:
    refuse_unknown_parameters(request, set())
    contest = Contest.objects.filter(workspace=request.workspace, pk=contest_id).first()
    if contest is None:
        raise HttpError(404, "No such contest in this workspace.")
    return _out(contest)
