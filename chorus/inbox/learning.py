"""Learning from the team: corrections of sentiment and intent, and the workspace's adapters.

A person fixes a label; the message keeps the fix (``*_corrected``), a Correction keeps the text
(so retraining survives the message being deleted), and the workspace's adapter is retrained
shortly after, once per burst of corrections. Classification then applies the workspace's own
adapters on top of the shared classifier: one workspace's corrections never touch another's.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any

import django
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.classify import Classification, get_classifier
from chorus.classify.adapt import FIELD_LABELS, WorkspaceAdapter
from chorus.inbox import background
from chorus.inbox.models import Conversation, Correction, Direction, Message, WorkspaceModel
from chorus.workspaces.models import Workspace

RETRAIN_DELAY_SECONDS = 30  # corrections come in bursts: train once the burst is over
MAX_CORRECTIONS = 5000  # the newest ones; older habits matter less and training stays quick


def record_correction(message: Message, field: str, value: str, by: Any) -> Correction:
    """A person says the classifier was wrong about ``field`` of ``message``."""
    labels = FIELD_LABELS.get(field)
    if labels is None:
        raise ValidationError({"field": _("Only sentiment and intent can be corrected.")})
    if value not in labels:
        raise ValidationError({"value": _("“%(value)s” is not a known label.") % {"value": value}})
    with transaction.atomic():
        old = getattr(message, field)
        setattr(message, field, value)
        setattr(message, f"{field}_corrected", True)
        message.save(update_fields=[field, f"{field}_corrected"])
        correction = Correction.objects.create(
            workspace_id=message.workspace_id,
            message=message,
            field=field,
            old_value=old,
            new_value=value,
            text=message.text,
            by=by,
        )
        if field == "sentiment":
            _roll_up_sentiment(message)
    schedule_retrain(message.workspace_id, field)
    return correction


def _roll_up_sentiment(message: Message) -> None:
    """The conversation shows the sentiment of its latest incoming message: keep it true."""
    latest = (
        Message.objects.filter(
            conversation_id=message.conversation_id, direction=Direction.INCOMING
        )
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if latest == message.pk:
        Conversation.objects.filter(pk=message.conversation_id).update(sentiment=message.sentiment)


def schedule_retrain(workspace_id: int, field: str) -> None:
    background.retrain_after_commit(workspace_id, field)


def retrain(workspace: Workspace | int, field: str) -> WorkspaceModel | None:
    """Build the adapter from the workspace's corrections and store it; None if nothing to learn.

    Skips the work when no correction is newer than the stored model: that is the debounce,
    because every correction of a burst schedules a retrain and only the first one finds news.
    """
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    corrections = Correction.objects.filter(workspace_id=workspace_id, field=field)
    stored = WorkspaceModel.objects.filter(workspace_id=workspace_id, field=field).first()
    newest = corrections.order_by("-created_at").values_list("created_at", flat=True).first()
    if newest is None or (stored and stored.trained_at >= newest):
        return stored
    rows = list(corrections.order_by("-created_at").values_list("text", "new_value"))
    # The latest word on a text wins: a person may change their mind about the same message.
    latest = dict(reversed(rows[:MAX_CORRECTIONS]))
    adapter = WorkspaceAdapter.from_corrections(list(latest.items()), field=field)
    model, _created = WorkspaceModel.objects.update_or_create(
        workspace_id=workspace_id,
        field=field,
        defaults={
            "data": adapter.to_bytes(),
            "corrections": len(latest),
            "trained_at": max(timezone.now(), newest),
        },
    )
    return model


# -- classification with the workspace's adapters -----------------------------------------------

_adapters: dict[tuple[int, str], tuple[datetime, WorkspaceAdapter]] = {}
_adapters_lock = threading.Lock()


def adapters_for(workspace_id: int) -> list[WorkspaceAdapter]:
    """This workspace's adapters, loaded once per process and again when retrained.

    One light query (no model bytes) tells whether the cached copies are still current.
    """
    current = dict(
        WorkspaceModel.objects.filter(workspace_id=workspace_id).values_list("field", "trained_at")
    )
    adapters = []
    for field, trained_at in sorted(current.items()):
        key = (workspace_id, field)
        with _adapters_lock:
            cached = _adapters.get(key)
        if cached is None or cached[0] != trained_at:
            data = WorkspaceModel.objects.values_list("data", flat=True).get(
                workspace_id=workspace_id, field=field
            )
            cached = (trained_at, WorkspaceAdapter.from_bytes(bytes(data)))
            with _adapters_lock:
                _adapters[key] = cached
        adapters.append(cached[1])
    return adapters


def classify_for(workspace: Workspace | int, texts: Sequence[str]) -> list[Classification]:
    """The shared classifier's batch, then the workspace's corrections on top."""
    if not texts:
        return []
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    # The same words arrive many times ("merci !", "first", a copied complaint): once each.
    distinct = list(dict.fromkeys(texts))
    classifications = base_classify(distinct)
    for adapter in adapters_for(workspace_id):
        classifications = adapter.adjust(distinct, classifications)
    by_text = dict(zip(distinct, classifications, strict=True))
    return [by_text[text] for text in texts]


# -- the shared classifier, optionally spread over processes ------------------------------------

POOL_MIN_TEXTS = 256  # below this, shipping texts to other processes costs more than it saves
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def pool_size() -> int:
    """``CHORUS_CLASSIFY_PROCESSES``: classifier processes for big batches (0 = in this one).

    The classifier is pure CPU work in Python: on a machine with spare cores, a worker that
    ingests big batches (backfills, busy channels) classifies them in parallel this way.
    """
    try:
        return max(0, int(os.environ.get("CHORUS_CLASSIFY_PROCESSES", "0")))
    except ValueError:
        return 0


def _shared_pool(size: int) -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # spawn: a fresh process, never a fork of a threaded worker holding locks.
            context = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(size, mp_context=context, initializer=django.setup)
        return _pool


def shutdown_pool() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown()
            _pool = None


def base_classify(texts: Sequence[str]) -> list[Classification]:
    size = pool_size()
    if size < 2 or len(texts) < POOL_MIN_TEXTS:
        return get_classifier().classify_many(texts)
    step = -(-len(texts) // size)
    chunks = [list(texts[start : start + step]) for start in range(0, len(texts), step)]
    results = _shared_pool(size).map(_classify_chunk, chunks)
    return [classification for chunk in results for classification in chunk]


def _classify_chunk(texts: list[str]) -> list[Classification]:
    return get_classifier().classify_many(texts)
