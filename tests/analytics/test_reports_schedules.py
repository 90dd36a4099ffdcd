"""Scheduled reports: when they run (the 2nd, Mondays, 07:00 on the workspace's clock across
summer time), which period they cover, and a due run e-mailed with its files through a real SMTP
server (aiosmtpd on loopback); failures written down and retried."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from chorus.accounts.models import User
from chorus.analytics.models import Report, ReportFrequency, ReportSchedule
from chorus.analytics.report_schedules import next_run, period_for, run_due_schedules
from chorus.analytics.reports.periods import ReportPeriod
from chorus.workspaces.models import Workspace
from tests.analytics.report_mail import Mailbox, free_port, mailbox  # noqa: F401
from tests.analytics.report_rows import known_figures

MONTHLY, WEEKLY = ReportFrequency.MONTHLY, ReportFrequency.WEEKLY


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_monthly_runs_on_the_2nd_at_seven_in_the_workspace_zone() -> None:
    assert next_run(MONTHLY, "Europe/Paris", utc(2026, 3, 1, 10)) == utc(2026, 3, 2, 6)  # CET
    assert next_run(MONTHLY, "Europe/Paris", utc(2026, 3, 2, 6)) == utc(2026, 4, 2, 5)  # CEST
    assert next_run(MONTHLY, "Europe/Paris", utc(2026, 12, 20)) == utc(2027, 1, 2, 6)
    # New York leaves summer time on 1 November 2026: 07:00 EST is 12:00 UTC.
    assert next_run(MONTHLY, "America/New_York", utc(2026, 10, 30)) == utc(2026, 11, 2, 12)


def test_weekly_runs_on_mondays_at_seven_across_the_change_of_time() -> None:
    before = next_run(WEEKLY, "Europe/Paris", utc(2026, 3, 20))
    after = next_run(WEEKLY, "Europe/Paris", before)
    assert before == utc(2026, 3, 23, 6)  # winter: UTC+1
    assert after == utc(2026, 3, 30, 5)  # summer time began on the 29th: UTC+2
    assert after - before == timedelta(days=7) - timedelta(hours=1)
    autumn = next_run(WEEKLY, "Europe/Paris", utc(2026, 10, 20))
    assert autumn == utc(2026, 10, 26, 6)  # back to UTC+1 on the 25th


def test_each_run_covers_the_previous_month_or_week() -> None:
    assert period_for(MONTHLY, "Europe/Paris", utc(2026, 12, 2, 6)) == ReportPeriod.month(2026, 11)
    assert period_for(MONTHLY, "Europe/Paris", utc(2027, 1, 2, 6)).start == date(2026, 12, 1)
    week = period_for(WEEKLY, "Europe/Paris", utc(2026, 11, 23, 6))
    assert (week.start, week.end, week.code) == (date(2026, 11, 16), date(2026, 11, 22), "2026-W47")
    # A retry on the Tuesday still covers the same week.
    assert period_for(WEEKLY, "Europe/Paris", utc(2026, 11, 24, 9)) == week


@pytest.fixture
def monthly(
    workspace_a: Workspace, alice: User, bob: User, settings, tmp_path: Path
) -> ReportSchedule:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    known_figures(workspace_a)
    alice.language, bob.language = "en", "fr"
    alice.save()
    bob.save()
    schedule = ReportSchedule.objects.create(
        workspace=workspace_a,
        name="Monthly for the client",
        frequency=MONTHLY,
        sections=["overview", "top_posts"],
        formats=["pdf", "csv", "pptx"],
        outside_addresses="client@customer.example\nboss@customer.example",
        next_run_at=utc(2026, 12, 2, 6),
        created_by=alice,
    )
    schedule.recipients.set([alice, bob])
    return schedule


def test_a_due_run_emails_the_files_to_members_and_clients(
    monthly: ReportSchedule,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    assert run_due_schedules(utc(2026, 12, 2, 6, 1)) == 1

    report = Report.objects.get(schedule=monthly)
    assert (report.period_start, report.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert len(mailbox.deliveries) == 3
    to_alice = mailbox.to("alice@example.org").message
    names = sorted(part.get_filename() for part in to_alice.iter_attachments())
    assert names == ["brand-a-2026-11.pdf", "brand-a-2026-11.pptx", "brand-a-2026-11.zip"]
    pdf = next(p for p in to_alice.iter_attachments() if p.get_filename().endswith(".pdf"))
    assert pdf.get_content().startswith(b"%PDF")
    assert f"/analytics/reports/{report.pk}/" in to_alice.get_body(("plain",)).get_content()
    client = mailbox.to("client@customer.example")
    assert sorted(client.recipients) == ["boss@customer.example", "client@customer.example"]
    assert "client@customer.example" not in client.message.get("To", "")  # blind copies
    assert "/analytics/" not in client.message.get_body(("plain",)).get_content()  # no link in

    monthly.refresh_from_db()
    assert monthly.last_error == ""
    assert monthly.last_run_at == utc(2026, 12, 2, 6, 1)
    assert monthly.next_run_at == utc(2027, 1, 2, 6)


def test_each_member_reads_the_email_in_their_language(
    monthly: ReportSchedule,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    run_due_schedules(utc(2026, 12, 2, 6, 1))
    english = mailbox.to("alice@example.org").message
    french = mailbox.to("bob@example.org").message
    assert "Here is the analytics report" in english.get_body(("plain",)).get_content()
    assert "Voici le rapport" in french.get_body(("plain",)).get_content()


def test_a_member_who_left_receives_nothing(
    monthly: ReportSchedule,
    bob: User,
    workspace_a: Workspace,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    workspace_a.memberships.filter(user=bob).delete()
    run_due_schedules(utc(2026, 12, 2, 6, 1))
    assert not any("bob@example.org" in d.recipients for d in mailbox.deliveries)


def test_a_run_is_claimed_once(monthly: ReportSchedule, mailbox: Mailbox) -> None:  # noqa: F811
    now = utc(2026, 12, 2, 6, 1)
    assert run_due_schedules(now) == 1
    assert run_due_schedules(now) == 0
    assert Report.objects.filter(schedule=monthly).count() == 1


def test_a_paused_schedule_sends_nothing(monthly: ReportSchedule, mailbox: Mailbox) -> None:  # noqa: F811
    monthly.is_active = False
    monthly.save()
    assert run_due_schedules(utc(2026, 12, 3)) == 0
    assert mailbox.deliveries == []


def test_a_failed_send_is_written_down_and_retried_for_the_same_month(
    monthly: ReportSchedule,
    settings,
    mailbox: Mailbox,  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there: the SMTP server is "down"
    run_due_schedules(utc(2026, 12, 2, 6, 1))

    monthly.refresh_from_db()
    assert "2026-12-02 06:01 UTC" in monthly.last_error
    assert monthly.next_run_at == utc(2026, 12, 2, 7, 1)  # an hour later
    assert not Report.objects.filter(schedule=monthly).exists()  # no unsent copy kept

    settings.EMAIL_PORT = working_port
    assert run_due_schedules(utc(2026, 12, 2, 7, 5)) == 1
    monthly.refresh_from_db()
    assert monthly.last_error == ""
    assert monthly.next_run_at == utc(2027, 1, 2, 6)
    report = Report.objects.get(schedule=monthly)
    assert report.period_start == date(2026, 11, 1)  # the retry covers the same month
    assert len(mailbox.deliveries) == 3


def test_an_address_that_is_not_one_is_said_and_the_others_still_receive(
    monthly: ReportSchedule,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    monthly.outside_addresses = "client@customer.example\nnot an address"
    monthly.save()
    run_due_schedules(utc(2026, 12, 2, 6, 1))

    monthly.refresh_from_db()
    assert "not an address" in monthly.last_error
    assert monthly.next_run_at == utc(2027, 1, 2, 6)  # sent: not retried (nor sent twice)
    assert mailbox.to("client@customer.example")


def test_the_emailed_link_opens_for_members_only(
    monthly: ReportSchedule,
    mailbox: Mailbox,  # noqa: F811
    alice_client,  # type: ignore[no-untyped-def]
    charlie_client,
) -> None:
    run_due_schedules(utc(2026, 12, 2, 6, 1))
    body = mailbox.to("alice@example.org").message.get_body(("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/analytics/reports/\d+/)", body)
    assert link is not None
    assert alice_client.get(link[1]).status_code == 200
    assert charlie_client.get(link[1]).status_code == 404
