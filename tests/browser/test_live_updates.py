"""Open pages follow what happens without a reload: the inbox list, its counts, a post."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.channels.base import InboxItem
from chorus.channels.models import Channel
from chorus.inbox import services as inbox_services
from chorus.inbox.ingest import ingest
from chorus.inbox.models import Conversation, Label
from chorus.publishing import services
from chorus.publishing.models import State
from tests.browser.conftest import shot, sign_in
from tests.inbox.ingest_support import make_channel, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _item(remote_id: str, text: str, n: int) -> InboxItem:
    return InboxItem(
        remote_id=remote_id, kind="comment", conversation_id=remote_id, author=person(n),
        text=text, created_at=timezone.now(), url=f"https://social.example/@user{n}/{remote_id}",
    )  # fmt: skip


@pytest.fixture
def quick(settings):  # type: ignore[no-untyped-def]
    settings.CHORUS_LIVE_UPDATE_SECONDS = 1


def test_a_message_ingested_while_the_inbox_is_open_appears(page, alice, workspace_a, quick):  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a)
    ingest(channel, [_item("m1", "Where is my parcel?", 1)])
    sign_in(page, alice)
    page.goto(page.base + "/inbox/")
    assert page.locator("[data-row]").count() == 1
    ingest(channel, [_item("m2", "Do you ship to Germany?", 2)])
    page.locator("[data-row]", has_text="Do you ship to Germany?").wait_for()
    assert page.locator("[data-row]").count() == 2
    all_open = page.locator("#inbox-filters a", has_text="All open").locator(".n")
    assert all_open.inner_text() == "2"
    shot(page, "inbox-live-en")


def test_an_empty_inbox_fills_itself(page, alice, workspace_a, quick) -> None:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a)
    sign_in(page, alice)
    page.goto(page.base + "/inbox/")
    assert page.locator(".inbox-empty").is_visible()
    ingest(channel, [_item("m1", "Is the shop open on Sunday?", 3)])
    page.locator("[data-row]", has_text="Is the shop open on Sunday?").wait_for()
    assert not page.locator(".inbox-empty").is_visible()


NEXT_TURN = """() => new Promise((resolve) => {
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt.id === "inbox-live") resolve(event.defaultPrevented);
  });
})"""


def test_a_selection_is_kept_while_messages_arrive(page, alice, workspace_a, quick) -> None:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a)
    ingest(channel, [_item("m1", "Where is my parcel?", 1)])
    sign_in(page, alice)
    page.goto(page.base + "/inbox/")
    page.locator("[data-row] input[name=ids]").first.check()
    ingest(channel, [_item("m2", "Do you ship to Germany?", 2)])
    assert page.evaluate(NEXT_TURN) is True  # the turn was skipped
    assert page.locator("[data-row] input[name=ids]").first.is_checked()
    assert page.locator("[data-row]").count() == 1
    page.locator("[data-row] input[name=ids]").first.uncheck()
    page.locator("[data-row]", has_text="Do you ship to Germany?").wait_for()


def test_a_post_page_shows_the_variant_published(page, alice, workspace_a, quick) -> None:  # type: ignore[no-untyped-def]
    channel = Channel.objects.create(
        workspace=workspace_a, network="bluesky", name="BrandSky", remote_id="did:x"
    )
    post = services.create_post(workspace_a, alice, "Open day on Saturday", [channel])
    post.targets.update(state=State.SCHEDULED, scheduled_at=timezone.now() + timedelta(hours=1))
    sign_in(page, alice)
    page.goto(page.base + f"/publishing/posts/{post.pk}/")
    assert page.locator(".pp-head .pill.state-scheduled").is_visible()
    post.targets.update(state=State.PUBLISHED, published_at=timezone.now(), version=1)
    page.locator(".pp-head .pill.state-published").wait_for()
    assert page.locator("[data-live-post]").count() == 0


def test_a_label_added_elsewhere_arrives_in_its_colour(page, alice, workspace_a, quick) -> None:  # type: ignore[no-untyped-def]
    ingest(make_channel(workspace_a), [_item("m1", "Where is my parcel?", 1)])
    sign_in(page, alice)
    page.goto(page.base + "/inbox/")
    vip = Label.objects.create(workspace=workspace_a, name="VIP", color="#7c3aed")
    inbox_services.add_label(Conversation.objects.get(workspace=workspace_a), vip, alice)
    chip = page.locator("[data-row] .chip.label", has_text="VIP")
    chip.wait_for()
    colour = chip.evaluate("el => getComputedStyle(el).getPropertyValue('--label').trim()")
    assert colour == "#7c3aed"
