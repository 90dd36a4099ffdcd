"""Build a report: read the figures once, write each format, keep it in the archive.

The report is worded in the workspace's language (``translation.override``), whoever builds
it and whatever language the page was in, so a client receives the same report every month.
Files go to the default storage as ``ReportFile`` rows; if one format fails, nothing of the
report is kept (no half-built report in the archive).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.analytics.models import Report, ReportFile, ReportSchedule
from chorus.analytics.periods import Period
from chorus.analytics.reports.content import ReportContent
from chorus.analytics.reports.csv_files import write_csv_zip
from chorus.analytics.reports.html import render_document, report_context
from chorus.analytics.reports.pdf import write_pdf
from chorus.analytics.reports.periods import ReportPeriod
from chorus.analytics.reports.sections import build_sections, in_report_order
from chorus.analytics.reports.slides import write_slides
from chorus.analytics.reports.source import Source
from chorus.workspaces.models import Workspace


@dataclass(frozen=True)
class Format:
    key: str
    extension: str
    mime: str
    write: Callable[[ReportContent], bytes]


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", "pdf", "application/pdf", lambda c: write_pdf(render_document(c))),
    "csv": Format("csv", "zip", "application/zip", write_csv_zip),
    "pptx": Format(
        "pptx",
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        write_slides,
    ),
}
FORMAT_KEYS = tuple(FORMATS)


def report_content(
    workspace: Workspace, period: ReportPeriod, sections: Sequence[str]
) -> ReportContent:
    """What the report says, worded in the active language."""
    source = Source(workspace, Period(period.start, period.end))
    now = timezone.localtime(timezone.now(), timezone=ZoneInfo(workspace.timezone))
    return ReportContent(
        workspace_name=workspace.name,
        title=_("Analytics report"),
        period_label=period.label(),
        language=translation.get_language() or workspace.language,
        generated_at_label=date_format(now, "DATETIME_FORMAT"),
        sections=build_sections(source, sections),
    )


def preview_html(workspace: Workspace, period: ReportPeriod, sections: Sequence[str]) -> SafeString:
    """The report's body as the PDF will show it, for the preview page (workspace language)."""
    with translation.override(workspace.language):
        content = report_content(workspace, period, sections)
        html = render_to_string("analytics/report/_body.html", report_context(content))
    return mark_safe(html)  # noqa: S308 -- rendered by our template, every value escaped there


def build_report(
    workspace: Workspace,
    period: ReportPeriod,
    sections: Sequence[str],
    formats: Sequence[str] = FORMAT_KEYS,
    by: User | None = None,
    schedule: ReportSchedule | None = None,
) -> Report:
    """Build the chosen formats of the report and keep them in the workspace's archive."""
    chosen = [key for key in FORMAT_KEYS if key in set(formats)]
    if not chosen:
        raise ValueError("A report needs at least one format.")
    with translation.override(workspace.language):
        content = report_content(workspace, period, in_report_order(sections))
        files = {key: FORMATS[key].write(content) for key in chosen}
        title = f"{content.title} · {content.period_label}"
    return keep(workspace, period, content, files, title, by, schedule)


def keep(
    workspace: Workspace,
    period: ReportPeriod,
    content: ReportContent,
    files: dict[str, bytes],
    title: str,
    by: User | None,
    schedule: ReportSchedule | None,
) -> Report:
    stored: list[ReportFile] = []
    try:
        with transaction.atomic():
            report = Report.objects.create(
                workspace=workspace,
                title=title[:200],
                period_start=period.start,
                period_end=period.end,
                language=content.language,
                sections=[s.key for s in content.sections],
                schedule=schedule,
                created_by=by,
            )
            for key, data in files.items():
                name = f"{workspace.slug}-{period.code.replace('..', '_')}.{FORMATS[key].extension}"
                row = ReportFile(report=report, format=key, size=len(data))
                row.file.save(name, ContentFile(data), save=False)
                stored.append(row)
                row.save()
    except Exception:
        for row in stored:  # the rows rolled back: take their files away too
            row.file.delete(save=False)
        raise
    return report
