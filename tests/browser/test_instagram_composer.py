"""The composer for an Instagram channel in a real browser: Instagram's look in the preview,
the caption rules said before anything is sent (a picture is needed, at most 30 hashtags), in
English and in French."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def _jpeg(path: Path) -> Path:
    image = Image.new("RGB", (800, 800), (238, 42, 123))
    for x in range(0, 800, 100):
        for y in range(0, 800, 100):
            if (x + y) // 100 % 2:
                image.paste((249, 206, 52), (x, y, x + 100, y + 100))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _signed_in(page, user: User, language: str) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    cookies = [
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base},
        {"name": "django_language", "value": language, "url": page.base},
    ]
    page.context.add_cookies(cookies)


@pytest.fixture
def instagram(workspace_a: Workspace) -> Channel:
    return Channel.objects.create(
        workspace=workspace_a,
        network="instagram",
        name="Vélo Club",
        remote_id="1784",
        handle="veloclub",
    )


@pytest.mark.parametrize(
    ("language", "too_many", "needs_picture"),
    [
        (
            "en",
            "31 hashtags, Instagram takes 30: remove 1.",
            "Instagram needs a picture or a video.",
        ),
        (
            "fr",
            "31 hashtags, Instagram en accepte 30 : retirez-en 1.",
            "Instagram demande une image ou une vidéo.",
        ),
    ],
)
def test_instagram_preview_and_caption_rules(  # type: ignore[no-untyped-def]
    page,
    alice: User,
    instagram: Channel,
    tmp_path: Path,
    settings,
    language,
    too_many,
    needs_picture,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    _signed_in(page, alice, language)
    page.goto(page.base + "/publishing/compose/")
    page.check(f"input[name=channels][value='{instagram.pk}']")
    card = page.locator(f".pv-block[data-channel='{instagram.pk}']")

    page.fill("#id_text", " ".join(f"#ride{n}" for n in range(31)))
    card.locator(".problem.error", has_text=too_many).wait_for()
    assert card.locator(".problem.error", has_text=needs_picture).count() == 1

    page.set_input_files("#composer-uploads", str(_jpeg(tmp_path / "ride.jpg")))
    page.wait_for_load_state()
    page.locator(".media-pick.chosen").wait_for()
    page.fill(".media-pick.chosen textarea", "Twelve riders on the Saône quays at sunrise")
    page.fill("#id_text", "Sunday ride to #Lyon with @anna.velo: meet at 9 on the quays ☕ #velo")
    card.locator(".pv-instagram img[alt^='Twelve riders']").wait_for()
    card.locator(".problem.error").first.wait_for(state="detached")
    assert card.locator(".pv-ig-head .pv-name").inner_text() == "veloclub"
    assert "Sunday ride to" in card.locator(".pv-ig-caption").inner_text()
    path = shot(page, f"instagram-composer-{language}")
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, DOCS_IMG / f"instagram-{language}.png")
