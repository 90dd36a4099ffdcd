"""Kept pages (chorus/workspaces/kept.py): the inbox, Today and the calendar are made once and
served again while nothing is written, and never to the wrong person, in the wrong language, with
someone else's CSRF token, or after a change."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.inbox.models import Conversation, Label
from chorus.workspaces import kept
from chorus.workspaces.models import Membership, Role, Workspace
from tests.conftest import signed_in
from tests.inbox import factories

pytestmark = pytest.mark.django_db

PAGES = ["/inbox/", "/today/", "/publishing/calendar/"]


def _kept_pages() -> int:
    return len(kept.PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_a_second_view_costs_only_who_is_asking(
    path: str, alice_client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    assert alice_client.get(path).status_code == 200
    assert _kept_pages() == 1
    # the write stamp (one cache read): the session, the person, their memberships and the page
    # were all made under it
    with django_assert_max_num_queries(1):
        assert alice_client.get(path).status_code == 200


def test_a_new_message_shows_at_once(alice_client: Client, workspace_a: Workspace) -> None:
    channel = factories.channel(workspace_a)
    factories.conversation(channel, "First question")
    assert "First question" in alice_client.get("/inbox/").content.decode()
    factories.conversation(channel, "Second question, just in")
    assert "Second question, just in" in alice_client.get("/inbox/").content.decode()


def test_a_bulk_update_no_signal_sees_shows_at_once(
    alice_client: Client, workspace_a: Workspace
) -> None:
    channel = factories.channel(workspace_a)
    factories.conversation(channel, "Where is my order?")
    assert "Where is my order?" in alice_client.get("/inbox/").content.decode()
    Conversation.objects.filter(workspace=workspace_a).update(preview="Found it, thanks")
    body = alice_client.get("/inbox/").content.decode()
    assert "Found it, thanks" in body and "Where is my order?" not in body


def test_a_label_renamed_by_a_teammate_shows_on_my_page(
    alice_client: Client, bob_client: Client, workspace_a: Workspace
) -> None:
    Label.objects.create(workspace=workspace_a, name="Urgent", color="#dd0000")
    assert "Urgent" in alice_client.get("/inbox/").content.decode()
    label = Label.objects.get(workspace=workspace_a)
    response = bob_client.post(
        f"/inbox/rules/labels/{label.pk}/", {"name": "Priority", "color": "#dd0000"}
    )
    assert response.status_code == 302
    assert "Priority" in alice_client.get("/inbox/").content.decode()


def test_each_person_gets_their_own_page(
    alice_client: Client, bob_client: Client, workspace_a: Workspace
) -> None:
    alice_page = alice_client.get("/today/").content.decode()
    bob_page = bob_client.get("/today/").content.decode()
    assert "Alice Martin" in alice_page and "Alice Martin" not in bob_page
    assert "Bob Durand" in bob_page


def test_a_role_change_changes_the_page(
    bob: User, bob_client: Client, workspace_a: Workspace
) -> None:
    before = bob_client.get("/today/").content.decode()
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.ANALYST)
    after = bob_client.get("/today/").content.decode()
    assert before != after


def test_an_outsider_is_still_refused(
    alice_client: Client, charlie: User, workspace_a: Workspace
) -> None:
    assert alice_client.get("/inbox/").status_code == 200
    outsider = signed_in(charlie)  # no workspace of his own yet: sent to create one
    assert outsider.get("/inbox/").status_code == 302
    assert Client().get("/inbox/").status_code == 302


def test_a_removed_member_stops_seeing_the_kept_page(
    bob: User, bob_client: Client, workspace_a: Workspace
) -> None:
    assert bob_client.get("/inbox/").status_code == 200
    Membership.objects.filter(user=bob, workspace=workspace_a).delete()
    assert bob_client.get("/inbox/").status_code == 302


def test_language_is_part_of_the_page(alice: User, alice_client: Client) -> None:
    assert "Today" in alice_client.get("/today/").content.decode()
    alice.language = "fr"
    alice.save()
    french = signed_in(alice)
    french.cookies.load({"django_language": "fr"})
    assert "Aujourd" in french.get("/today/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def _token(body: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body) or re.search(
        r'"X-CSRFToken": "([^"]+)"', body
    )
    assert found, "the page carries a CSRF token"
    return found[1]


def test_a_kept_page_carries_the_token_of_the_browser_asking(
    alice: User, workspace_a: Workspace
) -> None:
    """Alice on her laptop, then on her phone: the phone gets the kept page, with a token made
    for the phone's cookie, and its form is accepted."""
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(alice)
    phone.force_login(alice)
    laptop_page = laptop.get("/inbox/").content.decode()
    phone_page = phone.get("/inbox/").content.decode()
    assert _kept_pages() == 1
    assert kept.CSRF_PLACEHOLDER not in laptop_page + phone_page
    token = _token(phone_page)
    channel = factories.channel(workspace_a)
    talk = factories.conversation(channel, "Do you ship to Belgium?")
    answer = phone.post(f"/inbox/{talk.pk}/status/", {"status": "resolved"}, HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 302
    assert laptop.post(f"/inbox/{talk.pk}/status/", {"status": "new"}).status_code == 403


def test_a_flash_message_is_shown_once_and_not_kept(
    alice_client: Client, workspace_a: Workspace
) -> None:
    talk = factories.conversation(factories.channel(workspace_a), "Is it in stock?")
    alice_client.get("/inbox/")
    done = alice_client.post(
        f"/inbox/{talk.pk}/status/", {"status": "resolved", "next": "/inbox/"}, follow=True
    )
    assert "Marked as resolved." in done.content.decode()
    assert "Marked as resolved." not in alice_client.get("/inbox/").content.decode()


def test_pages_are_made_again_each_minute(alice_client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Pages say "3 minutes ago" and "due in 5 minutes": a kept page lasts its minute."""
    monkeypatch.setattr(kept, "this_minute", lambda: 29_000_000)
    alice_client.get("/inbox/")
    alice_client.get("/inbox/")
    assert _kept_pages() == 1
    monkeypatch.setattr(kept, "this_minute", lambda: 29_000_001)
    alice_client.get("/inbox/")
    assert _kept_pages() == 2


def test_htmx_fragments_are_kept_apart_from_the_whole_page(alice_client: Client) -> None:
    whole = alice_client.get("/inbox/")
    fragment = alice_client.get("/inbox/?after=x", HTTP_HX_REQUEST="true")
    assert b"<html" in whole.content and b"<html" not in fragment.content
    assert b"<html" in alice_client.get("/inbox/").content


def test_signing_out_ends_the_kept_session(alice_client: Client) -> None:
    assert alice_client.get("/inbox/").status_code == 200
    alice_client.post("/account/signout/")
    assert alice_client.get("/inbox/").status_code == 302


def test_a_session_deleted_elsewhere_is_not_kept_alive(alice_client: Client) -> None:
    from django.contrib.sessions.models import Session

    assert alice_client.get("/inbox/").status_code == 200
    Session.objects.all().delete()
    assert alice_client.get("/inbox/").status_code == 302


def test_a_new_password_signs_out_the_other_browsers(alice: User, alice_client: Client) -> None:
    assert alice_client.get("/today/").status_code == 200
    alice.set_password("another long pass phrase")
    alice.save()
    assert alice_client.get("/today/").status_code == 302


def test_a_deactivated_person_is_signed_out(alice: User, alice_client: Client) -> None:
    assert alice_client.get("/today/").status_code == 200
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert alice_client.get("/today/").status_code == 302


def test_right_after_a_write_one_thread_makes_the_page_the_others_wait(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every open tab asks at once after a write: the page is made once per process."""
    import threading
    import time

    from django.http import HttpResponse
    from django.test import RequestFactory

    made: list[int] = []

    def slow_view(request: object) -> HttpResponse:
        made.append(1)
        time.sleep(0.3)  # long enough for the other threads to arrive and wait
        return HttpResponse(b"<p>the inbox</p>")

    monkeypatch.setattr(kept, "_page_key", lambda request, name: ("the same page",))
    page = kept.kept_page(slow_view)  # type: ignore[arg-type]
    answers: list[bytes] = []

    def ask() -> None:
        answers.append(page(RequestFactory().get("/inbox/")).content)  # type: ignore[arg-type]

    askers = [threading.Thread(target=ask) for _ in range(4)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(10)
    assert answers == [b"<p>the inbox</p>"] * 4
    assert len(made) == 1
