"""Crisis pages for alice (owner), bob (editor, then contributor) and charlie (outsider)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from chorus.listening import crisis as crises
from chorus.listening import statement as statements
from chorus.listening.models import (
    Alert,
    Crisis,
    Decision,
    EventKind,
    HoldingStatement,
    ListeningQuery,
    Mention,
)
from chorus.publishing import services as publishing
from tests.listening import crisis_fixtures as fixtures

crisis_a = fixtures.crisis_a
contributor_bob = fixtures.contributor_bob


def _mention(workspace, text: str = "My kettle exploded") -> Mention:  # type: ignore[no-untyped-def]
    return Mention.objects.create(
        workspace=workspace, network="rss", remote_id=text, text=text, published_at=timezone.now()
    )


def _pages(crisis: Crisis) -> list[str]:
    return [
        "/listening/crisis/",
        f"/listening/crisis/{crisis.pk}/",
        f"/listening/crisis/{crisis.pk}/summary/",
        f"/listening/crisis/{crisis.pk}/summary.csv",
        "/listening/playbook/",
    ]


def test_alice_opens_a_crisis_by_hand(alice_client, workspace_a) -> None:
    assert alice_client.get("/listening/crisis/open/").status_code == 200
    response = alice_client.post("/listening/crisis/open/", {"title": "Recall"})
    crisis = Crisis.objects.get(workspace=workspace_a)
    assert response.url == f"/listening/crisis/{crisis.pk}/"
    assert publishing.is_paused(workspace_a)
    for url in _pages(crisis):
        assert alice_client.get(url).status_code == 200, url


def test_the_banner_links_to_the_room_on_every_page(alice_client, crisis_a) -> None:
    page = alice_client.get("/today/").content.decode()
    assert "crisis-banner" in page and f"/listening/crisis/{crisis_a.pk}/" in page


def test_bob_the_editor_runs_the_room(bob_client, bob, crisis_a) -> None:
    response = bob_client.post(
        f"/listening/crisis/{crisis_a.pk}/timeline/", {"kind": "decision", "text": "Recall all"}
    )
    assert response.status_code == 302
    assert crisis_a.events.filter(kind=EventKind.DECISION, actor=bob).exists()
    for url in _pages(crisis_a):
        assert bob_client.get(url).status_code == 200, url


def test_a_contributor_sees_but_does_not_run(bob_client, contributor_bob, crisis_a, workspace_a):  # type: ignore[no-untyped-def]
    for url in _pages(crisis_a):
        assert bob_client.get(url).status_code == 200, url
    base = f"/listening/crisis/{crisis_a.pk}"
    refused = [
        ("/listening/crisis/open/", {"title": "x"}),
        (f"{base}/timeline/", {"kind": "note", "text": "x"}),
        (f"{base}/statement/", {"text": "x"}),
        (f"{base}/submit/", {}),
        (f"{base}/publish/", {}),
        (f"{base}/decide/", {"decision": "approved"}),
        (f"{base}/close/", {"summary": "x"}),
        ("/listening/playbook/", {"part": "step", "text": "x"}),
        (f"/listening/crisis/save-mention/{_mention(workspace_a).pk}/", {}),
    ]
    for url, data in refused:
        assert bob_client.post(url, data).status_code == 403, url
    assert crisis_a.events.count() == 2 and crisis_a.is_open


def test_charlie_sees_nothing_of_a(charlie_client, crisis_a, workspace_a) -> None:
    for url in _pages(crisis_a)[1:4]:
        assert charlie_client.get(url).status_code == 404, url
    base = f"/listening/crisis/{crisis_a.pk}"
    for url in (f"{base}/timeline/", f"{base}/close/", f"{base}/publish/", f"{base}/approvers/"):
        assert (
            charlie_client.post(url, {"kind": "note", "text": "x", "summary": "x"}).status_code
            == 404
        )
    mention = _mention(workspace_a)
    assert charlie_client.post(f"/listening/crisis/save-mention/{mention.pk}/").status_code == 404
    assert crisis_a.title not in charlie_client.get("/listening/crisis/").content.decode()
    assert "crisis-banner" not in charlie_client.get("/today/").content.decode()


def test_signed_out_goes_to_sign_in(client, crisis_a) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"/listening/crisis/{crisis_a.pk}/").status_code == 302


def test_public_text_is_escaped_and_csv_is_formula_safe(alice, alice_client, crisis_a, workspace_a):  # type: ignore[no-untyped-def]
    mention = _mention(workspace_a, "<script>alert(1)</script>")
    crises.save_mention(crisis_a, mention, alice)
    crises.add_event(crisis_a, alice, EventKind.NOTE, '=HYPERLINK("http://evil")')
    page = alice_client.get(f"/listening/crisis/{crisis_a.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    csv = alice_client.get(f"/listening/crisis/{crisis_a.pk}/summary.csv").content.decode()
    assert "'=HYPERLINK" in csv and ",=HYPERLINK" not in csv


def test_save_to_crisis_from_a_mention(alice_client, crisis_a, workspace_a) -> None:
    mention = _mention(workspace_a)
    alice_client.post(f"/listening/crisis/save-mention/{mention.pk}/")
    alice_client.post(f"/listening/crisis/save-mention/{mention.pk}/")
    assert crisis_a.saved.count() == 1
    assert (
        "My kettle exploded"
        in alice_client.get(f"/listening/crisis/{crisis_a.pk}/").content.decode()
    )


def test_closing_through_the_page(alice_client, crisis_a, workspace_a) -> None:
    response = alice_client.post(
        f"/listening/crisis/{crisis_a.pk}/close/", {"summary": "Calm", "resume": "on"}
    )
    assert response.status_code == 302
    crisis_a.refresh_from_db()
    assert not crisis_a.is_open and crisis_a.summary == "Calm"
    assert not publishing.is_paused(workspace_a)


@pytest.fixture
def submitted(alice, bob, crisis_a, channel_a, smtp, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    statement = statements.write_statement(crisis_a, alice, "We are on it.", [channel_a])
    statements.add_outside_approver(statement, "Lou Lawyer", "lou@law.example")
    statements.add_member_approver(statement, bob)
    with django_capture_on_commit_callbacks(execute=True):
        statements.submit(statement, alice)
    return statement


smtp = fixtures.smtp


def test_outside_approver_page(client, submitted, smtp) -> None:  # type: ignore[no-untyped-def]
    link = smtp.links()[-1]
    path = link[link.index("/listening/") :]
    page = client.get(path).content.decode()
    assert "We are on it." in page and submitted.crisis.title not in page
    assert client.post(path, {"decision": "changes", "comment": ""}).status_code == 200
    assert submitted.approvals.get(member=None).decision == Decision.PENDING
    client.post(path, {"decision": "approved", "comment": "Fine"})
    assert submitted.approvals.get(member=None).decision == Decision.APPROVED
    used = client.get(path)
    assert used.status_code == 410 and "already been used" in used.content.decode()
    assert client.get("/listening/statement/forged-token/").status_code == 404


def test_charlie_with_a_link_sees_only_that_statement(charlie_client, submitted, smtp) -> None:  # type: ignore[no-untyped-def]
    link = smtp.links()[-1]
    page = charlie_client.get(link[link.index("/listening/") :]).content.decode()
    assert "We are on it." in page
    assert submitted.crisis.title not in page
    assert "Brand A" in page  # who asks, and nothing else of the workspace
    assert "Lou Lawyer" in page and "bob@example.org" not in page


def test_member_approver_decides_in_the_room(bob_client, bob, submitted, alice_client) -> None:
    crisis = submitted.crisis
    assert "Your decision" in bob_client.get(f"/listening/crisis/{crisis.pk}/").content.decode()
    bob_client.post(f"/listening/crisis/{crisis.pk}/decide/", {"decision": "approved"})
    assert submitted.approvals.get(member=bob).decision == Decision.APPROVED
    # Not yet everyone: publishing is refused and no post is made.
    alice_client.post(f"/listening/crisis/{crisis.pk}/publish/")
    submitted.refresh_from_db()
    assert submitted.published_at is None


def _alert(workspace):  # type: ignore[no-untyped-def]
    now = timezone.now()
    query = ListeningQuery.objects.create(
        workspace=workspace, name="Brand", kind="brand", expression="kettle"
    )
    return Alert.objects.create(
        workspace=workspace, query=query, kind="negative", window_start=now, window_end=now,
        count=40, baseline=3.0, threshold=12.0, formula="Poisson tail",
    )  # fmt: skip


def test_open_from_an_alert_of_ones_own_workspace_only(
    alice_client, charlie_client, workspace_a, workspace_c
) -> None:
    alert = _alert(workspace_a)
    assert charlie_client.get(f"/listening/crisis/open/?alert={alert.pk}").status_code == 404
    charlie_client.post("/listening/crisis/open/", {"title": "Stolen", "alert": alert.pk})
    assert not Crisis.objects.filter(workspace=workspace_c).exists()

    assert "Brand" in alice_client.get(f"/listening/crisis/open/?alert={alert.pk}").content.decode()
    alice_client.post("/listening/crisis/open/", {"title": "Spike", "alert": alert.pk})
    crisis = Crisis.objects.get(workspace=workspace_a)
    assert crisis.alert == alert
    assert crisis.events.filter(kind=EventKind.ALERT).exists()


def test_a_statement_too_long_for_a_channel_is_refused(alice, crisis_a, channel_a) -> None:
    with pytest.raises(crises.CrisisRuleBroken) as refused:
        statements.write_statement(crisis_a, alice, "x" * 5000, [channel_a])
    assert channel_a.name in str(refused.value)
    assert not HoldingStatement.objects.filter(crisis=crisis_a).exists()


def test_only_members_who_may_approve_are_offered(
    alice_client, contributor_bob, crisis_a, channel_a, alice
):  # type: ignore[no-untyped-def]
    statements.write_statement(crisis_a, alice, "Short", [channel_a])
    page = alice_client.get(f"/listening/crisis/{crisis_a.pk}/").content.decode()
    assert f'<option value="{contributor_bob.pk}"' not in page
    assert f'<option value="{alice.pk}"' in page
    with pytest.raises(crises.CrisisRuleBroken):
        statements.add_member_approver(crisis_a.statement, contributor_bob)
