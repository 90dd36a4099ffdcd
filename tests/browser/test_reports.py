"""Reports in a real browser, on the demo workspace: preview a month, build it, download the PDF,
the CSV files and the slides, then set up a monthly schedule and send it now through a real SMTP
server (aiosmtpd on loopback). Screenshots in English and French (var/screenshots/reports-*)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pptx import Presentation

from chorus.analytics.models import Report, ReportSchedule
from tests.analytics.report_mail import Mailbox, mailbox  # noqa: F401
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def download(page, link_text: str, tmp_path: Path) -> bytes:  # type: ignore[no-untyped-def]
    with page.expect_download() as waiting:
        page.get_by_role("link", name=link_text).click()
    target = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(target)
    return target.read_bytes()


def test_preview_build_and_download_the_three_formats(page, demo_owner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, demo_owner)
    page.goto(page.base + "/analytics/reports/")
    expect(page.get_by_role("heading", name="Build a report")).to_be_visible()
    shot(page, "reports-build-en")

    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Report preview")).to_be_visible(timeout=60_000)
    expect(page.locator("#section-overview")).to_be_visible()
    expect(page.locator(".report-cover")).to_contain_text("Café Lumière")
    shot(page, "reports-preview-en")

    page.get_by_role("button", name="Build the files").click()
    expect(page.get_by_text("The report is built")).to_be_visible(timeout=60_000)
    report = Report.objects.get()
    pdf = download(page, "Download PDF", tmp_path)
    files = download(page, "Download CSV", tmp_path)
    slides = download(page, "Download PPTX", tmp_path)
    assert pdf.startswith(b"%PDF")
    assert "01-overview.csv" in zipfile.ZipFile(io.BytesIO(files)).namelist()
    assert len(Presentation(io.BytesIO(slides)).slides) == 1 + len(report.sections)
    shot(page, "reports-detail-en")

    page.get_by_role("button", name="FR").click()
    expect(page.get_by_role("link", name="Télécharger le PDF", exact=False)).to_be_visible()
    page.goto(page.base + "/analytics/reports/")
    expect(page.get_by_role("heading", name="Produire un rapport")).to_be_visible()
    expect(page.get_by_role("heading", name="Archive")).to_be_visible()
    shot(page, "reports-build-fr")


def test_a_monthly_schedule_sent_now_by_email(  # type: ignore[no-untyped-def]
    page,
    demo_owner,
    mailbox: Mailbox,  # noqa: F811
) -> None:
    sign_in(page, demo_owner)
    page.goto(page.base + "/analytics/reports/schedules/")
    page.get_by_label("Name").fill("Monthly for the owner")
    page.get_by_label("Frequency").select_option("monthly")
    page.get_by_label(str(demo_owner)).check()
    page.get_by_label("Outside addresses").fill("client@customer.example")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_text("The schedule is saved.")).to_be_visible()
    schedule = ReportSchedule.objects.get()
    assert schedule.next_run_at.day in (1, 2)  # 07:00 Paris on the 2nd, in UTC

    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_text("The report is being built and sent")).to_be_visible(timeout=60_000)
    page.reload()
    expect(page.get_by_text("Last sent:")).to_be_visible()
    shot(page, "reports-schedules-en")
    client = mailbox.to("client@customer.example").message
    names = sorted(part.get_filename() for part in client.iter_attachments())
    assert [n.rsplit(".", 1)[1] for n in names] == ["pdf", "pptx", "zip"]
    assert Report.objects.filter(schedule=schedule).count() == 1

    page.get_by_role("button", name="FR").click()
    expect(page.get_by_role("heading", name="Envois programmés de rapports")).to_be_visible()
    expect(page.get_by_text("Dernier envoi")).to_be_visible()
    shot(page, "reports-schedules-fr")
