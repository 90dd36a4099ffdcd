"""The whole listening and crisis path, as a community manager walks it, in a real Chromium.

Alice writes a query and watches its preview, adds a feed served on loopback and reads it: a
steady week of kettle talk arrives on the Mentions page. The feed then bursts with angry posts;
one more read and the spike alert is there, with its figures and the words behind it. From the
alert she opens a crisis, writes the holding statement, a lawyer approves it through the e-mailed
link (real SMTP on loopback, a fresh browser without an account), the statement goes out to the
stand-in Mastodon, and the crisis is closed with a summary. Then the same pages in French.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from itertools import product
from zoneinfo import ZoneInfo

import pytest

from chorus.listening.models import Alert, Crisis, ListeningQuery, Mention
from chorus.publishing import services as publishing
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import PostTarget, State
from tests.browser.conftest import shot, sign_in
from tests.browser.test_crisis_end_to_end import STATEMENT, _lawyer_approves
from tests.listening import crisis_fixtures as fixtures
from tests.loopback import Heard, Loopback, Reply, serving

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

smtp = fixtures.smtp

# A week of ordinary talk: every text differs in its words (ingest drops copies of ≥ 6 words).
OWNERS = ["My new", "The office", "Grandma's", "Our camping", "The hotel", "A friend's", "The"]
REMARKS = [
    "kettle boils water for two cups of tea before the toast pops",
    "kettle looks lovely on the counter beside the blue toaster",
    "kettle is quieter than the old one we had in the flat",
    "kettle took three minutes to boil a full litre this morning",
    "kettle has a filter that keeps the limescale out of the tea",
    "bouilloire chauffe vite et le voyant bleu reste discret",
    "kettle switched itself off right on time, as promised in the manual",
    "kettle handle stays cool even when it is full of boiling water",
    "bouilloire fait moins de bruit que la machine à café du bureau",
    "kettle was a birthday present and gets used every single afternoon",
    "kettle lid opens wide enough to clean it with a sponge",
    "kettle cord is long enough to reach the socket by the window",
]
# The burst: thirty angry posts, each in its own words.
WHO = ["My", "Our", "A neighbour's", "The shop's", "My sister's", "The school's"]
COMPLAINTS = [
    "kettle overheated and the base melted onto the worktop, dangerous",
    "kettle overheated twice today and tripped the fuse, furious",
    "kettle overheating smell filled the kitchen, smoke everywhere, awful",
    "kettle overheated with the lid open, burnt plastic, never again",
    "kettle overheats until the handle is too hot to hold, scandalous",
]


def _item(number: int, text: str, author: str, published: datetime, root: str) -> str:
    return (
        f"<item><link>{root}/posts/{number}</link>"
        f"<guid>{root}/posts/{number}</guid><dc:creator>{escape(author)}</dc:creator>"
        f"<pubDate>{format_datetime(published)}</pubDate>"
        f"<description>{escape(text)}</description></item>"
    )


class KettleForum:
    """A feed whose items the test adds to, served fresh on every request."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.items: list[str] = []

    def add(self, texts: list[str], moments: list[datetime]) -> None:
        for text, moment in zip(texts, moments, strict=True):
            author = f"Reader {len(self.items) % 17}"
            self.items.append(_item(len(self.items), text, author, moment, self.root))

    def __call__(self, heard: Heard) -> Reply:
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Kettle forum</title>'
            f"<link>{self.root}/</link><description>Talk about kettles</description>"
            + "".join(reversed(self.items))
            + "</channel></rss>"
        )
        return Reply(body=body, headers={"content-type": "application/rss+xml"})


@pytest.fixture
def forum() -> Iterator[KettleForum]:
    with serving() as loopback:
        served = KettleForum(loopback.root)
        _serve(loopback, served)
        yield served


def _serve(loopback: Loopback, served: KettleForum) -> None:
    loopback.on("GET", "/feed", served)


def _steady_week(forum: KettleForum, now: datetime) -> int:
    """One post every two hours over the last seven days."""
    texts = [f"{owner} {remark}" for owner, remark in product(OWNERS, REMARKS)]
    moments = [now - timedelta(hours=2 * (k + 1)) for k in range(len(texts))]
    forum.add(texts, moments)
    return len(texts)


