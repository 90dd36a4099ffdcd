"""A contest in a real browser: create it on a published post, open it (the commitment is
published), see entries arrive from replies ingested by the real inbox ingest, close, draw,
open the public certificate without signing in and verify it with `chorus verify-draw` —
in English, then the same pages in French."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chorus.engagement import contests
from chorus.engagement.models import Contest
from tests.browser.conftest import shot, sign_in
from tests.engagement.contest_support import published_post, replies_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _create(page, target) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/")
    page.click("nav >> text=Engage")
    page.click("text=New contest")
    now = timezone.localtime()
    page.fill("input[name=title]", "Win a Chorus mug <b>now</b>")
    page.fill("input[name=organiser]", "Chorus Coffee SAS, 1 rue du Port, Nantes")
    page.fill("textarea[name=prizes]", "Two enamel mugs")
    page.fill("input[name=opens_at]", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=closes_at]", (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=winners]", "1")
    page.fill("input[name=alternates]", "2")
    page.select_option("select[name=randomness_source]", "secret")
    page.check(f"input[name=posts][value='{target.pk}']")
    page.fill("input[name=keyword]", "mug")
    page.fill("textarea[name=checked_by_hand]", "Follows @brand")
    shot(page, "contests-en-1-new")
    page.click("button:has-text('Save the draft')")
    expect(page.locator("h1")).to_contain_text("Win a Chorus mug <b>now</b>")


def test_a_contest_from_post_to_verified_certificate(
    page, browser, alice, channel_a, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    target = published_post(channel_a, remote_id="109000000000000777")
    sign_in(page, alice)
    _create(page, target)
    expect(page.locator(".contest-rules")).to_contain_text("chorus-draw-v1")
    page.click("button:has-text('Open and publish the commitment')")
    contest = Contest.objects.get()
    expect(page.locator("code.token").first).to_have_text(contest.commitment)

    replies_to(
        target,
        ("ann", "I want a mug!"),
        ("ben", "Mug please <script>alert(1)</script>"),
        ("cat", "Hello"),
        ("dan", "mug mug"),
        ("ann", "another mug for me"),
        ("eve", "Mug for my mum"),
    )
    page.click("a.btn:has-text('Entries')")
    expect(page.locator(".contest-counts")).to_contain_text("6")
    expect(page.locator("tbody")).to_contain_text("Keyword missing")
    expect(page.locator("tbody")).to_contain_text("Duplicate of ann@example.social")
    row = page.locator("tr", has_text="eve@example.social")
    row.locator("input[name=reason]").fill("Entered twice with a second account")
    row.locator("button:has-text('Exclude')").click()
    expect(page.locator("tr", has_text="eve@example.social")).to_contain_text("Excluded by hand")
    shot(page, "contests-en-3-entries")

    monkeypatch.setattr(contests, "now", lambda: contest.closes_at + timedelta(minutes=1))
    page.click("a.back")
    page.click("button:has-text('Close and freeze the entries')")
    expect(page.locator(".flash")).to_contain_text("entries are frozen")
    page.click("button:has-text('Draw the winners')")
    expect(page.locator(".all-clear")).to_contain_text("checks out")
    shot(page, "contests-en-2-drawn")

    contest.refresh_from_db()
    assert contest.entries == ["mastodon:ann", "mastodon:ben", "mastodon:dan"]
    public = browser.new_context(locale="en-GB").new_page()  # nobody signed in
    public.goto(page.base + f"/engagement/contests/certificate/{contest.public_id}/")
    expect(public.locator("h1")).to_contain_text("Win a Chorus mug")
    for personal in ("ann@example.social", "I want a mug", "Chorus Coffee"):
        expect(public.locator("body")).not_to_contain_text(personal)
    shot(public, "contests-en-4-certificate")
    with public.expect_download() as download:
        public.click("text=Download the certificate (JSON)")
    certificate = tmp_path / "certificate.json"
    download.value.save_as(certificate)
    assert json.loads(certificate.read_text())["picks"] == contest.picks

    verified = _verify_draw(certificate)
    assert verified.returncode == 0 and "valid" in verified.stdout.lower()
    tampered = json.loads(certificate.read_text())
    tampered["picks"].reverse()  # the same people, in another order
    certificate.write_text(json.dumps(tampered))
    assert _verify_draw(certificate).returncode == 1

    page.click(".lang-switch button[value=fr]")
    expect(page.locator("h2").first).to_have_text("Gagnants")
    shot(page, "contests-fr-2-drawn")
    page.goto(page.base + f"/engagement/contests/{contest.pk}/entries/")
    shot(page, "contests-fr-3-entries")
    page.goto(page.base + "/engagement/contests/new/")
    shot(page, "contests-fr-1-new")
    public.click(".lang-switch button[value=fr]")
    expect(public.locator("body")).to_contain_text("Engagement, publié à l'ouverture")
    shot(public, "contests-fr-4-certificate")


def _verify_draw(path: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "CHORUS_SECRET_KEY": "x"}
    return subprocess.run(
        [sys.executable, "-m", "chorus.cli", "verify-draw", str(path)],
        capture_output=True, text=True, env=environment, cwd=ROOT, timeout=120,
    )  # fmt: skip
