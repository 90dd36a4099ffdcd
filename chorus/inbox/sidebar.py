"""The two numbers of every page's sidebar, the Inbox count and the bell, in one query.

Every signed-in page shows both and the sidebar's poller asks for both every few seconds, so
under load they are paid on every view. Two ORM counts cost about as much CPU to build as to run;
this is one small statement, written once per process, on the same indexes as before (the
conversation status index, the notifications' (user, workspace, read_at) index). The inbox may
read the workspaces' table (it comes after workspaces); the bell's context processor picks the
number up from the request (``request.unread_notifications_count``) when the sidebar ran first.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection

from chorus.inbox.models import Conversation, Status
from chorus.workspaces.models import Notification

NAV_CAP = 99  # the sidebar shows "99+" beyond


@functools.cache
def _statement() -> str:
    quote = connection.ops.quote_name
    talks, bells = Conversation._meta, Notification._meta

    def column(meta: Any, name: str) -> str:
        return quote(meta.get_field(name).column)

    # The inner LIMIT keeps the count cheap on a huge inbox ("99+" is all the sidebar says).
    # Only our own table and column names go into it, quoted; the values are parameters.
    return (
        f"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM {quote(talks.db_table)}"  # noqa: S608
        f" WHERE {column(talks, 'workspace')} = %s AND {column(talks, 'status')} = %s"
        f" LIMIT %s) waiting),"
        f" (SELECT COUNT(*) FROM {quote(bells.db_table)} WHERE {column(bells, 'user')} = %s"
        f" AND {column(bells, 'workspace')} = %s AND {column(bells, 'read_at')} IS NULL)"
    )


def sidebar_counts(workspace_id: int, user_id: int) -> tuple[int, int]:
    """(new conversations nobody opened, capped at NAV_CAP + 1; this person's unread
    notifications) in the workspace."""
    params: list[int | str] = [workspace_id, Status.NEW.value, NAV_CAP + 1, user_id, workspace_id]
    with connection.cursor() as cursor:
        cursor.execute(_statement(), params)
        waiting, unread = cursor.fetchone()
    return int(waiting), int(unread)
