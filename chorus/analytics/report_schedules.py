"""Reports that build and send themselves: monthly on the 2nd for the previous month, weekly on
Mondays for the previous week, at a morning hour in the workspace's time zone.

Times are computed on the workspace's wall clock and stored in UTC (invariant 6), so 07:00 in
Paris stays 07:00 across the change to and from summer time. A run that fails (the SMTP server
down, a format that cannot be written) is recorded on the schedule (``last_error``) and tried
again an hour later for the same period, until the next regular run takes over.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.analytics.models import Report, ReportFrequency, ReportSchedule
from chorus.analytics.reports.building import FORMATS, build_report
from chorus.analytics.reports.periods import ReportPeriod
from chorus.workspaces.models import Membership, Workspace

log = logging.getLogger(__name__)

MORNING = time(7, 0)  # reports arrive before the working day starts
RETRY_AFTER = timedelta(hours=1)
LEASE = timedelta(minutes=30)  # a run that died holding the schedule is tried again after this


def next_run(frequency: str, zone_name: str, after: datetime) -> datetime:
    """The first regular run strictly after ``after``: the 2nd of a month, or a Monday, at 07:00
    on the workspace's clock (in UTC)."""
    zone = ZoneInfo(zone_name)
    day = after.astimezone(zone).date()
    while True:
        if is_run_day(frequency, day):
            at = datetime.combine(day, MORNING, tzinfo=zone)
            if at > after:
                return at.astimezone(ZoneInfo("UTC"))
        day += timedelta(days=1)


def is_run_day(frequency: str, day: date) -> bool:
    if frequency == ReportFrequency.MONTHLY:
        return day.day == 2
    return day.weekday() == 0


def period_for(frequency: str, zone_name: str, run_at: datetime) -> ReportPeriod:
    """The month (or week) before the run's day on the workspace's clock."""
    day = run_at.astimezone(ZoneInfo(zone_name)).date()
    if frequency == ReportFrequency.MONTHLY:
        return ReportPeriod.month_before(day)
    return ReportPeriod.week_before(day)


def first_run(frequency: str, workspace: Workspace) -> datetime:
    return next_run(frequency, workspace.timezone, timezone.now())


def run_due_schedules(now: datetime) -> int:
    """Build and send every active schedule whose time has come; how many were run."""
    due = ReportSchedule.objects.filter(is_active=True, next_run_at__lte=now).order_by("pk")
    ran = 0
    for schedule_id, slot in due.values_list("pk", "next_run_at"):
        # Claim it: only the worker whose UPDATE matches runs it (two workers never both send).
        claimed = ReportSchedule.objects.filter(pk=schedule_id, next_run_at=slot).update(
            next_run_at=now + LEASE
        )
        if claimed:
            schedule = ReportSchedule.objects.select_related("workspace").get(pk=schedule_id)
            run_schedule(schedule, slot, now)
            ran += 1
    return ran


def run_schedule(schedule: ReportSchedule, slot: datetime, now: datetime) -> Report | None:
    """One run for the period of ``slot``; the schedule records how it went and what comes next."""
    workspace = schedule.workspace
    regular = next_run(schedule.frequency, workspace.timezone, max(slot, now))
    try:
        report, refused = send_schedule_now(
            schedule, period_for(schedule.frequency, workspace.timezone, slot)
        )
    except Exception as error:  # any failure is written down and retried, never lost silently
        log.exception("Scheduled report %s failed", schedule.pk)
        schedule.last_error = f"{now:%Y-%m-%d %H:%M} UTC: {error}"[:2000]
        schedule.next_run_at = min(now + RETRY_AFTER, regular)
        schedule.save(update_fields=["last_error", "next_run_at"])
        return None
    # Sent to everyone else: an address that is not one is said, not retried (nor resent).
    schedule.last_error = not_sent_to(refused)
    schedule.last_run_at = now
    schedule.next_run_at = regular
    schedule.save(update_fields=["last_error", "last_run_at", "next_run_at"])
    return report


