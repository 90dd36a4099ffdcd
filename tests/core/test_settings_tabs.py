"""Settings → Inbox: exactly one tab and one sidebar entry are shown as the current one."""

from __future__ import annotations

import re

import pytest

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def _tabs(body: str) -> str:
    match = re.search(r'<nav class="tabs">(.*?)</nav>', body, re.S)
    assert match is not None
    return match.group(1)


def _current(links: str, marker: str) -> list[str]:
    pattern = rf'<a [^>]*class="{marker}"[^>]*>\s*(?:<svg.*?</svg>)?\s*([^<]+?)\s*</a>'
    return re.findall(pattern, links, re.S)


@pytest.mark.parametrize(
    ("path", "tab"),
    [
        ("/inbox/settings/", "Inbox"),
        ("/workspace/settings/", "Workspace"),
        ("/workspace/members/", "Team"),
        ("/channels/", "Channels"),
    ],
)
def test_one_current_tab(alice, workspace_a, path: str, tab: str) -> None:  # type: ignore[no-untyped-def]
    body = signed_in(alice).get(path).content.decode()
    assert _current(_tabs(body), "on") == [tab]


def test_inbox_settings_light_settings_in_the_sidebar(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    body = signed_in(alice).get("/inbox/settings/").content.decode()
    sidebar = body.split('<nav class="nav">', 1)[1].split("</nav>", 1)[0]
    assert _current(sidebar, "active") == ["Settings"]
