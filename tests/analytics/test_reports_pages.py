"""The reports pages and downloads, for alice (owner), bob (editor, then contributor), an analyst
and charlie (an outsider, owner of workspace C): who may build, schedule, see and download."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.models import User
from chorus.analytics.models import Report, ReportFrequency, ReportSchedule
from chorus.analytics.reports.building import build_report
from chorus.analytics.reports.periods import parse_period
from chorus.workspaces.models import Membership, Role, Workspace
from tests.analytics.report_rows import known_figures

BUILD = {
    "kind": "month",
    "month": "2026-11",
    "sections": ["overview", "top_posts"],
    "formats": ["pdf", "csv"],
}


@pytest.fixture
def report_a(workspace_a: Workspace, alice: User, settings, tmp_path: Path) -> Report:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    known_figures(workspace_a)
    return build_report(workspace_a, parse_period("2026-11"), ["overview"], ["pdf", "csv"], alice)


def as_role(user: User, workspace: Workspace, role: str) -> Client:
    Membership.objects.filter(user=user, workspace=workspace).update(role=role)
    client = Client()
    client.force_login(user)
    return client


def test_alice_builds_a_report_and_downloads_each_file(
    alice_client: Client, workspace_a: Workspace, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    known_figures(workspace_a)
    response = alice_client.post(reverse("analytics:reports"), BUILD)

    report = Report.objects.get(workspace=workspace_a)
    assert response.status_code == 302 and response.url == reverse(
        "analytics:report", args=[report.pk]
    )
    assert report.sections == ["overview", "top_posts"]
    pdf = alice_client.get(reverse("analytics:report_file", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    page = alice_client.get(reverse("analytics:report", args=[report.pk]))
    assert page.status_code == 200
    assert "Brand A" in page.content.decode()
    assert (
        alice_client.get(reverse("analytics:report_file", args=[report.pk, "pptx"])).status_code
        == 404
    )


def test_the_preview_shows_the_report_before_building_it(
    alice_client: Client, workspace_a: Workspace
) -> None:
    known_figures(workspace_a)
    response = alice_client.get(reverse("analytics:report_preview"), BUILD)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Brand A" in body and 'id="section-overview"' in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # the hostile post text, escaped
    assert "<script>alert(1)" not in body
    assert not Report.objects.exists()  # a preview builds nothing


def test_a_bad_period_is_said_and_nothing_is_built(alice_client: Client) -> None:
    for wrong in (
        {**BUILD, "month": "2026-13"},
        {**BUILD, "kind": "custom", "start": "2026-11-30", "end": "2026-11-01"},
        {**BUILD, "kind": "custom", "start": "2025-01-01", "end": "2026-11-01"},
        {**BUILD, "sections": []},
        {**BUILD, "formats": ["docx"]},
    ):
        response = alice_client.post(reverse("analytics:reports"), wrong)
        assert response.status_code == 200, wrong
        assert 'role="alert"' in response.content.decode(), wrong
    assert not Report.objects.exists()


def test_a_week_and_a_custom_range_are_built(
    alice_client: Client, workspace_a: Workspace, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    alice_client.post(reverse("analytics:reports"), {**BUILD, "kind": "week", "week": "2026-W47"})
    alice_client.post(
        reverse("analytics:reports"),
        {**BUILD, "kind": "custom", "start": "2026-11-03", "end": "2026-11-16"},
    )
    spans = sorted(
        (r.period_start.isoformat(), r.period_end.isoformat()) for r in Report.objects.all()
    )
    assert spans == [("2026-11-03", "2026-11-16"), ("2026-11-16", "2026-11-22")]


def test_charlie_never_reaches_workspace_a_reports(
    report_a: Report, charlie_client: Client, workspace_c: Workspace
) -> None:
    for url in (
        reverse("analytics:report", args=[report_a.pk]),
        reverse("analytics:report_file", args=[report_a.pk, "pdf"]),
        reverse("analytics:report_file", args=[report_a.pk, "csv"]),
    ):
        assert charlie_client.get(url).status_code == 404, url
    archive = charlie_client.get(reverse("analytics:reports")).content.decode()
    assert report_a.title not in archive
    assert reverse("analytics:report", args=[report_a.pk]) not in archive


def test_a_contributor_sees_and_downloads_but_cannot_build(
    report_a: Report, bob: User, workspace_a: Workspace
) -> None:
    client = as_role(bob, workspace_a, Role.CONTRIBUTOR)
    archive = client.get(reverse("analytics:reports"))
    assert archive.status_code == 200
    assert reverse("analytics:report", args=[report_a.pk]) in archive.content.decode()
    assert 'action="/analytics/reports/"' not in archive.content.decode()  # no build form
    assert (
        client.get(reverse("analytics:report_file", args=[report_a.pk, "pdf"])).status_code == 200
    )
    assert client.post(reverse("analytics:reports"), BUILD).status_code == 403
    assert client.get(reverse("analytics:report_preview"), BUILD).status_code == 403
    assert client.get(reverse("analytics:report_schedules")).status_code == 403
    assert Report.objects.count() == 1


def test_an_analyst_and_an_editor_build_reports(
    bob: User, workspace_a: Workspace, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    for role in (Role.ANALYST, Role.EDITOR):
        client = as_role(bob, workspace_a, role)
        assert client.post(reverse("analytics:reports"), BUILD).status_code == 302
    assert Report.objects.filter(created_by=bob).count() == 2


def schedule_form(**changes: object) -> dict[str, object]:
    return {
        "name": "Monthly for the client",
        "frequency": ReportFrequency.MONTHLY,
        "sections": ["overview", "community"],
        "formats": ["pdf"],
        "outside_addresses": "client@customer.example",
        **changes,
    }


def test_alice_schedules_a_monthly_report(
    alice_client: Client, alice: User, bob: User, workspace_a: Workspace
) -> None:
    response = alice_client.post(
        reverse("analytics:report_schedules"), schedule_form(recipients=[alice.pk, bob.pk])
    )
    assert response.status_code == 302
    schedule = ReportSchedule.objects.get(workspace=workspace_a)
    assert set(schedule.recipients.all()) == {alice, bob}
    local = schedule.next_run_at.astimezone(ZoneInfo("Europe/Paris"))
    assert (local.day, local.hour, local.minute) == (2, 7, 0)
    page = alice_client.get(reverse("analytics:report_schedules")).content.decode()
    assert "Monthly for the client" in page


def test_a_schedule_refuses_outsiders_and_bad_addresses(
    alice_client: Client, charlie: User, workspace_c: Workspace
) -> None:
    outsider = alice_client.post(
        reverse("analytics:report_schedules"), schedule_form(recipients=[charlie.pk])
    )
    bad = alice_client.post(
        reverse("analytics:report_schedules"),
        schedule_form(outside_addresses="client@x.example\nnope"),
    )
    assert outsider.status_code == 400 and bad.status_code == 400
    assert "nope" in bad.content.decode()
    assert not ReportSchedule.objects.exists()


def test_pause_edit_send_and_delete_a_schedule(
    alice_client: Client,
    alice: User,
    workspace_a: Workspace,
    mailoutbox,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
    settings,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    alice_client.post(reverse("analytics:report_schedules"), schedule_form(recipients=[alice.pk]))
    schedule = ReportSchedule.objects.get()

    alice_client.post(reverse("analytics:report_schedule_pause", args=[schedule.pk]))
    schedule.refresh_from_db()
    assert not schedule.is_active
    alice_client.post(
        reverse("analytics:report_schedule", args=[schedule.pk]),
        schedule_form(name="Weekly", frequency=ReportFrequency.WEEKLY, recipients=[alice.pk]),
    )
    schedule.refresh_from_db()
    assert schedule.name == "Weekly" and schedule.next_run_at.weekday() == 0
    with django_capture_on_commit_callbacks(execute=True):  # the task runs once committed
        alice_client.post(reverse("analytics:report_schedule_send", args=[schedule.pk]))
    assert Report.objects.filter(schedule=schedule).count() == 1
    assert len(mailoutbox) == 2  # alice, and the client
    alice_client.post(reverse("analytics:report_schedule_delete", args=[schedule.pk]))
    assert not ReportSchedule.objects.exists()
    assert Report.objects.count() == 1  # the archive keeps what was sent


def test_charlie_cannot_touch_workspace_a_schedules(
    alice: User, workspace_a: Workspace, charlie_client: Client
) -> None:
    schedule = ReportSchedule.objects.create(
        workspace=workspace_a, name="A's", frequency=ReportFrequency.MONTHLY,
        sections=["overview"], formats=["pdf"], next_run_at=timezone.now(),
    )  # fmt: skip
    for name in ("report_schedule_pause", "report_schedule_delete", "report_schedule_send"):
        assert (
            charlie_client.post(reverse(f"analytics:{name}", args=[schedule.pk])).status_code == 404
        )
    assert (
        charlie_client.get(reverse("analytics:report_schedule", args=[schedule.pk])).status_code
        == 404
    )
    schedule.refresh_from_db()
    assert schedule.is_active