def send_now(schedule: ReportSchedule) -> Report | None:
    """Run it now, by hand, for the period its next regular run would cover: the next regular
    run stays where it was."""
    now = timezone.now()
    workspace = schedule.workspace
    period = period_for(schedule.frequency, workspace.timezone, now)
    try:
        report, refused = send_schedule_now(schedule, period)
    except Exception as error:
        log.exception("Report schedule %s, sent by hand, failed", schedule.pk)
        schedule.last_error = f"{now:%Y-%m-%d %H:%M} UTC: {error}"[:2000]
        schedule.save(update_fields=["last_error"])
        return None
    schedule.last_error = not_sent_to(refused)
    schedule.last_run_at = now
    schedule.save(update_fields=["last_error", "last_run_at"])
    return report


def not_sent_to(refused: list[str]) -> str:
    if not refused:
        return ""
    return _("Not sent to these, which are not e-mail addresses: %(list)s") % {
        "list": ", ".join(refused)
    }


def send_schedule_now(schedule: ReportSchedule, period: ReportPeriod) -> tuple[Report, list[str]]:
    """Build the report for ``period`` and e-mail it; the outside addresses that were refused."""
    report = build_report(
        schedule.workspace,
        period,
        schedule.sections,
        schedule.formats,
        by=schedule.created_by,
        schedule=schedule,
    )
    try:
        return report, deliver(schedule, report)
    except Exception:
        forget(report)  # not sent: the retry builds it again, the archive holds no unsent copy
        raise


def forget(report: Report) -> None:
    for row in report.files.all():
        row.file.delete(save=False)
    report.delete()


def recipients_still_members(schedule: ReportSchedule) -> list[User]:
    """Chosen members who still belong to the workspace: someone who left gets nothing more."""
    members = Membership.objects.filter(workspace=schedule.workspace).values("user_id")
    return list(schedule.recipients.filter(pk__in=members, is_active=True).order_by("pk"))


def outside_addresses(text: str) -> tuple[list[str], list[str]]:
    """(valid addresses, refused ones), one per line or separated by commas."""
    valid, refused = [], []
    for address in text.replace(",", "\n").splitlines():
        address = address.strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            refused.append(address)
        else:
            valid.append(address)
    return valid, refused


def deliver(schedule: ReportSchedule, report: Report) -> list[str]:
    """E-mail the report's files: each member in their own language with a link to the archive,
    each outside address (a client) in the workspace's language without one."""
    workspace = schedule.workspace
    attachments = [
        (row.file.name.rsplit("/", 1)[-1], row.file.read(), FORMATS[row.format].mime)
        for row in report.files.all()
    ]
    messages = [
        report_email(report, [user.email], user.language or workspace.language, attachments, True)
        for user in recipients_still_members(schedule)
        if user.email
    ]
    valid, refused = outside_addresses(schedule.outside_addresses)
    if valid:
        messages.append(report_email(report, valid, workspace.language, attachments, False))
    get_connection(fail_silently=False).send_messages(messages)
    return refused


def report_email(
    report: Report,
    to: list[str],
    language: str,
    attachments: list[tuple[str, bytes, str]],
    member: bool,
) -> EmailMessage:
    with translation.override(language):
        subject = _("%(workspace)s: %(title)s") % {
            "workspace": report.workspace.name,
            "title": report.title,
        }
        lines = [
            _("Hello,"),
            "",
            _("Here is the analytics report of %(workspace)s, attached to this e-mail.")
            % {"workspace": report.workspace.name},
        ]
        if member:
            link = settings.CHORUS_BASE_URL + reverse("analytics:report", args=[report.pk])
            lines += ["", _("All past reports are in Chorus: %(link)s") % {"link": link}]
        lines += ["", _("— Chorus")]
    message = EmailMessage(subject, "\n".join(lines), None, [] if not member else to)
    if not member:
        message.bcc = to  # clients do not see each other's addresses
    for name, data, mime in attachments:
        message.attach(name, data, mime)
    return message
