"""Mentions through the API: the filtered stream (page by page), one mention, and the figures of
a period. Scoped to the token's workspace; the same filter as the mentions page, but a filter
the API cannot use is refused (422) instead of being left out."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from chorus.api.schemas import (
    DB_INT_MAX,
    MAX_PAGE,
    Moment,
    Text,
    answers,
    refuse_unknown_parameters,
)
from chorus.core.links import safe_url
from chorus.listening import figures, stream
from chorus.listening.mention_filter import MAX_SEARCH, MentionFilter, read_filter
from chorus.listening.models import Mention
from chorus.workspaces.http import WorkspaceRequest

router = Router(tags=["listening"])
NET_FORMULA = "(positive - negative) / (positive + negative)"
SHARE_FORMULA = "query mentions / mentions of all brand, product and competitor queries"


class MentionOut(Schema):
    id: int
    network: str
    source: int | None
    source_name: str
    url: str
    title: str
    text: str
    author_handle: str
    author_name: str
    reach: int | None
    published_at: datetime
    language: str
    sentiment: str
    is_spam: bool
    queries: list[str]
    labels: list[str]
    assignee: str | None
    conversation: int | None = Field(description="The inbox conversation it was answered in")


class MentionPageOut(Schema):
    items: list[MentionOut]
    next: str = Field(description="Pass as `after` for the next page; empty at the end")


class PointOut(Schema):
    start: datetime
    count: int
    positive: int
    neutral: int
    negative: int


class NetOut(Schema):
    positive: int
    neutral: int
    negative: int
    value: float | None = Field(description="None when positive + negative = 0")
    formula: str


class VoiceOut(Schema):
    query: int
    name: str
    kind: str
    mentions: int
    share: float | None
    formula: str


class AuthorOut(Schema):
    name: str
    handle: str
    network: str
    mentions: int
    reach: int | None


class TermOut(Schema):
    term: str
    mentions: int


class FiguresOut(Schema):
    since: datetime
    until: datetime
    step: str
    volume: list[PointOut]
    net_sentiment: NetOut
    share_of_voice: list[VoiceOut]
    top_authors: list[AuthorOut]
    top_terms: list[TermOut]


Sentiment = Literal["positive", "neutral", "negative"]
LANGUAGE = r"^[a-z]{2,3}$"
KNOWN_PARAMETERS = {"query", "source", "sentiment", "language", "since", "until", "q"} | {
    "limit",
    "after",
}
# Shared by both endpoints (their types are the API's bounded ones: storable times and text).
SINCE = Query(None, description="ISO 8601 with a time zone")
UNTIL = Query(None, description="ISO 8601 with a time zone (excluded)")
SEARCH = Query(None, max_length=MAX_SEARCH, description="Words or @handle")


def _chosen(request: WorkspaceRequest, params: dict[str, Any]) -> MentionFilter:
    """The page's filter from the API's checked parameters; what it cannot use is a 422, and
    so is a parameter it does not know (a misspelt filter must not quietly widen the answer)."""
    refuse_unknown_parameters(request, KNOWN_PARAMETERS)
    given = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in params.items()
        if value is not None
    }
    chosen = read_filter(given, request.workspace)
    if chosen.errors:
        errors = [{"loc": ["filter"], "msg": message} for message in chosen.errors]
        raise ValidationError(errors)
    return chosen


def _mention_out(mention: Mention) -> dict[str, Any]:
    author = mention.author
    return {
        "id": mention.pk,
        "network": mention.network,
        "source": mention.source_id,
        "source_name": mention.source.name if mention.source else "",
        "url": safe_url(mention.url),
        "title": mention.title,
        "text": mention.text,
        "author_handle": author.handle if author else "",
        "author_name": author.display_name if author else "",
        "reach": mention.reach if mention.reach is not None else (author and author.followers),
        "published_at": mention.published_at,
        "language": mention.language,
        "sentiment": mention.sentiment,
        "is_spam": mention.is_spam,
        "queries": [match.query.name for match in mention.matches.all()],
        "labels": [label.name for label in mention.labels.all()],
        "assignee": mention.assignee.email if mention.assignee else None,
        "conversation": mention.conversation_id,
    }


@router.get("/listening/mentions", response=answers({200: MentionPageOut}, 422))
def list_mentions(  # noqa: PLR0913 (each filter is one parameter, as on the page)
    request: WorkspaceRequest,
    query: int | None = Query(None, ge=1, le=DB_INT_MAX, description="A listening query id"),
    source: int | None = Query(None, ge=1, le=DB_INT_MAX, description="A source id"),
    sentiment: Sentiment | None = None,
    language: str | None = Query(None, pattern=LANGUAGE),
    since: Moment | None = SINCE,
    until: Moment | None = UNTIL,
    q: Text | None = SEARCH,
    limit: int = Query(25, ge=1, le=MAX_PAGE),
    after: str = Query("", max_length=40, pattern=r"^(\d+\.\d+)?$"),
) -> dict[str, Any]:
    """Newest first, over the period (the last 14 days unless `since` / `until` say)."""
    filters = dict(query=query, source=source, sentiment=sentiment, language=language)
    chosen = _chosen(request, filters | dict(since=since, until=until, q=q))
    found = chosen.mentions(request.workspace)
    cursor = stream.decode_cursor(after) if after else None
    if cursor:
        found = stream.after(found, cursor)
    rows = list(stream.with_row_details(found)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "items": [_mention_out(mention) for mention in rows],
        "next": stream.encode_cursor(rows[-1]) if more and rows else "",
    }


@router.get("/listening/mentions/{mention_id}", response=answers({200: MentionOut}, 404, 422))
def get_mention(
    request: WorkspaceRequest, mention_id: int = Path(..., ge=1, le=DB_INT_MAX)
) -> dict[str, Any]:
    found = stream.with_row_details(Mention.objects.filter(workspace=request.workspace))
    mention = found.filter(pk=mention_id).first()
    if mention is None:
        raise HttpError(404, "No such mention in this workspace.")
    return _mention_out(mention)


@router.get("/listening/figures", response=answers({200: FiguresOut}, 422))
def mention_figures(  # noqa: PLR0913 (each filter is one parameter, as on the page)
    request: WorkspaceRequest,
    query: int | None = Query(None, ge=1, le=DB_INT_MAX, description="A listening query id"),
    source: int | None = Query(None, ge=1, le=DB_INT_MAX, description="A source id"),
    sentiment: Sentiment | None = None,
    language: str | None = Query(None, pattern=LANGUAGE),
    since: Moment | None = SINCE,
    until: Moment | None = UNTIL,
    q: Text | None = SEARCH,
) -> dict[str, Any]:
    """Volume and sentiment over time, net sentiment, share of voice, top authors and terms of
    the filtered mentions (spam left out), each with its formula."""
    filters = dict(query=query, source=source, sentiment=sentiment, language=language)
    chosen = _chosen(request, filters | dict(since=since, until=until, q=q))
    workspace = request.workspace
    step = figures.choose_step(chosen)
    net = figures.net_sentiment(workspace, chosen)
    return {
        "since": chosen.since,
        "until": chosen.until,
        "step": step,
        "volume": [
            {**vars(point), "count": point.total}
            for point in figures.sentiment_over_time(workspace, chosen, step)
        ],
        "net_sentiment": {**vars(net), "formula": NET_FORMULA},
        "share_of_voice": [
            {**vars(voice), "query": voice.query_id, "formula": SHARE_FORMULA}
            for voice in figures.share_of_voice(workspace, chosen)
        ],
        "top_authors": [vars(author) for author in figures.top_authors(workspace, chosen)],
        "top_terms": [vars(term) for term in figures.top_terms(workspace, chosen)],
    }
