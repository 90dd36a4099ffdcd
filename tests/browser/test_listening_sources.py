"""The sources page in a real browser: add a feed served on loopback, see it read, see a failing
source's error; in English and in French."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chorus.listening.models import ListeningSource, Mention
from tests.browser.conftest import shot, sign_in
from tests.loopback import Loopback, Reply, serving

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FEED = (
    Path(__file__).parents[1] / "listening" / "sources" / "feeds" / "blogger_atom.xml"
).read_bytes()


@pytest.fixture
def feeds() -> Iterator[Loopback]:
    with serving() as loopback:
        loopback.on(
            "GET", "/atom", Reply(body=FEED, headers={"content-type": "application/atom+xml"})
        )
        loopback.on("GET", "/broken", Reply(503, b"down", {"content-type": "text/plain"}))
        yield loopback


def _in(page, language: str) -> None:  # type: ignore[no-untyped-def]
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base}])


def test_add_a_feed_and_watch_it_being_read(page, alice, workspace_a, feeds) -> None:  # type: ignore[no-untyped-def]
    broken = ListeningSource.objects.create(
        workspace=workspace_a,
        kind="rss",
        name="Forum (moved)",
        settings={"url": feeds.root + "/broken"},
    )
    sign_in(page, alice)
    page.goto(page.base + "/listening/sources/")
    page.get_by_role("button", name="Read now").click()  # the broken one: it fails, in words
    page.get_by_role("link", name="Add a source").click()
    page.get_by_role("link", name="RSS or Atom feed").click()
    page.fill("#id_name", "Gadget Grumbles")
    page.fill("#id_setting_url", feeds.root + "/atom")
    page.get_by_role("button", name="Add the source").click()

    row = page.locator("tr", has_text="Gadget Grumbles")
    assert "Working" in row.inner_text() and "2 posts" in row.inner_text()
    failing = page.locator("tr", has_text="Forum (moved)").inner_text()
    assert "Failing, retrying" in failing and "HTTP 503" in failing
    assert (
        Mention.objects.filter(workspace=workspace_a, source__name="Gadget Grumbles").count() == 2
    )
    shot(page, "listening-sources-en")
    broken.refresh_from_db()
    assert broken.failures == 1

    _in(page, "fr")
    page.goto(page.base + "/listening/sources/")
    assert page.get_by_role("heading", name="Sources de veille").is_visible()
    assert "Fonctionne" in page.locator("tr", has_text="Gadget Grumbles").inner_text()
    shot(page, "listening-sources-fr")
    page.get_by_role("link", name="Ajouter une source").click()
    shot(page, "listening-sources-choose-fr")
    page.get_by_role("link", name="Flux RSS ou Atom").click()
    page.fill("#id_name", "Intranet")
    page.fill("#id_setting_url", "http://10.0.0.8/feed")
    page.get_by_role("button", name="Ajouter la source").click()
    assert page.get_by_text("réseau privé").is_visible()
    shot(page, "listening-sources-form-fr")
    assert ListeningSource.objects.filter(workspace=workspace_a).count() == 2
