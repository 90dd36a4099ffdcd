from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test import RequestFactory

from chorus.core.views import healthz


class Command(BaseCommand):
    help = "Check configuration, database and worker; exit 1 when something needs attention."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("check")
        response = healthz(RequestFactory().get("/healthz"))
        self.stdout.write(response.content.decode())
        database = (
            "PostgreSQL" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "SQLite"
        )
        queue = "Redis" if settings.REDIS_URL else "SQLite"
        self.stdout.write(f"database: {database}; queue: {queue}; e-mail: {settings.EMAIL_BACKEND}")
        if response.status_code != 200:
            raise CommandError("Chorus is not healthy: see database and worker above.")
