"""The composer page: drafts, scheduling, errors, customised variants, approval, tenancy."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import services
from chorus.publishing.models import HashtagGroup, Post, PostTarget, QueueSlot, State
from chorus.workspaces.models import Membership, Role, Workspace
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
COMPOSE = "/publishing/compose/"
TOO_LONG = "é" * 312


def _channel(workspace: Workspace, network: str, name: str) -> Channel:
    return Channel.objects.create(
        workspace=workspace, network=network, name=name, remote_id=name, handle=f"@{name}"
    )


@pytest.fixture
def mastodon(workspace_a: Workspace) -> Channel:
    return _channel(workspace_a, "mastodon", "BrandMasto")


@pytest.fixture
def bluesky(workspace_a: Workspace) -> Channel:
    return _channel(workspace_a, "bluesky", "BrandSky")


@pytest.fixture
def dana(workspace_a: Workspace) -> User:
    user = User.objects.create_user(email="dana@example.org", password="x" * 20, full_name="Dana")
    Membership.objects.create(workspace=workspace_a, user=user, role=Role.CONTRIBUTOR)
    return user


def _post(client: Client, url: str = COMPOSE, **fields: object) -> object:
    return client.post(url, fields)


def test_the_composer_offers_the_workspaces_active_channels(
    alice_client: Client, mastodon: Channel, bluesky: Channel, workspace_a: Workspace
) -> None:
    gone = _channel(workspace_a, "mastodon", "OldAccount")
    Channel.objects.filter(pk=gone.pk).update(status="disconnected")
    page = alice_client.get(COMPOSE).content.decode()
    assert "BrandMasto" in page and "BrandSky" in page and "OldAccount" not in page
    assert "Publish now" in page and "Submit for approval" not in page
    # Options exist only where the network has them: Mastodon's poll, not Bluesky's.
    assert f'name="v{mastodon.pk}-poll_options"' in page
    assert f'name="v{bluesky.pk}-poll_options"' not in page
    assert f'name="v{bluesky.pk}-first_comment"' in page


def test_save_a_draft(alice_client: Client, mastodon: Channel) -> None:
    response = _post(alice_client, text="Hello #Lyon", channels=[mastodon.pk], action="draft")
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/publishing/posts/{post.pk}/"
    (target,) = post.targets.all()
    assert (target.text, target.state, target.customised) == ("Hello #Lyon", State.DRAFT, False)


def test_schedule_in_the_workspace_time_zone(alice_client: Client, mastodon: Channel) -> None:
    _post(
        alice_client,
        text="Later",
        channels=[mastodon.pk],
        action="schedule",
        scheduled_at="2030-07-01T09:30",
        **{f"v{mastodon.pk}-visibility": "unlisted", f"v{mastodon.pk}-content_warning": "Spoiler"},
    )
    target = PostTarget.objects.get()
    # Europe/Paris is UTC+2 in July.
    assert target.scheduled_at == datetime(2030, 7, 1, 7, 30, tzinfo=UTC)
    assert target.state == State.SCHEDULED
    assert target.options == {"visibility": "unlisted", "content_warning": "Spoiler"}


def test_schedule_needs_a_future_time(alice_client: Client, mastodon: Channel) -> None:
    page = _post(alice_client, text="x", channels=[mastodon.pk], action="schedule")
    assert "Choose when to publish." in page.content.decode()  # type: ignore[attr-defined]
    page = _post(
        alice_client,
        text="x",
        channels=[mastodon.pk],
        action="schedule",
        scheduled_at="2001-01-01T10:00",
    )
    assert "This time is in the past." in page.content.decode()  # type: ignore[attr-defined]
    assert not Post.objects.exists()


def test_errors_block_publishing_but_not_drafts(
    alice_client: Client, mastodon: Channel, bluesky: Channel
) -> None:
    fields = {"text": TOO_LONG, "channels": [mastodon.pk, bluesky.pk]}
    page = alice_client.post(COMPOSE, fields | {"action": "publish"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "312 characters, Bluesky takes 300: cut 12." in html
    assert not Post.objects.exists()  # nothing half-written
    assert TOO_LONG in html  # what was typed is still there

    alice_client.post(COMPOSE, fields | {"action": "draft"})
    assert set(PostTarget.objects.values_list("state", flat=True)) == {State.DRAFT}


def test_a_customised_variant_stops_following_the_main_text(
    alice_client: Client, mastodon: Channel, bluesky: Channel
) -> None:
    _post(
        alice_client,
        text="Version one",
        channels=[mastodon.pk, bluesky.pk],
        action="draft",
        **{f"v{bluesky.pk}-customised": "on", f"v{bluesky.pk}-text": "Short for Bluesky"},
    )
    post = Post.objects.get()
    edit = f"/publishing/posts/{post.pk}/edit/"
    form = alice_client.get(edit).content.decode()
    assert "Short for Bluesky" in form and "Version one" in form

    _post(
        alice_client,
        edit,
        text="Version two",
        channels=[mastodon.pk, bluesky.pk],
        action="draft",
        **{f"v{bluesky.pk}-customised": "on", f"v{bluesky.pk}-text": "Short for Bluesky"},
    )
    texts = dict(post.targets.values_list("channel__network", "text"))
    assert texts == {"mastodon": "Version two", "bluesky": "Short for Bluesky"}
    assert post.targets.get(channel=bluesky).customised


def test_make_a_thread_cuts_the_text_for_that_network(
    alice_client: Client, bluesky: Channel
) -> None:
    long_text = "Our spring ride leaves at nine. " * 20
    page = _post(
        alice_client, text=long_text, channels=[bluesky.pk], action=f"thread:{bluesky.pk}"
    ).content.decode()  # type: ignore[attr-defined]
    assert "1/3 Our spring ride" in page and "\n---\n3/3 " in page
    assert not Post.objects.exists()  # cutting is a suggestion until saved

    _post(
        alice_client,
        text=long_text,
        channels=[bluesky.pk],
        action="draft",
        **{
            f"v{bluesky.pk}-customised": "on",
            f"v{bluesky.pk}-text": "1/2 First part.\n---\n2/2 Second part.",
        },
    )
    target = PostTarget.objects.get()
    assert target.text == "1/2 First part."
    assert target.options["thread"] == ["2/2 Second part."]


def test_insert_a_hashtag_group_without_javascript(
    alice_client: Client, mastodon: Channel, workspace_a: Workspace
) -> None:
    group = HashtagGroup.objects.create(
        workspace=workspace_a, name="Launch", hashtags="#bike #lyon"
    )
    page = _post(
        alice_client,
        text="New bikes",
        channels=[mastodon.pk],
        action="insert",
        insert=f"hashtags:{group.pk}",
    ).content.decode()  # type: ignore[attr-defined]
    assert "New bikes\n\n#bike #lyon</textarea>" in page


def test_live_preview_shows_the_counter_and_problems(
    alice_client: Client, mastodon: Channel, bluesky: Channel
) -> None:
    fragment = alice_client.post(
        "/publishing/compose/preview/",
        {"text": TOO_LONG + " #vélo https://example.org", "channels": [mastodon.pk, bluesky.pk]},
    ).content.decode()
    assert "<html" not in fragment
    assert "338 / 300" in fragment  # Bluesky counts every character of the link
    assert "342 / 500" in fragment  # Mastodon counts a link as 23
    assert '<span class="pv-tag">#vélo</span>' in fragment
    assert 'rel="nofollow noopener ugc"' in fragment
    assert "cut 38" in fragment


def test_preview_escapes_what_was_typed(alice_client: Client, mastodon: Channel) -> None:
    fragment = alice_client.post(
        "/publishing/compose/preview/",
        {
            "text": '<script>alert(1)</script> https://x.org/"onmouseover=',
            "channels": [mastodon.pk],
        },
    ).content.decode()
    assert "<script>alert" not in fragment and "&lt;script&gt;" in fragment
    assert '"onmouseover' not in fragment


def test_add_to_queue_only_where_the_channel_has_slots(
    alice_client: Client, mastodon: Channel, workspace_a: Workspace
) -> None:
    assert "Add to queue" not in alice_client.get(COMPOSE).content.decode()
    QueueSlot.objects.create(workspace=workspace_a, channel=mastodon, weekday=2, time=time(9, 0))
    assert "Add to queue" in alice_client.get(COMPOSE).content.decode()
    _post(alice_client, text="Queued", channels=[mastodon.pk], action="queue")
    target = PostTarget.objects.get()
    assert target.state == State.SCHEDULED and target.scheduled_at is not None


def test_a_contributor_submits_for_approval(
    dana: User, mastodon: Channel, bob_client: Client
) -> None:
    client = Client()
    client.force_login(dana)
    page = client.get(COMPOSE).content.decode()
    assert "Submit for approval" in page and "Publish now" not in page

    # Even a forged "publish" from a contributor only asks for approval.
    _post(client, text="Please check", channels=[mastodon.pk], action="publish")
    post = Post.objects.get()
    assert post.targets.get().state == State.AWAITING_APPROVAL
    assert "Sent for approval." in client.get(f"/publishing/posts/{post.pk}/").content.decode()

    _post(client, text="Second", channels=[mastodon.pk], action="submit")
    second = Post.objects.exclude(pk=post.pk).get()
    target = second.targets.get()
    assert (target.state, target.scheduled_at) == (State.AWAITING_APPROVAL, None)

    # Nobody approves their own post: dana's role cannot, and the page offers her no button.
    assert client.post(f"/publishing/posts/{second.pk}/approve/").status_code == 403
    assert "Approve" not in client.get(f"/publishing/posts/{second.pk}/").content.decode()
    assert "Approve" in bob_client.get(f"/publishing/posts/{second.pk}/").content.decode()


def test_an_analyst_cannot_open_the_composer(bob: User, bob_client: Client) -> None:
    Membership.objects.filter(user=bob).update(role=Role.ANALYST)
    assert bob_client.get(COMPOSE).status_code == 403


def test_charlie_cannot_use_workspace_as_things(
    charlie_client: Client, alice: User, mastodon: Channel, workspace_a: Workspace
) -> None:
    post = services.create_post(workspace_a, alice, "A's secret plan", [mastodon])
    page = charlie_client.get(COMPOSE).content.decode()
    assert "BrandMasto" not in page
    assert charlie_client.get(f"/publishing/posts/{post.pk}/edit/").status_code == 404
    assert charlie_client.post(f"/publishing/posts/{post.pk}/edit/preview/").status_code == 404
    refused = charlie_client.post(
        COMPOSE, {"text": "Sneaky", "channels": [mastodon.pk], "action": "draft"}
    )
    assert refused.status_code == 200 and Post.objects.count() == 1
    fragment = charlie_client.post(
        "/publishing/compose/preview/", {"text": "x", "channels": [mastodon.pk]}
    ).content.decode()
    assert "BrandMasto" not in fragment


def test_without_channels_only_who_may_connect_one_is_sent_to_do_it(
    alice_client: Client, bob: User
) -> None:
    Membership.objects.filter(user=bob).update(role=Role.CONTRIBUTOR)
    bob_page = signed_in(bob).get(COMPOSE).content.decode()
    alice_page = alice_client.get(COMPOSE).content.decode()

    assert "Connect a channel" in alice_page
    assert "Connect a channel" not in bob_page  # the channels page would not let bob
    assert "Ask an owner or an admin to connect one." in bob_page
