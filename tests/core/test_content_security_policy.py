"""The Content-Security-Policy header: strict on our pages, and our pages carry no inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import signed_in

TEMPLATES = Path(__file__).resolve().parents[2] / "chorus"
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.django_db
def test_pages_forbid_inline_script_and_style(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(alice).get("/today/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_signed_out_pages_have_the_policy_too(client) -> None:  # type: ignore[no-untyped-def]
    assert "script-src 'self'" in client.get("/account/signin/").headers["Content-Security-Policy"]


def test_templates_carry_no_inline_script_nor_handler() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"{template}: {tag}"
        assert not INLINE_HANDLER.search(text), f"{template} has an inline event handler"
        assert " style=" not in text, f"{template} has an inline style"
