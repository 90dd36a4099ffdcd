from __future__ import annotations

import pytest
from mastodon_recordings import FIXTURES


@pytest.fixture(autouse=True, scope="session")
def _fixtures_present() -> None:
    if not FIXTURES.is_dir():
        pytest.fail(
            f"Mastodon recordings not found at {FIXTURES}: check out shared/ beside the repo"
        )
