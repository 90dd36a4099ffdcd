"""Scheduled reports, in the background: every five minutes, build and send those due.

Bound by name (``core.background``) so the pages' "send now" never imports this module.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from chorus.analytics import report_schedules as schedules
from chorus.analytics.models import ReportSchedule
from chorus.core import background


@db_periodic_task(crontab(minute="*/5"))
def send_due_reports() -> int:
    return schedules.run_due_schedules(schedules.timezone.now())


@db_task()
def send_report_now(schedule_id: int) -> None:
    """ "Send now" on the schedules page: the previous period, recorded like a regular run."""
    schedule = ReportSchedule.objects.select_related("workspace").filter(pk=schedule_id).first()
    if schedule is not None:
        schedules.send_now(schedule)


background.bind("analytics", send_report_now=send_report_now)
