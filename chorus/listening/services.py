"""Listening queries: create, change, delete (each checked by parsing), and the live preview.

Pages and the API both come here, so a query is refused for the same reasons, in the same words,
whichever door it came through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.listening.matcher import (
    Matcher,
    PostToMatch,
    QuerySpec,
    excluded_handles,
    own_handles_of,
    spec_of,
)
from chorus.listening.models import (
    ListeningQuery,
    ListeningSource,
    Mention,
    MentionMatch,
    QueryKind,
)
from chorus.listening.query_language import QueryNode, QuerySyntaxError, parse
from chorus.workspaces.models import Workspace

REMATCH_DAYS = 30  # a new or changed query is matched over this much stored history
REMATCH_MAX = 20_000  # mentions, the newest: a few seconds of matching at most
PREVIEW_MENTIONS = 500  # the newest stored mentions a draft query is tried on
PREVIEW_SHOWN = 20
MAX_LANGUAGES = 20
MAX_EXCLUDED_AUTHORS = 200
MAX_ALERT_MIN_COUNT = 100_000
MAX_COOLDOWN_MINUTES = 7 * 24 * 60
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass
class QueryFields:
    """What a person sets on a query, as pages and the API read it."""

    name: str
    kind: str
    expression: str
    languages: list[str] = field(default_factory=list)
    source_ids: list[int] = field(default_factory=list)
    exclude_own_accounts: bool = True
    excluded_authors: str = ""
    is_active: bool = True
    alert_min_count: int = 5
    alert_cooldown_minutes: int = 60


def check_expression(expression: str) -> QueryNode:
    try:
        return parse(expression)
    except QuerySyntaxError as error:
        raise ValidationError({"expression": error.display()}) from None


def validate(
    workspace: Workspace, fields: QueryFields, query: ListeningQuery | None = None
) -> list[ListeningSource]:
    """Every field checked; a ValidationError with each field's messages. The sources chosen."""
    errors: dict[str, list[str]] = {}
    name = fields.name.strip()
    if not name:
        errors["name"] = [_("Give the query a name.")]
    elif _name_taken(workspace, name, query):
        errors["name"] = [_("Another query of this workspace has this name.")]
    if fields.kind not in QueryKind.values:
        errors["kind"] = [_("Choose one of the kinds offered.")]
    try:
        check_expression(fields.expression)
    except ValidationError as error:
        errors.update(error.message_dict)
    errors.update(_language_errors(fields.languages))
    sources = list(ListeningSource.objects.filter(workspace=workspace, pk__in=fields.source_ids))
    if len(sources) != len(set(fields.source_ids)):
        errors["sources"] = [_("Choose sources of this workspace.")]
    if len(excluded_handles(fields.excluded_authors)) > MAX_EXCLUDED_AUTHORS:
        message = _("At most %(count)d authors.") % {"count": MAX_EXCLUDED_AUTHORS}
        errors["excluded_authors"] = [message]
    errors.update(_alert_errors(fields))
    if errors:
        raise ValidationError(errors)
    return sources


def _name_taken(workspace: Workspace, name: str, query: ListeningQuery | None) -> bool:
    others = ListeningQuery.objects.filter(workspace=workspace, name__iexact=name)
    return others.exclude(pk=query.pk).exists() if query else others.exists()


def _language_errors(languages: Sequence[str]) -> dict[str, list[str]]:
    if len(languages) > MAX_LANGUAGES:
        return {"languages": [_("At most %(count)d languages.") % {"count": MAX_LANGUAGES}]}
    wrong = [code for code in languages if not _LANGUAGE.match(code)]
    if wrong:
        message = _("Use two-letter language codes such as en or fr (not “%(code)s”).")
        return {"languages": [message % {"code": wrong[0]}]}
    return {}


def _alert_errors(fields: QueryFields) -> dict[str, list[str]]:
    errors = {}
    if not 1 <= fields.alert_min_count <= MAX_ALERT_MIN_COUNT:
        message = _("Between 1 and %(count)d.") % {"count": MAX_ALERT_MIN_COUNT}
        errors["alert_min_count"] = [message]
    if not 1 <= fields.alert_cooldown_minutes <= MAX_COOLDOWN_MINUTES:
        message = _("Between 1 and %(count)d minutes.") % {"count": MAX_COOLDOWN_MINUTES}
        errors["alert_cooldown_minutes"] = [message]
    return errors


def parse_languages(text: str) -> list[str]:
    """ "en, FR  de" -> ["en", "fr", "de"]."""
    return list(dict.fromkeys(code.lower() for code in re.split(r"[\s,;]+", text) if code))


# -- the verbs ------------------------------------------------------------------------------------


@transaction.atomic
def create_query(workspace: Workspace, by: User | None, fields: QueryFields) -> ListeningQuery:
    sources = validate(workspace, fields)
    query = ListeningQuery(workspace=workspace, created_by=by)
    _apply(query, fields)
    query.save()
    query.sources.set(sources)
    rematch(query)
    return query


@transaction.atomic
def update_query(query: ListeningQuery, fields: QueryFields) -> ListeningQuery:
    sources = validate(query.workspace, fields, query)
    before = fields_of(query)
    _apply(query, fields)
    query.sources.set(sources)
    query.save()  # after the sources: its updated_at is what tells the matcher cache to rebuild
    if _matching_changed(before, fields_of(query)):
        rematch(query)
    return query


