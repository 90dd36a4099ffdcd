"""``chorus report``: the same report the pages build, written to a file.

The file is also kept in the workspace's archive (like a report built on the page), so what a
script sent to a client can be found again in Chorus.
"""

from __future__ import annotations

import sys
from pathlib import Path

from chorus.analytics.reports.building import build_report
from chorus.analytics.reports.periods import BadPeriod, parse_period
from chorus.analytics.reports.sections import SECTION_KEYS
from chorus.workspaces.models import Workspace


def write_report(slug: str, period_text: str, fmt: str, out: str, sections: str = "") -> int:
    """0 when written; 2 with a message on stderr for a wrong workspace, period or section."""
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        return refuse(f"No workspace with the slug {slug!r}.")
    try:
        period = parse_period(period_text)
    except BadPeriod as error:
        return refuse(str(error))
    chosen = [s.strip() for s in sections.split(",") if s.strip()] or list(SECTION_KEYS)
    unknown = [s for s in chosen if s not in SECTION_KEYS]
    if unknown:
        return refuse(
            f"Unknown section(s): {', '.join(unknown)}. Known: {', '.join(SECTION_KEYS)}."
        )
    report = build_report(workspace, period, chosen, [fmt])
    data = report.files.get(format=fmt).file.read()
    if out == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(out).write_bytes(data)
        print(f"{report.title}: {out} ({len(data)} bytes)", file=sys.stderr)
    return 0


def refuse(message: str) -> int:
    print(f"chorus report: {message}", file=sys.stderr)
    return 2