def _burst(forum: KettleForum, now: datetime) -> int:
    """Thirty angry posts in the last ten minutes."""
    texts = [f"{who} {complaint}" for who, complaint in product(WHO, COMPLAINTS)]
    moments = [now - timedelta(seconds=20 * k + 5) for k in range(len(texts))]
    forum.add(texts, moments)
    return len(texts)


def _write_query(page) -> ListeningQuery:  # type: ignore[no-untyped-def]
    page.click(".sidebar .nav a:has-text('Listening')")
    page.click(".listening-tabs a:has-text('Queries')")
    page.click("a:has-text('New query')")
    page.fill("#id_name", "Kettles")
    page.select_option("#id_kind", "product")
    page.fill("#id_expression", "kettle OR bouilloire")
    page.wait_for_selector("#query-preview :text('No mention is stored yet')")
    shot(page, "journey-en-1-query-preview-empty")
    page.click("button:has-text('Create query')")
    page.wait_for_selector("td:has-text('Kettles'), a:has-text('Kettles')")
    return ListeningQuery.objects.get(name="Kettles")


def _add_feed(page, forum: KettleForum) -> None:  # type: ignore[no-untyped-def]
    page.click(".listening-tabs a:has-text('Sources')")
    page.get_by_role("link", name="Add a source").click()
    page.get_by_role("link", name="RSS or Atom feed").click()
    page.fill("#id_name", "Kettle forum")
    page.fill("#id_setting_url", forum.root + "/feed")
    page.get_by_role("button", name="Add the source").click()
    page.wait_for_selector("tr:has-text('Kettle forum')")


