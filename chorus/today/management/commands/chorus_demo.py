from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chorus.today.demo import DEMO_EMAIL, create_demo


class Command(BaseCommand):
    help = "Create a demo workspace with invented French and English content."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        workspace, password = create_demo(os.environ.get("CHORUS_PASSWORD"), reset=options["reset"])
        self.stdout.write(self.style.SUCCESS(f"Demo workspace ready: {workspace.name}"))
        self.stdout.write(f"Sign in as {DEMO_EMAIL} with the password: {password}")
