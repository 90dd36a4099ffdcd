"""Author and Person now belong to the ``people`` app (people 0001); their tables stay as they
are. State only: the inbox's foreign keys point at ``people.author`` (same table, same column,
same database constraint), and the two models leave the inbox's state. The content types are
renamed so anything tied to them (permissions, admin history) follows the models.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("author", "person")


def content_types_to(app_label: str, other: str):
    def rename(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        types = ContentType.objects.using(db)
        # One already there (post_migrate made it) wins; the old one stays stale, as Django
        # leaves any content type of a model that is gone.
        there = types.filter(app_label=app_label, model__in=MOVED).values_list("model", flat=True)
        moving = [name for name in MOVED if name not in set(there)]
        types.filter(app_label=other, model__in=moving).update(app_label=app_label)

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("inbox", "0005_message_extras"),
        ("people", "0001_initial"),
    ]

    state_operations = [
        migrations.AlterField(
            model_name="conversation",
            name="author",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="conversations", to="people.author"),
        ),
        migrations.AlterField(
            model_name="message",
            name="author",
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="messages", to="people.author"),
        ),
        migrations.AlterField(
            model_name="authorlist",
            name="authors",
            field=models.ManyToManyField(blank=True, related_name="lists", to="people.author"),
        ),
        migrations.DeleteModel(name="Author"),
        migrations.DeleteModel(name="Person"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[]),
        migrations.RunPython(content_types_to("people", "inbox"), content_types_to("inbox", "people")),
    ]