def _read_now(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/listening/sources/")
    page.locator("tr", has_text="Kettle forum").get_by_role("button", name="Read now").click()
    page.wait_for_selector("text=Chorus is reading the source now.")


def _see_mentions(page, expected: int) -> None:  # type: ignore[no-untyped-def]
    page.click(".listening-tabs a:has-text('Mentions')")
    page.locator(".mention-text", has_text="My new kettle boils water for two cups").wait_for()
    assert Mention.objects.filter(source__name="Kettle forum").count() == expected
    shot(page, "journey-en-3-mentions-steady")


def _preview_finds(page, query: ListeningQuery) -> None:  # type: ignore[no-untyped-def]
    """The preview, now that mentions are stored, shows what the query matches, live."""
    page.goto(page.base + f"/listening/queries/{query.pk}/")
    page.fill("#id_expression", "bouilloire")
    page.wait_for_selector("#query-preview :text('14 matches among the latest 84 mentions')")
    assert "bouilloire chauffe vite" in page.inner_text("#query-preview")
    shot(page, "journey-en-2-query-preview-live")


def _open_alert(page) -> Alert:  # type: ignore[no-untyped-def]
    page.click(".listening-tabs a:has-text('Alerts')")
    shot(page, "journey-en-5-alerts")
    alert = Alert.objects.filter(kind="volume").get()
    page.click(f"a[href='/listening/alerts/{alert.pk}/']")
    figures = page.inner_text(".alert-figures")
    assert str(alert.count) in figures and f"{alert.threshold:.0f}" in figures
    page_text = page.inner_text("main")
    assert "Baseline: the median of the mentions in the same hour of the day" in page_text
    assert alert.formula in page_text
    terms = page.inner_text(".alert-terms")
    assert "overheated" in terms
    shot(page, "journey-en-6-alert")
    return alert


def _check_alert_figures(alert: Alert, burst: int) -> None:
    """A real baseline (the same hour over the past days), a real burst above its threshold."""
    assert alert.count == burst
    assert alert.explanation["method"] == "day" and alert.explanation["periods"] >= 6
    assert alert.baseline < 1 and 5 <= alert.threshold < burst


def _open_crisis(page, alert: Alert, channel) -> Crisis:  # type: ignore[no-untyped-def]
    page.click("a:has-text('Open a crisis from this alert')")
    assert page.locator(".callout.warn").is_visible()  # "From the alert: …"
    page.fill("input[name=title]", "Overheating kettle bases")
    page.click("button:has-text('Open the crisis and pause publishing')")
    page.wait_for_selector(".crisis-banner")
    crisis = Crisis.objects.get(title="Overheating kettle bases")
    assert crisis.alert_id == alert.pk
    paris = alert.window_start.astimezone(ZoneInfo(crisis.workspace.timezone))
    assert f"in {paris:%H:%M}–" in page.inner_text("ol.timeline")  # the room's own clock
    page.fill("#statement textarea[name=text]", STATEMENT)
    page.check(f"input[name=channels][value='{channel.pk}']")
    page.click("button:has-text('Save the statement')")
    page.click("summary:has-text('Add an approver')")
    page.fill(".outside input[name=name]", "Lou Lawyer")
    page.fill(".outside input[name=email]", "lou@law.example")
    page.click(".outside button:has-text('Add')")
    page.click("button:has-text('Submit for approval')")
    page.wait_for_selector("text=Waiting for approvals")
    shot(page, "journey-en-7-crisis-waiting")
    return crisis


def _publish_and_close(page, crisis: Crisis, standin) -> None:  # type: ignore[no-untyped-def]
    page.reload()
    page.click("button:has-text('Publish now')")
    page.wait_for_selector("text=Published")
    (target,) = PostTarget.objects.filter(post=crisis.statement.post)
    if target.state != State.PUBLISHED:  # the queue hands it over at its second
        assert publish_target(target.pk) == "published"
    assert [s.text for s in standin.store.statuses] == [STATEMENT]
    shot(page, "journey-en-8-crisis-published")
    page.click("a:has-text('Close the crisis')")
    page.fill("textarea[name=summary]", "Kettle bases recalled; statement out within the hour.")
    page.check("input[name=resume]")  # the crisis is over: the calendar may go out again
    page.click("form button:has-text('Close the crisis')")
    page.wait_for_selector("text=Crisis closed")
    crisis.refresh_from_db()
    assert not crisis.is_open and not publishing.is_paused(crisis.workspace)
    shot(page, "journey-en-9-crisis-closed")


def _in_french(page, alert: Alert, crisis: Crisis) -> None:  # type: ignore[no-untyped-def]
    page.click(".lang-switch button[value=fr]")
    page.goto(page.base + "/listening/mentions/")
    assert page.get_by_role("link", name="Requêtes").first.is_visible()
    shot(page, "journey-fr-1-mentions")
    page.goto(page.base + f"/listening/alerts/{alert.pk}/")
    assert "seuil" in page.inner_text(".alert-figures").lower()
    assert alert.formula in page.inner_text("main")
    shot(page, "journey-fr-2-alert")
    page.goto(page.base + f"/listening/crisis/{crisis.pk}/")
    assert "Chronologie" in page.content()
    shot(page, "journey-fr-3-crisis-room")


def test_from_a_query_to_a_closed_crisis(  # type: ignore[no-untyped-def]
    page, browser, alice, workspace_a, channel_a, standin, smtp, forum, settings
) -> None:
    settings.CHORUS_BASE_URL = page.base  # the e-mailed link points at this live server
    now = datetime.now(tz=UTC)
    sign_in(page, alice)
    page.goto(page.base + "/")
    query = _write_query(page)
    _add_feed(page, forum)

    steady = _steady_week(forum, now)
    _read_now(page)
    _see_mentions(page, steady)
    _preview_finds(page, query)
    assert not Alert.objects.exists()  # an ordinary week is not news

    burst = _burst(forum, datetime.now(tz=UTC))
    _read_now(page)
    page.click(".listening-tabs a:has-text('Mentions')")
    shot(page, "journey-en-4-mentions-burst")
    alert = _open_alert(page)
    _check_alert_figures(alert, burst)

    crisis = _open_crisis(page, alert, channel_a)
    (link,) = smtp.links()
    _lawyer_approves(browser, link, "en-GB", "journey-en")
    _publish_and_close(page, crisis, standin)
    _in_french(page, alert, crisis)
