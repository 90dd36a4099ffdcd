"""Reading new messages with getUpdates: the offset moves on, nothing is read twice."""

from __future__ import annotations

from tests.channels.telegram.telegram_bot import connect, ok, recorded

GROUP = -1001283156137  # the recorded supergroup "TestSendCoin"


def test_the_first_poll_reads_from_the_start_and_the_cursor_moves_past_it(bot_api) -> None:
    inbox = connect(bot_api, chat_id=GROUP)
    bot_api.answer("/getUpdates", ok(recorded("getUpdates_group.json")["result"]))

    page = inbox.fetch_inbox("")

    assert "offset" not in bot_api.requests_to("/getUpdates")[0].json()
    assert page.cursor == "196958676"  # the last update_id + 1


def test_items_keep_the_order_of_the_updates_and_skip_other_groups(bot_api) -> None:
    inbox = connect(bot_api, chat_id=GROUP)
    bot_api.answer("/getUpdates", ok(recorded("getUpdates_group.json")["result"]))

    page = inbox.fetch_inbox("")

    # The old basic group (-218487457), the edit, the join and the migration give nothing.
    assert [(i.kind, i.remote_id, i.text) for i in page.items] == [
        ("direct", "412846761:451", "test"),
        ("direct", "412846761:455", "1234"),
        ("comment", f"{GROUP}:2", "Оп"),
        ("comment", f"{GROUP}:3", "Хлоп"),
        ("comment", f"{GROUP}:4", "qwer"),
        ("comment", f"{GROUP}:5", "ddff @ForTestCurrencyBot"),
    ]
    author = page.items[2].author
    assert (author.remote_id, author.handle, author.url) == (
        "187486854",
        "@dmkurto",
        "https://t.me/dmkurto",
    )
    assert page.items[2].conversation_id == str(GROUP)
    assert page.items[2].url == "https://t.me/c/1283156137/2"


def test_the_next_poll_sends_the_cursor_as_offset(bot_api) -> None:
    inbox = connect(bot_api, chat_id=GROUP)
    bot_api.answer("/getUpdates", ok([]))

    page = inbox.fetch_inbox("196958676")

    assert bot_api.requests_to("/getUpdates")[0].json()["offset"] == 196958676
    assert page.items == []
    assert page.cursor == "196958676"  # nothing new: stay where we are


def test_a_channel_named_by_username_keeps_its_own_messages(bot_api) -> None:
    inbox = connect(bot_api, chat_id="@vvvtalk")
    bot_api.answer("/getChat", ok({"id": -1001241558182, "type": "channel", "title": "VVV"}))
    bot_api.answer("/getUpdates", ok(recorded("getUpdates_channel.json")["result"]))

    page = inbox.fetch_inbox("")

    assert [item.remote_id for item in page.items] == ["-1001241558182:21"]
    assert page.items[0].author.display_name == "VVV talk (Jun)"
    assert page.cursor == "500676845"
