"""The CLI writes one JSON object per input line, blank lines included."""

import io
import json

from chorus.classify.cli import run


def test_round_trip_keeps_lines_aligned() -> None:
    stdin = io.StringIO("Merci beaucoup, super service !\n\nHow much is the blue one?\n")
    stdout = io.StringIO()

    assert run(stdin, stdout) == 0

    rows = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert len(rows) == 3
    assert set(rows[0]) >= {
        "language",
        "sentiment",
        "confidence",
        "toxicity",
        "spam",
        "intent",
        "profanity",
    }
    assert (rows[0]["language"], rows[0]["sentiment"]) == ("fr", "positive")
    assert (rows[1]["language"], rows[1]["sentiment"]) == ("und", "neutral")
    assert rows[2]["intent"] == "purchase_intent"
