"""``chorus classify``: one message per input line, one JSON object per output line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from typing import TextIO

from . import Classifier, get_classifier

# Large enough to keep classify_many vectorised, small enough to stream long inputs.
BATCH_SIZE = 1000


def _batches(lines: TextIO) -> Iterator[list[str]]:
    texts = (line.rstrip("\r\n") for line in lines)
    while batch := list(islice(texts, BATCH_SIZE)):
        yield batch


def run(stdin: TextIO, stdout: TextIO, classifier: Classifier | None = None) -> int:
    """Every input line gets an output line, blank ones included, so the two files line up."""
    classifier = classifier or get_classifier()
    for batch in _batches(stdin):
        for classification in classifier.classify_many(batch):
            stdout.write(json.dumps(classification.as_dict(), ensure_ascii=False) + "\n")
    stdout.flush()
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(run(sys.stdin, sys.stdout))
