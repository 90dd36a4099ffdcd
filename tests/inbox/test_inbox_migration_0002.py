"""Migration 0002 on a database that already has messages: spam scores from the old yes/no,
the search index filled with what is stored, and a clean way back."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("inbox", "0001_initial")]
AFTER = [("inbox", "0002_spam_score_failures_search")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def stored_before(apps: Any) -> dict[str, int]:
    """A workspace with a thread of two messages, one flagged spam, made with 0001's models."""
    workspace = apps.get_model("workspaces", "Workspace").objects.create(name="A", slug="a")
    channel = apps.get_model("channels", "Channel").objects.create(
        workspace=workspace, network="mastodon", name="A", remote_id="a"
    )
    talk = apps.get_model("inbox", "Conversation").objects.create(
        workspace=workspace, channel=channel, remote_id="t1", preview="Win a free phone"
    )
    message = apps.get_model("inbox", "Message")
    spam = message.objects.create(
        workspace=workspace, conversation=talk, channel=channel, remote_id="m1",
        text="Win a free phone", spam=True,
    )  # fmt: skip
    fine = message.objects.create(
        workspace=workspace, conversation=talk, channel=channel, remote_id="m2",
        text="Where is my parcel?",
    )  # fmt: skip
    return {"workspace": workspace.pk, "spam": spam.pk, "fine": fine.pk}


@pytest.mark.django_db(transaction=True)
def test_existing_messages_get_scores_and_are_searchable() -> None:
    ids = stored_before(migrate(BEFORE))
    try:
        apps = migrate(AFTER)
        message = apps.get_model("inbox", "Message")
        assert message.objects.get(pk=ids["spam"]).spam_score == 1.0
        assert message.objects.get(pk=ids["fine"]).spam_score == 0.0
        assert apps.get_model("inbox", "ChannelInbox")._meta.get_field("failures").default == 0
        from chorus.inbox import search
        from chorus.workspaces.models import Workspace

        workspace = Workspace.objects.get(pk=ids["workspace"])
        found = search.conversations_matching(workspace, "parcel")
        assert '"workspace_id" + 0)' in str(found.query)  # through the index…
        assert found.count() == 1  # …which knows the messages stored before it
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