def _matching_changed(before: QueryFields, after: QueryFields) -> bool:
    """Name, alerts and "active" do not change what a query matches; the rest does."""
    keep = ("name", "is_active", "alert_min_count", "alert_cooldown_minutes")
    return {k: v for k, v in vars(before).items() if k not in keep} != {
        k: v for k, v in vars(after).items() if k not in keep
    }


def rematch(query: ListeningQuery) -> int:
    """The query's matches over the recent stored mentions, made anew: a new query starts with
    its recent history (the list's counts, the spike baseline), and a changed one does not keep
    matches its old text made. How many mentions it matches."""
    since = timezone.now() - timedelta(days=REMATCH_DAYS)
    matcher = Matcher([spec_of(query)], own_handles_of(query.workspace_id))
    recent = (
        Mention.objects.filter(workspace_id=query.workspace_id, published_at__gte=since)
        .filter(is_spam=False)
        .select_related("author")
        .order_by("-published_at")[:REMATCH_MAX]
    )
    matches = [
        MentionMatch(
            workspace_id=query.workspace_id,
            query=query,
            mention_id=mention.pk,
            published_at=mention.published_at,
            negative=mention.sentiment == "negative",
        )
        for mention in recent
        if matcher.match(_post(mention))
    ]
    with transaction.atomic():
        MentionMatch.objects.filter(query=query).delete()
        MentionMatch.objects.bulk_create(matches, ignore_conflicts=True)
    return len(matches)


def delete_query(query: ListeningQuery) -> None:
    """Its matches and alerts go with it; the mentions stay (other queries may count them)."""
    query.delete()


def _apply(query: ListeningQuery, fields: QueryFields) -> None:
    query.name = fields.name.strip()
    query.kind = fields.kind
    query.expression = fields.expression.strip()
    query.languages = list(fields.languages)
    query.exclude_own_accounts = fields.exclude_own_accounts
    query.excluded_authors = fields.excluded_authors.strip()
    query.is_active = fields.is_active
    query.alert_min_count = fields.alert_min_count
    query.alert_cooldown_minutes = fields.alert_cooldown_minutes


def fields_of(query: ListeningQuery) -> QueryFields:
    return QueryFields(
        name=query.name,
        kind=query.kind,
        expression=query.expression,
        languages=list(query.languages or []),
        source_ids=[source.pk for source in query.sources.all()],
        exclude_own_accounts=query.exclude_own_accounts,
        excluded_authors=query.excluded_authors,
        is_active=query.is_active,
        alert_min_count=query.alert_min_count,
        alert_cooldown_minutes=query.alert_cooldown_minutes,
    )


# -- reading ------------------------------------------------------------------------------------


def queries_with_counts(workspace: Workspace) -> list[ListeningQuery]:
    """The workspace's queries, each with ``matches_day`` and ``matches_week``."""
    now = timezone.now()
    return list(
        ListeningQuery.objects.filter(workspace=workspace).annotate(
            matches_day=Count(
                "matches", filter=Q(matches__published_at__gte=now - timedelta(days=1))
            ),
            matches_week=Count(
                "matches", filter=Q(matches__published_at__gte=now - timedelta(days=7))
            ),
        )
    )


@dataclass(frozen=True)
class Preview:
    matched: list[Mention]  # the newest first, at most PREVIEW_SHOWN
    matched_count: int
    scanned: int


def preview(
    workspace: Workspace,
    expression: str,
    *,
    languages: Sequence[str] = (),
    source_ids: Sequence[int] = (),
    exclude_own_accounts: bool = True,
    excluded_authors: str = "",
    limit: int = PREVIEW_MENTIONS,
) -> Preview:
    """Which of the workspace's newest stored mentions the draft would match. Raises
    QuerySyntaxError for a draft that cannot be read."""
    spec = QuerySpec(
        id=0,
        workspace_id=workspace.pk,
        tree=parse(expression),
        languages=frozenset(code.lower() for code in languages),
        source_ids=frozenset(source_ids),
        exclude_own_accounts=exclude_own_accounts,
        excluded_authors=excluded_handles(excluded_authors),
    )
    matcher = Matcher([spec], own_handles_of(workspace.pk))
    newest = list(
        Mention.objects.filter(workspace=workspace, is_spam=False)  # spam matches no query
        .select_related("author", "source")
        .order_by("-published_at", "-pk")[:limit]
    )
    matched = [mention for mention in newest if matcher.match(_post(mention))]
    return Preview(matched[:PREVIEW_SHOWN], len(matched), len(newest))


def _post(mention: Mention) -> PostToMatch:
    return PostToMatch(
        text=mention.text,
        title=mention.title,
        url=mention.url,
        author_handle=mention.author.handle if mention.author else "",
        language=mention.language,
        source_id=mention.source_id,
    )


def preview_or_error(workspace: Workspace, fields: dict[str, Any]) -> dict[str, Any]:
    """For the editor: the preview, or the parse error with its column."""
    try:
        return {"preview": preview(workspace, **fields)}
    except QuerySyntaxError as error:
        return {"error": error}
