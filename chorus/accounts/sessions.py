"""Sessions in the database, each read at most once per write stamp in a web process.

Every page view reads its session; while nothing was written (sessions are written through the
same connection, and watched like any table: ``chorus/core/writes.py``), the row is the one read
last time, so the decoded session is kept. A session kept past its expiry is never used.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.utils import timezone

from chorus.core import writes

KEPT = writes.Shelf(4096)


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        key = (self.session_key, writes.for_this_request()) if self.session_key else None
        found = KEPT.take(key) if key else None
        if found is not None and found[1] > timezone.now():
            return dict(found[0])
        row = self._get_session_from_db()  # type: ignore[attr-defined]
        if row is None:
            return {}
        data: dict[str, Any] = self.decode(row.session_data)
        if key:
            KEPT.keep(key, (data, row.expire_date))
        return data
