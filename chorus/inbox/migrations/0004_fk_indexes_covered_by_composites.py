"""Drop the single-column indexes Django made for six foreign keys of messages and conversations.

Each is the first column of a composite index or unique constraint already there, which serves
every lookup (and the ON DELETE checks) the single-column one served, while every index costs
work on each row ingest writes:

    Message.workspace     -> message_recent (workspace, created_at)
    Message.conversation  -> message_thread (conversation, created_at)
    Message.channel       -> one_message_per_remote (channel, remote_id)
    Message.author        -> message_author (author, created_at)
    Conversation.workspace -> inbox_status, inbox_all, inbox_assignee, inbox_due (workspace, ...)
    Conversation.channel  -> one_conversation_per_thread (channel, remote_id)

Only the indexes are dropped (DROP INDEX, quick on a big table): the generated AlterField would
also drop and re-add each foreign key constraint on PostgreSQL, re-checking every row under
lock, and rebuild both tables on SQLite. The names are Django's own, the same on both databases.
"""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [
    ("inbox_conversation", "channel_id", "inbox_conversation_channel_id_8b41ed11"),
    ("inbox_conversation", "workspace_id", "inbox_conversation_workspace_id_5823640a"),
    ("inbox_message", "author_id", "inbox_message_author_id_6fb862c9"),
    ("inbox_message", "channel_id", "inbox_message_channel_id_5102d250"),
    ("inbox_message", "conversation_id", "inbox_message_conversation_id_37bc0d72"),
    ("inbox_message", "workspace_id", "inbox_message_workspace_id_9bbd5a9c"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('channels', '0001_initial'),
        ('inbox', '0003_author_banned_at'),
        ('workspaces', '0002_notification'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [f'DROP INDEX IF EXISTS "{name}"' for _table, _column, name in DROPPED],
                    reverse_sql=[
                        f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
                        for table, column, name in DROPPED
                    ],
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='conversation',
                    name='channel',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='conversations', to='channels.channel'),
                ),
                migrations.AlterField(
                    model_name='conversation',
                    name='workspace',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workspaces.workspace'),
                ),
                migrations.AlterField(
                    model_name='message',
                    name='author',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='messages', to='inbox.author'),
                ),
                migrations.AlterField(
                    model_name='message',
                    name='channel',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='channels.channel'),
                ),
                migrations.AlterField(
                    model_name='message',
                    name='conversation',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='inbox.conversation'),
                ),
                migrations.AlterField(
                    model_name='message',
                    name='workspace',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workspaces.workspace'),
                ),
            ],
        ),
    ]
