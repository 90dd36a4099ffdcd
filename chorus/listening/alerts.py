"""Reading and acknowledging alerts, for the alert pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.models import User
from chorus.core.links import safe_url
from chorus.listening.models import Alert, Mention
from chorus.workspaces.models import Workspace


def alerts_of(workspace: Workspace) -> QuerySet[Alert]:
    return Alert.objects.filter(workspace=workspace).select_related("query", "acknowledged_by")


def acknowledge(alert: Alert, user: User) -> bool:
    """Marks it seen by ``user``; False when someone already had (their name stays)."""
    done = Alert.objects.filter(pk=alert.pk, acknowledged_at=None).update(
        acknowledged_at=timezone.now(), acknowledged_by=user
    )
    return bool(done)


def top_mentions(alert: Alert) -> list[dict[str, Any]]:
    """The mentions behind the alert, in the order it ranked them, with a safe link each."""
    ids = [int(i) for i in alert.explanation.get("mentions", [])]
    found = Mention.objects.filter(workspace_id=alert.workspace_id, pk__in=ids).select_related(
        "author"
    )
    by_id = {m.pk: m for m in found}
    return [
        {"mention": by_id[i], "url": safe_url(by_id[i].url), "who": _who(by_id[i])}
        for i in ids
        if i in by_id
    ]


def _who(mention: Mention) -> str:
    """Who wrote it, as the source named them; the network when it named nobody."""
    author = mention.author
    if author is None:
        return mention.network
    return author.display_name or author.handle or mention.network


def top_authors(alert: Alert) -> list[dict[str, Any]]:
    return [
        {**author, "url": safe_url(author.get("url"))}
        for author in alert.explanation.get("authors", [])
    ]


def mentions_link(alert: Alert) -> str:
    """The mentions page filtered on this query and window."""
    page = reverse("listening:mentions")
    return (
        f"{page}?{urlencode(window_filter(alert.query_id, alert.window_start, alert.window_end))}"
    )


def window_filter(query_id: int, since: datetime, until: datetime) -> dict[str, str]:
    return {"query": str(query_id), "since": since.isoformat(), "until": until.isoformat()}
