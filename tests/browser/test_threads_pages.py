"""Threads in the browser: connecting a profile by signing in on (a loopback) Threads, and the
composer's Threads preview and count, in English and French.

Threads' side is a loopback server: the token answers are the recorded bodies
(``base/threads_user_token.json``, ``base/threads_user_long_lived_token.json``); the approval page
and the profile follow Meta's documented shapes.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace
from tests.browser.conftest import shot
from tests.channels.meta.recordings import recorded
from tests.loopback import Loopback, Reply, serving

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPROVE_PAGE = (
    "<html><body><h1>Threads</h1><p>Allow Chorus to access your profile?</p></body></html>"
)


@pytest.fixture
def threads_app(settings) -> Iterator[Loopback]:  # type: ignore[no-untyped-def]
    with serving() as meta:
        settings.CHORUS_THREADS_GRAPH_URL = meta.root
        settings.CHORUS_THREADS_AUTHORIZE_URL = f"{meta.root}/oauth/authorize"
        settings.CHORUS_THREADS_APP_ID = "threads-app-1"
        settings.CHORUS_THREADS_APP_SECRET = "threads-secret-1"
        meta.on("GET", "/oauth/authorize", Reply(200, APPROVE_PAGE, {"content-type": "text/html"}))
        meta.on("POST", "/oauth/access_token", Reply(200, recorded("base/threads_user_token.json")))
        meta.on(
            "GET", "/access_token", Reply(200, recorded("base/threads_user_long_lived_token.json"))
        )
        meta.on("GET", "/v1.0/me", Reply(200, {"id": "12345678", "username": "velo.club"}))
        yield meta


def _signed_in(page, user: User, language: str = "en") -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    cookies = [
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base},
        {"name": "django_language", "value": language, "url": page.base},
    ]
    page.context.add_cookies(cookies)


def test_connect_a_threads_profile(page, alice: User, workspace_a, threads_app) -> None:  # type: ignore[no-untyped-def]
    _signed_in(page, alice)
    page.goto(page.base + "/channels/connect/")
    page.click(".network-card[href$='/threads/']")
    page.locator("h1", has_text="Connect Threads").wait_for()
    shot(page, "threads-connect-en")

    page.click("button:has-text('Continue on Threads')")
    page.wait_for_url(f"{threads_app.root}/oauth/authorize**")
    state = parse_qs(urlsplit(page.url).query)["state"][0]
    # What Threads does when the person clicks "Allow": back to Chorus with a code.
    page.goto(f"{page.base}/channels/connect/threads/callback/?code=C0DE&state={state}")
    page.wait_for_url("**/channels/")

    assert "velo.club is connected." in page.inner_text("main")
    shot(page, "threads-connected-en")
    channel = Channel.objects.get(workspace=workspace_a, network="threads")
    assert channel.remote_id == "12345678" and channel.credentials["access_token"] == "THQVJ..."


def test_connect_page_in_french(page, alice: User, workspace_a, threads_app) -> None:  # type: ignore[no-untyped-def]
    _signed_in(page, alice, "fr")
    page.goto(page.base + "/channels/connect/threads/")
    page.locator("h1", has_text="Connecter Threads").wait_for()
    assert "Continuer sur Threads" in page.inner_text("main")
    shot(page, "threads-connect-fr")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_composer_counts_as_threads_does(  # type: ignore[no-untyped-def]
    page, alice: User, workspace_a: Workspace, language: str
) -> None:
    channel = Channel.objects.create(
        workspace=workspace_a,
        network="threads",
        name="Vélo Club",
        remote_id="12345678",
        handle="@velo.club",
    )
    _signed_in(page, alice, language)
    page.goto(page.base + "/publishing/compose/")
    page.check(f"input[name=channels][value='{channel.pk}']")

    page.fill("#id_text", "Sunday ride to Lyon 🚲 coffee after at the Saône quays!")
    card = page.locator(f".pv-block[data-channel='{channel.pk}']")
    card.locator(".pv-text", has_text="Sunday ride").wait_for()
    assert (
        card.locator(".pv-count").inner_text() == "57 / 500"
    )  # 53 characters and the bicycle, 4 bytes

    shot(page, f"threads-composer-{language}")
