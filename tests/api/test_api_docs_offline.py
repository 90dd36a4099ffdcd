"""/api/v1/docs works on a server with no way out: the page and everything it loads come from
Chorus itself (django-ninja's bundled Swagger UI), and Swagger UI is not told to call the public
validator."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
DOCS = "/api/v1/docs"


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_the_docs_page_loads_only_local_assets() -> None:
    response = Client().get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    assets = _assets(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/static/") for a in assets), assets
    assert "cdn" not in html.lower()


def test_every_asset_of_the_docs_page_is_served() -> None:
    client = Client()
    for asset in _assets(client.get(DOCS).content.decode()):
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_swagger_ui_does_not_call_the_public_validator() -> None:
    html = Client().get(DOCS).content.decode()
    assert '"validatorUrl": null' in html
    assert '"url": "/api/v1/openapi.json"' in html
