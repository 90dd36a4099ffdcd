"""The calendar in a real browser: month view, drag a post to another day, week view in French,
the held list and the import report."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from chorus.publishing import services
from chorus.publishing.models import PostTarget
from tests.browser.conftest import shot
from tests.publishing.planning_fixtures import make_channel, planned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PARIS = ZoneInfo("Europe/Paris")


def _sign_in(page, user, language: str = "en") -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    host = page.base.split("//")[1].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"},
        ]
    )


def _next_month() -> date:
    today = timezone.now().astimezone(PARIS).date()
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def _plan(alice, workspace) -> PostTarget:  # type: ignore[no-untyped-def]
    mastodon = make_channel(workspace, "Brand on Mastodon")
    sky = make_channel(workspace, "Brand on Bluesky", "bluesky")
    month = _next_month()
    moving = planned(
        alice,
        [mastodon],
        "Spring collection launch: 20% off this weekend",
        _at(month.replace(day=10), 9, 30),
    )
    planned(
        alice, [sky], "Behind the scenes of our photo shoot", _at(month.replace(day=10), 12, 30)
    )
    planned(
        alice,
        [mastodon, sky],
        "Live Q&A with the founders <tonight>",
        _at(month.replace(day=12), 18),
    )
    planned(alice, [sky], "Weekly tips: 5 ways to style a scarf", _at(month.replace(day=17), 8, 15))
    out = planned(alice, [mastodon], "Thank you for 10k followers!", _at(month.replace(day=3), 10))
    PostTarget.objects.filter(post=out).update(state="published")
    return moving.targets.get()


def test_drag_a_post_to_another_day_in_the_month_view(page, alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    target = _plan(alice, workspace_a)
    month = _next_month()
    _sign_in(page, alice)
    page.goto(f"{page.base}/publishing/calendar/?date={month.isoformat()}")
    source = page.locator(f'.cal-chip[data-target="{target.pk}"]')
    assert "09:30" in source.inner_text()
    shot(page, "calendar-month-en")

    new_day = month.replace(day=14).isoformat()
    source.drag_to(page.locator(f'td.cal-day[data-date="{new_day}"]'))
    page.wait_for_selector(
        f'td.cal-day[data-date="{new_day}"] .cal-chip[data-target="{target.pk}"]'
    )

    assert "Moved to" in page.inner_text(".cal-status")
    target.refresh_from_db()
    assert target.scheduled_at == _at(month.replace(day=14), 9, 30)
    old_cell = page.locator(f'td.cal-day[data-date="{month.replace(day=10).isoformat()}"]')
    assert "Spring collection" not in old_cell.inner_text()


def test_a_published_post_cannot_be_dragged(page, alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    _plan(alice, workspace_a)
    _sign_in(page, alice)
    page.goto(f"{page.base}/publishing/calendar/?date={_next_month().isoformat()}")
    published = page.locator(".cal-chip.state-published")
    assert published.count() == 1
    assert published.get_attribute("draggable") is None


def test_week_view_in_french(page, alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    _plan(alice, workspace_a)
    day = _next_month().replace(day=12)
    _sign_in(page, alice, "fr")
    page.goto(f"{page.base}/publishing/calendar/?view=week&date={day.isoformat()}")
    cell = page.locator(f'td.cal-slot[data-date="{day.isoformat()}"][data-hour="18"]')
    assert "Live Q&A with the founders <tonight>" in cell.inner_text()
    assert page.locator("th.hour").count() == 24
    shot(page, "calendar-week-fr")


def test_held_list_after_a_pause(page, alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a, "Brand on Mastodon")
    for text in (
        "Flash sale ends at midnight!",
        "Our CEO on yesterday's news",
        "Giveaway winners announced",
    ):
        planned(alice, [channel], text, timezone.now() + timedelta(hours=1))
    services.pause_workspace(workspace_a, by=alice)
    PostTarget.objects.update(
        due_at=timezone.now() - timedelta(minutes=20),
        scheduled_at=timezone.now() - timedelta(minutes=20),
    )
    _sign_in(page, alice)
    page.goto(f"{page.base}/publishing/calendar/")
    assert page.locator(".paused-banner").is_visible()
    page.goto(f"{page.base}/publishing/pause/")
    page.click("text=Resume publishing")
    page.wait_for_url("**/publishing/held/")
    assert page.locator(".held-table tbody tr").count() == 3
    assert page.locator(".paused-banner").count() == 0
    shot(page, "held-list")


def test_import_errors_are_listed(page, alice, workspace_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_channel(workspace_a, "Brand on Mastodon")
    csv_file = tmp_path / "plan.csv"
    csv_file.write_text(
        "text;channels;time;media\n"
        "Spring is here;Brand on Mastodon;2099-04-01 09:00;\n"
        "Unknown network;Myspace;2099-04-01 10:00;\n"
        "Too late;Brand on Mastodon;2001-01-01 10:00;\n"
        "Spring is here;Brand on Mastodon;2099-04-01 09:00;\n"
        ";Brand on Mastodon;;missing-picture\n",
        encoding="utf-8",
    )
    _sign_in(page, alice)
    page.goto(f"{page.base}/publishing/import/")
    page.set_input_files("input[type=file]", str(csv_file))
    page.click("text=Check and import")
    page.wait_for_selector(".import-report")
    assert "4 rows need fixing" in page.inner_text(".import-report h2")
    shot(page, "bulk-import-errors")


def test_queue_and_approvals_pages_look_right(page, alice, bob, workspace_a) -> None:  # type: ignore[no-untyped-def]
    from chorus.publishing.models import QueueSlot
    from chorus.workspaces.models import Membership, Role

    channel = make_channel(workspace_a, "Brand on Mastodon")
    for day in range(5):
        for hour, minute in ((9, 0), (12, 30), (17, 30)):
            QueueSlot.objects.create(
                workspace=workspace_a, channel=channel, weekday=day, time=time(hour, minute)
            )
    QueueSlot.objects.create(workspace=workspace_a, channel=channel, weekday=5, time=time(11, 0))
    Membership.objects.filter(user=bob).update(role=Role.CONTRIBUTOR)
    post = services.create_post(
        workspace_a,
        bob,
        "New opening hours from Monday: 9am to 7pm, every day!",
        [channel, make_channel(workspace_a, "Brand on Bluesky", "bluesky")],
    )
    services.schedule_post(post, timezone.now() + timedelta(days=1))
    _sign_in(page, alice)
    page.goto(f"{page.base}/publishing/queue/{channel.pk}/")
    assert page.locator(".slot-chip").count() == 16
    shot(page, "queue-en")
    page.goto(f"{page.base}/publishing/approvals/")
    page.click("summary:has-text('Request changes')")
    shot(page, "approvals-en")
    page.click("button:has-text('Approve')")
    page.wait_for_selector("text=Nothing is waiting for approval.")
