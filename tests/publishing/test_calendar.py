"""The calendar shows the plan in the workspace's zone, filters it, and moves posts safely."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from chorus.publishing import services
from chorus.publishing.models import Post, PostKind, PostTarget, State

from .planning_fixtures import make_channel, planned, target_of

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _future_day(days: int = 40) -> date:
    return (timezone.now().astimezone(PARIS) + timedelta(days=days)).date()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _month(client: Client, day: date, query: str = "") -> str:
    response = client.get(f"/publishing/calendar/?date={day.isoformat()}{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_month_shows_posts_with_time_channel_and_escaped_text(alice, alice_client, workspace_a):
    channel = make_channel(workspace_a, "Bistro <Lyon>")
    day = _future_day()
    planned(alice, [channel], "<script>alert(1)</script> Grand opening tonight", _at(day, 9, 30))

    body = _month(alice_client, day)

    assert "09:30" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Grand opening" in body
    assert "<script>alert(1)" not in body
    assert "Bistro &lt;Lyon&gt;" in body
    assert "net-mastodon" in body and "state-scheduled" in body


def test_times_are_in_the_workspace_zone(alice, alice_client, workspace_a) -> None:
    channel = make_channel(workspace_a)
    day = _future_day()
    # 23:30 UTC the evening before is 00:30 or 01:30 the next morning in Paris.
    utc_evening = datetime.combine(day - timedelta(days=1), time(23, 30), tzinfo=UTC)
    planned(alice, [channel], "Midnight launch", utc_evening)

    body = alice_client.get(f"/publishing/calendar/?view=week&date={day}").content.decode()

    local = utc_evening.astimezone(PARIS)
    assert local.date() == day
    assert f"{local:%H:%M}" in body
    cell = body.split(f'data-date="{day.isoformat()}" data-hour="{local.hour}"')[1]
    assert "Midnight launch" in cell.split("</td>")[0]


def test_replies_drafts_and_other_workspaces_stay_out(
    alice, charlie, alice_client, workspace_a, workspace_c
) -> None:
    channel = make_channel(workspace_a)
    day = _future_day()
    reply = Post.objects.create(
        workspace=workspace_a, author=alice, text="An inbox reply", kind=PostKind.REPLY
    )
    PostTarget.objects.create(
        workspace=workspace_a,
        post=reply,
        channel=channel,
        state=State.SCHEDULED,
        scheduled_at=_at(day, 10),
    )
    dropped = planned(alice, [channel], "Dropped idea", _at(day, 11))
    services.drop(target_of(dropped))
    planned(
        charlie, [make_channel(workspace_c, "Charlie channel")], "Charlie's secret", _at(day, 12)
    )

    body = _month(alice_client, day)

    assert "An inbox reply" not in body
    assert "Dropped idea" not in body
    assert "Charlie&#x27;s secret" not in body and "Charlie's secret" not in body
    assert "Dropped idea" in _month(alice_client, day, "&state=draft")


def test_filters_by_channel_and_state_and_keeps_them_in_navigation(
    alice, alice_client, workspace_a
) -> None:
    first = make_channel(workspace_a, "First")
    second = make_channel(workspace_a, "Second")
    day = _future_day()
    planned(alice, [first], "On the first channel", _at(day, 9))
    published = planned(alice, [second], "Already out on the second", _at(day, 10))
    PostTarget.objects.filter(post=published).update(state=State.PUBLISHED)

    only_first = _month(alice_client, day, f"&channel={first.pk}")
    only_published = _month(alice_client, day, "&state=published")

    assert "On the first channel" in only_first and "Already out" not in only_first
    assert "Already out on the second" in only_published and "On the first" not in only_published
    assert f"channel={first.pk}" in only_first.split('rel="next"')[0].rsplit("href=", 1)[1]


def test_week_view_has_hour_rows_and_today_is_highlighted(alice_client, workspace_a) -> None:
    body = alice_client.get("/publishing/calendar/?view=week").content.decode()
    today = timezone.now().astimezone(PARIS).date().isoformat()

    assert body.count('class="hour"') == 24
    assert 'class="cal-slot today' in body and f'data-date="{today}"' in body
    month = alice_client.get("/publishing/calendar/").content.decode()
    assert f'today" data-date="{today}"' in month


def test_empty_future_days_link_to_the_composer(alice_client) -> None:
    day = _future_day()
    body = _month(alice_client, day)
    assert f"/publishing/compose/?at={day.isoformat()}T09:00" in body


def _move(client: Client, target: PostTarget, **data: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/publishing/calendar/move/{target.pk}/", data, HTTP_ACCEPT="application/json"
    )


def test_month_drop_keeps_the_time_of_day(alice, alice_client, workspace_a) -> None:
    channel = make_channel(workspace_a)
    day = _future_day()
    target = target_of(planned(alice, [channel], "Move me", _at(day, 12, 30)))

    response = _move(alice_client, target, date=(day + timedelta(days=3)).isoformat())

    assert response.status_code == 200 and response.json()["ok"]
    target.refresh_from_db()
    assert target.scheduled_at == _at(day + timedelta(days=3), 12, 30)
    assert target.state == State.SCHEDULED


def test_week_drop_takes_the_dropped_hour(alice, alice_client, workspace_a) -> None:
    channel = make_channel(workspace_a)
    day = _future_day()
    target = target_of(planned(alice, [channel], "Move me", _at(day, 12, 30)))

    _move(alice_client, target, date=(day + timedelta(days=1)).isoformat(), hour="17")

    target.refresh_from_db()
    assert target.scheduled_at == _at(day + timedelta(days=1), 17, 30)


def test_published_and_past_moves_are_refused_with_a_message(alice, alice_client, workspace_a):
    channel = make_channel(workspace_a)
    day = _future_day()
    out = target_of(planned(alice, [channel], "Out already", _at(day, 9)))
    PostTarget.objects.filter(pk=out.pk).update(state=State.PUBLISHED)
    planned_target = target_of(planned(alice, [channel], "Planned", _at(day, 10)))

    refused = _move(alice_client, out, date=(day + timedelta(days=1)).isoformat())
    past = _move(alice_client, planned_target, date="2020-01-01")
    nonsense = _move(alice_client, planned_target, date="soon")

    assert refused.status_code == 409 and "published" in refused.json()["message"]
    assert past.status_code == 409 and "future" in past.json()["message"]
    assert nonsense.status_code == 422
    planned_target.refresh_from_db()
    assert planned_target.scheduled_at == _at(day, 10)


def test_without_javascript_the_reschedule_form_moves_the_post(alice, alice_client, workspace_a):
    channel = make_channel(workspace_a)
    day = _future_day()
    target = target_of(planned(alice, [channel], "Form move", _at(day, 9)))
    page = alice_client.get(f"/publishing/targets/{target.pk}/reschedule/")
    assert page.status_code == 200 and "Form move" in page.content.decode()

    response = alice_client.post(
        f"/publishing/targets/{target.pk}/reschedule/", {"at": f"{day + timedelta(days=2)}T18:45"}
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.scheduled_at == _at(day + timedelta(days=2), 18, 45)
    past = alice_client.post(
        f"/publishing/targets/{target.pk}/reschedule/", {"at": "2020-01-01T10:00"}
    )
    assert "Pick a time in the future." in past.content.decode()


def test_a_plain_form_drop_redirects_back_with_the_message(alice, alice_client, workspace_a):
    channel = make_channel(workspace_a)
    day = _future_day()
    target = target_of(planned(alice, [channel], "No JS", _at(day, 9)))

    response = alice_client.post(
        f"/publishing/calendar/move/{target.pk}/",
        {"date": (day + timedelta(days=1)).isoformat()},
        follow=True,
    )

    assert "Moved to" in response.content.decode()


def test_charlie_cannot_see_or_move_workspace_a_posts(alice, charlie_client, workspace_a) -> None:
    channel = make_channel(workspace_a)
    day = _future_day()
    target = target_of(planned(alice, [channel], "Alice's plan", _at(day, 9)))

    assert (
        _move(charlie_client, target, date=(day + timedelta(days=1)).isoformat()).status_code == 404
    )
    assert charlie_client.get(f"/publishing/targets/{target.pk}/reschedule/").status_code == 404
    assert "Alice" not in charlie_client.get(f"/publishing/calendar/?date={day}").content.decode()
    target.refresh_from_db()
    assert target.scheduled_at == _at(day, 9)


def test_an_analyst_sees_the_calendar_but_cannot_move(alice, bob, bob_client, workspace_a) -> None:
    from chorus.workspaces.models import Membership, Role

    Membership.objects.filter(user=bob).update(role=Role.ANALYST)
    channel = make_channel(workspace_a)
    day = _future_day()
    target = target_of(planned(alice, [channel], "Look only", _at(day, 9)))

    body = _month(bob_client, day)

    assert "Look only" in body and 'draggable="true"' not in body
    assert _move(bob_client, target, date=(day + timedelta(days=1)).isoformat()).status_code == 403
