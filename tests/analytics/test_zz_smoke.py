import pytest
from chorus.analytics.reports.building import build_report
from chorus.analytics.reports.periods import parse_period
from chorus.analytics.reports.sections import SECTION_KEYS
from tests.analytics.report_rows import known_figures

def test_smoke(workspace_a, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    known_figures(workspace_a)
    report = build_report(workspace_a, parse_period("2026-11"), SECTION_KEYS, by=alice)
    for f in report.files.all():
        print(f.format, f.size, f.file.path)
        import shutil; shutil.copy(f.file.path, "/tmp/areports-smoke." + f.file.name.rsplit(".",1)[1])
