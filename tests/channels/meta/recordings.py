"""Meta's recorded Graph API bodies (``../shared/fixtures/facebook/``, SOURCE.md says where each
comes from), read as the tests' loopback Graph server hands them out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "facebook"


def recorded(relative: str) -> Any:
    """The body recorded at ``relative`` (e.g. ``"facebook/apidata/posts/feed_fields_p1.json"``)."""
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))
