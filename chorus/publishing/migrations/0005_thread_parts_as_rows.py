"""Thread parts become rows: ``PostPart`` replaces the progress kept in a target's ``options``
(``thread_done``, ``thread_pending``, ``thread_retry_at``, ``thread_attempts``).

Forward, a published (or since deleted) target with a thread or a first comment gets one row per
part: the parts in ``thread_done`` are published with their ids, the next one is scheduled at
its retry time if the thread was pending (so publishing resumes at the right part), and the rest
failed if it was not (it had stopped: a person decides). Backward, the rows become the keys again.
"""

from datetime import datetime

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

PROGRESS = ("thread_done", "thread_pending", "thread_retry_at", "thread_attempts")
HAS_PARTS = Q(options__has_key="thread") | Q(options__has_key="first_comment")


def planned(options):
    """(text, answers, is_comment) for parts 2, 3…: as PostPart.planned_for, frozen here."""
    thread = [str(text) for text in options.get("thread") or [] if str(text).strip()]
    parts = [(text, i + 1, False) for i, text in enumerate(thread)]
    if comment := str(options.get("first_comment") or "").strip():
        parts.append((comment, 1, True))
    return parts


def part_state(target, index, done):
    """State, due time and attempts of the part at ``index`` (0 is part 2) from the old keys."""
    options = target.options
    if index < len(done):
        return "published", None, 0
    if options.get("thread_pending") and target.state == "published":
        retry_at = options.get("thread_retry_at")
        due = datetime.fromisoformat(str(retry_at)) if retry_at else timezone.now()
        attempts = int(options.get("thread_attempts") or 0) if index == len(done) else 0
        return "scheduled", due, attempts
    return "failed", None, 0


def progress_to_rows(apps, schema_editor):
    PostTarget = apps.get_model("publishing", "PostTarget")
    PostPart = apps.get_model("publishing", "PostPart")
    targets = PostTarget.objects.filter(HAS_PARTS, state__in=("published", "deleted"))
    for target in targets.iterator():
        done = [str(remote) for remote in target.options.get("thread_done") or []]
        rows = []
        for index, (text, answers, is_comment) in enumerate(planned(target.options)):
            state, due_at, attempts = part_state(target, index, done)
            rows.append(
                PostPart(
                    workspace_id=target.workspace_id,
                    target_id=target.pk,
                    position=index + 2,
                    answers=answers,
                    is_comment=is_comment,
                    text=text,
                    state=state,
                    due_at=due_at,
                    attempts=attempts,
                    remote_id=done[index] if index < len(done) else "",
                    published_at=target.published_at if index < len(done) else None,
                    last_error=target.last_error if state == "failed" else "",
                )
            )
        PostPart.objects.bulk_create(rows)
        options = {k: v for k, v in target.options.items() if k not in PROGRESS}
        PostTarget.objects.filter(pk=target.pk).update(options=options)


def rows_to_progress(apps, schema_editor):
    PostTarget = apps.get_model("publishing", "PostTarget")
    PostPart = apps.get_model("publishing", "PostPart")
    for target in PostTarget.objects.filter(parts__isnull=False).distinct().iterator():
        parts = list(PostPart.objects.filter(target_id=target.pk).order_by("position"))
        done, options = [], dict(target.options)
        for part in parts:
            if part.state != "published":
                break
            done.append(part.remote_id)
        options["thread_done"] = done
        waiting = [p for p in parts if p.state in ("scheduled", "publishing", "unconfirmed")]
        if waiting:
            options["thread_pending"] = True
            options["thread_attempts"] = waiting[0].attempts
            if waiting[0].due_at:
                options["thread_retry_at"] = waiting[0].due_at.isoformat()
        PostTarget.objects.filter(pk=target.pk).update(options=options)


class Migration(migrations.Migration):

    dependencies = [
        ('publishing', '0004_posttarget_taken_by'),
        ('workspaces', '0002_notification'),
    ]

    operations = [
        migrations.CreateModel(
            name='PostPart',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('answers', models.PositiveSmallIntegerField(default=1)),
                ('is_comment', models.BooleanField(default=False)),
                ('text', models.TextField()),
                ('state', models.CharField(choices=[('draft', 'Draft'), ('awaiting_approval', 'Awaiting approval'), ('scheduled', 'Scheduled'), ('publishing', 'Publishing'), ('published', 'Published'), ('failed', 'Failed'), ('unconfirmed', 'Unconfirmed'), ('deleted', 'Deleted')], default='scheduled', max_length=20)),
                ('due_at', models.DateTimeField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=0)),
                ('remote_id', models.CharField(blank=True, max_length=200)),
                ('remote_url', models.URLField(blank=True, max_length=500)),
                ('published_at', models.DateTimeField(blank=True, null=True)),
                ('attempts', models.PositiveIntegerField(default=0)),
                ('last_error', models.TextField(blank=True)),
                ('claimed_at', models.DateTimeField(blank=True, null=True)),
                ('state_changed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='parts', to='publishing.posttarget')),
                ('workspace', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workspaces.workspace')),
            ],
            options={
                'ordering': ['position'],
                'indexes': [models.Index(fields=['state', 'due_at'], name='part_due')],
                'constraints': [models.UniqueConstraint(fields=('target', 'position'), name='one_part_per_position')],
            },
        ),
        migrations.RunPython(progress_to_rows, rows_to_progress),
    ]
