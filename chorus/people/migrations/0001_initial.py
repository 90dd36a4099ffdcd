"""Author and Person come from the inbox with their tables (``inbox_author``, ``inbox_person``):
this creates them in Django's state only; the database already has them (inbox 0001).

It runs after the inbox's last migration of the old layout, so the tables exist and the state
it recreates is the one the inbox had; inbox 0006 then drops them from the inbox's state and
points its foreign keys here.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("workspaces", "0002_notification"),
        ("inbox", "0005_message_extras"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("notes", models.TextField(blank=True, verbose_name="notes")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("workspace", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="workspaces.workspace")),
            ],
            options={"db_table": "inbox_person", "ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="Author",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("network", models.CharField(max_length=32)),
                ("remote_id", models.CharField(max_length=300)),
                ("handle", models.CharField(blank=True, max_length=300)),
                ("display_name", models.CharField(blank=True, max_length=300)),
                ("url", models.URLField(blank=True, max_length=500)),
                ("avatar_url", models.URLField(blank=True, max_length=500)),
                ("followers", models.PositiveIntegerField(blank=True, null=True)),
                ("first_seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("message_count", models.PositiveIntegerField(default=0)),
                ("banned_at", models.DateTimeField(blank=True, null=True)),
                ("person", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="accounts", to="people.person")),
                ("workspace", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="workspaces.workspace")),
            ],
            options={
                "db_table": "inbox_author",
                "constraints": [
                    models.UniqueConstraint(fields=("workspace", "network", "remote_id"), name="one_author_per_account"),
                ],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
    ]
