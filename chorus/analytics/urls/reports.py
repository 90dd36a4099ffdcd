"""The reports pages (``analytics:reports`` and the schedules beside them)."""

from django.urls import path

from chorus.analytics.views import report_schedules, reports

urlpatterns = [
    path("reports/", reports.reports, name="reports"),
    path("reports/preview/", reports.preview, name="report_preview"),
    path("reports/<int:report_id>/", reports.report, name="report"),
    path("reports/<int:report_id>/<str:fmt>/", reports.download, name="report_file"),
    path("reports/schedules/", report_schedules.schedules, name="report_schedules"),
    path("reports/schedules/<int:schedule_id>/", report_schedules.edit, name="report_schedule"),
    path(
        "reports/schedules/<int:schedule_id>/pause/",
        report_schedules.pause,
        name="report_schedule_pause",
    ),
    path(
        "reports/schedules/<int:schedule_id>/delete/",
        report_schedules.delete,
        name="report_schedule_delete",
    ),
    path(
        "reports/schedules/<int:schedule_id>/send/",
        report_schedules.send_now,
        name="report_schedule_send",
    ),
]
