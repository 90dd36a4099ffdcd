"""The analytics pages: every tab renders the workspace's own figures, and nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chorus.analytics.models import PostSnapshot
from chorus.workspaces.models import Membership, Role, Workspace
from tests.analytics.factories import channel, day, published

PAGES = ("dashboard", "channels", "posts", "community", "best_times", "glossary")


@pytest.fixture
def figures_a(workspace_a: Workspace):  # type: ignore[no-untyped-def]
    shop = channel(workspace_a, "Shop on Mastodon")
    now = timezone.now()
    day(shop, (now - timedelta(days=3)).date(), 1200)
    day(shop, now.date(), 1250)
    best = published(
        shop,
        now - timedelta(days=2),
        "Our <b>autumn</b> sale",
        engagements=42,
        likes=30,
        shares=8,
        replies=4,
        followers_at_publish=1200,
    )
    published(shop, now - timedelta(days=1), "A quiet post", engagements=1, likes=1)
    PostSnapshot.objects.create(
        workspace=workspace_a, target=best.target, age_hours=1, likes=10, shares=2, replies=1
    )
    return best


@pytest.mark.parametrize("page", PAGES)
def test_each_page_shows_the_workspace_figures(alice_client: Client, figures_a, page: str) -> None:  # type: ignore[no-untyped-def]
    response = alice_client.get(reverse(f"analytics:{page}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and 'style="' not in html  # strict CSP: nothing inline
    if page in ("dashboard", "posts"):
        assert "Our &lt;b&gt;autumn&lt;/b&gt; sale" in html  # public text escaped
        assert "<b>autumn</b>" not in html


def test_overview_figures_and_not_available(alice_client: Client, figures_a) -> None:  # type: ignore[no-untyped-def]
    html = alice_client.get(reverse("analytics:dashboard")).content.decode()
    assert "43" in html  # engagements of the two posts
    assert "not available" in html  # Mastodon gives no impressions nor reach
    assert "3.50" in html or "3,50" in html  # 42 ÷ 1,200 per follower
    assert "42 ÷ 1,200" in html or "42 ÷ 1 200" in html or "42 ÷ 1200" in html


def test_a_post_page_with_its_history_and_formulas(alice_client: Client, figures_a) -> None:  # type: ignore[no-untyped-def]
    html = alice_client.get(reverse("analytics:post", args=[figures_a.target_id])).content.decode()
    assert "Engagements ÷ followers of the channel" in html
    assert "Favourites" in html or "Likes" in html
    assert "Not read yet" not in html  # the snapshot is there


def test_bob_editor_sees_them_too(bob_client: Client, figures_a) -> None:  # type: ignore[no-untyped-def]
    url = reverse("analytics:post", args=[figures_a.target_id])
    assert bob_client.get(url).status_code == 200
    assert bob_client.get(reverse("analytics:dashboard")).status_code == 200


def test_a_contributor_has_view_and_sees_them(bob, workspace_a, bob_client, figures_a) -> None:  # type: ignore[no-untyped-def]
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    assert bob_client.get(reverse("analytics:dashboard")).status_code == 200


def test_charlie_never_sees_a_figures(charlie_client: Client, figures_a) -> None:  # type: ignore[no-untyped-def]
    for page in PAGES:
        html = charlie_client.get(reverse(f"analytics:{page}")).content.decode()
        assert "autumn" not in html and "Shop on Mastodon" not in html
    guessed = reverse("analytics:post", args=[figures_a.target_id])
    assert charlie_client.get(guessed).status_code == 404


def test_signed_out_is_sent_to_sign_in(client: Client, figures_a) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("analytics:dashboard"))
    assert response.status_code == 302 and "signin" in response["Location"]


def test_any_range_and_a_bad_one(alice_client: Client, figures_a) -> None:  # type: ignore[no-untyped-def]
    for preset in ("7", "30", "90", "month", "last_month"):
        assert (
            alice_client.get(reverse("analytics:dashboard"), {"range": preset}).status_code == 200
        )
    html = alice_client.get(
        reverse("analytics:dashboard"),
        {"range": "custom", "start": "2026-05-10", "end": "2026-05-01"},
    ).content.decode()
    assert "The last day comes before the first." in html
    html = alice_client.get(
        reverse("analytics:dashboard"), {"range": "custom", "start": "not a day"}
    ).content.decode()
    assert "Showing the last 30 days instead." in html


def test_posts_sort_by_every_column(alice_client: Client, figures_a) -> None:  # type: ignore[no-untyped-def]
    for order in (
        "engagements",
        "published_at",
        "impressions",
        "rate_per_impression",
        "rate_per_reach",
        "rate_per_follower",
        "nonsense",
    ):
        for worst in ("", "1"):
            response = alice_client.get(
                reverse("analytics:posts"), {"order": order, "worst": worst}
            )
            assert response.status_code == 200
    best = alice_client.get(reverse("analytics:posts")).content.decode()
    worst = alice_client.get(reverse("analytics:posts"), {"worst": "1"}).content.decode()
    assert best.index("autumn") < best.index("A quiet post")
    assert worst.index("A quiet post") < worst.index("autumn")


def test_dashboard_queries_do_not_grow_with_posts(alice_client: Client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    shop = channel(workspace_a)
    now = timezone.now()
    url = reverse("analytics:dashboard")
    published(shop, now - timedelta(days=1), engagements=3)
    alice_client.get(url)
    # Both views come right after a write: the session, the person and their memberships are
    # read again then (chorus/core/writes.py), the same for both.
    published(shop, now - timedelta(days=2), engagements=1)
    with CaptureQueriesContext(connection) as few:
        alice_client.get(url)
    for n in range(30):
        other = shop if n % 2 else channel(workspace_a, f"Channel {n}")
        published(other, now - timedelta(days=n % 20, hours=n), engagements=n, impressions=n * 10)
    with CaptureQueriesContext(connection) as many:
        alice_client.get(url)
    assert len(many) == len(few)
    # the page's own queries, the shell read again after a write, and moving the write stamp
    # (three statements on the database cache)
    assert len(many) <= 24


def test_the_picker_shows_the_period_shown(alice_client: Client, figures_a) -> None:  # type: ignore[no-untyped-def]
    html = alice_client.get(reverse("analytics:posts"), {"order": "likes"}).content.decode()
    assert '<option value="30" selected>' in html
    html = alice_client.get(reverse("analytics:dashboard"), {"range": "90"}).content.decode()
    assert '<option value="90" selected>' in html
