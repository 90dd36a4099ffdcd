"""Message.extras: what came with a message's text (media, poll, quoted post, edit time, content
warning, who else it addresses).

Nullable with no default, so both databases add the column without rewriting the table
(ALTER TABLE ... ADD COLUMN; SQLite's schema editor only rebuilds a table for a column with a
default or a NOT NULL), quick on an inbox of millions of messages.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inbox", "0004_fk_indexes_covered_by_composites")]

    operations = [
        migrations.AddField(
            model_name="message",
            name="extras",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
