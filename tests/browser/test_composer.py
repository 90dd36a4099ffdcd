"""The composer in a real browser: live counter and preview, an over-limit error, an uploaded
picture with its description, scheduling; then the post page and the media library."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing.models import Media, PostTarget, State
from chorus.workspaces.models import Workspace
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png(path: Path) -> Path:
    image = Image.new("RGB", (640, 420), (79, 70, 229))
    for x in range(0, 640, 40):
        for y in range(0, 420, 40):
            if (x + y) // 40 % 2:
                image.paste((165, 180, 252), (x, y, x + 40, y + 40))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _signed_in(page, user: User, language: str = "en") -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    cookies = [
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base},
        {"name": "django_language", "value": language, "url": page.base},
    ]
    page.context.add_cookies(cookies)


@pytest.fixture
def channels(workspace_a: Workspace) -> list[Channel]:
    return [
        Channel.objects.create(
            workspace=workspace_a, network=network, name=name, remote_id=name, handle=handle
        )
        for network, name, handle in [
            ("mastodon", "Vélo Club", "@veloclub@mastodon.social"),
            ("bluesky", "Vélo Club", "@veloclub.bsky.social"),
        ]
    ]


def test_write_preview_fix_upload_describe_and_schedule(  # type: ignore[no-untyped-def]
    page, alice: User, channels: list[Channel], tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    mastodon, bluesky = channels
    _signed_in(page, alice)
    page.goto(page.base + "/publishing/compose/")
    page.check(f"input[name=channels][value='{mastodon.pk}']")
    page.check(f"input[name=channels][value='{bluesky.pk}']")

    page.fill(
        "#id_text", "Sunday ride to #Lyon with @anna@piaille.fr — details https://example.org"
    )
    bluesky_card = page.locator(f".pv-block[data-channel='{bluesky.pk}']")
    bluesky_card.locator(".pv-text", has_text="Sunday ride").wait_for()
    assert bluesky_card.locator(".pv-tag", has_text="#Lyon").count() == 1
    assert page.locator(f".pv-block[data-channel='{mastodon.pk}'] .pv-count").inner_text() == (
        "65 / 500"  # the link counts 23 and the remote mention its local part only
    )

    page.fill("#id_text", "é" * 312)
    error = bluesky_card.locator(".problem.error")
    error.wait_for()
    assert "312 characters, Bluesky takes 300: cut 12." in error.inner_text()

    page.set_input_files("#composer-uploads", str(_png(tmp_path / "ride.png")))
    page.wait_for_load_state()
    page.locator(".media-pick.chosen").wait_for()
    page.fill(".media-pick.chosen textarea", "Twelve riders on the Saône quays at sunrise")
    page.fill("#id_text", "Sunday ride to #Lyon: meet at 9 on the Saône quays, coffee after!")
    page.locator(".pv-block img[alt^='Twelve riders']").first.wait_for()
    page.locator(".problem.error").first.wait_for(state="detached")  # no eval: the CSP forbids it
    shot(page, "composer-en")

    page.fill("#id_scheduled_at", "2030-06-02T09:00")
    page.click("button[value=schedule]")
    page.wait_for_url("**/publishing/posts/*/")
    assert "Scheduled." in page.inner_text(".flash")
    assert page.locator(".pp-variant .pill.state-scheduled").count() == 2
    shot(page, "post-page")

    targets = PostTarget.objects.filter(post__workspace=alice.memberships.get().workspace)
    assert set(targets.values_list("state", flat=True)) == {State.SCHEDULED}
    assert Media.objects.get().alt_text == "Twelve riders on the Saône quays at sunrise"

    page.goto(page.base + "/publishing/media/")
    assert "Used in 1 post" in page.inner_text(".media-grid")
    shot(page, "media-library")


def test_composer_in_french(page, alice: User, channels: list[Channel]) -> None:  # type: ignore[no-untyped-def]
    _signed_in(page, alice, "fr")
    page.goto(page.base + "/publishing/compose/")
    for channel in channels:
        page.check(f"input[name=channels][value='{channel.pk}']")
    page.fill("#id_text", "Balade dimanche à #Lyon ! Rendez-vous à 9 h sur les quais de Saône.")
    page.locator(".pv-block .pv-count").first.wait_for()
    page.click(f".composer-tabs .tab[data-channel='{channels[0].pk}']")
    assert page.locator(f".variant-panel[data-channel='{channels[0].pk}']").is_visible()
    assert page.get_attribute("html", "lang") == "fr"
    shot(page, "composer-fr")


def test_insert_a_hashtag_group_then_find_the_post_in_the_list(  # type: ignore[no-untyped-def]
    page, alice: User, channels: list[Channel]
) -> None:
    _signed_in(page, alice)
    page.goto(page.base + "/publishing/library/")
    page.fill("#id_hashtags-name", "Ride")
    page.fill("#id_hashtags-hashtags", "#velo #lyon")
    page.click("form:has(input[value=hashtags]) button")
    page.fill("#id_snippet-name", "Sign-off")
    page.fill("#id_snippet-text", "See you on the road! The Vélo Club team")
    page.click("form:has(input[value=snippet]) button")
    assert "#velo #lyon" in page.inner_text(".library-list")
    shot(page, "text-library")

    page.goto(page.base + "/publishing/compose/")
    page.check(f"input[name=channels][value='{channels[1].pk}']")
    page.fill("#id_text", "Sunday ride")
    page.select_option("#insert-pick", label="Ride")
    page.click("button[data-insert]")
    assert page.input_value("#id_text") == "Sunday ride #velo #lyon"
    page.locator(".pv-tag", has_text="#velo").wait_for()
    page.click(".action-buttons button[value=draft]")
    page.wait_for_url("**/publishing/posts/*/")
    page.goto(page.base + "/publishing/posts/")
    assert "Sunday ride #velo #lyon" in page.inner_text("table")
    shot(page, "posts-list")
