"""Queries per page for the three busiest pages: the inbox, Today and the calendar.

Under load every query is paid on every page view (bench/pages.py). The numbers pinned here are
what each page needs on the demo workspace once its inbox counts are cached; more rows, labels
or posts must not add any (no query per row).
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from chorus.accounts.models import User
from chorus.today.demo import DEMO_EMAIL, create_demo
from chorus.workspaces import kept
from chorus.workspaces.models import Role
from tests.inbox import factories
from tests.publishing.planning_fixtures import planned

pytestmark = pytest.mark.django_db

# session, user, the person's memberships (workspace and publishing switches with them), the
# sidebar's two numbers in one query (new conversations, capped; the bell's unread count), then
# what the page itself shows.
SHELL = 4
# the live list's change stamp (the newest message's time), the counts version with the counts
# (cached; one cache read), rows, their labels, members, label names. "Any channel?" is asked
# only when there is no row to show.
INBOX = SHELL + 6
# suggested times (one read of 16 weeks of figures), two-factor, the channels (any? which to
# reconnect?), team size, going out, held, waiting, approvals, invitations, relations follow-ups
TODAY = SHELL + 10
CALENDAR = SHELL + 2  # the planned variants (with post and channel), the channel filter


@pytest.fixture
def demo_client() -> Client:
    create_demo("demo pass phrase 1")
    client = Client()
    client.force_login(User.objects.get(email=DEMO_EMAIL))
    return client


def _reads_only(captured: object) -> None:
    """A page view writes nothing (no session save, no last-seen stamp, no counter)."""
    statements = [q["sql"].lstrip().split()[0].upper() for q in captured.captured_queries]  # type: ignore[attr-defined]
    assert set(statements) <= {"SELECT"}, statements


def _warm(client: Client, path: str) -> None:
    # The first inbox view counts the filter column and caches it for a minute.
    assert client.get(path).status_code == 200
    # What is pinned is the cost of making the page, as after any write; a kept page costs one
    # cache read (tests/workspaces/test_kept_pages.py).
    kept.PAGES.clear()


def test_inbox_page(demo_client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _warm(demo_client, "/inbox/")
    with django_assert_max_num_queries(INBOX) as captured:
        assert demo_client.get("/inbox/").status_code == 200
    _reads_only(captured)


def test_inbox_page_with_many_rows_costs_the_same(
    demo_client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from chorus.inbox.models import Label

    workspace = User.objects.get(email=DEMO_EMAIL).memberships.get().workspace
    channel = factories.channel(workspace)
    lea = User.objects.get(email="lea.martin@chorus.invalid")
    for n in range(40):
        talk = factories.conversation(channel, f"Question {n}", assignee=lea if n % 2 else None)
        talk.labels.set(Label.objects.filter(workspace=workspace)[: n % 3])
    _warm(demo_client, "/inbox/")
    with django_assert_max_num_queries(INBOX):
        body = demo_client.get("/inbox/").content.decode()
    assert "Question 39" in body


def test_today_page(demo_client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _warm(demo_client, "/today/")
    with django_assert_max_num_queries(TODAY) as captured:
        assert demo_client.get("/today/").status_code == 200
    _reads_only(captured)


def test_calendar_page_with_posts(demo_client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    owner = User.objects.get(email=DEMO_EMAIL)
    workspace = owner.memberships.get().workspace
    assert owner.memberships.get().role == Role.OWNER
    channel = factories.channel(workspace, name="Second account")
    soon = timezone.now() + timedelta(hours=2)
    for n in range(6):
        planned(owner, [channel], f"Post number {n}", soon + timedelta(minutes=n))
    day = soon.astimezone(ZoneInfo(workspace.timezone)).date().isoformat()
    path = f"/publishing/calendar/?date={day}"
    _warm(demo_client, path)
    with django_assert_max_num_queries(CALENDAR) as captured:
        body = demo_client.get(path).content.decode()
    _reads_only(captured)
    # The demo plans its own month of posts too; ours are all on the page.
    assert all(f"Post number {n}" in body for n in range(6))


def test_week_view_costs_the_same(demo_client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _warm(demo_client, "/publishing/calendar/?view=week")
    with django_assert_max_num_queries(CALENDAR):
        assert demo_client.get("/publishing/calendar/?view=week").status_code == 200
