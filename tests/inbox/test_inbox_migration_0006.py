"""Migration 0006 (with people 0001) moves Author and Person to the people app in Django's state
only: an inbox that already has authors, linked people, conversations, messages and author
lists keeps every row and every link, read through the new models, and the way back works."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from chorus.inbox.models import AuthorList, Conversation, Message
from chorus.people.models import Author, Person

BEFORE = [("inbox", "0005_message_extras"), ("people", None)]
OLD_LAYOUT = [("inbox", "0005_message_extras")]
AFTER = [("inbox", "0006_author_person_move_to_people")]


def old_layout_inbox() -> dict[str, Any]:
    """An inbox written by the models as they were before the move (the historical state)."""
    apps = MigrationExecutor(connection).loader.project_state(OLD_LAYOUT).apps
    model = apps.get_model
    workspace = model("workspaces", "Workspace").objects.create(
        name="Brand A", slug="brand-a", timezone="Europe/Paris"
    )
    channel = model("channels", "Channel").objects.create(
        workspace=workspace, network="mastodon", name="Brand", remote_id="1"
    )
    person = model("inbox", "Person").objects.create(workspace=workspace, name="Lou")
    author = model("inbox", "Author").objects.create(
        workspace=workspace, network="mastodon", remote_id="42", handle="lou", person=person
    )
    conversation = model("inbox", "Conversation").objects.create(
        workspace=workspace, channel=channel, remote_id="t1", author=author
    )
    message = model("inbox", "Message").objects.create(
        workspace=workspace,
        channel=channel,
        conversation=conversation,
        remote_id="m1",
        author=author,
        text="Bonjour",
        created_at=timezone.now(),
    )
    vips = model("inbox", "AuthorList").objects.create(workspace=workspace, name="VIP")
    vips.authors.add(author)
    model("contenttypes", "ContentType").objects.get_or_create(app_label="inbox", model="author")
    return {
        "author": author.pk,
        "person": person.pk,
        "conversation": conversation.pk,
        "message": message.pk,
        "list": vips.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_an_existing_inbox_keeps_its_people_after_the_move() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        MigrationExecutor(connection).migrate(BEFORE)
        made = old_layout_inbox()
        MigrationExecutor(connection).migrate(AFTER)

        author = Author.objects.get(pk=made["author"])
        assert author.handle == "lou" and author.person == Person.objects.get(pk=made["person"])
        assert Conversation.objects.get(pk=made["conversation"]).author == author
        assert Message.objects.get(pk=made["message"]).author == author
        assert list(AuthorList.objects.get(pk=made["list"]).authors.all()) == [author]
        assert list(author.person.accounts.all()) == [author]  # type: ignore[union-attr]
        assert ContentType.objects.filter(app_label="people", model="author").exists()
        assert not ContentType.objects.filter(app_label="inbox", model="author").exists()
    finally:
        MigrationExecutor(connection).migrate(latest)


@pytest.mark.django_db(transaction=True)
def test_the_move_writes_nothing_to_the_tables_and_goes_back() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        executor = MigrationExecutor(connection)
        statements = executor.loader.collect_sql(executor.migration_plan(AFTER))
        assert not [s for s in statements if not s.startswith("--")]  # state only, no SQL
        executor.migrate(AFTER)
        assert Author._meta.db_table == "inbox_author" and Person._meta.db_table == "inbox_person"
        MigrationExecutor(connection).migrate(BEFORE)
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        assert {"inbox_author", "inbox_person"} <= set(tables)
    finally:
        MigrationExecutor(connection).migrate(latest)
