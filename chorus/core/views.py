from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from chorus.core.models import WorkerHeartbeat


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def _worker_status() -> tuple[bool, str | None]:
    try:
        newest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    except DatabaseError:
        return False, None
    if newest is None:
        return False, None
    fresh = timezone.now() - newest.seen_at < timedelta(
        seconds=settings.CHORUS_WORKER_STALE_SECONDS
    )
    return fresh, newest.seen_at.isoformat()


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database_ok = _database_ok()
    worker_ok, last_beat = _worker_status() if database_ok else (False, None)
    body = {
        "status": "ok" if database_ok and worker_ok else "down",
        "database": "ok" if database_ok else "down",
        "worker": "ok" if worker_ok else "down",
        "worker_last_seen": last_beat,
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
