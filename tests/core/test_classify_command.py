import json
import subprocess
import sys


def test_chorus_classify_writes_one_json_object_per_line() -> None:
    lines = "J'adore ce café, merci !\n\nThis is awful, I want a refund\n"
    result = subprocess.run(
        [sys.executable, "-m", "chorus.cli", "classify"],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
    )
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 3
    assert answers[0]["language"] == "fr" and answers[0]["sentiment"] == "positive"
    assert answers[1]["language"] == "und"
    assert answers[2]["sentiment"] == "negative"
    assert set(answers[2]) >= {"language", "sentiment", "confidence", "toxicity", "spam", "intent"}
