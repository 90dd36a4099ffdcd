"""Alice connects Facebook Pages like a person would: the connect page, Facebook's dialog (Meta's
side on loopback answers with the code), the chooser, then the Page's own page — in English and
French, with screenshots to look at."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from chorus.channels.models import Channel
from tests.browser.conftest import shot, sign_in
from tests.channels.facebook.conftest import (  # noqa: F401 - the loopback Graph fixtures
    V,
    graph,
    page_channel,
)
from tests.channels.facebook.test_facebook_login import _meta_answers
from tests.loopback import Heard, Reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _dialog(heard: Heard) -> Reply:
    """Facebook's dialog, as after the person approved: back to Chorus with a code."""
    back = (
        heard.query["redirect_uri"] + "?" + urlencode({"code": "c", "state": heard.query["state"]})
    )
    return Reply(302, b"", {"Location": back})


def test_alice_connects_two_pages_from_one_sign_in(page, alice, workspace_a, graph) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _meta_answers(graph)
    graph.on("GET", f"{V}/dialog/oauth", _dialog)
    sign_in(page, alice)

    page.goto(page.base + "/channels/connect/facebook/")
    shot(page, "facebook-connect-en")
    page.click("text=Continue with Facebook")
    page.wait_for_url("**/connect/facebook/choose/")
    shot(page, "facebook-choose-en")
    page.click(".sidebar .lang-switch button[value=fr]")
    page.wait_for_load_state()
    shot(page, "facebook-choose-fr")
    page.uncheck("input[name=account][value='2']")
    page.uncheck("input[name=account][value='3']")
    page.uncheck("input[name=account][value='4']")
    page.uncheck("input[name=account][value='5']")
    page.click("button.btn.primary")
    page.wait_for_url("**/channels/")

    connected = Channel.objects.filter(workspace=workspace_a, network="facebook")
    assert sorted(c.remote_id for c in connected) == ["123", "1234"]
    channel = connected.get(remote_id="123")
    page.goto(page.base + f"/channels/{channel.pk}/")
    assert page.locator("#facebook-access").is_visible()
    shot(page, "facebook-channel-fr")
    page.goto(page.base + "/channels/connect/facebook/")
    shot(page, "facebook-connect-fr")
    page.goto(page.base + "/channels/connect/")
    shot(page, "facebook-grid-fr")


def test_page_without_meta_app(page, alice, workspace_a, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_META_APP_ID = ""
    sign_in(page, alice)

    page.goto(page.base + "/channels/connect/")
    # Facebook's card and Instagram's (the same Meta app) both say it.
    assert page.locator("text=Needs a Meta app first").count() == 2
    assert page.locator("text=Needs a Meta app first").first.is_visible()
    shot(page, "facebook-grid-no-app-en")
    page.goto(page.base + "/channels/connect/facebook/")
    shot(page, "facebook-connect-no-app-en")


def test_the_composer_previews_a_page_post(page, alice, page_channel) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    sign_in(page, alice)
    page.goto(page.base + "/publishing/compose/")
    page.check(f"input[name=channels][value='{page_channel.pk}']")

    page.fill("#id_text", "Sunday ride to Lyon: meet at 9 on the quays. https://example.org/ride")

    card = page.locator(f".pv-block[data-channel='{page_channel.pk}']")
    card.locator(".pv-text", has_text="Sunday ride").wait_for()
    assert "AAAAAAAAA" in card.inner_text()
    shot(page, "facebook-composer-en")
