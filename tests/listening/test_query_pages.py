"""The query pages: who sees and changes what (alice owner, bob editor or contributor, charlie
outsider), the editor's validation, the preview without JavaScript, deletion."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chorus.accounts.models import User
from chorus.listening import ingest
from chorus.listening.models import ListeningQuery, ListeningSource
from chorus.listening.sources.base import Batch
from chorus.workspaces.models import Membership, Role, Workspace
from tests.listening.conftest import heard

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Acme",
    "kind": "brand",
    "expression": '(acme OR "acme coffee") -job',
    "languages": "en, FR",
    "exclude_own_accounts": "on",
    "excluded_authors": "",
    "is_active": "on",
    "alert_min_count": "5",
    "alert_cooldown_minutes": "60",
}


@pytest.fixture
def contributor_bob(bob: User, workspace_a: Workspace) -> User:
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    return bob


def test_list_shows_queries_with_their_match_counts(
    alice_client: Client, source_a: ListeningSource, query_a: ListeningQuery
) -> None:
    ingest.store_heard(source_a, Batch([heard(1, "acme rocks"), heard(2, "more acme")], {}))
    page = alice_client.get(reverse("listening:queries"))
    assert page.status_code == 200
    assert page.context["queries"][0].matches_week == 2
    assert "acme OR &quot;acme coffee&quot;" in page.content.decode()  # escaped
    assert reverse("listening:query_new") in page.content.decode()


def test_create_query(alice_client: Client, alice: User, workspace_a: Workspace) -> None:
    answer = alice_client.post(reverse("listening:query_new"), FORM)
    assert answer.status_code == 302
    query = ListeningQuery.objects.get(workspace=workspace_a)
    assert (query.name, query.languages, query.created_by) == ("Acme", ["en", "fr"], alice)


def test_query_that_cannot_parse_is_refused_with_its_column(
    alice_client: Client, workspace_a: Workspace
) -> None:
    answer = alice_client.post(
        reverse("listening:query_new"), {**FORM, "expression": "acme AND (tea"}
    )
    assert answer.status_code == 422
    assert "never closed" in answer.content.decode()
    assert "at character 10" in answer.content.decode()
    assert not ListeningQuery.objects.exists()


def test_other_field_errors(alice_client: Client, query_a: ListeningQuery) -> None:
    answer = alice_client.post(
        reverse("listening:query_new"), {**FORM, "name": "acme", "languages": "english"}
    )
    assert answer.status_code == 422
    errors = answer.context["form"].errors
    assert "another query" in errors["name"][0].lower()
    assert "two-letter" in errors["languages"][0]


def test_sources_of_another_workspace_refused(
    alice_client: Client, workspace_c: Workspace, source_a: ListeningSource
) -> None:
    foreign = ListeningSource.objects.create(workspace=workspace_c, kind="rss", name="C feed")
    answer = alice_client.post(reverse("listening:query_new"), {**FORM, "sources": [foreign.pk]})
    assert answer.status_code == 422
    assert not ListeningQuery.objects.exists()


def test_preview_button_without_javascript_shows_matches_and_saves_nothing(
    alice_client: Client, source_a: ListeningSource
) -> None:
    ingest.store_heard(
        source_a,
        Batch(
            [heard(1, "Acme coffee is lovely"), heard(2, "tea time"), heard(3, "acme job offer")],
            {},
        ),
    )
    answer = alice_client.post(
        reverse("listening:query_new"), {**FORM, "languages": "", "preview": "1"}
    )
    assert answer.status_code == 200
    preview = answer.context["preview"]
    assert [m.remote_id for m in preview.matched] == ["entry-1"]
    assert preview.scanned == 3
    assert "Acme coffee is lovely" in answer.content.decode()
    assert not ListeningQuery.objects.exists()


def test_live_preview_fragment(alice_client: Client, source_a: ListeningSource) -> None:
    ingest.store_heard(source_a, Batch([heard(1, "<b>acme</b> rocks")], {}))
    url = reverse("listening:query_preview")
    good = alice_client.post(url, {"expression": "acme", "exclude_own_accounts": "on"})
    assert good.status_code == 200
    assert "1 match among the latest 1 mentions" in good.content.decode()
    assert "&lt;b&gt;acme&lt;/b&gt;" in good.content.decode()  # public text escaped
    bad = alice_client.post(url, {"expression": "acme OR"})
    assert 'data-column="7"' in bad.content.decode()
    assert "stops too early" in bad.content.decode()


def test_edit_query(alice_client: Client, query_a: ListeningQuery) -> None:
    page = alice_client.get(reverse("listening:query_edit", args=[query_a.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["expression"] == query_a.expression
    answer = alice_client.post(
        reverse("listening:query_edit", args=[query_a.pk]),
        {**FORM, "name": "Acme", "expression": "acmeco"},
    )
    assert answer.status_code == 302
    query_a.refresh_from_db()
    assert query_a.expression == "acmeco"


def test_delete_asks_then_deletes(alice_client: Client, query_a: ListeningQuery) -> None:
    url = reverse("listening:query_delete", args=[query_a.pk])
    assert "Delete the query" in alice_client.get(url).content.decode()
    assert ListeningQuery.objects.exists()
    assert alice_client.post(url).status_code == 302
    assert not ListeningQuery.objects.exists()


def test_editor_can_change_queries(bob_client: Client, query_a: ListeningQuery) -> None:
    assert (
        bob_client.post(reverse("listening:query_new"), {**FORM, "name": "Other"}).status_code
        == 302
    )
    assert bob_client.post(reverse("listening:query_delete", args=[query_a.pk])).status_code == 302


def test_contributor_sees_but_cannot_change(contributor_bob: User, query_a: ListeningQuery) -> None:
    client = Client()
    client.force_login(contributor_bob)
    listing = client.get(reverse("listening:queries"))
    assert listing.status_code == 200
    assert reverse("listening:query_new") not in listing.content.decode()
    assert client.get(reverse("listening:query_new")).status_code == 403
    assert client.post(reverse("listening:query_new"), FORM).status_code == 403
    assert client.post(reverse("listening:query_edit", args=[query_a.pk]), FORM).status_code == 403
    assert client.post(reverse("listening:query_delete", args=[query_a.pk])).status_code == 403
    assert (
        client.post(reverse("listening:query_preview"), {"expression": "acme"}).status_code == 403
    )
    assert ListeningQuery.objects.get().expression == query_a.expression


def test_outsider_neither_sees_nor_changes(
    charlie_client: Client, query_a: ListeningQuery, source_a: ListeningSource
) -> None:
    ingest.store_heard(source_a, Batch([heard(1, "acme secret of A")], {}))
    listing = charlie_client.get(reverse("listening:queries"))
    assert listing.status_code == 200 and listing.context["queries"] == []
    assert charlie_client.get(reverse("listening:query_edit", args=[query_a.pk])).status_code == 404
    assert (
        charlie_client.post(reverse("listening:query_delete", args=[query_a.pk])).status_code == 404
    )
    preview = charlie_client.post(reverse("listening:query_preview"), {"expression": "acme"})
    assert "acme secret of A" not in preview.content.decode()
    assert "No mention is stored yet" in preview.content.decode()
    assert ListeningQuery.objects.filter(pk=query_a.pk).exists()


def test_signed_out_is_sent_to_sign_in(client: Client, query_a: ListeningQuery) -> None:
    answer = client.get(reverse("listening:queries"))
    assert answer.status_code == 302 and "sign" in answer["Location"].lower()


def test_a_new_query_is_matched_over_recent_history(
    alice_client: Client, source_a: ListeningSource, workspace_a: Workspace
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    ingest.store_heard(
        source_a,
        Batch(
            [
                heard(1, "acme coffee today", published_at=now - timedelta(hours=2)),
                heard(2, "acme again this week", published_at=now - timedelta(days=3)),
                heard(3, "acme long ago", published_at=now - timedelta(days=90)),
                heard(4, "only tea", published_at=now - timedelta(hours=1)),
            ],
            {},
        ),
    )
    alice_client.post(reverse("listening:query_new"), {**FORM, "languages": ""})
    query = ListeningQuery.objects.get()
    listed = alice_client.get(reverse("listening:queries")).context["queries"][0]
    assert (listed.matches_day, listed.matches_week) == (1, 2)
    edit = reverse("listening:query_edit", args=[query.pk])
    alice_client.post(edit, {**FORM, "languages": "", "expression": "tea"})
    assert [m.mention.remote_id for m in query.matches.all()] == ["entry-4"]
