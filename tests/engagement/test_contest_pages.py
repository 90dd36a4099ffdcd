"""Contest pages and POST routes for alice (owner), bob (contributor: reads only) and charlie
(outsider: 404); hostile text escaped; the certificate public and without personal data."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.engagement import contests, draw
from chorus.engagement.models import Contest, EntryExclusion
from chorus.workspaces.models import Membership, Role
from tests.engagement.contest_support import brand_channel, contest_on, published_post, replies_to

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def contributor_bob(bob, workspace_a):  # type: ignore[no-untyped-def]
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    return bob


@pytest.fixture
def target(workspace_a):  # type: ignore[no-untyped-def]
    target = published_post(brand_channel(workspace_a))
    replies_to(target, ("ann", f"Me! {HOSTILE}"), ("ben", "Me too"), ("cat", "And me"))
    return target


@pytest.fixture
def contest(target):  # type: ignore[no-untyped-def]
    return contest_on(target, title=f"Mugs {HOSTILE}")


def drawn(contest: Contest, alice, monkeypatch) -> Contest:  # type: ignore[no-untyped-def]
    if contest.is_draft:
        contests.open_contest(contest, alice)
    monkeypatch.setattr(contests, "now", lambda: contest.closes_at + timedelta(minutes=1))
    contests.close_contest(contest, alice)
    return contests.draw_contest(contest, alice)


def pages(contest: Contest) -> list[str]:
    base = f"/engagement/contests/{contest.pk}"
    return ["/engagement/contests/", f"{base}/", f"{base}/entries/"]


def posts(contest: Contest) -> list[tuple[str, dict[str, str]]]:
    base = f"/engagement/contests/{contest.pk}"
    return [
        (f"{base}/edit/", {"title": "changed"}),
        (f"{base}/open/", {}),
        (f"{base}/close/", {}),
        (f"{base}/draw/", {}),
        (f"{base}/entries/exclude/", {"entry": "mastodon:ann", "reason": "no"}),
        (f"{base}/entries/restore/", {"entry": "mastodon:ann"}),
        (f"{base}/substitute/", {"entry": "mastodon:ann", "reason": "no"}),
        (f"{base}/tell/", {"entry": "mastodon:ann", "text": "You won"}),
    ]


def test_alice_creates_a_contest_on_a_post_and_the_rules_are_written(
    alice_client, workspace_a, target
) -> None:
    now = timezone.localtime()
    response = alice_client.post("/engagement/contests/new/", {
        "title": "Mug giveaway", "organiser": "Chorus Coffee SAS", "prizes": "Two mugs",
        "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "winners": "2", "alternates": "1", "randomness_source": "drand", "posts": [target.pk],
        "keyword": "mug", "rules_language": "fr", "rules_text": "",
    })  # fmt: skip

    contest = Contest.objects.get(workspace=workspace_a)
    assert response.status_code == 302 and response.url == f"/engagement/contests/{contest.pk}/"
    assert "RÈGLEMENT" in contest.rules_text and "Chorus Coffee SAS" in contest.rules_text
    assert "chorus-draw-v1" in contest.rules_text
    assert str(contest.public_id) in contest.rules_text  # the certificate's address
    assert list(contest.posts.all()) == [target]
    for url in pages(contest):
        assert alice_client.get(url).status_code == 200, url


def test_bad_input_is_refused_with_field_errors(alice_client, workspace_a) -> None:
    response = alice_client.post("/engagement/contests/new/", {
        "title": "", "opens_at": "2026-12-10T10:00", "closes_at": "2026-12-09T10:00",
        "winners": "0", "alternates": "-1", "randomness_source": "drand", "rules_language": "en",
    })  # fmt: skip

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "closes_at", "winners", "alternates", "__all__"} <= set(errors)
    assert not Contest.objects.filter(workspace=workspace_a).exists()


def test_hostile_text_is_escaped_on_every_page(alice_client, contest, alice, monkeypatch) -> None:
    for url in pages(contest):
        body = alice_client.get(url).content.decode()
        assert HOSTILE not in body, url
    drawn(contest, alice, monkeypatch)
    body = alice_client.get(f"/engagement/contests/certificate/{contest.public_id}/").content
    assert HOSTILE.encode() not in body
    assert b"&lt;script&gt;" in body  # the title, escaped


def test_bob_a_contributor_reads_but_changes_nothing(
    contributor_bob, bob_client, contest, alice
) -> None:
    for url in pages(contest):
        assert bob_client.get(url).status_code == 200, url
    assert bob_client.get("/engagement/contests/new/").status_code == 403
    for url, data in posts(contest):
        assert bob_client.post(url, data).status_code == 403, url
    contest.refresh_from_db()
    assert contest.status == "draft" and contest.title.startswith("Mugs")
    assert not EntryExclusion.objects.exists()


def test_charlie_an_outsider_gets_404_everywhere(charlie_client, contest) -> None:
    for url in pages(contest)[1:]:
        assert charlie_client.get(url).status_code == 404, url
    for url, data in posts(contest):
        assert charlie_client.post(url, data).status_code == 404, url
    assert not Contest.objects.filter(workspace__name__contains="C").exists()
    assert Contest.objects.get(pk=contest.pk).status == "draft"


def test_alice_runs_the_life_through_the_pages(alice_client, contest, monkeypatch) -> None:
    base = f"/engagement/contests/{contest.pk}"
    alice_client.post(f"{base}/entries/exclude/", {"entry": "mastodon:cat", "reason": "Fake"})
    alice_client.post(f"{base}/open/")
    contest.refresh_from_db()
    assert contest.status == "open" and contest.commitment
    assert alice_client.post(f"{base}/edit/", {"title": "x"}).status_code == 302
    assert Contest.objects.get(pk=contest.pk).title == contest.title  # refused once open
    monkeypatch.setattr(contests, "now", lambda: contest.closes_at + timedelta(minutes=1))
    alice_client.post(f"{base}/close/")
    alice_client.post(f"{base}/draw/")
    again = alice_client.post(f"{base}/draw/", follow=True)

    contest.refresh_from_db()
    assert contest.status == "drawn" and contest.entries == ["mastodon:ann", "mastodon:ben"]
    assert "never redone" in again.content.decode()
    assert alice_client.post(f"{base}/nonsense/").status_code == 404


def test_the_certificate_is_public_and_shows_ids_only(client, contest, alice, monkeypatch) -> None:
    certificate_url = f"/engagement/contests/certificate/{contest.public_id}/"
    assert client.get(certificate_url).status_code == 404  # a draft has committed nothing
    contests.open_contest(contest, alice)
    before = client.get(certificate_url)
    assert before.status_code == 200 and contest.commitment in before.content.decode()
    assert (
        client.get(f"/engagement/contests/certificate/{contest.public_id}.json").status_code == 404
    )

    drawn(contest, alice, monkeypatch)
    page = client.get(certificate_url).content.decode()
    download = client.get(f"/engagement/contests/certificate/{contest.public_id}.json")

    certificate = json.loads(download.content)
    assert set(certificate) == draw.CERTIFICATE_KEYS and draw.verify(certificate) == []
    assert certificate["entries"] == ["mastodon:ann", "mastodon:ben", "mastodon:cat"]
    for personal in ("ann@example.social", "Me too", "And me", "Chorus Coffee"):
        assert personal not in page and personal not in download.content.decode()
    assert contest.entries_sha256 in page and contest.seed in page
    assert client.get(f"/engagement/contests/certificate/{contest.public_id}x/").status_code == 404
