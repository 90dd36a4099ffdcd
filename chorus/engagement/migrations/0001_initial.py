# The engagement app's first migration: each family (contests, polls, relations) adds its own on top.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations: list[migrations.operations.base.Operation] = []
