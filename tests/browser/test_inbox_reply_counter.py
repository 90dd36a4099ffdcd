"""The reply box counts as Mastodon does: a bridged mention by its username, a link as 23, and
it never stops someone typing a reply the server would take (no browser maxlength)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.inbox import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BRIDGED = "@name.bsky.social@bsky.brid.gy"


def test_a_reply_full_of_bridged_mentions_fits(page, alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    talk = factories.conversation(factories.channel(workspace_a), "Hello from the bridge")
    text = " ".join([BRIDGED] * 20) + " " + "x" * 140  # 659 typed, 500 as Mastodon counts
    sign_in(page, alice)
    page.goto(f"{page.base}/inbox/{talk.pk}/")

    page.fill("#reply-text", text)

    assert page.input_value("#reply-text") == text  # nothing cut off
    assert page.inner_text("[data-counter]") == "0"
    assert "over" not in (page.get_attribute("[data-counter]", "class") or "")
    page.fill("#reply-text", "see https://example.com/" + "a" * 600)
    assert page.inner_text("[data-counter]") == str(500 - 4 - 23)
