"""The report as PDF: the preview's own HTML, laid out by WeasyPrint on A4.

WeasyPrint fetches what the HTML links to. A report carries public text (post texts, author
names), so it must never make the server fetch a URL: the fetcher below serves Chorus's own
static files from disk and refuses everything else (no network, no file:// outside static).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The document is laid out as if served from here; only its /static/ part is ever answered.
BASE_URL = "https://report.chorus.invalid/"


class StaticFilesOnly(URLFetcher):
    """Answers ``/static/…`` from Chorus's static files; refuses any other address."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError(f"A report fetches nothing outside Chorus's static files: {url}")
        found = static_file(url.removeprefix(prefix).split("?")[0])
        if found is None:
            raise ValueError(f"No such static file: {url}")
        mime = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": mime})


def static_file(relative: str) -> Path | None:
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    return Path(found) if isinstance(found, str) else None


def write_pdf(document_html: str) -> bytes:
    """The report's HTML document (``analytics/report/document.html``) as PDF bytes."""
    pdf = HTML(string=document_html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()
    assert pdf is not None  # without a target, WeasyPrint returns the bytes
    return pdf
