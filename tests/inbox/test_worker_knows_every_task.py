"""A worker knows every inbox task from the start, whichever process queued it.

A worker imports the apps' ``tasks`` modules; the network moderation task lived in a module only
imported when a rule first queued something in that same process, so a hide queued by the web
(an undo) or by another worker reached a worker that could not run it. Run in a fresh
interpreter: this test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # this checkout, not an installed copy

WORKER_START = """
import json, django
django.setup()
from django.utils.module_loading import autodiscover_modules
autodiscover_modules("tasks")  # what huey's run_huey does
from huey.contrib.djhuey import HUEY
print(json.dumps(sorted(HUEY._registry._registry)))
"""


def test_a_fresh_worker_has_the_moderation_task_and_every_inbox_task() -> None:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "chorus.settings",
        "CHORUS_SECRET_KEY": os.environ.get("CHORUS_SECRET_KEY", "worker-start-test"),
    }
    output = subprocess.run(
        [sys.executable, "-c", WORKER_START],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        cwd=ROOT,
    )

    registered = set(json.loads(output.stdout.strip().splitlines()[-1]))
    assert "chorus.inbox.tasks_rules.moderate_on_network" in registered
    assert "chorus.inbox.tasks.poll_channel_task" in registered
